"""Per-token bias of the predicted IoU for point-only prompts, chosen on SYNTHETIC clicks only (demo v2, issue 18).

The IoU head of run B ranks the multimask tokens badly (synthetic centroid clicks: chosen token Dice 0.45 vs best
token 0.80).  This collects, on held-out synthetic images (seed 777, disjoint from eval3_synth's 4242), the Dice and
predicted IoU of tokens 1..3 for centroid / interior / near-edge clicks of every source and picks the bias
(b1 = 0, b2, b3 on a grid) that maximizes the mean Dice of the token the plugin would choose (max predicted IoU).

/usr/bin/python3 tools/demo_model/tokbias.py --ckpt tools/demo_model/work/model_v3b.pt [--n 3]
"""
import argparse
import itertools
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import data  # noqa: E402
import data3  # noqa: E402
import gen3  # noqa: E402
from eval3_synth import images, dice_t  # noqa: E402
from pipeline import Predictor, centroid_prompt_point  # noqa: E402


@torch.no_grad()
def collect(pred, n, seed):
    D, P, S = [], [], []
    for si, src in enumerate(["nuclei", "polyp", "ct", "large"]):
        rng = np.random.default_rng(seed + 101 * si)
        for img, lab in images(src, n, rng):
            objs = data.object_info(lab, gen3._areas(lab), min_area=30)
            if not objs:
                continue
            pred.set_image(img)
            objs = [objs[j] for j in rng.permutation(len(objs))[:12]]
            gts = torch.from_numpy(np.stack([lab == o[0] for o in objs]))
            for kind in ("centroid", "interior", "edge"):
                ps = []
                for (k, s, m, a) in objs:
                    if kind == "centroid":
                        x, y = centroid_prompt_point(lab == k)
                    elif kind == "interior":
                        x, y = data.interior_point(rng, m, s)
                    else:
                        x, y = data3.edge_point(rng, m, s)
                    ps.append([(x, y, 1), (0, 0, -1)])
                mp, ip = pred.predict(ps)
                D.append(np.stack([dice_t(mp[:, t] > 0, gts) for t in (1, 2, 3)], 1))
                P.append(ip[:, 1:].numpy())
                S += [src] * len(ps)
    return np.concatenate(D), np.concatenate(P), np.array(S)


def chosen(D, P, b):
    return D[np.arange(len(D)), (P + b[None]).argmax(1)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--n", type=int, default=3)
    ap.add_argument("--seed", type=int, default=777)
    args = ap.parse_args()
    torch.set_num_threads(2)
    data.set_data_version("v2")
    D, P, S = collect(Predictor(args.ckpt), args.n, args.seed)
    # weight the sources equally
    w = np.zeros(len(S))
    for s in np.unique(S):
        w[S == s] = 1.0 / (S == s).sum()
    grid = np.round(np.arange(-0.5, 0.51, 0.05), 2)
    best = None
    for b2, b3 in itertools.product(grid, grid):
        b = np.array([0.0, b2, b3])
        v = float((chosen(D, P, b) * w).sum() / w.sum())
        if best is None or v > best[0] + 1e-9:
            best = (v, b)
    b0 = np.zeros(3)
    print(f"clicks {len(S)}; mean Dice per token {D.mean(0).round(3)}; oracle {D.max(1).mean():.3f}")
    for s in np.unique(S):
        m = S == s
        print(f"  {s}: no bias {chosen(D[m], P[m], b0).mean():.3f}  with bias {chosen(D[m], P[m], best[1]).mean():.3f}"
              f"  oracle {D[m].max(1).mean():.3f}  per token {D[m].mean(0).round(3)}")
    print(f"source-balanced chosen Dice: no bias {float((chosen(D, P, b0) * w).sum() / w.sum()):.3f}, "
          f"best bias {best[1].tolist()} -> {best[0]:.3f}")


if __name__ == "__main__":
    main()

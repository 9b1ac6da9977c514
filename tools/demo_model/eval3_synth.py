"""Held-out synthetic full-image evaluation for demo v2 (issue 18): per source (nuclei, polyp, CT/MRI, large),
through the torch full-image pipeline (pipeline.Predictor = the plugin's preprocessing + in-graph postprocessing).

/usr/bin/python3 tools/demo_model/eval3_synth.py --ckpt tools/demo_model/work/v3a/model.pt [--n 4] [--seed 4242]

Per object: exact box (token 0), centroid click, random interior click and near-edge click (token 1..3 with the
highest predicted IoU, as the plugin chooses; and the oracle best token), background clicks (mean area fraction
of the chosen mask and its predicted IoU vs that of object clicks).  Seeds differ from the training stream.
"""
import argparse
import os
import sys

import numpy as np
import torch
from scipy import ndimage as ndi

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import data  # noqa: E402
import data3  # noqa: E402
import gen  # noqa: E402
import gen3  # noqa: E402
from pipeline import Predictor, centroid_prompt_point  # noqa: E402


def images(src, n, rng):
    out = []
    for i in range(n):
        if src == "nuclei":
            H = W = 512
            D = float(np.exp(rng.uniform(np.log(16), np.log(90)))) / 2.0
            img, lab, fa = gen.make_image(rng, H, W, D)
        elif src == "polyp":
            img, lab, fa = gen3.make_polyp(rng, 528, 620)
        elif src == "ct":
            img, lab, fa = gen3.make_ct(rng, 512, 512)
        else:
            img, lab, fa = gen3.make_large_nuclei(rng, 400, 400)
        out.append((img, lab))
    return out


def dice_t(a, b):
    return (2 * (a & b).sum((1, 2)).float() / (a.sum((1, 2)) + b.sum((1, 2))).float().clamp(min=1)).numpy()


@torch.no_grad()
def run(pred, src, n, rng, maxobj=12):
    r = {k: [] for k in ("box", "centroid", "centroid_oracle", "interior", "edge", "edge_oracle",
                         "bg_area", "bg_iou", "obj_iou")}
    for img, lab in images(src, n, rng):
        objs = [o for o in data.object_info(lab, gen3._areas(lab), min_area=30)]
        if not objs:
            continue
        pred.set_image(img)
        objs = [objs[j] for j in rng.permutation(len(objs))[:maxobj]]
        gts = torch.from_numpy(np.stack([lab == o[0] for o in objs]))
        boxes, cen, inter, edge = [], [], [], []
        for (k, s, m, a) in objs:
            x0, y0, x1, y1 = data.box_of(s)
            boxes.append([(x0, y0, 2), (x1, y1, 3)])
            full = lab == k
            cx, cy = centroid_prompt_point(full)
            cen.append([(cx, cy, 1), (0, 0, -1)])
            x, y = data.interior_point(rng, m, s)
            inter.append([(x, y, 1), (0, 0, -1)])
            x, y = data3.edge_point(rng, m, s)
            edge.append([(x, y, 1), (0, 0, -1)])
        mb, _ = pred.predict(boxes)
        r["box"] += list(dice_t(mb[:, 0] > 0, gts))
        for name, ps in (("centroid", cen), ("interior", inter), ("edge", edge)):
            mp, ip = pred.predict(ps)
            best = ip[:, 1:].argmax(1) + 1
            r[name] += list(dice_t(mp[torch.arange(len(ps)), best] > 0, gts))
            r["obj_iou"] += list(ip[torch.arange(len(ps)), best].numpy())
            if name in ("centroid", "edge"):
                allt = np.stack([dice_t(mp[:, t] > 0, gts) for t in (1, 2, 3)], 1)
                r[name + "_oracle"] += list(allt.max(1))
        bg = np.argwhere(lab == 0)
        if len(bg):
            sel = bg[rng.choice(len(bg), size=min(12, len(bg)), replace=False)]
            ps = [[(int(x), int(y), 1), (0, 0, -1)] for (y, x) in sel]
            mp, ip = pred.predict(ps)
            best = ip[:, 1:].argmax(1) + 1
            ch = mp[torch.arange(len(ps)), best] > 0
            r["bg_area"] += list((ch.flatten(1).float().mean(1)).numpy())
            r["bg_iou"] += list(ip[torch.arange(len(ps)), best].numpy())
    return {k: float(np.mean(v)) if v else float("nan") for k, v in r.items()}, len(r["box"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--n", type=int, default=4)
    ap.add_argument("--seed", type=int, default=4242)
    ap.add_argument("--sources", default="nuclei,polyp,ct,large")
    args = ap.parse_args()
    torch.set_num_threads(2)
    data.set_data_version("v2")
    pred = Predictor(args.ckpt)
    allr = {}
    for src in args.sources.split(","):
        rng = np.random.default_rng(args.seed + 101 * ["nuclei", "polyp", "ct", "large"].index(src))
        res, nobj = run(pred, src, args.n, rng)
        allr[src] = res
        print(f"{src:7s} ({nobj} objects): " + "  ".join(f"{k} {v:.3f}" for k, v in res.items()), flush=True)


if __name__ == "__main__":
    main()

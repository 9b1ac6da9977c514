"""Held-out synthetic validation through the full-image pipeline (same path as the plugin).

/usr/bin/python3 tools/demo_model/eval_synth.py [--ckpt ...] [--n 12]
"""
import argparse
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402
from pipeline import Predictor, evaluate_instances  # noqa: E402
from data import object_info  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default=os.path.join(HERE, "work", "model.pt"))
    ap.add_argument("--n", type=int, default=12)
    ap.add_argument("--seed", type=int, default=777001)  # differs from training seeds
    ap.add_argument("--large", action="store_true",
                    help="large-object set: small images (170-300 px, upscaled 3.4-6x) with objects of "
                         "150-700 px in the 1024 frame, half of them flat-interior")
    args = ap.parse_args()
    torch.set_num_threads(2)
    rng = np.random.default_rng(args.seed)
    pred = Predictor(args.ckpt)
    if args.large:
        gen.FLAT_P = 0.5
    allb, allp = [], []
    for i in range(args.n):
        if args.large:
            H, W = [(200, 200), (170, 230), (300, 300), (256, 180)][i % 4]
        else:
            H, W = [(512, 512), (384, 512), (600, 400), (256, 256)][i % 4]
        s = 1024.0 / max(H, W)
        D = gen.sample_diam_1024(rng, "huge" if args.large else False)
        img, lab, fa = gen.make_image(rng, H, W, D / s)
        # evaluate only objects that are mostly visible
        keep = np.zeros(lab.max() + 1, bool)
        for (k, _, _, a) in object_info(lab, fa, min_vis=0.5, min_area=6):
            keep[k] = True
        lab = np.where(keep[lab], lab, 0)
        if lab.max() == 0:
            continue
        ids = np.unique(lab)[1:]
        if len(ids) > 40:  # keep it quick
            sel = rng.choice(ids, 40, replace=False)
            lab = np.where(np.isin(lab, sel), lab, 0)
        db, dp = evaluate_instances(pred, img, lab)
        allb += db.tolist()
        allp += dp.tolist()
    print(f"synthetic full-pipeline val{' (large objects)' if args.large else ''}: {len(allb)} objects, mean Dice box {np.mean(allb):.4f} point {np.mean(allp):.4f}")


if __name__ == "__main__":
    main()

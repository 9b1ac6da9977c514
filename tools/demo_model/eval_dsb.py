"""Report-only evaluation on a real nuclei image (DSB2018 sample). NOT used for training.

/usr/bin/python3 tools/demo_model/eval_dsb.py [--ckpt tools/demo_model/work/model.pt]
"""
import argparse
import os
import sys
import time

import numpy as np
import tifffile
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from pipeline import Predictor, evaluate_instances  # noqa: E402

DATA = os.path.abspath(os.path.join(HERE, "..", "..", "..", "shared", "data", "dsb2018_nuclei"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default=os.path.join(HERE, "work", "model.pt"))
    ap.add_argument("--data", default=DATA)
    args = ap.parse_args()
    torch.set_num_threads(2)
    img = tifffile.imread(os.path.join(args.data, "img2d.tif")).astype(np.float32)
    lab = tifffile.imread(os.path.join(args.data, "mask2d.tif")).astype(np.int32)
    g = (img - img.min()) / max(img.max() - img.min(), 1e-6) * 255.0
    rgb = np.repeat(g[..., None], 3, axis=2)
    t = time.time()
    pred = Predictor(args.ckpt)
    db, dp = evaluate_instances(pred, rgb, lab)
    print(f"dsb2018 {img.shape} nuclei {len(db)}: mean Dice box {db.mean():.4f}  point {dp.mean():.4f}  "
          f"(median box {np.median(db):.3f} point {np.median(dp):.3f}; point<0.5: {(dp < 0.5).sum()})  "
          f"[{time.time() - t:.0f}s]")


if __name__ == "__main__":
    main()

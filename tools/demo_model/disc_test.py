"""Large flat-disc test (the failure case of the stage-1 model), through the torch full-image pipeline.

200x200 (and 512x512) 16-bit image: background ~1000 + small texture, discs +3000 at (x,y)=(60,60) r=20
and (150,100) r=25.  Box (36,36)-(84,84) inclusive on the first disc -> token 0; one positive click at
(150,100) on the second disc -> best of tokens 1..3 by predicted IoU.  Also writes the image as .tif with --tif.

/usr/bin/python3 tools/demo_model/disc_test.py [--ckpt ...]
"""
import argparse
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from pipeline import Predictor  # noqa: E402


def disc_image(size, seed=0):
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size]
    img = 1000 + rng.normal(0, 30, (size, size))
    d1 = (xx - 60) ** 2 + (yy - 60) ** 2 <= 20 ** 2
    d2 = (xx - 150) ** 2 + (yy - 100) ** 2 <= 25 ** 2
    img = img + 3000 * (d1 | d2)
    return np.clip(img, 0, 65535).astype(np.uint16), d1, d2


def dice(a, b):
    return 2 * (a & b).sum() / max(1, a.sum() + b.sum())


def run(pred, size, verbose=True):
    img, d1, d2 = disc_image(size)
    f = img.astype(np.float32)
    g = (f - f.min()) / max(f.max() - f.min(), 1e-6) * 255.0  # min-max to 8 bit, as the plugin
    pred.set_image(np.repeat(g[..., None], 3, axis=2))
    mb, ib = pred.predict([[(36, 36, 2), (84, 84, 3)]])
    mp, ip = pred.predict([[(150, 100, 1), (0, 0, -1)]])
    best = int(ip[0, 1:].argmax()) + 1
    db = dice(mb[0, 0].numpy() > 0, d1)
    dp = dice(mp[0, best].numpy() > 0, d2)
    if verbose:
        print(f"disc test {size}x{size}: box Dice {db:.4f} (iou pred {ib[0, 0]:.2f}), "
              f"point Dice {dp:.4f} (token {best}, iou preds {np.round(ip[0].numpy(), 2).tolist()})")
    return db, dp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default=os.path.join(HERE, "work", "model.pt"))
    ap.add_argument("--tif", default=None)
    args = ap.parse_args()
    torch.set_num_threads(2)
    pred = Predictor(args.ckpt)
    for size in (200, 512):
        run(pred, size)
    if args.tif:
        import tifffile
        tifffile.imwrite(args.tif, disc_image(200)[0])


if __name__ == "__main__":
    main()

"""Write the README demo sample: samples/cells.tif (16-bit synthetic fluorescence nuclei),
samples/cells_truth.tif (16-bit instance labels) and samples/cells_prompts.csv (one box per nucleus).

/usr/bin/python3 tools/demo_model/make_sample.py
"""
import os
import sys

import numpy as np
import tifffile
from scipy import ndimage as ndi

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402

OUT = os.path.abspath(os.path.join(HERE, "..", "..", "samples"))
H, W = 384, 512
SEED = 20240601  # different from the training / validation seeds


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(SEED)
    for attempt in range(2000):
        diam = rng.uniform(22, 34)
        n = 20
        cov = n * np.pi * diam * diam / 4 / (H * W)
        img, lab, fa = gen.make_image(rng, H, W, diam, coverage=cov, style="gray", kind="nucleus")
        g = img[..., 0]
        fg = lab > 0
        ids = [i + 1 for i, s in enumerate(ndi.find_objects(lab)) if s is not None]
        # want bright-on-dark, ~20 nuclei, all at least half visible
        if g[~fg].mean() > 70 or g[fg].mean() <= g[~fg].mean() + 70 or not (18 <= len(ids) <= 24):
            continue
        if any((lab == k).sum() < 0.5 * fa[k] for k in ids):
            continue
        break
    # relabel 1..n in raster order of the first pixel
    order = {}
    for v in lab.ravel():
        if v and v not in order:
            order[v] = len(order) + 1
    lut = np.zeros(lab.max() + 1, np.uint16)
    for k, v in order.items():
        lut[k] = v
    truth = lut[lab]
    im16 = np.round(100 + g / 255.0 * 3000).astype(np.uint16)
    tifffile.imwrite(os.path.join(OUT, "cells.tif"), im16, compression="zlib")
    tifffile.imwrite(os.path.join(OUT, "cells_truth.tif"), truth, compression="zlib")
    rows = ["object,type,x0,y0,x1,y1,label"]
    for k in range(1, truth.max() + 1):
        ys, xs = np.nonzero(truth == k)
        # exclusive end, like ImageJ Rectangle (x, y, x+w, y+h)
        rows.append(f"{k},box,{xs.min()},{ys.min()},{xs.max() + 1},{ys.max() + 1},")
    with open(os.path.join(OUT, "cells_prompts.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")
    print(f"attempt {attempt}: {truth.max()} nuclei, diam ~{diam:.1f}px, image {im16.shape} "
          f"range {im16.min()}..{im16.max()} -> {OUT}")


if __name__ == "__main__":
    main()

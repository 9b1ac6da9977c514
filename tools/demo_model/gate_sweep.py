"""Demo v2 gate (issue 18): per-object box Dice of two model folders on HELD-OUT SYNTHETIC images, through the
Java CLI, and the choice of the gate's box size (the only number of the gated model, chosen here on synthetic
data only; ../shared/data is never read).

/usr/bin/python3 tools/demo_model/gate_sweep.py --model small=DIR --model large=DIR --work /tmp/gate [--seed 5151]
/usr/bin/python3 tools/demo_model/gate_sweep.py --report /tmp/gate/objects.csv /tmp/gate2/objects.csv

Sources (seed 5151, not a training seed): nuclei (gen.make_image, 256x256 and 512x512, DSB-like sizes), polyp-like,
CT/MRI-like (gen3.make_ct) and large objects (gen3.make_large_nuclei).  Each object gets its exact bounding box
(ImageJ rectangle, x1 = xmax + 1); one CLI call per object for polyp / CT / large (touching regions would
overwrite each other in one label image), one call per image for nuclei.  Writes WORK/objects.csv (source, image,
object, box long side in the 1024 frame, Dice of each model) and prints, for each candidate gate size T, the
source-balanced mean Dice when boxes with a long side < T go to the small-object model and the others to the
large-object model.
"""
import argparse
import csv
import os
import subprocess
import sys

import numpy as np
import tifffile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import data  # noqa: E402
import eval_real_cli  # noqa: E402
from eval_real_cli import dice  # noqa: E402
import gen  # noqa: E402
import gen3  # noqa: E402


def cli(model, image, out, prompts):
    return eval_real_cli.cli(model, image, out, prompts=prompts)


def images(rng):
    out = []
    data.set_data_version("v2")
    for i in range(6):
        out.append(("nuclei", gen.make_image(rng, 256, 256, float(np.exp(rng.uniform(np.log(10), np.log(32)))))))
    for i in range(3):
        out.append(("nuclei", gen.make_image(rng, 512, 512, float(np.exp(rng.uniform(np.log(12), np.log(60)))))))
    for i in range(6):
        out.append(("polyp", gen3.make_polyp(rng, 528, 620)))
    for i in range(8):
        out.append(("ct", gen3.make_ct(rng, 512, 512)))
    for i in range(4):
        out.append(("large", gen3.make_large_nuclei(rng, 400, 400)))
    return out


def save(img, path):
    a = np.clip(np.round(img), 0, 255).astype(np.uint8)
    if np.array_equal(a[..., 0], a[..., 1]) and np.array_equal(a[..., 0], a[..., 2]):
        a = a[..., 0]
    tifffile.imwrite(path, a, photometric="minisblack" if a.ndim == 2 else "rgb")


def write_prompts(path, objs):
    rows = ["object,type,x0,y0,x1,y1,label"]
    for (k, s, m, a) in objs:
        rows.append(f"{k},box,{s[1].start},{s[0].start},{s[1].stop},{s[0].stop},")
    open(path, "w").write("\n".join(rows) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", action="append", help="NAME=DIR (two: the first is 'small')")
    ap.add_argument("--report", nargs="+", help="only report the sweep over these objects.csv files together")
    ap.add_argument("--work", default="/tmp/gate")
    ap.add_argument("--seed", type=int, default=5151)
    ap.add_argument("--jar", default="/tmp/anyseg-cli2/anyseg.jar", help="the CLI jar (target/lib beside it)")
    ap.add_argument("--maxobj", type=int, default=12)
    a = ap.parse_args()
    if a.report:
        rows, names = [], None
        for f in a.report:
            with open(f) as fh:
                r = list(csv.reader(fh))
            names = r[0][4:]
            rows += [[x[0], int(x[1]), int(x[2])] + [float(v) for v in x[3:]] for x in r[1:]]
        report(rows, names)
        return
    eval_real_cli.JAR = a.jar
    models = [m.split("=", 1) for m in a.model]
    os.makedirs(a.work, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    rows = []
    for i, (src, (img, lab, fa)) in enumerate(images(rng)):
        objs = data.object_info(lab, gen3._areas(lab), min_area=30)
        if not objs:
            continue
        objs = [objs[j] for j in sorted(rng.permutation(len(objs))[:a.maxobj])]
        h, w = lab.shape
        ip = os.path.join(a.work, f"img{i:02d}_{src}.tif")
        save(img, ip)
        tifffile.imwrite(os.path.join(a.work, f"img{i:02d}_{src}_labels.tif"), lab.astype(np.uint16))
        res = {}
        for name, folder in models:
            out = os.path.join(a.work, f"pred_{name}.tif")
            if src == "nuclei":
                pf = os.path.join(a.work, "p.csv")
                write_prompts(pf, objs)
                pred = cli(folder, ip, out, pf)
                res[name] = [dice(pred == k, lab == k) for (k, s, m, ar) in objs]
            else:
                ds = []
                for o in objs:
                    pf = os.path.join(a.work, "p.csv")
                    write_prompts(pf, [o])
                    pred = cli(folder, ip, out, pf)
                    ds.append(dice(pred > 0, lab == o[0]))
                res[name] = ds
        for j, (k, s, m, ar) in enumerate(objs):
            side = max(s[1].stop - s[1].start, s[0].stop - s[0].start) * 1024.0 / max(h, w)
            rows.append([src, i, k, round(side, 1)] + [round(res[n][j], 4) for n, _ in models])
        print(src, i, len(objs), " ".join(f"{n} {np.mean(res[n]):.3f}" for n, _ in models), flush=True)
    with open(os.path.join(a.work, "objects.csv"), "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(["source", "image", "object", "side1024"] + [n for n, _ in models])
        wr.writerows(rows)
    report(rows, [n for n, _ in models])


def report(rows, names):
    srcs = sorted(set(r[0] for r in rows))
    side = np.array([r[3] for r in rows])
    d = np.array([[r[4 + j] for j in range(len(names))] for r in rows])
    src = np.array([r[0] for r in rows])
    print("per source (n, " + ", ".join(names) + "):")
    for s in srcs:
        k = src == s
        print(f"  {s:7s} n={k.sum():3d} " + " ".join(f"{d[k, j].mean():.3f}" for j in range(len(names))))
    if len(names) < 2:
        return
    print("gate sweep: boxes with long side < T (1024 frame) -> " + names[0] + ", others -> " + names[1])
    best = None
    for T in [0, 64, 96, 112, 128, 144, 160, 176, 192, 208, 224, 256, 320, 384, 512, 768, 2048]:
        g = np.where(side < T, d[:, 0], d[:, 1])
        per = [g[src == s].mean() for s in srcs]
        bal = float(np.mean(per))
        print(f"  T={T:5d} balanced {bal:.4f}  " + " ".join(f"{s} {p:.3f}" for s, p in zip(srcs, per)))
        if best is None or bal > best[1] + 1e-9:
            best = (T, bal)
    print("best T", best)


if __name__ == "__main__":
    main()

"""REPORT-ONLY real-data check of ONNX model folders through the frozen Java CLI (never used for training or for
choosing anything).  Data: ../shared/data (DSB nuclei, Kvasir polyps, SAM-Med2D CT slices, BraTS FLAIR).

/usr/bin/python3 tools/demo_model/eval_real_cli.py --model demo=/path/to/demo --model v2=/tmp/demo_v2 [--sets dsb,kvasir,ct,brats]

* DSB: one CLI call with all 125 ground-truth boxes (ImageJ rectangle, x1 = xmax + 1), one with all centroid clicks
  (centroid pixel, or the object's pixel nearest to it), as src/test/.../NucleiEvaluation.java; mean Dice per nucleus.
* Kvasir: one box per image (bounding box of the whole mask > 127), one CLI call per image; mean Dice.
* CT slices: one box (and separately one centroid click) per organ mask (all 30 masks of both json files), one CLI
  call per organ; mean Dice.
* auto: segment everything on DSB with the folder's anyseg-model.json defaults, F1 at IoU 0.5 (eval_amg.f1_at).
* BraTS: the axial slice with the largest edema area, box of the label on that slice; Dice on that slice.
"""
import argparse
import glob
import gzip
import json
import os
import subprocess
import tempfile
import time

import numpy as np
import tifffile
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.abspath(os.path.join(HERE, "..", "..", "..", "shared", "data"))
JAR = "/tmp/anyseg-cli/anyseg.jar"


def cli(model, image, out, boxes=(), points=(), prompts=None, extra=()):
    cmd = ["java", "-jar", JAR, "segment", "--model", model, "--image", image, "--out", out, *extra]
    for b in boxes:
        cmd += ["--box", ",".join(str(int(v)) for v in b)]
    for p in points:
        cmd += ["--point", ",".join(str(int(v)) for v in p)]
    if prompts:
        cmd += ["--prompts", prompts]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr[-2000:])
    return tifffile.imread(out)


def dice(a, b):
    s = a.sum() + b.sum()
    return 2.0 * (a & b).sum() / s if s else 1.0


def centroid(m):
    ys, xs = np.nonzero(m)
    cx, cy = xs.mean(), ys.mean()
    x, y = int(round(cx)), int(round(cy))
    if 0 <= y < m.shape[0] and 0 <= x < m.shape[1] and m[y, x]:
        return x, y
    j = np.argmin((xs - cx) ** 2 + (ys - cy) ** 2)
    return int(xs[j]), int(ys[j])


def bbox(m):
    ys, xs = np.nonzero(m)
    return xs.min(), ys.min(), xs.max() + 1, ys.max() + 1


def eval_dsb(model, tmp):
    d = os.path.join(DATA, "dsb2018_nuclei")
    gt = tifffile.imread(os.path.join(d, "mask2d.tif")).astype(np.int32)
    ids = [k for k in np.unique(gt) if k > 0]
    res = {}
    for kind in ("box", "point"):
        rows = ["object,type,x0,y0,x1,y1,label"]
        for k in ids:
            m = gt == k
            if kind == "box":
                x0, y0, x1, y1 = bbox(m)
                rows.append(f"{k},box,{x0},{y0},{x1},{y1},")
            else:
                x, y = centroid(m)
                rows.append(f"{k},point,{x},{y},,,1")
        pf = os.path.join(tmp, f"dsb_{kind}.csv")
        open(pf, "w").write("\n".join(rows) + "\n")
        pred = cli(model, os.path.join(d, "img2d.tif"), os.path.join(tmp, f"dsb_{kind}.tif"), prompts=pf)
        res[kind] = float(np.mean([dice(pred == k, gt == k) for k in ids]))
    return {"dsb box": res["box"], "dsb click": res["point"]}


def eval_kvasir(model, tmp):
    d = os.path.join(DATA, "kvasir_seg", "Kvasir-SEG")
    ds = []
    for f in sorted(glob.glob(os.path.join(d, "images", "*.jpg"))):
        m = np.array(Image.open(os.path.join(d, "masks", os.path.basename(f))).convert("L")) > 127
        pred = cli(model, f, os.path.join(tmp, "kv.tif"), boxes=[bbox(m)])
        ds.append(dice(pred > 0, m))
    return {"kvasir box": float(np.mean(ds)), "kvasir per image": [round(x, 3) for x in ds]}


def eval_ct(model, tmp):
    d = os.path.join(DATA, "sammed2d_ct_slices", "data_demo")
    lab = json.load(open(os.path.join(d, "label2image_test.json")))
    for im, ms in json.load(open(os.path.join(d, "image2label_train.json"))).items():  # all 30 organ masks
        for mk in ms:
            lab[mk] = im
    db, dp = [], []
    per = {}
    for mk, im in sorted(lab.items()):
        m = np.array(Image.open(os.path.join(d, "..", mk)).convert("L")) > 127
        if m.sum() == 0:
            continue
        img = os.path.join(d, "..", im)
        pb = cli(model, img, os.path.join(tmp, "ct.tif"), boxes=[bbox(m)])
        pp = cli(model, img, os.path.join(tmp, "ct.tif"), points=[centroid(m) + (1,)])
        db.append(dice(pb > 0, m))
        dp.append(dice(pp > 0, m))
        per[os.path.basename(mk)] = (round(db[-1], 3), round(dp[-1], 3))
    return {"ct box": float(np.mean(db)), "ct click": float(np.mean(dp)), "ct n": len(db), "ct per organ": per}


def read_nii_gz(path):
    raw = gzip.open(path).read()
    hdr = raw[:348]
    dim = np.frombuffer(hdr[40:56], "<i2")
    dtype = {2: np.uint8, 4: np.int16, 8: np.int32, 16: np.float32, 64: np.float64, 512: np.uint16}[
        int(np.frombuffer(hdr[70:72], "<i2")[0])]
    off = int(np.frombuffer(hdr[108:112], "<f4")[0])
    n = dim[0]
    shape = tuple(int(x) for x in dim[1:1 + n])
    a = np.frombuffer(raw[off:off + int(np.prod(shape)) * np.dtype(dtype).itemsize], dtype)
    return a.reshape(shape[::-1])  # [z, y, x]


def eval_brats(model, tmp):
    d = os.path.join(DATA, "brats2021_edema_3d")
    lab = read_nii_gz(os.path.join(d, "BraTS2021_01646_label.nii.gz")) > 0
    k = int(np.argmax(lab.reshape(lab.shape[0], -1).sum(1)))
    m = lab[k]
    pred = cli(model, os.path.join(d, "BraTS2021_01646_img.nii.gz"), os.path.join(tmp, "br.tif"),
               boxes=[bbox(m)], extra=["--slice", str(k)])
    pred = np.asarray(pred)
    if pred.ndim == 3:
        pred = pred[k] if pred.shape[0] == lab.shape[0] else pred[0]
    return {"brats slice %d box" % k: dice(pred > 0, m), "brats shape": list(pred.shape)}


def eval_auto(model, tmp):
    """Segment everything on DSB with the model folder's own anyseg-model.json defaults; F1 at IoU 0.5."""
    from eval_amg import f1_at
    d = os.path.join(DATA, "dsb2018_nuclei")
    gt = tifffile.imread(os.path.join(d, "mask2d.tif")).astype(np.int32)
    out = os.path.join(tmp, "auto.tif")
    r = subprocess.run(["java", "-jar", JAR, "auto", "--model", model, "--image", os.path.join(d, "img2d.tif"),
                        "--out", out], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr[-2000:])
    f1, p, rc, tp, npred, ngt = f1_at(tifffile.imread(out).astype(np.int64), gt)
    return {"dsb auto F1": f1, "dsb auto P": p, "dsb auto R": rc, "dsb auto npred": npred}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", action="append", required=True, help="NAME=DIR")
    ap.add_argument("--sets", default="dsb,kvasir,ct,brats")
    args = ap.parse_args()
    for spec in args.model:
        name, path = spec.split("=", 1)
        tmp = tempfile.mkdtemp(prefix="evalcli_")
        out = {}
        for s in args.sets.split(","):
            t = time.time()
            try:
                out.update({"dsb": eval_dsb, "kvasir": eval_kvasir, "ct": eval_ct, "brats": eval_brats, "auto": eval_auto}[s](path, tmp))
            except Exception as e:  # report and go on
                out[s + " error"] = str(e)[-300:]
            out[s + " s"] = round(time.time() - t)
        print(name, json.dumps(out), flush=True)


if __name__ == "__main__":
    main()

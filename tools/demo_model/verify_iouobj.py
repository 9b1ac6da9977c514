"""Checks for the objectness IoU-head candidate (model_iouobj.pt):
* torch: DecoderOnnx of the stage-1 model vs the candidate on the export.py test prompts (+ grid-like single
  clicks) with a real synthetic image: max |diff| of masks / low_res_masks (must be 0) and the iou_predictions;
* ONNX: encoder.onnx byte-identical to the shipped file, decoder.onnx passes onnx.checker, same input/output names.

/usr/bin/python3 tools/demo_model/verify_iouobj.py --ckpt tools/demo_model/work/model_iouobj.pt --onnx /tmp/iouobj_onnx
"""
import argparse
import filecmp
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import DecoderOnnx, make_model  # noqa: E402
from pipeline import Predictor  # noqa: E402
import gen  # noqa: E402

SHIPPED = os.path.abspath(os.path.join(HERE, "..", "..", "src", "main", "resources", "org", "anyseg", "models", "demo"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default=os.path.join(HERE, "work", "model_iouobj.pt"))
    ap.add_argument("--stage1", default=os.path.join(HERE, "work", "model_stage1.pt"))
    ap.add_argument("--onnx", default="/tmp/iouobj_onnx")
    args = ap.parse_args()
    torch.set_num_threads(2)
    mods = []
    for c in (args.stage1, args.ckpt):
        sd = torch.load(c, map_location="cpu")
        m = make_model(sd)
        m.load_state_dict(sd)
        m.eval()
        mods.append(m)
    print("classes:", type(mods[0]).__name__, type(mods[1]).__name__)
    rng = np.random.default_rng(7)
    img, lab, _ = gen.make_image(rng, 384, 512, 12.0, style="gray", kind="nucleus")
    p = Predictor(args.stage1)
    p.set_image(img)
    emb = p.emb
    cases = [
        ([[100.0, 200.0], [300.0, 400.0]], [2, 3], False, (512.0, 512.0)),
        ([[512.0, 300.0], [0.0, 0.0]], [1, -1], True, (300.0, 200.0)),
        ([[400.0, 380.0], [420.0, 500.0], [600.0, 610.0], [0.0, 0.0]], [1, 1, 0, -1], False, (383.0, 257.0)),
        ([[50.0, 60.0], [500.0, 700.0], [200.0, 300.0]], [2, 3, 1], True, (257.0, 383.0)),
        ([[16.0, 16.0], [0.0, 0.0]], [1, -1], False, (384.0, 512.0)),
        ([[700.0, 500.0], [0.0, 0.0]], [1, -1], False, (384.0, 512.0)),
    ]
    g = torch.Generator().manual_seed(0)
    dm, dl, di = 0.0, 0.0, 0.0
    decs = [DecoderOnnx(m.decoder).eval() for m in mods]
    for co, la, hm, size in cases:
        co = torch.tensor([co])
        la = torch.tensor([la], dtype=torch.float32)
        mi = torch.randn(1, 1, 256, 256, generator=g) * 5 if hm else torch.zeros(1, 1, 256, 256)
        hmi = torch.tensor([1.0 if hm else 0.0])
        with torch.no_grad():
            o = [d(emb, co, la, mi, hmi, torch.tensor(size)) for d in decs]
        dm = max(dm, float((o[0][0] - o[1][0]).abs().max()))
        dl = max(dl, float((o[0][2] - o[1][2]).abs().max()))
        di = max(di, float((o[0][1] - o[1][1]).abs().max()))
        print("  prompt", co.shape[1], "points, labels", la.tolist()[0], "iou old", o[0][1].numpy().round(3),
              "new", o[1][1].numpy().round(3))
    print(f"torch stage-1 vs candidate: max|diff| masks {dm} low_res_masks {dl}; iou_predictions differ by up to {di:.3f}")
    with torch.no_grad():
        e0 = mods[0].encoder(torch.randn(1, 3, 1024, 1024, generator=g))
    import onnx
    enc_same = filecmp.cmp(os.path.join(args.onnx, "encoder.onnx"), os.path.join(SHIPPED, "encoder.onnx"), shallow=False)
    print("encoder.onnx byte-identical to the shipped file:", enc_same)
    for name in ("encoder.onnx", "decoder.onnx"):
        mo = onnx.load(os.path.join(args.onnx, name))
        onnx.checker.check_model(mo)
        print(f"{name}: {os.path.getsize(os.path.join(args.onnx, name))} B, opset {mo.opset_import[0].version}, "
              f"inputs {[i.name for i in mo.graph.input]}, outputs {[o.name for o in mo.graph.output]}")
    del e0


if __name__ == "__main__":
    main()

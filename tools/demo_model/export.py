"""Export the trained demo model to ONNX (SAM "Family A" interface).

/usr/bin/python3 tools/demo_model/export.py [--ckpt tools/demo_model/work/model.pt]

Writes src/main/resources/org/anyseg/models/demo/{encoder,decoder}.onnx and, with --testdir, raw float32
test vectors (inputs + torch outputs) for the ONNX Runtime check (tools/demo_model/CheckOnnx.java).
"""
import argparse
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import DemoSam, DemoSamV1, DecoderOnnx, make_model, EncoderOnnx  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
OUTDIR = os.path.join(REPO, "src", "main", "resources", "org", "anyseg", "models", "demo")


def save(d, name, t):
    a = t.detach().numpy().astype("<f4") if torch.is_tensor(t) else np.asarray(t, "<f4")
    a.tofile(os.path.join(d, name + ".bin"))
    with open(os.path.join(d, name + ".shape"), "w") as f:
        f.write(",".join(str(s) for s in a.shape))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default=os.path.join(HERE, "work", "model.pt"))
    ap.add_argument("--out", default=OUTDIR)
    ap.add_argument("--testdir", default=None)
    ap.add_argument("--opset", type=int, default=17)
    args = ap.parse_args()
    torch.set_num_threads(2)
    sd = torch.load(args.ckpt, map_location="cpu")
    model = make_model(sd)  # stage-1 (v1) or v2 checkpoint
    model.load_state_dict(sd)
    model.eval()
    enc = EncoderOnnx(model.encoder).eval()
    dec = DecoderOnnx(model.decoder).eval()
    os.makedirs(args.out, exist_ok=True)
    enc_path = os.path.join(args.out, "encoder.onnx")
    dec_path = os.path.join(args.out, "decoder.onnx")

    g = torch.Generator().manual_seed(0)
    img = torch.randn(1, 3, 1024, 1024, generator=g)
    with torch.no_grad():
        torch.onnx.export(enc, (img,), enc_path, input_names=["input_image"], output_names=["image_embeddings"],
                          opset_version=args.opset, do_constant_folding=True)
        emb = enc(img)
        dummy = (
            emb,
            torch.tensor([[[100.0, 200.0], [300.0, 400.0]]]),
            torch.tensor([[2.0, 3.0]]),
            torch.zeros(1, 1, 256, 256),
            torch.tensor([0.0]),
            torch.tensor([512.0, 512.0]),
        )
        torch.onnx.export(
            dec, dummy, dec_path,
            input_names=["image_embeddings", "point_coords", "point_labels", "mask_input", "has_mask_input",
                         "orig_im_size"],
            output_names=["masks", "iou_predictions", "low_res_masks"],
            dynamic_axes={"point_coords": {1: "num_points"}, "point_labels": {1: "num_points"},
                          "masks": {2: "H", 3: "W"}},
            opset_version=args.opset, do_constant_folding=True)
    import onnx
    for p in (enc_path, dec_path):
        m = onnx.load(p)
        onnx.checker.check_model(m)
        print(p, os.path.getsize(p), "bytes, opset", m.opset_import[0].version)

    if args.testdir:
        d = args.testdir
        os.makedirs(d, exist_ok=True)
        # a structured test image so the embeddings are realistic
        save(d, "input_image", img)
        save(d, "image_embeddings", emb)
        cases = [
            ("c0", [[100.0, 200.0], [300.0, 400.0]], [2, 3], False, (512.0, 512.0)),
            ("c1", [[512.0, 300.0], [0.0, 0.0]], [1, -1], True, (300.0, 200.0)),
            ("c2", [[400.0, 380.0], [420.0, 500.0], [600.0, 610.0], [0.0, 0.0]], [1, 1, 0, -1], False, (383.0, 257.0)),
            ("c3", [[50.0, 60.0], [500.0, 700.0], [200.0, 300.0]], [2, 3, 1], True, (257.0, 383.0)),
        ]
        with open(os.path.join(d, "cases.txt"), "w") as f:
            f.write("\n".join(c[0] for c in cases))
        for name, co, la, hm, size in cases:
            co = torch.tensor([co])
            la = torch.tensor([la], dtype=torch.float32)
            mi = torch.randn(1, 1, 256, 256, generator=g) * 5 if hm else torch.zeros(1, 1, 256, 256)
            hmi = torch.tensor([1.0 if hm else 0.0])
            osz = torch.tensor(size)
            with torch.no_grad():
                masks, iou, low = dec(emb, co, la, mi, hmi, osz)
            for k, v in [("point_coords", co), ("point_labels", la), ("mask_input", mi), ("has_mask_input", hmi),
                         ("orig_im_size", osz), ("masks", masks), ("iou_predictions", iou), ("low_res_masks", low)]:
                save(d, name + "_" + k, v)
            print(name, "masks", tuple(masks.shape), "iou", iou.numpy().round(3))


if __name__ == "__main__":
    main()

"""Full-image inference in torch, mirroring what the Java plugin does with the ONNX files
(resize long side to 1024 bilinear, normalize, zero-pad, encoder, decoder with SAM postprocessing)."""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from scipy import ndimage as ndi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import DemoSam, DemoSamV1, DecoderOnnx, make_model  # noqa: E402

MEAN = torch.tensor([123.675, 116.28, 103.53]).view(1, 3, 1, 1)
STD = torch.tensor([58.395, 57.12, 57.375]).view(1, 3, 1, 1)


class Predictor:
    def __init__(self, ckpt):
        sd = torch.load(ckpt, map_location="cpu")
        self.model = make_model(sd)  # stage-1 checkpoints too
        self.model.load_state_dict(sd)
        self.model.eval()
        self.dec = DecoderOnnx(self.model.decoder).eval()

    @torch.no_grad()
    def set_image(self, rgb):
        """rgb: float array [H,W,3] in 0..255."""
        H, W = rgb.shape[:2]
        sc = 1024.0 / max(H, W)
        nh, nw = int(np.floor(H * sc + 0.5)), int(np.floor(W * sc + 0.5))
        t = torch.from_numpy(np.ascontiguousarray(rgb.transpose(2, 0, 1), dtype=np.float32))[None]
        t = F.interpolate(t, size=(nh, nw), mode="bilinear", align_corners=False, antialias=(sc < 1))
        t = (t - MEAN) / STD
        t = F.pad(t, (0, 1024 - nw, 0, 1024 - nh))
        self.emb = self.model.encoder(t)
        self.H, self.W, self.nh, self.nw = H, W, nh, nw

    def to_frame(self, x, y):
        return x * self.nw / self.W, y * self.nh / self.H

    @torch.no_grad()
    def predict(self, prompts, chunk=16):
        """prompts: list of lists of (x, y, label) in original pixel indices (all with the same length).
        Returns masks [P,4,H,W] logits, iou [P,4]."""
        outm, outi = [], []
        for i in range(0, len(prompts), chunk):
            ps = prompts[i:i + chunk]
            co = torch.tensor([[self.to_frame(x, y) for (x, y, _) in p] for p in ps], dtype=torch.float32)
            la = torch.tensor([[l for (_, _, l) in p] for p in ps], dtype=torch.float32)
            P = co.shape[0]
            m, iou, _ = self.dec(self.emb.expand(P, -1, -1, -1), co, la, torch.zeros(P, 1, 256, 256),
                                 torch.zeros(1), torch.tensor([float(self.H), float(self.W)]))
            outm.append(m)
            outi.append(iou)
        return torch.cat(outm), torch.cat(outi)


def centroid_prompt_point(m):
    ys, xs = np.nonzero(m)
    cy, cx = ys.mean(), xs.mean()
    iy, ix = int(round(cy)), int(round(cx))
    if not m[iy, ix]:
        j = np.argmin((ys - cy) ** 2 + (xs - cx) ** 2)
        iy, ix = int(ys[j]), int(xs[j])
    return ix, iy


def evaluate_instances(pred, rgb, labels):
    """Box (token 0) and centroid point (best of 1..3) Dice for each instance of `labels`."""
    pred.set_image(rgb)
    ids = [i + 1 for i, s in enumerate(ndi.find_objects(labels)) if s is not None]
    boxes, points, gts = [], [], []
    for k in ids:
        m = labels == k
        ys, xs = np.nonzero(m)
        boxes.append([(xs.min(), ys.min(), 2), (xs.max(), ys.max(), 3)])
        x, y = centroid_prompt_point(m)
        points.append([(x, y, 1), (0, 0, -1)])
        gts.append(m)
    gts = torch.from_numpy(np.stack(gts))

    def dice(a, b):
        return (2 * (a & b).sum((1, 2)).float() / (a.sum((1, 2)) + b.sum((1, 2))).float().clamp(min=1)).numpy()

    mb, _ = pred.predict(boxes)
    db = dice(mb[:, 0] > 0, gts)
    mp, ip = pred.predict(points)
    best = ip[:, 1:].argmax(1) + 1
    dp = dice(mp[torch.arange(len(ids)), best] > 0, gts)
    return db, dp

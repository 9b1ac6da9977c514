"""Training batches: synthetic images (gen.py) -> preprocessed crops in the 1024 frame + prompts."""
import numpy as np
import torch
import torch.nn.functional as F
from scipy import ndimage as ndi

import gen

MEAN = np.array([123.675, 116.28, 103.53], np.float32)
STD = np.array([58.395, 57.12, 57.375], np.float32)


def to_frame(img, lab, C):
    """Resize an original-resolution image (h0,h0,3) to the CxC crop of the 1024 frame (bilinear),
    normalize; labels with nearest. Returns (x [3,C,C] float32, labC [C,C] int32, s_eff)."""
    h0, w0 = lab.shape
    s = C / h0
    t = torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))[None]
    t = F.interpolate(t, size=(C, C), mode="bilinear", align_corners=False, antialias=(s < 1))
    x = (t[0].numpy() - MEAN[:, None, None]) / STD[:, None, None]
    idx = np.clip(np.floor((np.arange(C) + 0.5) / s).astype(int), 0, h0 - 1)
    labC = lab[idx][:, idx]
    return x.astype(np.float32), labC, s


def object_info(lab, full_areas, min_vis=0.5, min_area=4):
    objs = []
    sl = ndi.find_objects(lab)
    for i, s in enumerate(sl):
        if s is None:
            continue
        k = i + 1
        m = lab[s] == k
        a = int(m.sum())
        if a < min_area or a < min_vis * full_areas.get(k, a):
            continue
        objs.append((k, s, m, a))
    return objs


def centroid_point(m, s):
    ys, xs = np.nonzero(m)
    cy, cx = ys.mean(), xs.mean()
    iy, ix = int(round(cy)), int(round(cx))
    if not (0 <= iy < m.shape[0] and 0 <= ix < m.shape[1] and m[iy, ix]):
        j = np.argmin((ys - cy) ** 2 + (xs - cx) ** 2)
        iy, ix = ys[j], xs[j]
    return ix + s[1].start, iy + s[0].start


def interior_point(rng, m, s):
    if rng.random() < 0.5 and m.sum() > 20:
        d = ndi.distance_transform_edt(np.pad(m, 1))[1:-1, 1:-1]
        mm = d >= max(1.0, 0.3 * d.max())
    else:
        mm = m
    ys, xs = np.nonzero(mm)
    j = rng.integers(len(ys))
    return xs[j] + s[1].start, ys[j] + s[0].start


def negative_point(rng, lab, k, s, m):
    h, w = lab.shape
    y0, y1, x0, x1 = s[0].start, s[0].stop, s[1].start, s[1].stop
    bh, bw = y1 - y0, x1 - x0
    Y0, Y1 = max(0, y0 - bh // 2 - 1), min(h, y1 + bh // 2 + 1)
    X0, X1 = max(0, x0 - bw // 2 - 1), min(w, x1 + bw // 2 + 1)
    reg = lab[Y0:Y1, X0:X1]
    if rng.random() < 0.5 and ((reg > 0) & (reg != k)).any():
        cand = (reg > 0) & (reg != k)
    else:
        cand = reg != k
    ys, xs = np.nonzero(cand)
    if len(ys) == 0:
        return None
    j = rng.integers(len(ys))
    return xs[j] + X0, ys[j] + Y0


def box_of(s):
    # inclusive pixel indices
    return s[1].start, s[0].start, s[1].stop - 1, s[0].stop - 1


def make_prompt(rng, lab, obj, kind, jitter=True):
    """Returns list of (x, y, label) in original pixel indices."""
    k, s, m, a = obj
    pts = []
    if kind in ("box", "box_pts"):
        x0, y0, x1, y1 = box_of(s)
        if jitter and rng.random() < 0.6:
            size = max(x1 - x0, y1 - y0) + 1
            sd = 0.03 * size + 0.5
            lim = 0.1 * size + 1
            j = np.clip(np.round(rng.normal(0, sd, 4)), -lim, lim).astype(int)
            x0, y0, x1, y1 = x0 + j[0], y0 + j[1], x1 + j[2], y1 + j[3]
            if x1 < x0:
                x0, x1 = x1, x0
            if y1 < y0:
                y0, y1 = y1, y0
        pts += [(x0, y0, 2), (x1, y1, 3)]
    if kind == "point_any":  # AMG-style click: uniform over the object's pixels (boundary included)
        ys, xs = np.nonzero(m)
        j = rng.integers(len(ys))
        pts.append((xs[j] + s[1].start, ys[j] + s[0].start, 1))
    if kind == "point1":
        if rng.random() < 0.5:
            x, y = centroid_point(m, s)
        else:
            x, y = interior_point(rng, m, s)
        pts.append((x, y, 1))
    if kind in ("points", "box_pts"):
        npos = rng.integers(1, 4) if kind == "points" else rng.integers(0, 2)
        nneg = rng.integers(0, 4) if kind == "points" else rng.integers(0, 2)
        if kind == "points" and npos + nneg < 2:
            nneg = 1
        for _ in range(npos):
            x, y = interior_point(rng, m, s)
            pts.append((x, y, 1))
        for _ in range(nneg):
            q = negative_point(rng, lab, k, s, m)
            if q is not None:
                pts.append((q[0], q[1], 0))
        if not any(p[2] == 1 for p in pts) and kind == "points":
            x, y = interior_point(rng, m, s)
            pts.append((x, y, 1))
    return pts


def background_point(rng, lab):
    """A background pixel (lab == 0, original resolution) for a `bg_click` prompt: half uniform over the background,
    half within 2..8 px (random) of an object (where grid clicks near boundaries land). None if no background."""
    bg = lab == 0
    if not bg.any():
        return None
    cand = bg
    if rng.random() < 0.5:
        ring = ndi.binary_dilation(~bg, iterations=int(rng.integers(2, 9))) & bg
        if ring.any():
            cand = ring
    ys, xs = np.nonzero(cand)
    j = rng.integers(len(ys))
    return xs[j], ys[j]


def finalize_points(pts):
    """Append the SAM padding point when there is no box."""
    if not any(p[2] == 2 for p in pts):
        pts = pts + [(0, 0, -1)]
    return pts


def make_batch(rng, C=256, B=8, K=4, large=False, kinds_p=None):
    """One training batch. Returns dict with images [B,3,C,C], gt [P,C,C] bool, prompt lists etc."""
    if kinds_p is None:
        kinds_p = {"box": 0.3, "point1": 0.3, "points": 0.15, "box_pts": 0.1, "refine": 0.15}
    kinds = list(kinds_p.keys())
    probs = np.array([kinds_p[k] for k in kinds])
    probs = probs / probs.sum()
    imgs, gts, prompts, img_idx, ptypes, scales = [], [], [], [], [], []
    b = 0
    attempts = 0
    while b < B and attempts < B * 4:
        attempts += 1
        s = gen.sample_scale_large(rng) if large == "huge" else gen.sample_scale(rng)
        D = gen.sample_diam_1024(rng, large)
        h0 = int(round(C / s))
        h0 = max(16, h0)
        img, lab, fa = gen.make_image(rng, h0, h0, D / (C / h0))
        if rng.random() < 0.1:  # simulate zero padding at the bottom/right of the 1024 frame
            c0 = int(h0 * rng.uniform(0.5, 0.95))
            pad_axis = rng.integers(2)
        else:
            c0 = None
        if c0 is not None:
            if pad_axis == 0:
                lab[c0:, :] = 0
            else:
                lab[:, c0:] = 0
        objs = object_info(lab, fa)
        if not objs:
            continue
        x, labC, se = to_frame(img, lab, C)
        if c0 is not None:
            pc = int(np.floor(c0 * se + 0.5))
            if pad_axis == 0:
                x[:, pc:, :] = 0
                labC[pc:, :] = 0
            else:
                x[:, :, pc:] = 0
                labC[:, pc:] = 0
        chosen = rng.permutation(len(objs))[:K]
        for j in chosen:
            obj = objs[j]
            gtm = labC == obj[0]
            if gtm.sum() < 12:
                continue
            kind = kinds[rng.choice(len(kinds), p=probs)]
            if kind == "bg_click":
                # single positive click on the background: the target is an empty mask (all tokens, IoU 0)
                q = background_point(rng, lab)
                if q is not None:
                    gtm = np.zeros_like(gtm)
                    pts = [(q[0], q[1], 1)]
                    ptype = "bg_click"
                else:  # no background in this crop: an object click instead
                    pts = make_prompt(rng, lab, obj, "point_any")
                    ptype = "point_any"
            elif kind == "refine":
                base = rng.choice(["box", "point1", "points"])
                pts = make_prompt(rng, lab, obj, base)
                ptype = "refine_" + base
            else:
                pts = make_prompt(rng, lab, obj, kind)
                ptype = kind
            prompts.append([(px * se, py * se, pl) for (px, py, pl) in pts])
            gts.append(gtm)
            img_idx.append(b)
            ptypes.append(ptype)
            scales.append(se)
        imgs.append(x)
        b += 1
    return {
        "images": torch.from_numpy(np.stack(imgs)),
        "gt": torch.from_numpy(np.stack(gts)),
        "prompts": prompts,
        "img_idx": torch.tensor(img_idx, dtype=torch.long),
        "ptypes": ptypes,
        "scales": scales,
    }


def pack_prompts(prompts):
    """list of lists of (x,y,label) in 1024-frame coords -> coords [P,N,2], labels [P,N] (pads with -1)."""
    prompts = [finalize_points(p) for p in prompts]
    N = max(len(p) for p in prompts)
    P = len(prompts)
    co = np.zeros((P, N, 2), np.float32)
    la = -np.ones((P, N), np.float32)
    for i, p in enumerate(prompts):
        for j, (x, y, l) in enumerate(p):
            co[i, j] = (x, y)
            la[i, j] = l
    return torch.from_numpy(co), torch.from_numpy(la)


def set_data_version(v):
    """v1: stage-1 data (scales 0.6-3x, no forced flat objects); v2: + strong upscaling (3-6.5x),
    20% flat-interior objects, 512 crops with 80-300 px and full 1024 frames with 150-700 px objects."""
    gen.FLAT_P = 0.2 if v == "v2" else 0.0
    gen.SCALE_V2 = v == "v2"


class BatchStream(torch.utils.data.IterableDataset):
    def __init__(self, seed, large_every=6, kinds_p=None, mix="default", version="v2"):
        self.seed = seed
        self.large_every = large_every
        self.kinds_p = kinds_p
        self.mix = mix  # "default": 1/8 huge + 1/8 large batches; "large": 1/3 huge + 1/3 large
        self.version = version

    def __iter__(self):
        torch.set_num_threads(1)
        set_data_version(self.version)
        rng = np.random.default_rng(self.seed)
        i = 0
        while True:
            if self.version == "v1":  # stage-1 stream
                if self.large_every and i % self.large_every == self.large_every - 1:
                    yield make_batch(rng, C=384, B=3, K=3, large=True, kinds_p=self.kinds_p)
                else:
                    yield make_batch(rng, C=256, B=8, K=4, kinds_p=self.kinds_p)
            elif self.mix == "large":
                if i % 3 == 2:
                    yield make_batch(rng, C=1024, B=1, K=3, large="huge", kinds_p=self.kinds_p)
                elif i % 3 == 1:
                    yield make_batch(rng, C=512, B=2, K=4, large=True, kinds_p=self.kinds_p)
                else:
                    yield make_batch(rng, C=256, B=8, K=4, kinds_p=self.kinds_p)
            elif i % 8 == 7:  # full 1024 frame with very large objects (150-700 px)
                yield make_batch(rng, C=1024, B=1, K=3, large="huge", kinds_p=self.kinds_p)
            elif i % 8 == 3:  # 512 crops with large objects (80-300 px)
                yield make_batch(rng, C=512, B=2, K=4, large=True, kinds_p=self.kinds_p)
            else:
                yield make_batch(rng, C=256, B=8, K=4, kinds_p=self.kinds_p)
            i += 1

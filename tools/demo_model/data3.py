"""Demo v2 (issue 18) training batches: nuclei (gen.py, v2 distribution), polyp-like and CT/MRI-like images
(gen3.py), large objects up to the whole frame; prompts: boxes with jitter, centroid / interior / anywhere /
near-edge clicks, background clicks (empty target), multi-point, box + points, refinement (mask_input)."""
import numpy as np
import torch
from scipy import ndimage as ndi

import data
import gen
import gen3

SOURCES = ("nuclei", "polyp", "ct", "large")


def edge_point(rng, m, s):
    """An object pixel close to its boundary (within ~15 % of the max inner distance, at least 1 px)."""
    d = ndi.distance_transform_edt(np.pad(m, 1))[1:-1, 1:-1]
    lim = max(1.5, 0.15 * d.max())
    ys, xs = np.nonzero(m & (d <= lim))
    if len(ys) == 0:
        ys, xs = np.nonzero(m)
    j = rng.integers(len(ys))
    return xs[j] + s[1].start, ys[j] + s[0].start


def make_image(rng, src, C, D=None):
    """Original-resolution image for a CxC crop of the 1024 frame. Returns (img, lab, full_areas)."""
    if src == "nuclei":
        s = gen.sample_scale(rng)
        if D is None:
            D = gen.sample_diam_1024(rng, False)
        h0 = max(16, int(round(C / s)))
        return gen.make_image(rng, h0, h0, D / (C / h0))
    if src == "large":
        s = gen.sample_scale_large(rng) if rng.random() < 0.5 else gen.sample_scale(rng)
        h0 = max(16, int(round(C / s)))
        return gen3.make_large_nuclei(rng, h0, h0)
    if src == "polyp":
        s = rng.uniform(1.2, 3.0)
        h0 = max(32, int(round(C / s)))
        return gen3.make_polyp(rng, h0, h0)
    s = rng.uniform(1.5, 3.0) if rng.random() < 0.7 else 2.0
    h0 = max(32, int(round(C / s)))
    return gen3.make_ct(rng, h0, h0)


def make_batch3(rng, C=256, B=8, K=4, src_p=None, kinds_p=None):
    kinds = list(kinds_p.keys())
    probs = np.array([kinds_p[k] for k in kinds])
    probs = probs / probs.sum()
    srcs = list(src_p.keys())
    sp = np.array([src_p[k] for k in srcs])
    sp = sp / sp.sum()
    imgs, gts, prompts, img_idx, ptypes, scales = [], [], [], [], [], []
    b = 0
    attempts = 0
    while b < B and attempts < B * 4:
        attempts += 1
        src = srcs[rng.choice(len(srcs), p=sp)]
        img, lab, fa = make_image(rng, src, C)
        h0 = lab.shape[0]
        if rng.random() < 0.1:  # zero padding at the bottom/right of the 1024 frame
            c0 = int(h0 * rng.uniform(0.5, 0.95))
            pad_axis = rng.integers(2)
            if pad_axis == 0:
                lab[c0:, :] = 0
            else:
                lab[:, c0:] = 0
        else:
            c0 = None
        objs = data.object_info(lab, fa)
        if not objs:
            continue
        x, labC, se = data.to_frame(img, lab, C)
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
                q = data.background_point(rng, lab)
                if q is not None:
                    gtm = np.zeros_like(gtm)
                    pts = [(q[0], q[1], 1)]
                    ptype = "bg_click"
                else:
                    pts = data.make_prompt(rng, lab, obj, "point_any")
                    ptype = "point_any"
            elif kind == "point_edge":
                k_, s_, m_, a_ = obj
                pts = [edge_point(rng, m_, s_) + (1,)]
                ptype = "point_edge"
            elif kind == "refine":
                base = rng.choice(["box", "point1", "points", "point_any"])
                pts = data.make_prompt(rng, lab, obj, base)
                ptype = "refine_" + base
            else:
                pts = data.make_prompt(rng, lab, obj, kind)
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


# batch plan: (C, B, K, source probabilities), cycled
PLAN = [
    (256, 8, 4, {"nuclei": 0.8, "polyp": 0.1, "ct": 0.1}),
    (512, 2, 5, {"polyp": 0.35, "ct": 0.35, "large": 0.15, "nuclei": 0.15}),
    (256, 8, 4, {"nuclei": 0.5, "polyp": 0.2, "ct": 0.2, "large": 0.1}),
    (1024, 1, 6, {"polyp": 0.4, "ct": 0.4, "large": 0.2}),
]


# fine-tune plan: mostly small crops with nuclei (boundary accuracy of small objects), other sources kept
PLAN_NUC = [
    (256, 8, 4, {"nuclei": 0.9, "polyp": 0.05, "ct": 0.05}),
    (512, 2, 5, {"polyp": 0.3, "ct": 0.3, "nuclei": 0.3, "large": 0.1}),
    (256, 8, 4, {"nuclei": 0.9, "polyp": 0.05, "ct": 0.05}),
    (256, 8, 4, {"nuclei": 0.5, "polyp": 0.2, "ct": 0.2, "large": 0.1}),
]
PLANS = {"default": PLAN, "nuc": PLAN_NUC}


class BatchStream3(torch.utils.data.IterableDataset):
    def __init__(self, seed, kinds_p, plan="default"):
        self.seed = seed
        self.kinds_p = kinds_p
        self.plan = PLANS[plan]

    def __iter__(self):
        torch.set_num_threads(1)
        data.set_data_version("v2")  # nuclei: strong upscaling + flat objects too
        rng = np.random.default_rng(self.seed)
        i = 0
        while True:
            C, B, K, sp = self.plan[i % len(self.plan)]
            yield make_batch3(rng, C=C, B=B, K=K, src_p=sp, kinds_p=self.kinds_p)
            i += 1

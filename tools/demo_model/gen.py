"""Synthetic image generator for the AnySeg demo model.

Generates microscopy-like images (nuclei, cells, blobs, ellipses) with instance labels.
Everything is procedural: no external data is used.

make_image(rng, h, w, obj_diam) -> (img float32 [h,w,3] in 0..255, labels int32 [h,w], full_area dict)
"""
import numpy as np
from scipy import ndimage as ndi


def _smooth_noise(rng, h, w, sigma):
    n = rng.standard_normal((h, w)).astype(np.float32)
    n = ndi.gaussian_filter(n, sigma, mode="reflect")
    s = n.std()
    return n / (s + 1e-6)


def _shape_patch(rng, cy, cx, ry, rx, ang, harm, h, w):
    """Star-convex deformed ellipse. Returns (slices, inside bool patch, normalized radius patch, full_area)."""
    amp = sum(abs(a) for (_, a, _) in harm)
    R = max(ry, rx) * (1.0 + amp) + 2.0
    y0, y1 = int(np.floor(cy - R)), int(np.ceil(cy + R)) + 1
    x0, x1 = int(np.floor(cx - R)), int(np.ceil(cx + R)) + 1
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    dy = yy + 0.5 - cy
    dx = xx + 0.5 - cx
    c, s = np.cos(ang), np.sin(ang)
    u = (dx * c + dy * s) / rx
    v = (-dx * s + dy * c) / ry
    r = np.sqrt(u * u + v * v)
    th = np.arctan2(v, u)
    rad = np.ones_like(r)
    for (k, a, p) in harm:
        rad += a * np.cos(k * th + p)
    rn = r / np.maximum(rad, 0.2)
    inside = rn < 1.0
    full_area = int(inside.sum())
    # clip to image
    cy0, cy1 = max(0, y0), min(h, y1)
    cx0, cx1 = max(0, x0), min(w, x1)
    if cy0 >= cy1 or cx0 >= cx1:
        return None
    sub = (slice(cy0 - y0, cy1 - y0), slice(cx0 - x0, cx1 - x0))
    return (slice(cy0, cy1), slice(cx0, cx1)), inside[sub], rn[sub], full_area


def _random_harm(rng, kind):
    harm = []
    if kind == "nucleus":
        for k in (2, 3, 4):
            if rng.random() < 0.6:
                harm.append((k, rng.uniform(0, 0.08), rng.uniform(0, 2 * np.pi)))
    elif kind == "blob":
        for k in (2, 3, 4, 5):
            harm.append((k, rng.uniform(0, 0.16 / (k - 1) ** 0.5), rng.uniform(0, 2 * np.pi)))
    elif kind == "cell":
        for k in (2, 3, 5, 7):
            harm.append((k, rng.uniform(0, 0.12), rng.uniform(0, 2 * np.pi)))
    # ellipse: no harmonics
    return harm


def make_image(rng, h, w, diam, coverage=None, style=None, kind=None):
    """diam: typical object diameter in pixels of this (original-resolution) image."""
    if style is None:
        style = rng.choice(["gray", "gray", "gray", "fluo_color", "he", "color"], p=None)
    if kind is None:
        kind = rng.choice(["nucleus", "nucleus", "nucleus", "blob", "ellipse", "cell"])
    if coverage is None:
        coverage = rng.choice([rng.uniform(0.03, 0.15), rng.uniform(0.15, 0.35), rng.uniform(0.35, 0.6)])
    dense = coverage > 0.3
    labels = np.zeros((h, w), np.int32)
    rnorm = np.full((h, w), 2.0, np.float32)  # normalized radius of owning object
    area = h * w
    mean_area = np.pi * diam * diam / 4.0
    n_target = int(np.clip(coverage * area / mean_area, 1, 400))
    size_spread = rng.uniform(0.1, 0.45)
    ecc_max = rng.uniform(0.0, 0.5)
    max_overlap = rng.choice([0.0, 0.05, 0.15, 0.3]) if dense else rng.choice([0.0, 0.0, 0.1, 0.3])
    full_areas = {}
    lab = 0
    tries = 0
    while lab < n_target and tries < n_target * 4:
        tries += 1
        d = diam * np.exp(rng.normal(0, size_spread))
        d = max(d, 4.0)
        ecc = rng.uniform(0, ecc_max) if kind != "ellipse" else rng.uniform(0.1, 0.6)
        ry = d / 2 * np.sqrt(1 - ecc)
        rx = d / 2 / np.sqrt(max(1 - ecc, 0.3))
        # place (allow centers slightly outside)
        cy = rng.uniform(-0.3 * d, h + 0.3 * d)
        cx = rng.uniform(-0.3 * d, w + 0.3 * d)
        res = _shape_patch(rng, cy, cx, ry, rx, rng.uniform(0, np.pi), _random_harm(rng, kind), h, w)
        if res is None:
            continue
        sl, ins, rn, full = res
        if ins.sum() < 3:
            continue
        occ = (labels[sl] > 0) & ins
        if occ.sum() > max_overlap * ins.sum():
            continue
        lab += 1
        # newer objects are on top
        lp = labels[sl]
        lp[ins] = lab
        rp = rnorm[sl]
        rp[ins] = rn[ins]
        full_areas[lab] = full
    img = _render(rng, labels, rnorm, lab, style, kind, diam, h, w)
    return img, labels, full_areas


def _render(rng, labels, rnorm, nlab, style, kind, diam, h, w):
    fg = labels > 0
    # per-object intensity factor
    obj_int = np.concatenate([[0.0], np.clip(1.0 + rng.uniform(0.05, 0.45) * rng.standard_normal(nlab), 0.25, 2.5)])
    oi = obj_int[labels].astype(np.float32)
    # radial profile inside objects
    fall = rng.uniform(-0.3, 0.7)
    flat = FLAT_P > 0 and rng.random() < FLAT_P  # flat interior objects (e.g. strongly upscaled small images)
    if flat:
        fall = rng.uniform(-0.05, 0.1)
    prof = np.where(fg, 1.0 - fall * np.clip(rnorm, 0, 1) ** 2, 0.0).astype(np.float32)
    # internal texture (chromatin)
    tex_amp = rng.uniform(0, 0.5) if not flat else rng.uniform(0, 0.08)
    tex = _smooth_noise(rng, h, w, rng.uniform(0.6, max(0.7, diam / 8)))
    fgmap = prof * oi * (1.0 + tex_amp * 0.5 * tex)
    fgmap = np.clip(fgmap, 0, None)
    # optional cytoplasm halo (unlabeled) around objects
    halo = np.zeros((h, w), np.float32)
    if rng.random() < 0.3 and nlab > 0:
        rad = max(1, int(diam * rng.uniform(0.2, 0.8)))
        dist = ndi.distance_transform_edt(~fg)
        halo = np.clip(1 - dist / rad, 0, 1).astype(np.float32) * (~fg) * rng.uniform(0.1, 0.4)
        halo *= (1 + 0.4 * _smooth_noise(rng, h, w, max(1.0, diam / 4)))
    # background
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    g = rng.uniform(-1, 1, 2) * rng.uniform(0, 0.3)
    bg = g[0] * (yy / h - 0.5) + g[1] * (xx / w - 0.5)
    bg += rng.uniform(0, 0.15) * _smooth_noise(rng, h, w, rng.uniform(5, 40))
    # debris / small unlabeled specks
    if rng.random() < 0.25:
        spk = (rng.random((h, w)) < rng.uniform(0.0005, 0.003)).astype(np.float32)
        spk = ndi.gaussian_filter(spk, rng.uniform(0.7, 2.0)) * rng.uniform(3, 15)
        bg += spk * rng.uniform(0.2, 0.6)
    blur = rng.choice([0.0, rng.uniform(0.3, 1.0), rng.uniform(0.8, 2.2)])
    noise = rng.choice([rng.uniform(0.0, 0.05), rng.uniform(0.03, 0.2), rng.uniform(0.1, 0.35)])
    contrast = rng.uniform(0.25, 1.0)

    def finish(chan):
        if blur > 0:
            chan = ndi.gaussian_filter(chan, blur)
        return chan

    if style == "gray" or style == "fluo_color":
        s = contrast * fgmap + 0.5 * contrast * halo + bg
        s = finish(s)
        if rng.random() < 0.5:  # poisson-like
            s = s + noise * np.sqrt(np.clip(s - s.min(), 0, None) + 0.05) * rng.standard_normal((h, w))
        else:
            s = s + noise * rng.standard_normal((h, w))
        if style == "gray" and rng.random() < 0.3:
            s = -s  # dark on bright
        lo, hi = np.percentile(s, 0.1), np.percentile(s, 99.9)
        if rng.random() < 0.6:
            lo, hi = s.min(), s.max()  # min-max normalization (as the plugin does for 16-bit)
        s = np.clip((s - lo) / (hi - lo + 1e-6), 0, 1)
        if rng.random() < 0.3:
            s = s ** rng.uniform(0.5, 1.6)
        s = s * rng.uniform(0.6, 1.0) * 255
        if style == "gray":
            img = np.repeat(s[..., None], 3, axis=2)
        else:
            col = rng.choice([[0, 0, 1], [0, 1, 0], [1, 0, 0], [1, 0, 1], [0, 1, 1], [1, 1, 0]])
            col = np.array(col, np.float32) * rng.uniform(0.7, 1.0, 3)
            img = s[..., None] * col[None, None, :]
    elif style == "he":
        bgc = np.array([rng.uniform(215, 250), rng.uniform(190, 235), rng.uniform(205, 245)], np.float32)
        nuc = np.array([rng.uniform(40, 130), rng.uniform(20, 90), rng.uniform(90, 170)], np.float32)
        eos = np.array([rng.uniform(190, 240), rng.uniform(100, 170), rng.uniform(160, 220)], np.float32)
        # eosin (cytoplasm/stroma) field
        stroma = np.clip(0.5 + 0.5 * _smooth_noise(rng, h, w, rng.uniform(3, 20)), 0, 1) * rng.uniform(0.2, 0.9)
        stroma = np.clip(stroma + halo * 2, 0, 1)
        a = np.clip(fgmap * rng.uniform(0.5, 1.0), 0, 1.2)
        a = finish(a)
        stroma = finish(stroma)
        img = bgc[None, None] * (1 - stroma[..., None]) + eos[None, None] * stroma[..., None]
        img = img * (1 - np.clip(a, 0, 1)[..., None]) + nuc[None, None] * np.clip(a, 0, 1)[..., None]
        img = img + noise * 60 * rng.standard_normal((h, w, 1)) + noise * 20 * rng.standard_normal((h, w, 3))
        img = np.clip(img, 0, 255)
    else:  # generic colored objects on colored background
        bgc = rng.uniform(0, 255, 3).astype(np.float32)
        cols = rng.uniform(0, 255, (nlab + 1, 3)).astype(np.float32)
        if rng.random() < 0.6:  # one common object color with jitter
            base = rng.uniform(0, 255, 3)
            cols = np.clip(base[None] + rng.normal(0, 25, (nlab + 1, 3)), 0, 255).astype(np.float32)
        # make sure objects differ from background
        for i in range(1, nlab + 1):
            if np.abs(cols[i] - bgc).max() < 40:
                cols[i] = 255 - bgc
        a = np.clip(prof * (1 + tex_amp * 0.3 * tex), 0, 1)
        img = bgc[None, None] * (1 - a[..., None]) + cols[labels] * a[..., None]
        img = img + (bg * 60)[..., None]
        img = np.stack([finish(img[..., c]) for c in range(3)], axis=2)
        img = img + noise * 80 * rng.standard_normal((h, w, 3))
        img = np.clip(img, 0, 255)
    return img.astype(np.float32)


FLAT_P = 0.0  # v2 data: 0.2 (set by data.set_data_version)
SCALE_V2 = False  # v2 data: strong upscaling up to 6.5x


def sample_diam_1024(rng, large=False):
    """Object diameter in the 1024 frame (large=True: 80-300, large="huge": 150-700)."""
    if large == "huge":
        return float(np.exp(rng.uniform(np.log(150), np.log(700))))
    if large:
        return float(np.exp(rng.uniform(np.log(80), np.log(300))))
    u = rng.random()
    if u < 0.65:
        return float(np.exp(rng.uniform(np.log(16), np.log(70))))
    elif u < 0.85:
        return float(np.exp(rng.uniform(np.log(12), np.log(120))))
    return float(np.exp(rng.uniform(np.log(60), np.log(160))))


def sample_scale(rng):
    """Resize factor from original image to the 1024 frame."""
    u = rng.random()
    if not SCALE_V2:  # stage-1 distribution
        if u < 0.4:
            return 2.0
        if u < 0.55:
            return 1.0
        return float(rng.uniform(0.6, 3.0))
    if u < 0.3:
        return 2.0
    if u < 0.42:
        return 1.0
    if u < 0.8:
        return float(rng.uniform(0.6, 3.0))
    return float(rng.uniform(3.0, 6.5))  # strong upscaling of small images (flat interiors)


def sample_scale_large(rng):
    """Resize factor for the large-object crops: mostly strong upscaling."""
    u = rng.random()
    if u < 0.25:
        return float(rng.uniform(1.0, 2.5))
    return float(rng.uniform(2.5, 6.5))

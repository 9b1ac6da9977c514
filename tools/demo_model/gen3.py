"""Demo v2 (issue 18) synthetic generators, added to gen.py's nuclei generator:

* make_polyp: endoscopy-like RGB frames: mucosa-like textured background (multi-scale noise, vessels,
  vignetting / illumination gradient, specular highlights), 1-3 shaded dome-like objects whose colour is
  close to the background, with their own texture, soft boundaries and highlights; sizes up to the whole frame.
* make_ct: CT-like grey slices: air, body outline with a fat rim, several touching organ regions of slightly
  different intensity (distorted Voronoi partition), bright bone-like structures, correlated noise, random
  windowing; sometimes the whole body is the labelled object (frame-sized object); an MRI-like variant with
  1-2 fuzzy hyperintense lesions in a brain-like ellipse.

All return (img float32 [h,w,3] 0..255, labels int32 [h,w], full_areas dict).  Procedural only.
"""
import numpy as np
from scipy import ndimage as ndi

import gen


def _noise(rng, h, w, sigma):
    return gen._smooth_noise(rng, h, w, max(0.5, sigma))


def _areas(lab):
    n = int(lab.max())
    if n == 0:
        return {}
    a = np.bincount(lab.ravel(), minlength=n + 1)
    return {k: int(a[k]) for k in range(1, n + 1)}


def _relabel(lab):
    ids = np.unique(lab)
    ids = ids[ids > 0]
    out = np.zeros_like(lab)
    for i, k in enumerate(ids):
        out[lab == k] = i + 1
    return out


def _blob(rng, h, w, cy, cx, d, ecc=0.3, amp=0.15):
    ry = d / 2 * np.sqrt(1 - ecc)
    rx = d / 2 / np.sqrt(max(1 - ecc, 0.3))
    harm = [(k, rng.uniform(0, amp / (k - 1) ** 0.5), rng.uniform(0, 2 * np.pi)) for k in (2, 3, 4, 5)]
    return gen._shape_patch(rng, cy, cx, ry, rx, rng.uniform(0, np.pi), harm, h, w)


def make_polyp(rng, h, w, diam=None):
    """diam: object diameter in pixels of this image (None: random up to the whole frame)."""
    S = min(h, w)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    # mucosa colour
    u = rng.random()
    if u < 0.7:
        base = np.array([rng.uniform(150, 235), rng.uniform(60, 140), rng.uniform(45, 120)], np.float32)
    elif u < 0.85:  # paler / yellowish
        base = np.array([rng.uniform(180, 240), rng.uniform(130, 190), rng.uniform(90, 160)], np.float32)
    else:  # narrow-band-like / other
        base = rng.uniform(40, 220, 3).astype(np.float32)
    lum = 1.0 + rng.uniform(0.05, 0.25) * _noise(rng, h, w, rng.uniform(0.08, 0.25) * S)
    lum += rng.uniform(0.02, 0.10) * _noise(rng, h, w, rng.uniform(1.0, 4.0))
    chroma = rng.uniform(0.0, 0.08) * _noise(rng, h, w, rng.uniform(0.05, 0.2) * S)
    # vessels: thin lines along zero crossings of smooth noise
    ves = np.zeros((h, w), np.float32)
    if rng.random() < 0.7:
        n = _noise(rng, h, w, rng.uniform(3, 10))
        wdt = rng.uniform(0.04, 0.12)
        ves = np.exp(-(n / wdt) ** 2) * rng.uniform(0.1, 0.4)
    # folds: broad darker bands
    if rng.random() < 0.5:
        n = _noise(rng, h, w, rng.uniform(0.05, 0.15) * S)
        lum *= 1.0 - rng.uniform(0.1, 0.35) * np.exp(-(n / 0.15) ** 2)
    # objects
    lab = np.zeros((h, w), np.int32)
    shade = np.zeros((h, w), np.float32)  # dome shading of the owning object
    otex = np.zeros((h, w), np.float32)
    ocol = np.zeros((h, w, 3), np.float32)
    nobj = 1 if rng.random() < 0.7 else int(rng.integers(2, 4))
    lx, ly = rng.uniform(-1, 1, 2)
    for i in range(nobj):
        if diam is not None:
            d = diam * np.exp(rng.normal(0, 0.2))
        else:
            d = S * float(np.exp(rng.uniform(np.log(0.06), np.log(1.1))))
        d = max(d, 6.0)
        cy = rng.uniform(0.1 * h, 0.9 * h) if d < 0.6 * S else rng.uniform(0.3 * h, 0.7 * h)
        cx = rng.uniform(0.1 * w, 0.9 * w) if d < 0.6 * S else rng.uniform(0.3 * w, 0.7 * w)
        res = _blob(rng, h, w, cy, cx, d, ecc=rng.uniform(0, 0.5), amp=rng.uniform(0.05, 0.3))
        if res is None:
            continue
        sl, ins, rn, full = res
        if ins.sum() < 10:
            continue
        lp = lab[sl]
        lp[ins] = i + 1
        dome = np.sqrt(np.clip(1 - rn ** 2, 0, 1))
        # directional light on the dome: normal ~ (dx, dy) * rn
        gy, gx = np.gradient(dome)
        dirl = -(gx * lx + gy * ly) * (d / 4)
        sp = shade[sl]
        sp[ins] = (rng.uniform(0.1, 0.4) * (dome - 0.5) + rng.uniform(0.0, 0.3) * np.clip(dirl, -1, 1))[ins]
        delta = rng.normal(0, 1, 3) * rng.uniform(5, 45)
        if rng.random() < 0.5:
            delta += np.array([10, -10, -10]) * rng.uniform(0, 2)  # redder
        cp = ocol[sl]
        cp[ins] = delta
        tp = otex[sl]
        tp[ins] = 1.0
    otex = otex * rng.uniform(0.03, 0.15) * _noise(rng, h, w, rng.uniform(1.0, 5.0))
    fg = (lab > 0).astype(np.float32)
    soft = rng.uniform(0.5, 3.0)
    a = ndi.gaussian_filter(fg, soft)
    shade = ndi.gaussian_filter(shade, 1.0)
    ocol = np.stack([ndi.gaussian_filter(ocol[..., c], soft) for c in range(3)], 2)
    # rim shadow just outside the objects
    if rng.random() < 0.5 and fg.any():
        dist = ndi.distance_transform_edt(fg == 0)
        rw = rng.uniform(1.5, 0.04 * S + 2)
        lum *= 1.0 - rng.uniform(0.05, 0.3) * np.exp(-dist / rw) * (fg == 0)
    img = base[None, None] * (lum * (1 + chroma))[..., None]
    img = img * (1 - ves[..., None] * np.array([0.3, 1.0, 0.9], np.float32)[None, None])
    img = img + ocol * a[..., None]
    img = img * (1 + (shade + otex) * a)[..., None]
    # illumination: vignetting + gradient
    vc = rng.uniform(0.3, 0.7, 2) * [h, w]
    r2 = ((yy - vc[0]) ** 2 + (xx - vc[1]) ** 2) / (0.5 * S) ** 2
    img *= (np.clip(1 - rng.uniform(0.1, 0.5) * r2, 0.15, 1.2) * (1 + rng.uniform(-0.2, 0.2) * (yy / h - 0.5)))[..., None]
    # specular highlights
    if rng.random() < 0.8:
        n = _noise(rng, h, w, rng.uniform(0.7, 3.0))
        thr = rng.uniform(2.3, 3.3)
        spec = np.clip((n - thr) / 0.5, 0, 1)
        # more highlights on the objects
        spec = spec * (0.3 + 0.7 * a) if rng.random() < 0.7 else spec
        spec = ndi.gaussian_filter(spec, 0.7)
        img = img * (1 - spec[..., None]) + 250 * spec[..., None]
    # black frame corners (endoscope)
    if rng.random() < 0.3:
        r = np.sqrt(((yy - h / 2) / (h / 2)) ** 2 + ((xx - w / 2) / (w / 2)) ** 2)
        img *= (r < rng.uniform(1.15, 1.4))[..., None]
    blur = rng.choice([0.0, rng.uniform(0.3, 1.5)])
    if blur > 0:
        img = np.stack([ndi.gaussian_filter(img[..., c], blur) for c in range(3)], 2)
    img = img + rng.uniform(0, 6) * rng.standard_normal((h, w, 1)) + rng.uniform(0, 4) * rng.standard_normal((h, w, 3))
    img = np.clip(img, 0, 255).astype(np.float32)
    lab = _relabel(lab)
    return img, lab, _areas(lab)


def _voronoi_regions(rng, h, w, mask, n, S):
    """Distorted Voronoi partition of `mask` into n regions (labels 1..n), touching boundaries."""
    ys, xs = np.nonzero(mask)
    if len(ys) == 0:
        return np.zeros((h, w), np.int32)
    j = rng.choice(len(ys), size=min(n, len(ys)), replace=False)
    sy, sx = ys[j].astype(np.float32), xs[j].astype(np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    wts = rng.uniform(0.6, 1.6, len(j)).astype(np.float32)  # region sizes differ
    best = np.full((h, w), np.inf, np.float32)
    lab = np.zeros((h, w), np.int32)
    for i in range(len(j)):
        dd = np.sqrt((yy - sy[i]) ** 2 + (xx - sx[i]) ** 2) / wts[i]
        dd = dd + rng.uniform(0.03, 0.12) * S * _noise(rng, h, w, rng.uniform(0.04, 0.12) * S)
        m = dd < best
        best[m] = dd[m]
        lab[m] = i + 1
    lab[~mask] = 0
    return lab


def make_ct(rng, h, w):
    S = min(h, w)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    mri = rng.random() < 0.2
    img = np.zeros((h, w), np.float32)
    # body
    res = _blob(rng, h, w, h / 2 + rng.normal(0, 0.05 * h), w / 2 + rng.normal(0, 0.05 * w),
                S * rng.uniform(0.6, 1.05), ecc=rng.uniform(0, 0.4), amp=0.08)
    body = np.zeros((h, w), bool)
    if res is not None:
        sl, ins, rn, full = res
        body[sl] = ins
    if not body.any():
        body[h // 4: 3 * h // 4, w // 4: 3 * w // 4] = True
    lab = np.zeros((h, w), np.int32)
    if mri:  # brain-like: grey/white matter texture, 1-2 fuzzy hyperintense lesions
        tissue = 0.45 + 0.06 * _noise(rng, h, w, rng.uniform(2, 6)) + 0.04 * _noise(rng, h, w, rng.uniform(10, 30))
        img[body] = tissue[body]
        dist = ndi.distance_transform_edt(body)
        img += 0.25 * np.exp(-dist / rng.uniform(2, 6)) * body  # bright skull rim
        for i in range(int(rng.integers(1, 3))):
            d = S * float(np.exp(rng.uniform(np.log(0.08), np.log(0.5))))
            ys, xs = np.nonzero(dist > d * 0.3)
            if len(ys) == 0:
                continue
            k = rng.integers(len(ys))
            r2 = _blob(rng, h, w, ys[k], xs[k], d, ecc=rng.uniform(0, 0.4), amp=rng.uniform(0.1, 0.35))
            if r2 is None:
                continue
            sl, ins, rn, full = r2
            ins = ins & body[sl]
            lp = lab[sl]
            lp[ins] = i + 1
            prof = np.clip(1.2 - rn, 0, 1) ** rng.uniform(0.2, 0.8)
            ip = img[sl]
            ip[ins] += (rng.uniform(0.08, 0.35) * prof * (1 + 0.2 * rng.standard_normal(prof.shape)))[ins]
        img = ndi.gaussian_filter(img, rng.uniform(0.5, 1.5))
        noise = rng.uniform(0.005, 0.05)
        img += noise * rng.standard_normal((h, w)).astype(np.float32)
    else:
        fat_w = rng.uniform(0.01, 0.06) * S
        dist = ndi.distance_transform_edt(body)
        inner = dist > fat_w
        muscle = rng.uniform(0.5, 0.6)
        fat = rng.uniform(0.3, 0.42)
        img[body] = fat
        img[inner] = muscle
        # organs: distorted Voronoi partition of an inner region, some cells labelled
        core = dist > fat_w + rng.uniform(0.02, 0.08) * S
        n = int(rng.integers(3, 9))
        vor = _voronoi_regions(rng, h, w, core, n, S)
        lev = {}
        k = 0
        for r in range(1, n + 1):
            m = vor == r
            if not m.any():
                continue
            val = muscle + rng.uniform(-0.15, 0.18)
            if rng.random() < 0.75:  # labelled organ
                k += 1
                lab[m] = k
            img[m] = val
            lev[r] = val
        # inner structure: gaps (fat) between some organs
        if rng.random() < 0.4:
            edges = ndi.morphological_gradient(vor, size=int(rng.integers(2, 5))) > 0
            edges &= core
            img[edges] = fat + rng.uniform(-0.05, 0.05)
            lab[edges] = 0
        # small bright vessels / bowel gas (unlabelled)
        for _ in range(int(rng.integers(0, 6))):
            cy, cx = rng.uniform(0.2, 0.8) * h, rng.uniform(0.2, 0.8) * w
            r3 = _blob(rng, h, w, cy, cx, S * rng.uniform(0.02, 0.07), ecc=0.2, amp=0.1)
            if r3 is None:
                continue
            sl, ins, rn, full = r3
            ins = ins & body[sl]
            ip = img[sl]
            ip[ins] = rng.choice([rng.uniform(0.75, 0.95), rng.uniform(0.0, 0.1)])
            lp = lab[sl]
            lp[ins] = 0
        # bone: a ring-like vertebra near the back (sometimes labelled)
        if rng.random() < 0.6:
            cy, cx = h / 2 + rng.uniform(0.15, 0.3) * S, w / 2 + rng.normal(0, 0.03) * S
            r4 = _blob(rng, h, w, cy, cx, S * rng.uniform(0.08, 0.15), ecc=0.2, amp=0.1)
            if r4 is not None:
                sl, ins, rn, full = r4
                ip = img[sl]
                ip[ins] = np.where(rn[ins] > 0.7, rng.uniform(0.85, 1.0), rng.uniform(0.6, 0.75))
                lp = lab[sl]
                lp[ins] = lab.max() + 1 if rng.random() < 0.5 else 0
        # per-region texture + correlated noise
        img += rng.uniform(0.0, 0.03) * _noise(rng, h, w, rng.uniform(2, 8)) * body
        img = ndi.gaussian_filter(img, rng.uniform(0.3, 1.2))
        noise = rng.uniform(0.005, 0.06)
        nz = rng.standard_normal((h, w)).astype(np.float32)
        if rng.random() < 0.5:
            nz = ndi.gaussian_filter(nz, rng.uniform(0.6, 1.2))
            nz /= nz.std() + 1e-6
        img += noise * nz
        if rng.random() < 0.2:  # the whole body is the object (frame-sized target)
            lab = body.astype(np.int32)
    # windowing
    lo = rng.uniform(-0.1, 0.3)
    hi = rng.uniform(0.75, 1.1)
    img = np.clip((img - lo) / (hi - lo), 0, 1)
    if rng.random() < 0.15:
        img = 1 - img
    img = img * 255
    lab = _relabel(lab)
    return np.repeat(img[..., None], 3, axis=2).astype(np.float32), lab, _areas(lab)


def make_large_nuclei(rng, h, w):
    """gen.py objects of 0.15-1.0 of the frame (few, often flat): large-object coverage for the nuclei styles."""
    d = min(h, w) * float(np.exp(rng.uniform(np.log(0.15), np.log(0.9))))
    return gen.make_image(rng, h, w, d, coverage=rng.uniform(0.05, 0.5))

""""Segment everything" evaluation (SAM automatic-mask-generator style), old vs calibrated IoU head.

Procedure (torch, full-image inference as pipeline.py / the plugin): 32x32 grid of single positive clicks
(SAM's build_point_grid: (i + 0.5) / 32 of width/height) -> multimask tokens 1..3 -> keep masks with
predicted IoU >= t -> greedy NMS by predicted IoU (box IoU > 0.7 suppressed) -> paint instance labels
best first without overwriting, dropping masks with < 10 painted px -> detection F1 at IoU > 0.5
(one-to-one) against the ground truth, for t in 0.3..0.7.

Sets: a synthetic held-out crowded-nuclei set (gen.py, seed 31337; used to choose the threshold) and,
report only, /work/shared/data/dsb2018_nuclei (never used for training or for choosing anything).
The two checkpoints must differ only in decoder.iou_mlp (checked), so the decoder runs once per click and
both IoU heads are applied to the same iou_mlp inputs.  ~4.5 min per image on 2 CPU cores (cached in work/amg_cache).

/usr/bin/python3 tools/demo_model/eval_amg.py [--old work/model_stage1.pt] [--new work/model_iou.pt] [--n_synth 2]
"""
import argparse
import copy
import os
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import numpy as np  # noqa: E402
import tifffile  # noqa: E402
import torch  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402
from pipeline import Predictor  # noqa: E402

DATA = os.path.abspath(os.path.join(HERE, "..", "..", "..", "shared", "data", "dsb2018_nuclei"))
TS = (0.3, 0.4, 0.5, 0.6, 0.7)


@torch.no_grad()
def grid_outputs(pred, rgb, n=32, chunk=16):
    """Returns list of masks (bbox, crop) for tokens 1..3 of every grid click, their iou_mlp inputs and old iou."""
    H, W = rgb.shape[:2]
    pred.set_image(rgb)
    g = (np.arange(n) + 0.5) / n
    prompts = [[(float(x * W), float(y * H), 1), (0.0, 0.0, -1)] for y in g for x in g]
    feats = []
    hook = pred.model.decoder.iou_mlp.register_forward_pre_hook(lambda m, i: feats.append(i[0].detach().clone()))
    masks, ious = [], []
    for i in range(0, len(prompts), chunk):
        m, iou = pred.predict(prompts[i:i + chunk], chunk=chunk)
        b = (m[:, 1:] > 0).numpy()
        for p in range(b.shape[0]):
            for t in range(3):
                mk = b[p, t]
                ys = np.nonzero(mk.any(1))[0]
                xs = np.nonzero(mk.any(0))[0]
                if len(ys) == 0:
                    masks.append(None)
                    continue
                y0, y1, x0, x1 = ys[0], ys[-1] + 1, xs[0], xs[-1] + 1
                masks.append(((x0, y0, x1, y1), mk[y0:y1, x0:x1].copy()))
        ious.append(iou)
    hook.remove()
    return masks, torch.cat(feats), torch.cat(ious)


def box_iou(a, b):
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    ua = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / max(ua, 1)


def amg_labels(masks, scores, t, H, W, nms=0.7, min_px=10):
    cand = [i for i in np.argsort(-scores, kind="stable") if scores[i] >= t and masks[i] is not None]
    kept = []
    for i in cand:  # greedy box NMS by predicted IoU
        if all(box_iou(masks[i][0], masks[j][0]) <= nms for j in kept):
            kept.append(i)
    lab = np.zeros((H, W), np.int32)
    nid = 0
    for i in kept:  # paint best first, no overwriting
        (x0, y0, x1, y1), mk = masks[i]
        sub = lab[y0:y1, x0:x1]
        free = mk & (sub == 0)
        if free.sum() < min_px:
            continue
        nid += 1
        sub[free] = nid
    return lab, len(cand), len(kept)


def f1_at(pred, gt, thr=0.5):
    def relabel(a):  # consecutive ids 1..N, 0 stays background
        return np.unique(np.concatenate([[0], a.ravel()]), return_inverse=True)[1][1:].reshape(a.shape)
    gt, pred = relabel(gt), relabel(pred)
    npred, ngt = int(pred.max()), int(gt.max())
    if npred == 0 or ngt == 0:
        return 0.0, 0.0, 0.0, 0, npred, ngt
    cont = np.bincount(pred.ravel() * (ngt + 1) + gt.ravel(), minlength=(npred + 1) * (ngt + 1)).reshape(npred + 1, ngt + 1)
    ap = cont.sum(1)
    ag = cont.sum(0)
    inter = cont[1:, 1:]
    union = ap[1:, None] + ag[None, 1:] - inter
    iou = inter / np.maximum(union, 1)
    tp = int((iou > thr).sum())  # IoU > 0.5 matches are unique (one-to-one)
    p, r = tp / npred, tp / ngt
    return 2 * tp / (npred + ngt), p, r, tp, npred, ngt


def synth_set(n, seed):
    """Held-out crowded-nuclei images (512x512 or 384x512, 50-200 objects), as DSB-like as gen.py allows."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        H, W = [(512, 512), (384, 512), (512, 512)][i % 3]
        D = float(np.exp(rng.uniform(np.log(20), np.log(60)))) / (1024.0 / max(H, W))  # 20-60 px in the 1024 frame
        style = ["gray", "fluo_color", "gray", "he"][i % 4]
        img, lab, fa = gen.make_image(rng, H, W, D, coverage=rng.uniform(0.3, 0.55), style=style, kind="nucleus")
        # drop tiny slivers (< 10 px) from the ground truth
        ids, cnt = np.unique(lab, return_counts=True)
        small = ids[(cnt < 10) & (ids > 0)]
        lab = np.where(np.isin(lab, small), 0, lab)
        out.append((f"synth{i}_{style}", img, lab))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", default=os.path.join(HERE, "work", "model_stage1.pt"))
    ap.add_argument("--new", default=os.path.join(HERE, "work", "model_iou.pt"))
    ap.add_argument("--n_synth", type=int, default=2)
    ap.add_argument("--seed", type=int, default=31337)
    ap.add_argument("--cache", default=os.path.join(HERE, "work", "amg_cache"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only_cache", action="store_true", help="compute the grid outputs of the old model only")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    os.makedirs(args.cache, exist_ok=True)
    pred = Predictor(args.old)
    new_mlp = None
    if not args.only_cache:
        sd_old = torch.load(args.old, map_location="cpu")
        sd_new = torch.load(args.new, map_location="cpu")
        diff = [k for k in sd_old if not torch.equal(sd_old[k], sd_new[k])]
        assert all(k.startswith("decoder.iou_mlp.") for k in diff), diff
        new_mlp = copy.deepcopy(pred.model.decoder.iou_mlp)
        new_mlp.load_state_dict({k[len("decoder.iou_mlp."):]: v for k, v in sd_new.items()
                                 if k.startswith("decoder.iou_mlp.")})
        new_mlp.eval()

    img = tifffile.imread(os.path.join(DATA, "img2d.tif")).astype(np.float32)
    g = (img - img.min()) / max(img.max() - img.min(), 1e-6) * 255.0  # as eval_dsb.py
    sets = {"synthetic crowded nuclei (held-out)": synth_set(args.n_synth, args.seed),
            "dsb2018 (report only)": [("dsb", np.repeat(g[..., None], 3, axis=2),
                                       tifffile.imread(os.path.join(DATA, "mask2d.tif")).astype(np.int32))]}
    for sname, items in sets.items():
        tot = {m: {t: np.zeros(3) for t in TS} for m in ("old", "new")}
        for name, rgb, gt in items:
            cf = os.path.join(args.cache, name + ".pt")
            t0 = time.time()
            if os.path.exists(cf):
                masks, feats, ious = torch.load(cf)
            else:
                masks, feats, ious = grid_outputs(pred, rgb)
                torch.save((masks, feats, ious), cf)
            print(f"{name}: {len(np.unique(gt)) - 1} objects, grid outputs [{time.time() - t0:.0f}s]", flush=True)
            if args.only_cache:
                continue
            with torch.no_grad():
                sc = {"old": ious[:, 1:].reshape(-1).numpy(),
                      "new": new_mlp(feats).squeeze(2)[:, 1:].reshape(-1).numpy()}
            for m in ("old", "new"):
                s = sc[m]
                print(f"  {m}: pred IoU tokens 1-3 min {s.min():.3f} median {np.median(s):.3f} max {s.max():.3f}")
                for t in TS:
                    lab, nc, nk = amg_labels(masks, s, t, *gt.shape)
                    f1, p, r, tp, npred, ngt = f1_at(lab, gt)
                    tot[m][t] += (tp, npred, ngt)
                    print(f"    t={t:.1f}: kept {nc:4d} after NMS {nk:4d} instances {npred:4d}  "
                          f"F1 {f1:.3f} P {p:.3f} R {r:.3f}")
        if args.only_cache:
            continue
        print(f"== {sname}: pooled over {len(items)} image(s) ==")
        for m in ("old", "new"):
            for t in TS:
                tp, npred, ngt = tot[m][t]
                f1 = 2 * tp / max(npred + ngt, 1)
                print(f"  {m} t={t:.1f}: F1 {f1:.3f} P {tp / max(npred, 1):.3f} R {tp / max(ngt, 1):.3f} "
                      f"(TP {int(tp)}, pred {int(npred)}, GT {int(ngt)})", flush=True)


if __name__ == "__main__":
    main()

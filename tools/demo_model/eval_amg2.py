""""Segment everything" (SAM automatic mask generator) evaluation of ONE checkpoint with a threshold sweep.

Procedure (torch full-image inference as pipeline.py / the plugin): 32x32 grid of single positive clicks
(SAM's build_point_grid, (i + 0.5) / 32 of width/height) -> multimask tokens 1..3 -> keep masks with
predicted IoU >= t and stability score >= s (stability = #(logit > 1) / #(logit > -1) on the full-resolution
mask logits, i.e. SAM's offset 1.0 around mask threshold 0) -> drop masks covering > 25 % of the image ->
greedy box NMS by predicted IoU (box IoU > 0.7 suppressed) -> paint instances best first without overwriting,
dropping those with < 10 painted px -> detection F1 / P / R at IoU > 0.5 (one-to-one) against the ground truth.

Sets: the held-out synthetic crowded-nuclei set of eval_amg.py (gen.py, seed 31337; the ONLY set used to choose
the thresholds) and, report only, /work/shared/data/dsb2018_nuclei (never used for training or choosing anything).
Grid outputs are cached per checkpoint in --cache (use a new directory for every checkpoint).  work/amg_cache
(eval_amg.py's cache of the stage-1 model) can be read too (`--ckpt work/model_stage1.pt --cache work/amg_cache`),
but it has no stability scores, so only the s = 0 column is meaningful for it (the s > 0 columns keep nothing).  ~4.5 min per image on 2 CPU cores.

/usr/bin/python3 tools/demo_model/eval_amg2.py --ckpt tools/demo_model/work/model_amg.pt \
    --cache tools/demo_model/work/amg_cache_amg [--n_synth 2] [--t 0.5 --s 0.9]

Objectness IoU-head candidate (model_iouobj.pt: stage-1 masks, only the IoU head differs): the grid masks are taken
from the stage-1 cache (--masks_from work/amg_cache, eval_amg.py format; checked: all stage-1 tensors identical and
the masks of the first 16 clicks of every image recomputed and compared), only the raw IoU-head inputs of the
grid clicks are computed (low-res decoder, cached in --cache) and the checkpoint's obj_mlp is applied to them, so a
re-trained head costs seconds.  No stability scores (only s = 0 is meaningful).
/usr/bin/python3 tools/demo_model/eval_amg2.py --ckpt tools/demo_model/work/model_iouobj.pt \
    --masks_from tools/demo_model/work/amg_cache --cache tools/demo_model/work/amg_cache_iouobj
"""
import argparse
import os
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import numpy as np  # noqa: E402
import tifffile  # noqa: E402
import torch  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from eval_amg import DATA, f1_at, synth_set  # noqa: E402
from pipeline import Predictor  # noqa: E402

TS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)  # the low values: the demo heads predict < 0.4
SS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95)


@torch.no_grad()
def grid_outputs(pred, rgb, n=32, chunk=16):
    """For every grid click and token 1..3: (bbox, crop of logit > 0) or None, predicted IoU, stability, area,
    and the click position (x, y) in original pixels."""
    H, W = rgb.shape[:2]
    pred.set_image(rgb)
    g = (np.arange(n) + 0.5) / n
    prompts = [[(float(x * W), float(y * H), 1), (0.0, 0.0, -1)] for y in g for x in g]
    masks, ious, stab, area = [], [], [], []
    for i in range(0, len(prompts), chunk):
        m, iou = pred.predict(prompts[i:i + chunk], chunk=chunk)
        m = m[:, 1:]
        hi = (m > 1.0).flatten(2).sum(2).float()
        lo = (m > -1.0).flatten(2).sum(2).float()
        stab.append(torch.where(lo > 0, hi / lo.clamp(min=1), torch.zeros_like(hi)))
        b = (m > 0).numpy()
        area.append(torch.from_numpy(b.reshape(b.shape[0], 3, -1).sum(2)))
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
        ious.append(iou[:, 1:])
    clicks = np.array([(p[0][0], p[0][1]) for p in prompts])
    return {"masks": masks, "iou": torch.cat(ious).reshape(-1).numpy(), "stab": torch.cat(stab).reshape(-1).numpy(),
            "area": torch.cat(area).reshape(-1).numpy(), "clicks": clicks}


@torch.no_grad()
def grid_obj_features(pred, rgb, cached_masks, n=32, chunk=16):
    """Raw obj_iou_features of every grid click [n*n,4,F] (low-res decoder only) for a DemoSamV1Obj model;
    also checks that the full-resolution masks of the first chunk equal the cached (stage-1) masks."""
    H, W = rgb.shape[:2]
    pred.set_image(rgb)
    dec = pred.model.decoder
    g = (np.arange(n) + 0.5) / n
    prompts = [[(float(x * W), float(y * H), 1), (0.0, 0.0, -1)] for y in g for x in g]
    feats = []
    hook = dec.obj_mlp.register_forward_pre_hook(lambda m, i: feats.append(i[0].detach() * dec.obj_std + dec.obj_mean))
    m, _ = pred.predict(prompts[:chunk], chunk=chunk)  # full-resolution masks of the first chunk: compare
    b = (m[:, 1:] > 0).numpy()
    bad = 0
    for p in range(b.shape[0]):
        for t in range(3):
            cm = cached_masks[3 * p + t]
            if cm is None:
                bad += int(b[p, t].any())
                continue
            (x0, y0, x1, y1), mk = cm
            full = np.zeros((H, W), bool)
            full[y0:y1, x0:x1] = mk
            bad += int((full != b[p, t]).sum())
    assert bad == 0, f"grid masks differ from the cached stage-1 masks ({bad} px)"
    feats.clear()
    for i in range(0, len(prompts), chunk):
        ps = prompts[i:i + chunk]
        co = torch.tensor([[pred.to_frame(x, y) for (x, y, _) in p] for p in ps], dtype=torch.float32)
        la = torch.tensor([[lab for (_, _, lab) in p] for p in ps], dtype=torch.float32)
        P = co.shape[0]
        dec(pred.emb.expand(P, -1, -1, -1), co, la, torch.zeros(P, 1, 256, 256), torch.zeros(1))
    hook.remove()
    return torch.cat(feats)


def nms_paint(masks, scores, keep, H, W, nms=0.7, min_px=10):
    cand = [i for i in np.argsort(-scores, kind="stable") if keep[i]]
    boxes = np.array([masks[i][0] for i in cand], np.float64).reshape(-1, 4)
    alive = np.ones(len(cand), bool)
    kept = []
    for a in range(len(cand)):  # greedy box NMS by predicted IoU
        if not alive[a]:
            continue
        kept.append(cand[a])
        bx = boxes[a]
        ix = np.clip(np.minimum(bx[2], boxes[:, 2]) - np.maximum(bx[0], boxes[:, 0]), 0, None)
        iy = np.clip(np.minimum(bx[3], boxes[:, 3]) - np.maximum(bx[1], boxes[:, 1]), 0, None)
        inter = ix * iy
        ua = (bx[2] - bx[0]) * (bx[3] - bx[1]) + (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]) - inter
        alive &= ~(inter / np.maximum(ua, 1) > nms)
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


def true_ious(out, gt):
    """True IoU of every grid mask with the object under its click (0 for background clicks), and the on-object flag."""
    H, W = gt.shape
    ids = np.unique(gt)
    areas = dict(zip(*np.unique(gt, return_counts=True)))
    tiou, onobj = [], []
    for c, (x, y) in enumerate(out["clicks"]):
        k = gt[min(int(y), H - 1), min(int(x), W - 1)]
        for t in range(3):
            m = out["masks"][3 * c + t]
            onobj.append(k != 0)
            if k == 0 or m is None:
                tiou.append(0.0)
                continue
            (x0, y0, x1, y1), mk = m
            inter = int((mk & (gt[y0:y1, x0:x1] == k)).sum())
            tiou.append(inter / (int(mk.sum()) + int(areas[k]) - inter))
    del ids
    return np.array(tiou), np.array(onobj)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default=os.path.join(HERE, "work", "model_amg.pt"))
    ap.add_argument("--cache", required=True, help="grid-output cache directory of THIS checkpoint")
    ap.add_argument("--n_synth", type=int, default=2)
    ap.add_argument("--seed", type=int, default=31337)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--t", type=float, default=None, help="chosen predicted-IoU threshold (for the summary line)")
    ap.add_argument("--s", type=float, default=None, help="chosen stability threshold (for the summary line)")
    ap.add_argument("--max_frac", type=float, default=0.25, help="drop masks larger than this fraction of the image")
    ap.add_argument("--skip_dsb", action="store_true")
    ap.add_argument("--ts", default=None, help="comma list of predicted-IoU thresholds (default: TS)")
    ap.add_argument("--masks_from", default=None, help="stage-1 grid cache (eval_amg.py format) for a model whose "
                    "masks are the stage-1 ones (objectness IoU head): only the IoU-head inputs are computed")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    global TS
    if args.ts:
        TS = tuple(float(v) for v in args.ts.split(","))
    os.makedirs(args.cache, exist_ok=True)
    pred = None

    sets = {"synthetic crowded nuclei (held-out, seed %d)" % args.seed: synth_set(args.n_synth, args.seed)}
    if not args.skip_dsb:
        img = tifffile.imread(os.path.join(DATA, "img2d.tif")).astype(np.float32)
        g = (img - img.min()) / max(img.max() - img.min(), 1e-6) * 255.0  # as eval_dsb.py
        sets["dsb2018 (report only)"] = [("dsb", np.repeat(g[..., None], 3, axis=2),
                                          tifffile.imread(os.path.join(DATA, "mask2d.tif")).astype(np.int32))]
    for sname, items in sets.items():
        tot = {(t, s): np.zeros(3) for t in TS for s in SS}
        pi_good, pi_bad, pi_bg = [], [], []
        for name, rgb, gt in items:
            cf = os.path.join(args.cache, name + ".pt")
            t0 = time.time()
            if args.masks_from:
                masks, _, _ = torch.load(os.path.join(args.masks_from, name + ".pt"))
                if pred is None:
                    pred = Predictor(args.ckpt)
                    sd1 = torch.load(os.path.join(HERE, "work", "model_stage1.pt"), map_location="cpu")
                    sdn = pred.model.state_dict()
                    assert all(torch.equal(sd1[k], sdn[k]) for k in sd1), "mask weights differ from stage 1"
                if os.path.exists(cf):
                    feats = torch.load(cf)["obj_feat"]
                else:
                    feats = grid_obj_features(pred, rgb, masks)
                    torch.save({"obj_feat": feats}, cf)
                dec = pred.model.decoder
                with torch.no_grad():
                    ious = dec.obj_iou(feats)
                n = int(round(np.sqrt(ious.shape[0])))
                g = (np.arange(n) + 0.5) / n
                out = {"masks": masks, "iou": ious[:, 1:].reshape(-1).numpy(), "stab": np.full(len(masks), np.nan),
                       "area": np.array([0 if m is None else int(m[1].sum()) for m in masks]),
                       "clicks": np.array([(float(x * gt.shape[1]), float(y * gt.shape[0])) for y in g for x in g])}
            elif os.path.exists(cf):
                out = torch.load(cf)
                if isinstance(out, tuple):  # eval_amg.py cache (stage-1 model): no stability -> only s = 0 is valid
                    masks, _, ious = out
                    n = int(round(np.sqrt(ious.shape[0])))
                    g = (np.arange(n) + 0.5) / n
                    out = {"masks": masks, "iou": ious[:, 1:].reshape(-1).numpy(),
                           "stab": np.full(len(masks), np.nan),
                           "area": np.array([0 if m is None else int(m[1].sum()) for m in masks]),
                           "clicks": np.array([(float(x * gt.shape[1]), float(y * gt.shape[0])) for y in g for x in g])}
            else:
                if pred is None:
                    pred = Predictor(args.ckpt)
                out = grid_outputs(pred, rgb)
                torch.save(out, cf)
            H, W = gt.shape
            print(f"{name}: {len(np.unique(gt)) - 1} objects, grid outputs [{time.time() - t0:.0f}s]", flush=True)
            tiou, onobj = true_ious(out, gt)
            sc, st, ar = out["iou"], out["stab"], out["area"]
            valid = np.array([m is not None for m in out["masks"]])
            pi_good.append(sc[valid & (tiou > 0.5)])
            pi_bad.append(sc[valid & onobj & (tiou <= 0.5)])
            pi_bg.append(sc[~onobj])
            oc = onobj.reshape(-1, 3)[:, 0]
            t3 = tiou.reshape(-1, 3)[oc]
            best = t3.max(1)
            chosen = t3[np.arange(len(t3)), sc.reshape(-1, 3)[oc].argmax(1)]
            print(f"  object clicks {int(oc.sum())}: mean true IoU tokens 1-3 {t3.mean():.3f}, best token "
                  f"{best.mean():.3f} (> 0.5: {(best > 0.5).mean():.3f}), token with the highest pred IoU {chosen.mean():.3f}")
            for t in TS:
                for s in SS:
                    keep = valid & (sc >= t) & ((st >= s) | (s == 0.0)) & (ar <= args.max_frac * H * W)
                    lab, nc, nk = nms_paint(out["masks"], sc, keep, H, W)
                    f1, p, r, tp, npred, ngt = f1_at(lab, gt)
                    tot[(t, s)] += (tp, npred, ngt)
        q = lambda a: np.percentile(np.concatenate(a), [10, 50, 90]) if sum(len(x) for x in a) else [np.nan] * 3  # noqa: E731
        print(f"== {sname}: pooled over {len(items)} image(s) ==")
        print("  predicted IoU (tokens 1-3) p10/p50/p90: good masks (true IoU > 0.5) %.2f/%.2f/%.2f; "
              "other masks of object clicks %.2f/%.2f/%.2f; background clicks %.2f/%.2f/%.2f"
              % (*q(pi_good), *q(pi_bad), *q(pi_bg)))
        print("  F1 (P/R) at IoU 0.5; rows: predicted-IoU threshold t, columns: stability threshold s")
        print("  t \\ s  " + "".join(f"{s:>20.2f}" for s in SS))
        bestk, bestf = None, -1
        for t in TS:
            row = ""
            for s in SS:
                tp, npred, ngt = tot[(t, s)]
                f1 = 2 * tp / max(npred + ngt, 1)
                row += f"   {f1:.3f} ({tp / max(npred, 1):.2f}/{tp / max(ngt, 1):.2f})"
                if f1 > bestf:
                    bestk, bestf = (t, s), f1
            print(f"  {t:.2f}  {row}")
        print(f"  best on this set: t={bestk[0]:.2f} s={bestk[1]:.2f} F1 {bestf:.3f}")
        if args.t is not None and args.s is not None and (args.t, args.s) in tot:
            tp, npred, ngt = tot[(args.t, args.s)]
            print(f"  chosen t={args.t:.2f} s={args.s:.2f}: F1 {2 * tp / max(npred + ngt, 1):.3f} "
                  f"P {tp / max(npred, 1):.3f} R {tp / max(ngt, 1):.3f} (TP {int(tp)}, pred {int(npred)}, GT {int(ngt)})",
                  flush=True)


if __name__ == "__main__":
    main()

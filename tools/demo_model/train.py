"""Train the AnySeg demo model on synthetic images only.

/usr/bin/python3 tools/demo_model/train.py --steps 900 --out tools/demo_model/work
"""
import argparse
import math
import os
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F
from scipy import ndimage as ndi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data  # noqa: E402
from model import DemoSam, DemoSamV1  # noqa: E402


def focal_dice(logits_up, gt):
    """logits_up [P,4,C,C], gt [P,C,C] -> loss [P,4]."""
    y = gt[:, None].expand_as(logits_up)
    p = torch.sigmoid(logits_up)
    ce = F.binary_cross_entropy_with_logits(logits_up, y, reduction="none")
    pt = p * y + (1 - p) * (1 - y)
    at = 0.25 * y + 0.75 * (1 - y)
    focal = (at * ce * (1 - pt) ** 2).mean(dim=(2, 3))
    inter = (p * y).sum(dim=(2, 3))
    dice = 1 - (2 * inter + 1) / (p.sum(dim=(2, 3)) + y.sum(dim=(2, 3)) + 1)
    return 20 * focal + dice


def iou_of(logits_up, gt):
    pm = logits_up > 0
    g = gt[:, None]
    inter = (pm & g).sum(dim=(2, 3)).float()
    union = (pm | g).sum(dim=(2, 3)).float()
    return inter / union.clamp(min=1)


def corrective_click(pred, gt, se):
    """pred, gt bool [C,C] (crop frame) -> (x, y, label) in 1024-frame coords of an original pixel index."""
    fn = gt & ~pred
    fp = pred & ~gt
    if fn.sum() == 0 and fp.sum() == 0:
        fn = gt
    err, lab = (fn, 1) if fn.sum() >= fp.sum() else (fp, 0)
    d = ndi.distance_transform_edt(np.pad(err, 1))[1:-1, 1:-1]
    cy, cx = np.unravel_index(np.argmax(d), d.shape)
    ox, oy = int(np.floor((cx + 0.5) / se)), int(np.floor((cy + 0.5) / se))
    return (ox * se, oy * se, lab)


def select_output(low, iou, n_single):
    """For each prompt: single point -> best of tokens 1..3 by iou, else token 0."""
    best = iou[:, 1:].argmax(1) + 1
    idx = torch.where(n_single, best, torch.zeros_like(best))
    return low[torch.arange(low.shape[0]), idx], idx


def run_decoder(model, emb_all, batch, prompts, mask_in=None, has_mask=None, aux=False):
    co, la = data.pack_prompts(prompts)
    P = co.shape[0]
    emb = emb_all[batch["img_idx"]]
    hl, wl = emb.shape[2] * 4, emb.shape[3] * 4
    if mask_in is None:
        mask_in = torch.zeros(P, 1, hl, wl)
        has_mask = torch.zeros(P)
    if isinstance(model, DemoSamV1):
        out = model.decoder(emb, co, la, mask_in, has_mask)
        return (out[0], out[1], None) if aux else out
    return model.decoder(emb, co, la, mask_in, has_mask, aux=aux)


def is_single(prompts):
    return torch.tensor([len(p) == 1 and p[0][2] == 1 for p in prompts])


@torch.no_grad()
def evaluate(model, val):
    """Dice (crop frame) for exact box prompts (token 0) and centroid point (best of 1..3)."""
    model.eval()
    res = {"box": [], "point": []}
    for batch in val:
        emb = model.encoder(batch["images"])
        for kind in ("box", "point"):
            prompts = batch["box_prompts"] if kind == "box" else batch["pt_prompts"]
            low, iou = run_decoder(model, emb, batch, prompts)
            C = batch["gt"].shape[-1]
            up = F.interpolate(low, size=(C, C), mode="bilinear", align_corners=False)
            sel, _ = select_output(up, iou, is_single(prompts))
            pm = sel > 0
            g = batch["gt"]
            d = 2 * (pm & g).sum((1, 2)).float() / (pm.sum((1, 2)) + g.sum((1, 2))).float().clamp(min=1)
            res[kind] += d.tolist()
    model.train()
    return {k: float(np.mean(v)) for k, v in res.items()}


def make_val(seed, n=12):
    rng = np.random.default_rng(seed)
    val = []
    for i in range(n):
        b = data.make_batch(rng, C=256, B=8, K=4, kinds_p={"box": 1.0})
        # exact boxes and centroids from the labels (rebuild without jitter)
        val.append(b)
    # replace prompts by exact box / centroid prompts derived from gt (crop frame -> approx original frame)
    for b in val:
        bp, pp = [], []
        for i, g in enumerate(b["gt"].numpy()):
            se = b["scales"][i]
            # recover original-resolution mask: sample crop pixels at original pixel centers
            h0 = int(round(g.shape[0] / se))
            idx = np.clip(np.floor((np.arange(h0) + 0.5) * se).astype(int), 0, g.shape[0] - 1)
            m0 = g[idx][:, idx]
            if m0.sum() == 0:
                m0 = g  # degenerate; should not happen
            s = ndi.find_objects(m0.astype(np.int32))[0]
            x0, y0, x1, y1 = data.box_of(s)
            bp.append([(x0 * se, y0 * se, 2), (x1 * se, y1 * se, 3)])
            cx, cy = data.centroid_point(m0[s], s)
            pp.append([(cx * se, cy * se, 1)])
        b["box_prompts"] = bp
        b["pt_prompts"] = pp
    return val


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=900)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "work"))
    ap.add_argument("--eval_every", type=int, default=150)
    ap.add_argument("--init", default=None, help="start from this checkpoint (second stage)")
    ap.add_argument("--trunk", default=None, help="stage-1 checkpoint whose encoder is the frozen trunk")
    ap.add_argument("--save_every", type=int, default=100)
    ap.add_argument("--arch", default="v2", help="v2 (default) or v1 (stage-1 model and data)")
    ap.add_argument("--iou_w", type=float, default=1.0, help="weight of the IoU-prediction MSE")
    ap.add_argument("--mix", default="default", help="batch mix: default | large (more large-object batches)")
    ap.add_argument("--freeze_enc", action="store_true", help="freeze the whole encoder (eval mode, no grad)")
    ap.add_argument("--bn_eval", action="store_true",
                    help="keep all BatchNorm layers in eval mode (running statistics of --init are kept)")
    ap.add_argument("--kinds", default="box:0.3,point1:0.3,points:0.15,box_pts:0.1,refine:0.15",
                    help="prompt type probabilities: box, point1 (centroid / interior click), points, box_pts, "
                         "refine; AMG fine-tune only: point_any (uniform object pixel), bg_click (background click, "
                         "empty target for all 4 tokens, IoU target 0)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    model = DemoSam() if args.arch == "v2" else DemoSamV1()
    data.set_data_version(args.arch)
    if args.init:
        model.load_state_dict(torch.load(args.init))
    elif args.trunk:
        model.load_stage1_trunk(args.trunk)  # stage-1 encoder weights as the (frozen) trunk
    if args.trunk:
        model.encoder.freeze_trunk = True
        for p in model.encoder.trunk.parameters():
            p.requires_grad_(False)
    if args.freeze_enc:  # fine-tune the decoder only; embeddings stay bit-identical
        for p in model.encoder.parameters():
            p.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    print("trainable parameters", sum(p.numel() for p in params), "total", sum(p.numel() for p in model.parameters()))
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=1e-4)
    kinds_p = {k: float(v) for k, v in (kv.split(":") for kv in args.kinds.split(","))}
    val = make_val(1234 + 100000)  # fixed held-out synthetic set
    loader = torch.utils.data.DataLoader(data.BatchStream(args.seed, kinds_p=kinds_p, mix=args.mix, version=args.arch), batch_size=None, num_workers=1,
                                         prefetch_factor=4, persistent_workers=True)
    rng = np.random.default_rng(args.seed + 7)
    t0 = time.time()
    warm = 50
    run_loss = None
    for step, batch in enumerate(loader):
        if step >= args.steps:
            break
        lr = args.lr * min(1.0, (step + 1) / warm) * 0.5 * (1 + math.cos(math.pi * step / args.steps))
        lr = max(lr, args.lr * 0.01)
        for g in opt.param_groups:
            g["lr"] = lr
        if args.freeze_enc:
            model.encoder.eval()
        if args.bn_eval:
            for mod in model.modules():
                if isinstance(mod, torch.nn.BatchNorm2d):
                    mod.eval()
        if getattr(model.encoder, "freeze_trunk", False):
            model.encoder.trunk.eval()
        if args.freeze_enc:
            with torch.no_grad():
                emb = model.encoder(batch["images"])
        else:
            emb = model.encoder(batch["images"])
        prompts = [list(p) for p in batch["prompts"]]
        P = len(prompts)
        C = batch["gt"].shape[-1]
        gt = batch["gt"]
        hl = emb.shape[2] * 4
        mask_in = torch.zeros(P, 1, hl, hl)
        has_mask = torch.zeros(P)
        ref = [i for i, t in enumerate(batch["ptypes"]) if t.startswith("refine")]
        if ref:
            with torch.no_grad():
                low0, iou0 = run_decoder(model, emb.detach(), batch, prompts)
                sel, _ = select_output(low0, iou0, is_single(prompts))
                up0 = F.interpolate(sel[:, None], size=(C, C), mode="bilinear", align_corners=False)[:, 0]
            for i in ref:
                prompts[i] = prompts[i] + [corrective_click((up0[i] > 0).numpy(), gt[i].numpy(), batch["scales"][i])]
                if rng.random() < 0.1:  # sometimes a second click
                    prompts[i] = prompts[i] + [corrective_click((up0[i] > 0).numpy(), gt[i].numpy(), batch["scales"][i])]
                mask_in[i, 0] = sel[i]
                has_mask[i] = 1.0
        low, iou, l16 = run_decoder(model, emb, batch, prompts, mask_in, has_mask, aux=True)
        # loss at 2x the low-res resolution against area-downsampled (soft) ground truth
        LC = 2 * hl
        up = F.interpolate(low, size=(LC, LC), mode="bilinear", align_corners=False)
        gts = F.adaptive_avg_pool2d(gt[:, None].float(), (LC, LC))[:, 0]
        L = focal_dice(up, gts)
        single = is_single(prompts).float()
        # background clicks (kind bg_click, empty gt): every token targets the empty mask
        bgc = torch.tensor([t == "bg_click" for t in batch["ptypes"]]).float()
        single = single * (1 - bgc)
        mloss = L[:, 0] + single * L[:, 1:].min(1)[0] + bgc * L[:, 1:].mean(1)
        if l16 is not None:  # v2: deep supervision of the stride-16 coarse logits
            g16 = F.adaptive_avg_pool2d(gt[:, None].float(), (hl // 4, hl // 4))[:, 0]
            L16 = focal_dice(l16, g16)
            mloss = mloss + 0.5 * (L16[:, 0] + single * L16[:, 1:].min(1)[0])
        tiou = iou_of(up.detach(), gts > 0.5)
        iloss = ((iou - tiou) ** 2).mean()
        loss = mloss.mean() + args.iou_w * iloss
        opt.zero_grad()
        loss.backward()
        opt.step()
        run_loss = loss.item() if run_loss is None else 0.95 * run_loss + 0.05 * loss.item()
        if step % 25 == 0 or step < 10:
            print(f"step {step} loss {run_loss:.4f} iou_mse {iloss.item():.4f} lr {lr:.2e} t {time.time() - t0:.0f}s", flush=True)
        if (step + 1) % args.eval_every == 0 or step + 1 == args.steps:
            r = evaluate(model, val)
            print(f"  VAL step {step + 1}: dice box {r['box']:.4f} point {r['point']:.4f}  t {time.time() - t0:.0f}s", flush=True)
            torch.save(model.state_dict(), os.path.join(args.out, "model.pt"))
        elif (step + 1) % args.save_every == 0:
            torch.save(model.state_dict(), os.path.join(args.out, "model.pt"))
    print(f"training time {time.time() - t0:.1f}s for {args.steps} steps")
    torch.save(model.state_dict(), os.path.join(args.out, "model.pt"))


if __name__ == "__main__":
    main()

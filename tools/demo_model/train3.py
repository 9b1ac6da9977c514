"""Train demo v2 (issue 18; model3.DemoSam3, data3 synthetic stream) on synthetic images only.

/usr/bin/python3 tools/demo_model/train3.py --minutes 50 --out tools/demo_model/work/v3

The learning-rate schedule (warm-up + cosine) follows the elapsed wall-clock fraction of --minutes, so the run
ends on time on a shared machine; --steps is an upper bound.
"""
import argparse
import math
import os
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from scipy import ndimage as ndi  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data  # noqa: E402
import data3  # noqa: E402
from model3 import DemoSam3  # noqa: E402
from train import focal_dice, iou_of, corrective_click, select_output, is_single  # noqa: E402

SINGLE_CLICK = ("point1", "point_any", "point_edge")


def run_dec(model, emb_all, batch, prompts, mask_in=None, has_mask=None, aux=False):
    co, la = data.pack_prompts(prompts)
    P = co.shape[0]
    emb = emb_all[batch["img_idx"]]
    hl, wl = emb.shape[2] * 4, emb.shape[3] * 4
    if mask_in is None:
        mask_in = torch.zeros(P, 1, hl, wl)
        has_mask = torch.zeros(P)
    return model.decoder(emb, co, la, mask_in, has_mask, aux=aux)


def exact_prompts(b):
    bp, pp = [], []
    for i, g in enumerate(b["gt"].numpy()):
        se = b["scales"][i]
        h0 = int(round(g.shape[0] / se))
        idx = np.clip(np.floor((np.arange(h0) + 0.5) * se).astype(int), 0, g.shape[0] - 1)
        m0 = g[idx][:, idx]
        if m0.sum() == 0:
            m0 = g
        s = ndi.find_objects(m0.astype(np.int32))[0]
        x0, y0, x1, y1 = data.box_of(s)
        bp.append([(x0 * se, y0 * se, 2), (x1 * se, y1 * se, 3)])
        cx, cy = data.centroid_point(m0[s], s)
        pp.append([(cx * se, cy * se, 1)])
    b["box_prompts"] = bp
    b["pt_prompts"] = pp
    return b


def make_val3(seed):
    data.set_data_version("v2")
    rng = np.random.default_rng(seed)
    val = {}
    val["nuclei"] = [exact_prompts(data3.make_batch3(rng, 256, 8, 4, {"nuclei": 1.0}, {"box": 1.0})) for _ in range(6)]
    val["polyp"] = [exact_prompts(data3.make_batch3(rng, 512, 2, 3, {"polyp": 1.0}, {"box": 1.0})) for _ in range(5)]
    val["ct"] = [exact_prompts(data3.make_batch3(rng, 512, 2, 4, {"ct": 1.0}, {"box": 1.0})) for _ in range(5)]
    val["large"] = [exact_prompts(data3.make_batch3(rng, 1024, 1, 3, {"large": 0.5, "polyp": 0.5}, {"box": 1.0}))
                    for _ in range(3)]
    return val


@torch.no_grad()
def evaluate3(model, val):
    model.eval()
    out = {}
    for name, batches in val.items():
        res = {"box": [], "point": []}
        for batch in batches:
            emb = model.encoder(batch["images"])
            for kind in ("box", "point"):
                prompts = batch["box_prompts"] if kind == "box" else batch["pt_prompts"]
                low, iou = run_dec(model, emb, batch, prompts)
                C = batch["gt"].shape[-1]
                up = F.interpolate(low, size=(C, C), mode="bilinear", align_corners=False)
                sel, _ = select_output(up, iou, is_single(prompts))
                pm = sel > 0
                g = batch["gt"]
                d = 2 * (pm & g).sum((1, 2)).float() / (pm.sum((1, 2)) + g.sum((1, 2))).float().clamp(min=1)
                res[kind] += d.tolist()
        out[name] = (float(np.mean(res["box"])), float(np.mean(res["point"])))
    model.train()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=50.0)
    ap.add_argument("--steps", type=int, default=100000)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=1811)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "work", "v3"))
    ap.add_argument("--eval_min", type=float, default=10.0, help="validate every this many minutes")
    ap.add_argument("--init", default=None)
    ap.add_argument("--plan", default="default", help="batch plan of data3: default | nuc (fine-tune, nuclei-heavy)")
    ap.add_argument("--warm", type=int, default=60)
    ap.add_argument("--boxskip", action="store_true", help="train decoder.boxskip (else it stays zero, as in run A)")
    ap.add_argument("--bce_w", type=float, default=1.0, help="weight of the plain BCE term (first run: 1.0)")
    ap.add_argument("--iou_w", type=float, default=2.0)
    ap.add_argument("--rank_w", type=float, default=1.0)
    ap.add_argument("--kinds", default="box:0.3,point1:0.14,point_any:0.12,point_edge:0.06,bg_click:0.08,"
                                      "points:0.1,box_pts:0.06,refine:0.14")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    model = DemoSam3()
    if args.init:
        missing, unexpected = model.load_state_dict(torch.load(args.init), strict=False)
        print("init from", args.init, "missing (new, zero-initialized)", missing, "unexpected", unexpected, flush=True)
    print("parameters encoder", sum(p.numel() for p in model.encoder.parameters()),
          "decoder", sum(p.numel() for p in model.decoder.parameters()), flush=True)
    skip = [p for n, p in model.named_parameters() if n == "decoder.boxskip.weight" and args.boxskip]
    rest = [p for n, p in model.named_parameters() if n != "decoder.boxskip.weight"]
    opt = torch.optim.AdamW([{"params": rest, "mult": 1.0}, {"params": skip, "mult": 10.0, "weight_decay": 0.0}],
                            lr=args.lr, weight_decay=1e-4)
    kinds_p = {k: float(v) for k, v in (kv.split(":") for kv in args.kinds.split(","))}
    val = make_val3(977)
    loader = torch.utils.data.DataLoader(data3.BatchStream3(args.seed, kinds_p, args.plan), batch_size=None, num_workers=1,
                                         prefetch_factor=4, persistent_workers=True)
    rng = np.random.default_rng(args.seed + 7)
    T = args.minutes * 60.0
    t0 = time.time()
    warm = args.warm
    run_loss = None
    next_eval = args.eval_min * 60
    for step, batch in enumerate(loader):
        el = time.time() - t0
        if step >= args.steps or el >= T:
            break
        frac = el / T
        lr = args.lr * min(1.0, (step + 1) / warm) * 0.5 * (1 + math.cos(math.pi * frac))
        lr = max(lr, args.lr * 0.01)
        for g in opt.param_groups:
            g["lr"] = lr * g["mult"]
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
                low0, iou0 = run_dec(model, emb.detach(), batch, prompts)
                sel, _ = select_output(low0, iou0, is_single(prompts))
                up0 = F.interpolate(sel[:, None], size=(C, C), mode="bilinear", align_corners=False)[:, 0]
            for i in ref:
                prompts[i] = prompts[i] + [corrective_click((up0[i] > 0).numpy(), gt[i].numpy(), batch["scales"][i])]
                mask_in[i, 0] = sel[i]
                has_mask[i] = 1.0
        low, iou, l16 = run_dec(model, emb, batch, prompts, mask_in, has_mask, aux=True)
        LC = min(2 * hl, 512)
        up = F.interpolate(low, size=(LC, LC), mode="bilinear", align_corners=False)
        gts = F.adaptive_avg_pool2d(gt[:, None].float(), (LC, LC))[:, 0]
        L = focal_dice(up, gts)
        if args.bce_w > 0:
            L = L + args.bce_w * F.binary_cross_entropy_with_logits(up, gts[:, None].expand_as(up),
                                                                    reduction="none").mean((2, 3))
        single = is_single(prompts).float()
        bgc = torch.tensor([t == "bg_click" for t in batch["ptypes"]]).float()
        single = single * (1 - bgc)
        mloss = L[:, 0] + single * L[:, 1:].min(1)[0] + bgc * L[:, 1:].mean(1)
        g16 = F.adaptive_avg_pool2d(gt[:, None].float(), (hl // 4, hl // 4))[:, 0]
        L16 = focal_dice(l16, g16)
        mloss = mloss + 0.5 * (L16[:, 0] + single * L16[:, 1:].min(1)[0] + bgc * L16[:, 1:].mean(1))
        tiou = iou_of(up.detach(), gts > 0.5)  # [P,4]
        iloss = ((iou - tiou) ** 2).mean()
        # pairwise ranking between the 4 tokens: a token with higher true IoU must get a higher prediction
        dt = tiou.unsqueeze(2) - tiou.unsqueeze(1)  # [P,4,4]: t_i - t_j
        dp = iou.unsqueeze(2) - iou.unsqueeze(1)
        w = (dt > 0.03).float()
        rloss = (w * F.relu(dt - dp)).sum() / (w.sum() + 1.0)
        loss = mloss.mean() + args.iou_w * iloss + args.rank_w * rloss
        opt.zero_grad()
        loss.backward()
        opt.step()
        run_loss = loss.item() if run_loss is None else 0.95 * run_loss + 0.05 * loss.item()
        if step % 25 == 0 or step < 5:
            print(f"step {step} C {C} loss {run_loss:.4f} iou_mse {iloss.item():.4f} rank {rloss.item():.4f} "
                  f"lr {lr:.2e} t {time.time() - t0:.0f}s", flush=True)
        if time.time() - t0 >= next_eval:
            next_eval += args.eval_min * 60
            r = evaluate3(model, val)
            print("  VAL step", step + 1, " ".join(f"{k} box {v[0]:.3f} pt {v[1]:.3f}" for k, v in r.items()),
                  f"t {time.time() - t0:.0f}s", flush=True)
            torch.save(model.state_dict(), os.path.join(args.out, "model.pt"))
    print(f"training time {time.time() - t0:.1f}s, {step} steps", flush=True)
    torch.save(model.state_dict(), os.path.join(args.out, "model.pt"))
    r = evaluate3(model, val)
    print("  VAL final", " ".join(f"{k} box {v[0]:.3f} pt {v[1]:.3f}" for k, v in r.items()), flush=True)


if __name__ == "__main__":
    main()

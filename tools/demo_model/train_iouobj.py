"""Objectness-aware IoU head for the stage-1 demo model (candidate, not shipped).

Only the new IoU head `decoder.obj_mlp` (+ its input normalization buffers) is trained; every stage-1 weight
(encoder, decoder mask path, old iou_mlp) is copied from the stage-1 checkpoint and frozen, so the masks are
bit-identical.  The head sees, per output mask: the old iou_mlp input and output, encoder + last decoder features
pooled inside the mask and in a ring just outside it (and their contrast), mask-logit statistics (mean logit
inside / in the ring, mean |logit| on the boundary, peak logit, fraction > +1 / > +2, stability), ring/area,
click coverage (see model.obj_iou_features).
Data: synthetic only, as calibrate_iou.py (stage-1 data, 512 crops + full 1024 frames, single clicks: 50 % on
an object pixel, 50 % anywhere; target for every token = IoU(mask > 0, object under the click), 0 on background).

  collect:  /usr/bin/python3 tools/demo_model/train_iouobj.py collect --seed 5150 --n512 60 --n1024 20 --out work/iouobj_train.pt
            /usr/bin/python3 tools/demo_model/train_iouobj.py collect --seed 909090 --n512 20 --n1024 6 --out work/iouobj_val.pt
  fit:      /usr/bin/python3 tools/demo_model/train_iouobj.py fit --train work/iouobj_train.pt --val work/iouobj_val.pt \
                --out work/model_iouobj.pt
"""
import argparse
import os
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import data  # noqa: E402
from calibrate_iou import report, sample_clicks, sample_frame  # noqa: E402
from model import DemoSamV1, DemoSamV1Obj  # noqa: E402


def load_obj(stage1_ckpt):
    """DemoSamV1Obj with all stage-1 weights loaded, eval mode, everything frozen."""
    sd = torch.load(stage1_ckpt, map_location="cpu")
    m = DemoSamV1Obj()
    missing, unexpected = m.load_state_dict(sd, strict=False)
    assert not unexpected and all(k.startswith("decoder.obj_") for k in missing), (missing, unexpected)
    m.eval()
    for p in m.parameters():
        p.requires_grad_(False)
    return m


class Hook:
    def __init__(self, mod):
        self.x = None
        mod.register_forward_pre_hook(self)

    def __call__(self, mod, inp):
        self.x = inp[0].detach().clone()


@torch.no_grad()
def collect(model, seed, n512, n1024, k512=32, k1024=24, chunk=16):
    """Raw obj_iou_features (before normalization) [S,4,OBJ_IN], target IoU [S,4], old iou [S,4], on-object [S]."""
    # hook on obj_mlp's input gives the normalized features; with mean 0 / std 1 buffers they are the raw ones
    model.decoder.obj_mean.zero_()
    model.decoder.obj_std.fill_(1.0)
    hook = Hook(model.decoder.obj_mlp)
    old_hook = Hook(model.decoder.iou_mlp)
    rng = np.random.default_rng(seed)
    feats, tgts, olds, onobj = [], [], [], []
    t0 = time.time()
    plan = [512] * n512 + [1024] * n1024
    rng.shuffle(plan)
    for ii, C in enumerate(plan):
        x, lab, labC, se = sample_frame(rng, C)
        prompts, ids = sample_clicks(rng, lab, labC, se, k512 if C == 512 else k1024)
        emb = model.encoder(torch.from_numpy(x)[None])
        labT = torch.from_numpy(labC)
        for i in range(0, len(prompts), chunk):
            ps = prompts[i:i + chunk]
            co, la = data.pack_prompts(ps)
            P = co.shape[0]
            hl = emb.shape[2] * 4
            low, _ = model.decoder(emb.expand(P, -1, -1, -1), co, la, torch.zeros(P, 1, hl, hl), torch.zeros(P))
            up = F.interpolate(low, size=(C, C), mode="bilinear", align_corners=False) > 0
            t = torch.zeros(P, 4)
            for j, k in enumerate(ids[i:i + chunk]):
                if k > 0:
                    g = (labT == k)[None]
                    inter = (up[j] & g).sum((1, 2)).float()
                    union = (up[j] | g).sum((1, 2)).float()
                    t[j] = inter / union.clamp(min=1)
            feats.append(hook.x)
            tgts.append(t)
            olds.append(model.decoder.iou_mlp(old_hook.x).squeeze(2))
            onobj.append(torch.tensor([k > 0 for k in ids[i:i + chunk]]))
        if (ii + 1) % 10 == 0:
            print(f"  {ii + 1}/{len(plan)} images, {sum(len(o) for o in onobj)} clicks, {time.time() - t0:.0f}s",
                  flush=True)
    return {"feat": torch.cat(feats), "tgt": torch.cat(tgts), "old": torch.cat(olds), "onobj": torch.cat(onobj)}


def percentiles(pred, tgt, onobj):
    pm, tm = pred[:, 1:], tgt[:, 1:]
    good = pm[tm > 0.5]
    bg = pm[~onobj]
    q = lambda a: np.percentile(a.numpy(), [10, 50, 90]) if len(a) else [np.nan] * 3  # noqa: E731
    print("    pred IoU tokens 1-3 p10/p50/p90: good masks (true > 0.5, n=%d) %.2f/%.2f/%.2f; background clicks "
          "(n=%d) %.2f/%.2f/%.2f" % (len(good), *q(good), len(bg), *q(bg)))


def fit(args):
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    tr = torch.load(args.train)
    va = torch.load(args.val)
    model = load_obj(args.stage1)
    dec = model.decoder
    ftr = tr["feat"]
    mean = ftr.reshape(-1, ftr.shape[2]).mean(0)
    std = ftr.reshape(-1, ftr.shape[2]).std(0).clamp(min=1e-2)
    dec.obj_mean.copy_(mean)
    dec.obj_std.copy_(std)
    xtr = (ftr - mean) / std
    xva = (va["feat"] - mean) / std
    ttr, tva = tr["tgt"], va["tgt"]
    mlp = dec.obj_mlp
    torch.nn.init.zeros_(mlp[4].weight)
    mlp[4].bias.data.fill_(float(ttr.mean()))
    for p in mlp.parameters():
        p.requires_grad_(True)
    opt = torch.optim.AdamW(mlp.parameters(), lr=args.lr, weight_decay=args.wd)
    n, bs = len(xtr), 256
    steps = args.epochs * ((n + bs - 1) // bs)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    g = torch.Generator().manual_seed(args.seed)
    for ep in range(args.epochs):
        mlp.train()
        perm = torch.randperm(n, generator=g)
        tot = 0.0
        for i in range(0, n, bs):
            idx = perm[i:i + bs]
            pred = mlp(xtr[idx]).squeeze(2)
            t = ttr[idx]
            loss = ((pred - t) ** 2).mean()
            if args.bce > 0:  # "true IoU > 0.5" as a logistic term on (pred - 0.5)
                loss = loss + args.bce * F.binary_cross_entropy_with_logits((pred - 0.5) * 10.0, (t > 0.5).float())
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += float(loss) * len(idx)
        if ep % 25 == 0 or ep == args.epochs - 1:
            with torch.no_grad():
                vl = float(((mlp(xva).squeeze(2) - tva) ** 2).mean())
            print(f"epoch {ep} train loss {tot / n:.4f} val MSE {vl:.4f}", flush=True)
    mlp.eval()
    for p in mlp.parameters():
        p.requires_grad_(False)
    with torch.no_grad():  # as in the model: clamped to [0, 1]
        nva = dec.obj_iou(va["feat"])
        ntr = dec.obj_iou(ftr)
    print("--- held-out synthetic clicks ---")
    report("old (stage-1 head)", va["old"], tva, va["onobj"])
    percentiles(va["old"], tva, va["onobj"])
    report("new (obj head)", nva, tva, va["onobj"])
    percentiles(nva, tva, va["onobj"])
    print("--- training clicks ---")
    report("old", tr["old"], ttr, tr["onobj"])
    report("new", ntr, ttr, tr["onobj"])
    torch.save(model.state_dict(), args.out)
    # mask check: new vs stage-1 model
    sd1 = torch.load(args.stage1, map_location="cpu")
    sdn = model.state_dict()
    assert all(torch.equal(sd1[k], sdn[k]) for k in sd1), "stage-1 weights changed"
    print("saved", args.out, "(all stage-1 tensors identical; new:", [k for k in sdn if k not in sd1], ")")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("collect")
    c.add_argument("--stage1", default=os.path.join(HERE, "work", "model_stage1.pt"))
    c.add_argument("--seed", type=int, default=5150)
    c.add_argument("--n512", type=int, default=60)
    c.add_argument("--n1024", type=int, default=20)
    c.add_argument("--threads", type=int, default=2)
    c.add_argument("--out", required=True)
    f = sub.add_parser("fit")
    f.add_argument("--stage1", default=os.path.join(HERE, "work", "model_stage1.pt"))
    f.add_argument("--train", required=True)
    f.add_argument("--val", required=True)
    f.add_argument("--out", default=os.path.join(HERE, "work", "model_iouobj.pt"))
    f.add_argument("--seed", type=int, default=5150)
    f.add_argument("--epochs", type=int, default=150)
    f.add_argument("--lr", type=float, default=2e-3)
    f.add_argument("--wd", type=float, default=1e-3)
    f.add_argument("--bce", type=float, default=0.0)
    args = ap.parse_args()
    if args.cmd == "collect":
        torch.set_num_threads(args.threads)
        data.set_data_version("v1")
        t0 = time.time()
        model = load_obj(args.stage1)
        out = collect(model, args.seed, args.n512, args.n1024)
        torch.save(out, args.out)
        print(f"saved {args.out}: {len(out['tgt'])} clicks ({int(out['onobj'].sum())} on objects) "
              f"[{time.time() - t0:.0f}s]")
    else:
        fit(args)


if __name__ == "__main__":
    main()

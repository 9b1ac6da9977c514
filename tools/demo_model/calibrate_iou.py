"""Calibrate the IoU head of the stage-1 demo model for "segment everything" (SAM automatic mask generator).

What it does
  The stage-1 training only ever clicked on objects, so the decoder's IoU prediction is uncalibrated
  (every click, on an object or on background, gives ~0.23-0.31).  This script fine-tunes ONLY the
  decoder's IoU head (`decoder.iou_mlp`, 7.6 k parameters); every other parameter of encoder and decoder
  is frozen and the whole network runs in eval mode (BatchNorm statistics untouched), so the mask logits
  stay bit-identical.
  Data: synthetic images only (gen.py, stage-1/v1 data distribution), preprocessed with data.to_frame
  (resize to the 1024 frame, normalize, 10 % simulated zero padding as in data.make_batch), as 512 crops
  and full 1024 frames.  Single positive clicks (+ SAM padding point): 50 % on a random object pixel,
  50 % uniformly anywhere in the frame (like the automatic-mask-generator grid).  For each of the 4 output
  tokens the target is IoU(mask > 0, GT object under the click), 0 when the click is on background.
  The inputs of iou_mlp are cached (forward pre-hook) once, then the MLP is trained with MSE on the cache
  (Adam, starting from the shipped weights).  A held-out synthetic set (different seed) is used for the report.
  Saves a full checkpoint (same keys as model_stage1.pt) usable by export.py / pipeline.py.

How long: ~9 min on 2 CPU cores (538 s: feature collection ~8 min, MLP training ~40 s).

Command (from the repo root):
  /usr/bin/python3 tools/demo_model/calibrate_iou.py --ckpt tools/demo_model/work/model_stage1.pt \
      --out tools/demo_model/work/model_iou.pt
  /usr/bin/python3 tools/demo_model/eval_amg.py     # grid ("segment everything") F1 sweep, old vs new
  /usr/bin/python3 tools/demo_model/export.py --ckpt tools/demo_model/work/model_iou.pt
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
import gen  # noqa: E402
from model import DemoSamV1  # noqa: E402


def load(ckpt):
    sd = torch.load(ckpt, map_location="cpu")
    assert "encoder.e0.0.weight" in sd, "calibrate_iou.py is for the stage-1 (v1) model"
    m = DemoSamV1()
    m.load_state_dict(sd)
    m.eval()
    for p in m.parameters():
        p.requires_grad_(False)
    return m


def sample_frame(rng, C):
    """One synthetic image in the C x C crop of the 1024 frame (as data.make_batch, stage-1 data)."""
    while True:
        s = gen.sample_scale(rng)
        D = gen.sample_diam_1024(rng, rng.random() < 0.15)
        h0 = max(16, int(round(C / s)))
        img, lab, fa = gen.make_image(rng, h0, h0, D / (C / h0))
        c0 = None
        if rng.random() < 0.1:  # zero padding at the bottom/right of the 1024 frame
            c0 = int(h0 * rng.uniform(0.5, 0.95))
            pad_axis = rng.integers(2)
            if pad_axis == 0:
                lab[c0:, :] = 0
            else:
                lab[:, c0:] = 0
        x, labC, se = data.to_frame(img, lab, C)
        if c0 is not None:
            pc = int(np.floor(c0 * se + 0.5))
            if pad_axis == 0:
                x[:, pc:, :] = 0
                labC[pc:, :] = 0
            else:
                x[:, :, pc:] = 0
                labC[:, pc:] = 0
        if lab.max() > 0:
            return x, lab, labC, se


def sample_clicks(rng, lab, labC, se, n, p_obj=0.5):
    """n single clicks: p_obj on a random object pixel of the frame, else uniform anywhere.
    Returns prompts (1024-frame coords of an original pixel index, as data.py) and the object id under each."""
    C = labC.shape[0]
    h0, w0 = lab.shape
    fg = np.argwhere(labC > 0)
    out, ids = [], []
    for _ in range(n):
        if len(fg) and rng.random() < p_obj:
            fy, fx = fg[rng.integers(len(fg))]
        else:
            fy, fx = rng.integers(C), rng.integers(C)
        ox = min(w0 - 1, int(np.floor((fx + 0.5) / se)))
        oy = min(h0 - 1, int(np.floor((fy + 0.5) / se)))
        k = int(lab[oy, ox])  # object under the click (original pixel), 0 = background
        if k > 0 and not (labC == k).any():
            k = 0
        out.append([(ox * se, oy * se, 1)])
        ids.append(k)
    return out, ids


class FeatHook:
    def __init__(self, model):
        self.feat = None
        model.decoder.iou_mlp.register_forward_pre_hook(self)

    def __call__(self, mod, inp):
        self.feat = inp[0].detach().clone()


@torch.no_grad()
def collect(model, hook, seed, n512, n1024, k512, k1024, chunk=16, log=""):
    """Returns feat [S,4,F], target IoU [S,4], old predicted IoU [S,4], on_object [S] (bool)."""
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
            low, iou = model.decoder(emb.expand(P, -1, -1, -1), co, la, torch.zeros(P, 1, hl, hl), torch.zeros(P))
            up = F.interpolate(low, size=(C, C), mode="bilinear", align_corners=False) > 0  # [P,4,C,C]
            t = torch.zeros(P, 4)
            for j, k in enumerate(ids[i:i + chunk]):
                if k > 0:
                    g = (labT == k)[None]
                    inter = (up[j] & g).sum((1, 2)).float()
                    union = (up[j] | g).sum((1, 2)).float()
                    t[j] = inter / union.clamp(min=1)
            feats.append(hook.feat)
            tgts.append(t)
            olds.append(iou)
            onobj.append(torch.tensor([k > 0 for k in ids[i:i + chunk]]))
        if (ii + 1) % 20 == 0:
            print(f"  {log} {ii + 1}/{len(plan)} images, {sum(len(o) for o in onobj)} clicks, {time.time() - t0:.0f}s",
                  flush=True)
    return torch.cat(feats), torch.cat(tgts), torch.cat(olds), torch.cat(onobj)


def report(name, pred, tgt, onobj):
    p, t = pred.flatten().numpy(), tgt.flatten().numpy()
    corr = float(np.corrcoef(p, t)[0, 1])
    mse = float(((p - t) ** 2).mean())
    pm = pred[:, 1:]
    bg = float(pm[~onobj].mean()) if (~onobj).any() else float("nan")
    ob = float(pm[onobj].mean()) if onobj.any() else float("nan")
    tm = tgt[:, 1:]
    # multimask tokens only (what the grid uses)
    c13 = float(np.corrcoef(pm.flatten().numpy(), tm.flatten().numpy())[0, 1])
    # best token by predicted IoU vs oracle, on object clicks
    sel = tm[torch.arange(len(tm)), pm.argmax(1)]
    print(f"{name}: corr(all 4 tokens) {corr:.3f}  corr(tokens 1-3) {c13:.3f}  MSE {mse:.4f}  "
          f"mean pred IoU (tokens 1-3) background clicks {bg:.3f} / object clicks {ob:.3f}  "
          f"[true: {float(tm[~onobj].mean()):.3f} / {float(tm[onobj].mean()):.3f}]  "
          f"selected-token true IoU on objects {float(sel[onobj].mean()):.3f} (oracle {float(tm[onobj].max(1)[0].mean()):.3f})",
          flush=True)
    return corr, bg, ob


@torch.no_grad()
def mask_check(old, new, seed=99):
    """Max |diff| of the decoder mask logits (and embeddings) of the two models on synthetic inputs."""
    rng = np.random.default_rng(seed)
    dm, de, di = 0.0, 0.0, 0.0
    for C in (512, 1024):
        x, lab, labC, se = sample_frame(rng, C)
        prompts, _ = sample_clicks(rng, lab, labC, se, 6)
        x = torch.from_numpy(x)[None]
        e0, e1 = old.encoder(x), new.encoder(x)
        de = max(de, float((e0 - e1).abs().max()))
        co, la = data.pack_prompts(prompts)
        P = co.shape[0]
        hl = C // 4
        l0, i0 = old.decoder(e0.expand(P, -1, -1, -1), co, la, torch.zeros(P, 1, hl, hl), torch.zeros(P))
        l1, i1 = new.decoder(e1.expand(P, -1, -1, -1), co, la, torch.zeros(P, 1, hl, hl), torch.zeros(P))
        dm = max(dm, float((l0 - l1).abs().max()))
        di = max(di, float((i0 - i1).abs().max()))
    return de, dm, di


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default=os.path.join(HERE, "work", "model_stage1.pt"))
    ap.add_argument("--out", default=os.path.join(HERE, "work", "model_iou.pt"))
    ap.add_argument("--seed", type=int, default=5150)
    ap.add_argument("--val_seed", type=int, default=909090)
    ap.add_argument("--n512", type=int, default=90, help="training images as 512 crops (32 clicks each)")
    ap.add_argument("--n1024", type=int, default=30, help="training images as full 1024 frames (24 clicks each)")
    ap.add_argument("--epochs", type=int, default=300)
    ap.add_argument("--lr", type=float, default=2e-3)
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    data.set_data_version("v1")
    t0 = time.time()
    model = load(args.ckpt)
    hook = FeatHook(model)
    ftr, ttr, otr, btr = collect(model, hook, args.seed, args.n512, args.n1024, 32, 24, log="train")
    print(f"train set: {len(ftr)} clicks ({int(btr.sum())} on objects) [{time.time() - t0:.0f}s]", flush=True)
    fva, tva, ova, bva = collect(model, hook, args.val_seed, max(1, args.n512 // 4), max(1, args.n1024 // 4),
                                 32, 24, log="val")
    print(f"val set: {len(fva)} clicks ({int(bva.sum())} on objects) [{time.time() - t0:.0f}s]", flush=True)

    mlp = model.decoder.iou_mlp
    for p in mlp.parameters():
        p.requires_grad_(True)
    opt = torch.optim.Adam(mlp.parameters(), lr=args.lr, weight_decay=0.0)
    n = len(ftr)
    g = torch.Generator().manual_seed(args.seed)
    bs = 256
    steps = args.epochs * ((n + bs - 1) // bs)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    with torch.no_grad():
        print(f"old head val MSE {float(((mlp(fva).squeeze(2) - tva) ** 2).mean()):.4f}")
    for ep in range(args.epochs):
        perm = torch.randperm(n, generator=g)
        tot = 0.0
        for i in range(0, n, bs):
            idx = perm[i:i + bs]
            pred = mlp(ftr[idx]).squeeze(2)
            loss = ((pred - ttr[idx]) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += float(loss) * len(idx)
        if ep % 50 == 0 or ep == args.epochs - 1:
            with torch.no_grad():
                vl = float(((mlp(fva).squeeze(2) - tva) ** 2).mean())
            print(f"epoch {ep} train MSE {tot / n:.4f} val MSE {vl:.4f}", flush=True)
    for p in mlp.parameters():
        p.requires_grad_(False)
    with torch.no_grad():
        nva = mlp(fva).squeeze(2)
        ntr = mlp(ftr).squeeze(2)
    print("--- held-out synthetic clicks (val seed %d) ---" % args.val_seed)
    report("old", ova, tva, bva)
    report("new", nva, tva, bva)
    print("--- training clicks ---")
    report("old", otr, ttr, btr)
    report("new", ntr, ttr, btr)

    # save: the full state dict of the stage-1 checkpoint with only decoder.iou_mlp.* replaced
    sd_old = torch.load(args.ckpt, map_location="cpu")
    sd_new = model.state_dict()
    changed = [k for k in sd_old if not torch.equal(sd_old[k], sd_new[k])]
    assert set(sd_old) == set(sd_new) and all(k.startswith("decoder.iou_mlp.") for k in changed), changed
    torch.save(sd_new, args.out)
    print("changed tensors:", changed)
    de, dm, di = mask_check(load(args.ckpt), load(args.out))
    print(f"mask check (synthetic 512 + 1024 frames, 12 clicks): max|diff| embeddings {de} mask logits {dm}; "
          f"iou predictions differ by up to {di:.3f}")
    print(f"saved {args.out}  total {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()

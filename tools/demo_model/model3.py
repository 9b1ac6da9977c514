"""Demo v2 (issue 18) networks ("v3" architecture in the code; same SAM "Family A" ONNX interface).

Encoder: trainable conv U-Net (stride 2..16) + context path to stride 64 with global pooling.
  Embedding [B,256,64,64] = pixel_unshuffle(12 ch @ stride 4) (192 ch) ++ 64 ch @ stride 16.
Decoder: coarse U-Net at stride 16/32/64 on the stride-16 embedding + prompt maps, refinement at stride 8 and 4
  with the 12-ch stride-4 features; IoU head on pooled features + mask-logit statistics (ranking-trained).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from model import cbr, up2, render_prompts, PROMPT_C, NUM_MASKS

F4C3 = 12
C163 = 256 - 16 * F4C3  # 64


def cbr1(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Encoder3(nn.Module):
    def __init__(self):
        super().__init__()
        self.e0 = cbr(3, 16, 2)  # /2
        self.e1 = nn.Sequential(cbr(16, 32, 2), cbr(32, 32))  # /4
        self.e2 = nn.Sequential(cbr(32, 48, 2), cbr(48, 48))  # /8
        self.e3 = nn.Sequential(cbr(48, 64, 2), cbr(64, 64, dil=2), cbr(64, 64, dil=4))  # /16
        self.e4 = nn.Sequential(cbr(64, 80, 2), cbr(80, 80, dil=2))  # /32
        self.e5 = nn.Sequential(cbr(80, 80, 2), cbr(80, 80, dil=2))  # /64
        self.glob = nn.Linear(80, 80)
        self.g32 = cbr(80 + 80, 80)
        self.g16 = cbr(80 + 64, 80)
        self.out16 = nn.Conv2d(80, C163, 1)
        self.d8 = cbr(80 + 48, 48)
        self.d4 = nn.Sequential(cbr(48 + 32, 32), cbr(32, 24))
        self.out4 = nn.Conv2d(24, F4C3, 1)

    def forward(self, x):
        a = self.e1(self.e0(x))
        b = self.e2(a)
        c = self.e3(b)
        x32 = self.e4(c)
        x64 = self.e5(x32)
        x64 = x64 + F.relu(self.glob(x64.mean(dim=(2, 3)))).unsqueeze(2).unsqueeze(3)
        y32 = self.g32(torch.cat([up2(x64), x32], 1))
        y16 = self.g16(torch.cat([up2(y32), c], 1))
        y8 = self.d8(torch.cat([up2(y16), b], 1))
        y4 = self.d4(torch.cat([up2(y8), a], 1))
        return torch.cat([F.pixel_unshuffle(self.out4(y4), 4), self.out16(y16)], 1)


N_STATS = 8


def logit_stats(logits):
    """Per-mask statistics of the stride-4 logits [B,4,h,w] -> [B,4,N_STATS] (cheap, for the IoU head)."""
    m = (logits > 0).float()
    a = m.flatten(2).sum(2)
    hw = float(logits.shape[2] * logits.shape[3])
    dil = F.max_pool2d(m, 5, 1, 2)
    ring = dil - m
    ar = ring.flatten(2).sum(2)
    lf = logits.flatten(2)
    l_in = (lf * m.flatten(2)).sum(2) / (a + 1.0)
    l_ring = (lf * ring.flatten(2)).sum(2) / (ar + 1.0)
    f1 = ((lf > 1.0).float()).sum(2) / ((lf > -1.0).float().sum(2) + 1.0)  # stability-like
    lmax = lf.max(2)[0]
    return torch.stack([
        torch.log(a + 1.0) / 8.0, torch.log(ar + 1.0) / 8.0 - torch.log(a + 1.0) / 8.0, a / hw,
        torch.tanh(l_in / 4.0), torch.tanh(l_ring / 4.0), f1, torch.tanh(lmax / 4.0), (a > 0).float()], 2)


class Decoder3(nn.Module):
    def __init__(self):
        super().__init__()
        P = PROMPT_C
        self.in16 = nn.Sequential(cbr1(C163 + P, 64), cbr(64, 64))
        self.d32 = nn.Sequential(cbr(64, 64, 2), cbr(64, 64))
        self.d64 = nn.Sequential(cbr(64, 64, 2), cbr(64, 64, dil=2), cbr(64, 64, dil=4))
        self.glob = nn.Linear(64, 64)
        self.u32 = cbr(64 + 64, 64)
        self.u16 = cbr(64 + 64, 48)
        self.head16 = nn.Conv2d(48, NUM_MASKS, 1)
        self.r8 = nn.Sequential(cbr1(48 + 4 * F4C3 + P + NUM_MASKS, 32), cbr(32, 32), cbr1(32, 12))
        self.r4 = nn.Sequential(cbr(12 + F4C3 + 4 + NUM_MASKS, 12), cbr(12, 12))
        self.head4 = nn.Conv2d(12, NUM_MASKS, 1)
        # direct path from the box maps (box_in, inscribed ellipse, normalized edge distance; zero without a box) to
        # the logits: the inscribed-ellipse prior for small boxed objects (added in the fine-tune, zero-initialized)
        self.boxskip = nn.Conv2d(3, NUM_MASKS, 1, bias=False)
        nn.init.zeros_(self.boxskip.weight)
        self.iou3 = nn.Sequential(nn.Linear(64 + 48 * 2 + 1 + NUM_MASKS + N_STATS + 3, 64), nn.ReLU(inplace=True),
                                  nn.Linear(64, 32), nn.ReLU(inplace=True), nn.Linear(32, 1))

    def forward(self, emb, coords, labels, mask_input, has_mask, aux=False):
        f4 = F.pixel_shuffle(emb[:, : 16 * F4C3], 4)  # [B,12,hl,wl]
        e16 = emb[:, 16 * F4C3:]
        B, _, hl, wl = f4.shape
        if mask_input.shape[0] != B:
            mask_input = mask_input.expand(B, -1, -1, -1)
        pm4 = render_prompts(coords, labels, mask_input, has_mask, hl, wl, stride=4)  # [B,16,hl,wl]
        pm8 = F.avg_pool2d(pm4, 2)
        pm16 = F.avg_pool2d(pm8, 2)
        x16 = self.in16(torch.cat([e16, pm16], 1))
        x32 = self.d32(x16)
        x64 = self.d64(x32)
        x64 = x64 + F.relu(self.glob(x64.mean(dim=(2, 3)))).unsqueeze(2).unsqueeze(3)
        y = self.u32(torch.cat([up2(x64), x32], 1))
        y16 = self.u16(torch.cat([up2(y), x16], 1))
        l16 = self.head16(y16)
        l8 = up2(l16)
        z8 = self.r8(torch.cat([up2(y16), F.pixel_unshuffle(f4, 2), pm8, l8], 1))
        l4 = up2(l8)
        sel = torch.cat([pm4[:, 0:1], pm4[:, 2:3], pm4[:, 6:7], pm4[:, 14:15]], 1)
        z4 = self.r4(torch.cat([up2(z8), f4, sel, l4], 1))
        logits = self.head4(z4) + l4 + self.boxskip(pm4[:, 6:9])
        # IoU head: global context, features pooled inside / outside each mask, area, logit statistics, prompt flags
        g = x64.mean(dim=(2, 3))
        prob = F.avg_pool2d(torch.sigmoid(logits), 4).flatten(2)
        yf = y16.flatten(2)
        area = prob.sum(2, keepdim=True)
        hw = float(yf.shape[2]) if isinstance(yf.shape[2], int) else yf.shape[2]
        tot = yf.sum(2).unsqueeze(1)
        fin = torch.matmul(prob, yf.transpose(1, 2))
        fout = tot - fin
        fin = fin / (area + 1.0)
        fout = fout / (hw - area + 1.0)
        gg = g.unsqueeze(1).expand(-1, NUM_MASKS, -1)
        tok = torch.eye(NUM_MASKS).unsqueeze(0).expand(B, -1, -1)
        flags = torch.stack([pm4[:, 11, 0, 0], pm4[:, 12, 0, 0], pm4[:, 15, 0, 0]], 1)  # box, pos point, mask input
        flags = flags.unsqueeze(1).expand(-1, NUM_MASKS, -1)
        feat = torch.cat([gg, fin, fout, torch.log(area + 1.0) / 6.0, tok, logit_stats(logits), flags], 2)
        iou = self.iou3(feat).squeeze(2)
        if aux:
            return logits, iou, l16
        return logits, iou


class DemoSam3(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = Encoder3()
        self.decoder = Decoder3()

    def load_state_dict(self, sd, strict=True):
        """Checkpoints of the first run (before decoder.boxskip existed) load with a zero box skip (identical outputs)."""
        sd = dict(sd)
        if "decoder.boxskip.weight" not in sd:
            sd["decoder.boxskip.weight"] = torch.zeros_like(self.decoder.boxskip.weight)
        return super().load_state_dict(sd, strict)

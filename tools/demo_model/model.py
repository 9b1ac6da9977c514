"""Tiny promptable segmentation model with SAM's ONNX interface ("Family A").

Encoder: [B,3,1024,1024] normalized image -> [B,256,64,64] (16 ch @ stride 4, pixel-unshuffled by 4).
Decoder: embeddings + prompts (points / box / mask) -> 4 low-res mask logits at stride 4 + 4 IoU predictions.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

FEAT_C = 16  # channels of the stride-4 feature map
LOWRES_STRIDE = 4  # low-res mask / feature map stride in the 1024 frame
NUM_MASKS = 4


def cbr(cin, cout, stride=1, dil=1):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride=stride, padding=dil, dilation=dil, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


def up2(x):
    return F.interpolate(x, scale_factor=2.0, mode="bilinear", align_corners=False)


class Stage1Encoder(nn.Module):
    """Stage-1 encoder (kept as the frozen trunk of the v2 encoder)."""
    def __init__(self):
        super().__init__()
        self.e0 = cbr(3, 16, 2)  # /2
        self.e1 = nn.Sequential(cbr(16, 24, 2), cbr(24, 24))  # /4
        self.e2 = nn.Sequential(cbr(24, 32, 2), cbr(32, 32))  # /8
        self.e3 = nn.Sequential(cbr(32, 48, 2), cbr(48, 48, dil=2), cbr(48, 48, dil=4))  # /16
        self.d2 = cbr(48 + 32, 32)
        self.d1 = cbr(32 + 24, 24)
        self.out = nn.Conv2d(24, FEAT_C, 1)

    def features(self, x):
        a = self.e1(self.e0(x))
        b = self.e2(a)
        c = self.e3(b)
        d = self.d2(torch.cat([up2(c), b], 1))
        d = self.d1(torch.cat([up2(d), a], 1))
        return self.out(d)  # [B,16,H/4,W/4]

    def forward(self, x):
        return F.pixel_unshuffle(self.features(x), 4)  # [B,256,H/16,W/16]


PROMPT_C = 16


def render_prompts(coords, labels, mask_input, has_mask, hl, wl, stride=LOWRES_STRIDE):
    """Render prompts as maps on the low-res grid.

    coords [B,N,2] (x,y) in the 1024 frame (pixel index * scale, as SAM), labels [B,N],
    mask_input [B,1,hl,wl], has_mask [B] or [1].  Returns [B,PROMPT_C,hl,wl].
    """
    B = coords.shape[0]
    p = coords + 0.5  # as SAM: pixel centers
    gy = (torch.arange(hl, dtype=torch.float32) + 0.5) * stride
    gx = (torch.arange(wl, dtype=torch.float32) + 0.5) * stride
    GY = gy.view(1, hl, 1, 1)
    GX = gx.view(1, 1, wl, 1)
    px = p[:, :, 0].reshape(B, 1, 1, -1)
    py = p[:, :, 1].reshape(B, 1, 1, -1)
    d2 = (GX - px) ** 2 + (GY - py) ** 2  # [B,hl,wl,N]
    lab = labels.reshape(B, 1, 1, -1)
    pos = (lab == 1).float()
    neg = (lab == 0).float()
    gs = torch.exp(-d2 / (2 * 6.0 ** 2))
    gl = torch.exp(-d2 / (2 * 24.0 ** 2))
    dist = torch.sqrt(d2 + 1e-6)
    gs_pos = torch.max(gs * pos, dim=3)[0]
    gl_pos = torch.max(gl * pos, dim=3)[0]
    gs_neg = torch.max(gs * neg, dim=3)[0]
    gl_neg = torch.max(gl * neg, dim=3)[0]
    d_pos = torch.clamp(torch.min(dist + (1 - pos) * 1e4, dim=3)[0] / 64.0, max=4.0)
    d_neg = torch.clamp(torch.min(dist + (1 - neg) * 1e4, dim=3)[0] / 64.0, max=4.0)
    has_pos = torch.clamp(pos.sum(3), max=1.0)  # [B,1,1]
    has_neg = torch.clamp(neg.sum(3), max=1.0)
    # box
    l2 = (labels == 2).float().unsqueeze(2)  # [B,N,1]
    l3 = (labels == 3).float().unsqueeze(2)
    tl = (p * l2).sum(1)  # [B,2]
    br = (p * l3).sum(1)
    has_box = torch.clamp(l2.sum(1), max=1.0).reshape(B, 1, 1)  # [B,1,1]
    x0 = tl[:, 0].reshape(B, 1, 1)
    y0 = tl[:, 1].reshape(B, 1, 1)
    x1 = br[:, 0].reshape(B, 1, 1)
    y1 = br[:, 1].reshape(B, 1, 1)
    gx2 = gx.view(1, 1, wl)
    gy2 = gy.view(1, hl, 1)
    bw = torch.clamp(x1 - x0, min=1.0)
    bh = torch.clamp(y1 - y0, min=1.0)
    cx = (x0 + x1) / 2
    cy = (y0 + y1) / 2
    u = (gx2 - cx) / (bw / 2)
    v = (gy2 - cy) / (bh / 2)
    ell = torch.clamp(1 - torch.sqrt(u * u + v * v + 1e-6), -1.0, 1.0)
    edge = torch.min(torch.min(gx2 - x0, x1 - gx2), torch.min(gy2 - y0, y1 - gy2))
    box_in = torch.sigmoid(edge / 4.0)
    edge_n = torch.clamp(edge / (torch.min(bw, bh) / 2), -1.0, 1.0)
    u = torch.clamp(u, -2.0, 2.0)
    v = torch.clamp(v, -2.0, 2.0)
    hm = has_mask.reshape(-1, 1, 1, 1).float()
    m = torch.tanh(mask_input / 4.0) * hm
    ones = torch.ones_like(gs_pos)
    zeros = torch.zeros_like(gs_pos)
    u = u + zeros
    v = v + zeros
    maps = [
        gs_pos, gl_pos, gs_neg, gl_neg, d_pos, d_neg,
        box_in * has_box, ell * has_box, edge_n * has_box, u * has_box, v * has_box,
        ones * has_box, ones * has_pos, ones * has_neg,
    ]
    x = torch.stack(maps, 1)  # [B,14,hl,wl]
    x = torch.cat([x, m, ones.unsqueeze(1) * hm], 1)
    return x


class Stage1Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        cin = FEAT_C + PROMPT_C
        self.l0 = nn.Sequential(cbr(cin, 24), cbr(24, 24))
        self.l1 = nn.Sequential(cbr(24, 32, 2), cbr(32, 32))
        self.l2 = nn.Sequential(cbr(32, 48, 2), cbr(48, 48))
        self.l3 = nn.Sequential(cbr(48, 64, 2), cbr(64, 64, dil=2))
        self.l4 = nn.Sequential(cbr(64, 64, 2), cbr(64, 64, dil=2), cbr(64, 64, dil=2))
        self.u3 = cbr(64 + 64, 64)
        self.u2 = cbr(64 + 48, 48)
        self.u1 = cbr(48 + 32, 32)
        self.u0 = nn.Sequential(cbr(32 + 24, 24), cbr(24, 24))
        self.head = nn.Conv2d(24, NUM_MASKS, 1)
        # IoU head: global context + per-mask pooled features + mask area
        self.iou_mlp = nn.Sequential(nn.Linear(64 + 24 * 2 + 1 + NUM_MASKS, 64), nn.ReLU(inplace=True), nn.Linear(64, 1))

    def run(self, emb, coords, labels, mask_input, has_mask):
        """Mask logits, stage-1 IoU and the intermediates the objectness head reads."""
        f = F.pixel_shuffle(emb, 4)  # [B,16,hl,wl]
        B, _, hl, wl = f.shape
        if mask_input.shape[0] != B:
            mask_input = mask_input.expand(B, -1, -1, -1)
        pm = render_prompts(coords, labels, mask_input, has_mask, hl, wl)
        x0 = self.l0(torch.cat([f, pm], 1))
        x1 = self.l1(x0)
        x2 = self.l2(x1)
        x3 = self.l3(x2)
        x4 = self.l4(x3)
        y = self.u3(torch.cat([up2(x4), x3], 1))
        y = self.u2(torch.cat([up2(y), x2], 1))
        y = self.u1(torch.cat([up2(y), x1], 1))
        y = self.u0(torch.cat([up2(y), x0], 1))
        logits = self.head(y)  # [B,4,hl,wl]
        # IoU prediction
        g = x4.mean(dim=(2, 3))  # [B,64]
        prob = torch.sigmoid(logits).flatten(2)  # [B,4,HW]
        yf = y.flatten(2)  # [B,24,HW]
        area = prob.sum(2, keepdim=True)  # [B,4,1]
        hw = float(hl * wl) if isinstance(hl, int) else (hl * wl)
        tot = yf.sum(2).unsqueeze(1)  # [B,1,24]
        fin = torch.matmul(prob, yf.transpose(1, 2))  # [B,4,24]
        fout = tot - fin
        fin = fin / (area + 1.0)
        fout = fout / (hw - area + 1.0)
        gg = g.unsqueeze(1).expand(-1, NUM_MASKS, -1)
        tok = torch.eye(NUM_MASKS).unsqueeze(0).expand(B, -1, -1)
        feat = torch.cat([gg, fin, fout, torch.log(area + 1.0) / 8.0, tok], 2)
        iou = self.iou_mlp(feat).squeeze(2)  # [B,4]
        return logits, iou, f, y, pm, feat

    def forward(self, emb, coords, labels, mask_input, has_mask):
        return self.run(emb, coords, labels, mask_input, has_mask)[:2]


class DemoSamV1(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = Stage1Encoder()
        self.decoder = Stage1Decoder()


F4C = 8  # channels of the stride-4 part of the v2 embedding (8*16 = 128 embedding channels)
C16 = 128  # channels of the stride-16 part of the v2 embedding


class Encoder(nn.Module):
    """v2 encoder: stage-1 conv U-Net trunk (stride 4..16) + a context path down to stride 64 with
    dilated convs and global pooling (receptive field = whole 1024 frame).
    Embedding [B,256,64,64] = pixel_unshuffle(8 ch @ stride 4) (128 ch) ++ 128 ch @ stride 16."""

    def __init__(self):
        super().__init__()
        self.trunk = Stage1Encoder()
        self.freeze_trunk = False
        self.f4a = cbr(24 + FEAT_C, 16)
        self.f4b = nn.Conv2d(16, F4C, 1)
        self.c16 = nn.Sequential(cbr(48 + 32, 64), cbr(64, 64, dil=2))
        self.c32 = nn.Sequential(cbr(64, 96, 2), cbr(96, 96, dil=2))
        self.c64 = nn.Sequential(cbr(96, 96, 2), cbr(96, 96, dil=2))
        self.glob = nn.Linear(96, 96)
        self.g32 = cbr(96 + 96, 64)
        self.g16 = cbr(64 + 64, 96)
        self.out16 = nn.Conv2d(96, C16, 1)

    def trunk_forward(self, x):
        t = self.trunk
        a = t.e1(t.e0(x))
        b = t.e2(a)
        c = t.e3(b)
        d8 = t.d2(torch.cat([up2(c), b], 1))
        d4 = t.d1(torch.cat([up2(d8), a], 1))
        return c, d8, d4, t.out(d4)

    def forward(self, x):
        if self.freeze_trunk:
            with torch.no_grad():
                c, d8, d4, o4 = self.trunk_forward(x)
        else:
            c, d8, d4, o4 = self.trunk_forward(x)
        f4 = self.f4b(self.f4a(torch.cat([d4, o4], 1)))
        x16 = self.c16(torch.cat([c, F.avg_pool2d(d8, 2)], 1))
        x32 = self.c32(x16)
        x64 = self.c64(x32)
        x64 = x64 + F.relu(self.glob(x64.mean(dim=(2, 3)))).unsqueeze(2).unsqueeze(3)
        y32 = self.g32(torch.cat([up2(x64), x32], 1))
        y16 = self.g16(torch.cat([up2(y32), x16], 1))
        return torch.cat([F.pixel_unshuffle(f4, 4), self.out16(y16)], 1)


def cbr1(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Decoder(nn.Module):
    """v2 decoder: coarse U-Net at stride 16/32/64 (+ global context) on the stride-16 embedding and
    the prompt maps, then light refinement at stride 8 and stride 4 with the stride-4 embedding part.
    Returns low-res logits [B,4,hl,wl] (stride 4), iou [B,4] and (for training) coarse logits at stride 16."""

    def __init__(self):
        super().__init__()
        P = PROMPT_C
        self.in16 = nn.Sequential(cbr1(C16 + P, 64), cbr(64, 64))
        self.d32 = nn.Sequential(cbr(64, 64, 2), cbr(64, 64))
        self.d64 = nn.Sequential(cbr(64, 64, 2), cbr(64, 64, dil=2), cbr(64, 64, dil=4))
        self.glob = nn.Linear(64, 64)
        self.u32 = cbr(64 + 64, 64)
        self.u16 = cbr(64 + 64, 48)
        self.head16 = nn.Conv2d(48, NUM_MASKS, 1)
        self.r8 = nn.Sequential(cbr1(48 + 4 * F4C + P + NUM_MASKS, 32), cbr(32, 32), cbr1(32, 12))
        self.r4 = nn.Sequential(cbr(12 + F4C + 4 + NUM_MASKS, 12), cbr(12, 12))
        self.head4 = nn.Conv2d(12, NUM_MASKS, 1)
        self.iou_mlp = nn.Sequential(nn.Linear(64 + 48 * 2 + 1 + NUM_MASKS, 64), nn.ReLU(inplace=True), nn.Linear(64, 1))

    def forward(self, emb, coords, labels, mask_input, has_mask, aux=False):
        f4 = F.pixel_shuffle(emb[:, : 16 * F4C], 4)  # [B,8,hl,wl]
        e16 = emb[:, 16 * F4C:]
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
        logits = self.head4(z4) + l4
        # IoU prediction on the stride-16 features
        g = x64.mean(dim=(2, 3))  # [B,64]
        prob = F.avg_pool2d(torch.sigmoid(logits), 4).flatten(2)  # [B,4,HW16]
        yf = y16.flatten(2)  # [B,48,HW16]
        area = prob.sum(2, keepdim=True)
        hw = float(yf.shape[2]) if isinstance(yf.shape[2], int) else yf.shape[2]
        tot = yf.sum(2).unsqueeze(1)
        fin = torch.matmul(prob, yf.transpose(1, 2))
        fout = tot - fin
        fin = fin / (area + 1.0)
        fout = fout / (hw - area + 1.0)
        gg = g.unsqueeze(1).expand(-1, NUM_MASKS, -1)
        tok = torch.eye(NUM_MASKS).unsqueeze(0).expand(B, -1, -1)
        feat = torch.cat([gg, fin, fout, torch.log(area + 1.0) / 6.0, tok], 2)
        iou = self.iou_mlp(feat).squeeze(2)
        if aux:
            return logits, iou, l16
        return logits, iou


class DemoSam(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = Encoder()
        self.decoder = Decoder()

    def load_stage1_trunk(self, path):
        sd = torch.load(path, map_location="cpu")
        enc = {k[len("encoder."):]: v for k, v in sd.items() if k.startswith("encoder.")}
        self.encoder.trunk.load_state_dict(enc)


# ----------------------------------------------------------------------------------------------
# ONNX wrappers (SAM interface)


class EncoderOnnx(nn.Module):
    def __init__(self, enc):
        super().__init__()
        self.enc = enc

    def forward(self, input_image):
        return self.enc(input_image)


def resize_longest_image_size(input_image_size, longest_side):
    input_image_size = input_image_size.to(torch.float32)
    scale = longest_side / torch.max(input_image_size)
    transformed_size = scale * input_image_size
    transformed_size = torch.floor(transformed_size + 0.5).to(torch.int64)
    return transformed_size


def mask_postprocessing(masks, orig_im_size, img_size=1024):
    """Exactly as segment_anything.utils.onnx.SamOnnxModel.mask_postprocessing."""
    masks = F.interpolate(masks, size=(img_size, img_size), mode="bilinear", align_corners=False)
    prepadded_size = resize_longest_image_size(orig_im_size, img_size).to(torch.int64)
    masks = masks[..., : prepadded_size[0], : prepadded_size[1]]
    orig_im_size = orig_im_size.to(torch.int64)
    h, w = orig_im_size[0], orig_im_size[1]
    masks = F.interpolate(masks, size=(h, w), mode="bilinear", align_corners=False)
    return masks


class DecoderOnnx(nn.Module):
    def __init__(self, dec):
        super().__init__()
        self.dec = dec

    def forward(self, image_embeddings, point_coords, point_labels, mask_input, has_mask_input, orig_im_size):
        low, iou = self.dec(image_embeddings, point_coords, point_labels, mask_input, has_mask_input)
        masks = mask_postprocessing(low, orig_im_size)
        return masks, iou, low


# ----------------------------------------------------------------------------------------------
# Candidate (not shipped): stage-1 decoder with an objectness-aware IoU head ("iouobj").
# Every mask-producing weight is the stage-1 one (frozen); only the IoU prediction changes.

OBJ_IN = 64 + 24 * 2 + 1 + NUM_MASKS + 1 + 40 * 3 + 12  # old iou_mlp input, old iou, pooled feats, mask stats


def obj_iou_features(f, y, logits, pm, feat_old, iou_old):
    """Per-mask objectness cues for the IoU head (all from frozen tensors, no gradient needed).
    f: encoder features [B,16,hl,wl]; y: last decoder features [B,24,hl,wl]; logits [B,4,hl,wl];
    pm: prompt maps [B,16,hl,wl]; feat_old: iou_mlp input [B,4,117]; iou_old [B,4].  Returns [B,4,OBJ_IN]."""
    B = logits.shape[0]
    m = (logits > 0).float()  # hard mask at stride 4
    dil = F.max_pool2d(m, 5, 1, 2)  # dilated by 2 low-res px (8 px in the 1024 frame)
    ero = 1.0 - F.max_pool2d(1.0 - m, 3, 1, 1)  # eroded by 1 px
    ring = dil - m  # just outside the mask
    band = m - ero  # inner boundary band
    fy = torch.cat([y, f], 1).flatten(2).transpose(1, 2)  # [B,HW,40]
    mf = m.flatten(2)
    rf = ring.flatten(2)
    a_m = mf.sum(2, keepdim=True)
    a_r = rf.sum(2, keepdim=True)
    a_b = band.flatten(2).sum(2, keepdim=True)
    fin = torch.matmul(mf, fy) / (a_m + 1.0)  # [B,4,40]
    fring = torch.matmul(rf, fy) / (a_r + 1.0)
    gstd = fy.std(1, keepdim=True) + 1e-3  # [B,1,40] image-level spread
    contrast = (fin - fring) / gstd
    lf = logits.flatten(2)
    bnd = (rf + band.flatten(2))
    a_bnd = bnd.sum(2, keepdim=True)
    l_in = (lf * mf).sum(2, keepdim=True) / (a_m + 1.0)
    l_ring = (lf * rf).sum(2, keepdim=True) / (a_r + 1.0)
    l_bnd = (lf.abs() * bnd).sum(2, keepdim=True) / (a_bnd + 1.0)
    l_max = lf.max(2, keepdim=True)[0]
    f1 = ((lf > 1.0).float() * mf).sum(2, keepdim=True) / (a_m + 1.0)
    f2 = ((lf > 2.0).float() * mf).sum(2, keepdim=True) / (a_m + 1.0)
    fneg = ((lf > -1.0).float()).sum(2, keepdim=True)
    stab = ((lf > 1.0).float()).sum(2, keepdim=True) / (fneg + 1.0)
    gs = pm[:, 0:1].flatten(2)  # small Gaussian of the positive click(s)
    click_cov = (mf * gs).sum(2, keepdim=True) / (gs.sum(2, keepdim=True) + 1e-3)
    has_pos = pm[:, 12:13].flatten(2)[:, :, :1].expand(-1, NUM_MASKS, -1)
    has_box = pm[:, 11:12].flatten(2)[:, :, :1].expand(-1, NUM_MASKS, -1)
    stats = torch.cat([
        l_in / 4.0, l_ring / 4.0, l_bnd / 4.0, l_max / 4.0, f1, f2, stab, click_cov,
        torch.log(a_r + 1.0) / 8.0 - torch.log(a_m + 1.0) / 8.0, a_b / (a_m + 1.0), has_pos, has_box], 2)
    return torch.cat([feat_old, iou_old.unsqueeze(2), fin, fring, contrast, stats], 2)


class Stage1DecoderObj(Stage1Decoder):
    """Stage1Decoder with the same mask path (bit-identical logits) and a new IoU head `obj_mlp` fed with
    objectness cues (obj_iou_features).  The old `iou_mlp` is kept (its output is one of the inputs)."""

    def __init__(self):
        super().__init__()
        self.obj_mlp = nn.Sequential(nn.Linear(OBJ_IN, 64), nn.ReLU(inplace=True), nn.Linear(64, 32),
                                     nn.ReLU(inplace=True), nn.Linear(32, 1))
        self.register_buffer("obj_mean", torch.zeros(OBJ_IN))
        self.register_buffer("obj_std", torch.ones(OBJ_IN))

    def forward(self, emb, coords, labels, mask_input, has_mask):
        logits, iou_old, f, y, pm, feat = self.run(emb, coords, labels, mask_input, has_mask)
        # --- new IoU head ---
        of = obj_iou_features(f, y, logits, pm, feat, iou_old)
        iou_new = self.obj_iou(of)
        # the new head was trained on single-click prompts only (no box, no mask input): other prompts keep
        # the stage-1 IoU prediction
        has_box = pm[:, 11, 0, 0].unsqueeze(1)  # [B,1]
        hm = has_mask.reshape(-1, 1).float()
        gate = (1.0 - has_box) * (1.0 - hm)
        iou = gate * iou_new + (1.0 - gate) * iou_old
        return logits, iou

    def obj_iou(self, of):
        """New IoU prediction from raw obj_iou_features [B,4,OBJ_IN] -> [B,4], clamped to [0, 1]."""
        return torch.clamp(self.obj_mlp((of - self.obj_mean) / self.obj_std).squeeze(2), 0.0, 1.0)


class DemoSamV1Obj(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = Stage1Encoder()
        self.decoder = Stage1DecoderObj()


def make_model(sd):
    """Model class for a state dict: stage-1 (v1), stage-1 + objectness IoU head, or v2."""
    if "decoder.obj_mlp.0.weight" in sd:
        return DemoSamV1Obj()
    if "decoder.iou3.0.weight" in sd:  # demo v2 (issue 18), model3.py
        from model3 import DemoSam3
        return DemoSam3()
    return DemoSamV1() if "encoder.e0.0.weight" in sd else DemoSam()

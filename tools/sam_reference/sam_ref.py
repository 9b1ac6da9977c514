"""AnySeg's own reference implementation of Segment Anything (SAM v1) inference.

Functional PyTorch (1.13) code that runs a state dict with the key names of Meta's official
checkpoints (`image_encoder.*`, `prompt_encoder.*`, `mask_decoder.*`), with the configuration
recognised from the tensor shapes (`config_from_state_dict`), and the image / prompt / mask
pipeline of the official `SamPredictor` (`SamRef.set_image`, `SamRef.predict`).

It is the reference for the Java ONNX graph builder: tools/fixtures/make_sam_checkpoint.py
writes its outputs as fixtures, and tools/fixtures/SPEC_sam_checkpoint.md documents the rules
and how closely this code agrees with Meta's implementation.

Conventions (the same as Meta's code):
- images are HxWx3 uint8 RGB numpy arrays; points are (x, y) in pixels, x right, y down;
  boxes are [x0, y0, x1, y1] in pixels; labels 1 = foreground, 0 = background;
- the mask decoder always computes all mask tokens ("all_tokens"); token 0 is the single-mask
  output (multimask_output=False), tokens 1.. are the multimask outputs.
"""
from collections import OrderedDict
import math

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

PIXEL_MEAN = (123.675, 116.28, 103.53)   # not stored in checkpoints (non-persistent buffers)
PIXEL_STD = (58.395, 57.12, 57.375)
MASK_THRESHOLD = 0.0                     # mask = logit > 0 (strict)
DECODER_HEADS = 8                        # not recoverable from shapes; official value
ENCODER_LN_EPS = 1e-6                    # encoder LayerNorms (norm_layer partial(eps=1e-6))
LN2D_EPS = 1e-6                          # every LayerNorm2d (neck, mask downscaling, upscaling)
DECODER_LN_EPS = 1e-5                    # nn.LayerNorm default, two-way transformer norms

# Official architectures (build_sam.py); the tiny fixture's is in make_sam_checkpoint.TINY.
CONFIGS = {
    "vit_b": dict(embed_dim=768, depth=12, heads=12, global_blocks=[2, 5, 8, 11]),
    "vit_l": dict(embed_dim=1024, depth=24, heads=16, global_blocks=[5, 11, 17, 23]),
    "vit_h": dict(embed_dim=1280, depth=32, heads=16, global_blocks=[7, 15, 23, 31]),
}


def full_config(name_or_dict):
    """A complete config dict (the keys config_from_state_dict returns) for an official name
    or a partial dict; missing entries take the official SAM values."""
    c = dict(CONFIGS[name_or_dict]) if isinstance(name_or_dict, str) else dict(name_or_dict)
    c.setdefault("img_size", 1024)
    c.setdefault("patch_size", 16)
    c.setdefault("in_chans", 3)
    c.setdefault("window_size", 14)
    c.setdefault("mlp_dim", 4 * c["embed_dim"])
    c.setdefault("qkv_bias", True)
    c.setdefault("prompt_embed_dim", 256)
    c.setdefault("mask_in_chans", 16)
    c.setdefault("decoder_dim", c["prompt_embed_dim"])
    c.setdefault("decoder_depth", 2)
    c.setdefault("decoder_mlp_dim", 2048)
    c.setdefault("decoder_heads", DECODER_HEADS)
    c.setdefault("attention_downsample_rate", 2)
    c.setdefault("num_mask_tokens", 4)
    c.setdefault("iou_head_depth", 3)
    c.setdefault("iou_head_hidden_dim", 256)
    c.setdefault("hypernet_depth", 3)
    c["grid"] = c["img_size"] // c["patch_size"]
    c["head_dim"] = c["embed_dim"] // c["heads"]
    c["global_blocks"] = sorted(c["global_blocks"])
    return c


# ---------------------------------------------------------------------------------------------
# Configuration from shapes
# ---------------------------------------------------------------------------------------------
def _count(sd, prefix):
    """Number of consecutive indices i with some key starting with prefix + 'i.'."""
    n = 0
    while any(k.startswith("%s%d." % (prefix, n)) for k in sd):
        n += 1
    return n


def config_from_state_dict(sd):
    """Recognise the SAM architecture from a state dict's shapes (rules in SPEC_sam_checkpoint.md)."""
    E, D, P = "image_encoder.", "mask_decoder.", "prompt_encoder."
    pw = sd[E + "patch_embed.proj.weight"]              # [embed_dim, in_chans, p, p]
    embed_dim, in_chans, patch = pw.shape[0], pw.shape[1], pw.shape[2]
    assert pw.shape[3] == patch
    pos = sd[E + "pos_embed"]                           # [1, grid, grid, embed_dim]
    assert pos.shape[1] == pos.shape[2] and pos.shape[3] == embed_dim
    grid = pos.shape[1]
    depth = _count(sd, E + "blocks.")
    head_dim = sd[E + "blocks.0.attn.rel_pos_h"].shape[1]
    assert embed_dim % head_dim == 0
    global_blocks, windows = [], set()
    for i in range(depth):
        rh = sd[E + "blocks.%d.attn.rel_pos_h" % i]
        rw = sd[E + "blocks.%d.attn.rel_pos_w" % i]
        assert rh.shape == rw.shape and rh.shape[1] == head_dim, i
        if rh.shape[0] == 2 * grid - 1:
            global_blocks.append(i)
        else:
            assert rh.shape[0] % 2 == 1
            windows.add((rh.shape[0] + 1) // 2)
    assert len(windows) <= 1, windows
    window = windows.pop() if windows else 0
    mlp_dim = sd[E + "blocks.0.mlp.lin1.weight"].shape[0]
    prompt_dim = sd[E + "neck.0.weight"].shape[0]
    dec_dim = sd[D + "iou_token.weight"].shape[1]
    T = D + "transformer."
    q_int = sd[T + "layers.0.cross_attn_token_to_image.q_proj.weight"].shape[0]
    assert dec_dim % q_int == 0
    cfg = dict(
        img_size=grid * patch, patch_size=patch, in_chans=in_chans, grid=grid,
        embed_dim=embed_dim, depth=depth, head_dim=head_dim, heads=embed_dim // head_dim,
        global_blocks=global_blocks, window_size=window, mlp_dim=mlp_dim,
        qkv_bias=(E + "blocks.0.attn.qkv.bias") in sd,
        prompt_embed_dim=prompt_dim,
        mask_in_chans=sd[P + "mask_downscaling.3.weight"].shape[0],
        decoder_dim=dec_dim,
        decoder_depth=_count(sd, T + "layers."),
        decoder_mlp_dim=sd[T + "layers.0.mlp.lin1.weight"].shape[0],
        decoder_heads=DECODER_HEADS,
        attention_downsample_rate=dec_dim // q_int,
        num_mask_tokens=sd[D + "mask_tokens.weight"].shape[0],
        iou_head_depth=_count(sd, D + "iou_prediction_head.layers."),
        iou_head_hidden_dim=sd[D + "iou_prediction_head.layers.0.weight"].shape[0],
        hypernet_depth=_count(sd, D + "output_hypernetworks_mlps.0.layers."),
    )
    # consistency checks a wrong guess would fail
    assert sd[P + "pe_layer.positional_encoding_gaussian_matrix"].shape == (2, prompt_dim // 2)
    assert dec_dim == prompt_dim
    assert sd[E + "blocks.0.attn.qkv.weight"].shape == (3 * embed_dim, embed_dim)
    assert (q_int // DECODER_HEADS) * DECODER_HEADS == q_int
    assert _count(sd, D + "output_hypernetworks_mlps.") == cfg["num_mask_tokens"]
    assert sd[D + "iou_prediction_head.layers.%d.weight" % (cfg["iou_head_depth"] - 1)].shape[0] \
        == cfg["num_mask_tokens"]
    return cfg


# ---------------------------------------------------------------------------------------------
# Key layout (Meta's order) and random checkpoints
# ---------------------------------------------------------------------------------------------
def state_dict_layout(cfg):
    """[(key, shape, kind)] in the order of Meta's checkpoints.  kind tells the initialisation:
    'w' weight (fan_in = product of shape[1:]), 'wT' ConvTranspose2d weight [in, out, 2, 2], 'b' bias of the
    weight before it, 'ln_w'/'ln_b' LayerNorm, 'emb' embedding table, 'gauss' Fourier matrix,
    'pos' absolute position embedding, 'rel' relative position table."""
    c = full_config(cfg) if isinstance(cfg, str) else cfg
    L = []

    def lin(name, o, i, bias=True):
        L.append((name + ".weight", (o, i), "w"))
        if bias:
            L.append((name + ".bias", (o,), "b"))

    def ln(name, n):
        L.append((name + ".weight", (n,), "ln_w"))
        L.append((name + ".bias", (n,), "ln_b"))

    e, g = c["embed_dim"], c["grid"]
    p, hd = c["patch_size"], c["head_dim"]
    E = "image_encoder."
    L.append((E + "pos_embed", (1, g, g, e), "pos"))
    L.append((E + "patch_embed.proj.weight", (e, c["in_chans"], p, p), "w"))
    L.append((E + "patch_embed.proj.bias", (e,), "b"))
    for i in range(c["depth"]):
        B = E + "blocks.%d." % i
        r = 2 * (g if i in c["global_blocks"] else c["window_size"]) - 1
        ln(B + "norm1", e)
        L.append((B + "attn.rel_pos_h", (r, hd), "rel"))
        L.append((B + "attn.rel_pos_w", (r, hd), "rel"))
        lin(B + "attn.qkv", 3 * e, e, c["qkv_bias"])
        lin(B + "attn.proj", e, e)
        ln(B + "norm2", e)
        lin(B + "mlp.lin1", c["mlp_dim"], e)
        lin(B + "mlp.lin2", e, c["mlp_dim"])
    pd = c["prompt_embed_dim"]
    L.append((E + "neck.0.weight", (pd, e, 1, 1), "w"))
    ln(E + "neck.1", pd)
    L.append((E + "neck.2.weight", (pd, pd, 3, 3), "w"))
    ln(E + "neck.3", pd)

    P = "prompt_encoder."
    mc = c["mask_in_chans"]
    L.append((P + "pe_layer.positional_encoding_gaussian_matrix", (2, pd // 2), "gauss"))
    for k in range(4):
        L.append((P + "point_embeddings.%d.weight" % k, (1, pd), "emb"))
    L.append((P + "not_a_point_embed.weight", (1, pd), "emb"))
    L.append((P + "mask_downscaling.0.weight", (mc // 4, 1, 2, 2), "w"))
    L.append((P + "mask_downscaling.0.bias", (mc // 4,), "b"))
    ln(P + "mask_downscaling.1", mc // 4)
    L.append((P + "mask_downscaling.3.weight", (mc, mc // 4, 2, 2), "w"))
    L.append((P + "mask_downscaling.3.bias", (mc,), "b"))
    ln(P + "mask_downscaling.4", mc)
    L.append((P + "mask_downscaling.6.weight", (pd, mc, 1, 1), "w"))
    L.append((P + "mask_downscaling.6.bias", (pd,), "b"))
    L.append((P + "no_mask_embed.weight", (1, pd), "emb"))

    D = "mask_decoder."
    T = D + "transformer."
    d = c["decoder_dim"]
    di = d // c["attention_downsample_rate"]

    def attn(name, internal):
        for pr in ("q_proj", "k_proj", "v_proj"):
            lin(name + "." + pr, internal, d)
        lin(name + ".out_proj", d, internal)

    for i in range(c["decoder_depth"]):
        B = T + "layers.%d." % i
        attn(B + "self_attn", d)
        ln(B + "norm1", d)
        attn(B + "cross_attn_token_to_image", di)
        ln(B + "norm2", d)
        lin(B + "mlp.lin1", c["decoder_mlp_dim"], d)
        lin(B + "mlp.lin2", d, c["decoder_mlp_dim"])
        ln(B + "norm3", d)
        ln(B + "norm4", d)
        attn(B + "cross_attn_image_to_token", di)
    attn(T + "final_attn_token_to_image", di)
    ln(T + "norm_final_attn", d)
    nt = c["num_mask_tokens"]
    L.append((D + "iou_token.weight", (1, d), "emb"))
    L.append((D + "mask_tokens.weight", (nt, d), "emb"))
    L.append((D + "output_upscaling.0.weight", (d, d // 4, 2, 2), "wT"))
    L.append((D + "output_upscaling.0.bias", (d // 4,), "b"))
    ln(D + "output_upscaling.1", d // 4)
    L.append((D + "output_upscaling.3.weight", (d // 4, d // 8, 2, 2), "wT"))
    L.append((D + "output_upscaling.3.bias", (d // 8,), "b"))

    def mlp(name, i, h, o, n):
        dims = [i] + [h] * (n - 1) + [o]
        for j in range(n):
            lin(name + ".layers.%d" % j, dims[j + 1], dims[j])

    for t in range(nt):
        mlp(D + "output_hypernetworks_mlps.%d" % t, d, d, d // 8, c["hypernet_depth"])
    mlp(D + "iou_prediction_head", d, c["iou_head_hidden_dim"], nt, c["iou_head_depth"])
    return L


def random_state_dict(cfg, seed, pos_std=0.2, rel_std=0.3, ln_std=0.2, sparse_upscale=True):
    """Random float32 state dict in Meta's key layout.  Weights and biases uniform in
    +-1/sqrt(fan_in) (PyTorch's default bounds), embeddings and the Fourier matrix N(0, 1) (as
    initialised officially), and PERTURBED where the default initialisation gives zeros or
    ones: pos_embed N(0, pos_std), rel_pos_* N(0, rel_std), LayerNorm weights 1 + N(0, ln_std),
    LayerNorm biases N(0, ln_std).  Deterministic for a seed (values drawn in key order).

    sparse_upscale: afterwards, mask_decoder.output_upscaling.3.weight is multiplied by 3 and
    its bias redrawn as -0.5 + U(-0.1, 0.1) (a second generator seeded seed + 1), so that the
    final GELU leaves sparse, spatially varying channels: with the default bounds every channel
    has a large positive mean and each mask token's logits take one sign almost everywhere."""
    g = torch.Generator().manual_seed(seed)
    sd = OrderedDict()
    fan = None
    for key, shape, kind in state_dict_layout(cfg):
        if kind == "w":
            fan = int(np.prod(shape[1:]))
            bound = 1.0 / math.sqrt(fan)
            t = (torch.rand(shape, generator=g) * 2 - 1) * bound
        elif kind == "wT":
            # transposed 2x2 stride-2 convolutions: one shared [in, out] kernel plus a 20 %
            # perturbation per kernel position (fully independent kernels make the masks a
            # 4-pixel periodic pattern that hides the prompts)
            fan = shape[0]
            bound = 1.0 / math.sqrt(fan)
            base = (torch.rand(shape[:2] + (1, 1), generator=g) * 2 - 1) * bound
            t = base + (torch.rand(shape, generator=g) * 2 - 1) * (0.2 * bound)
        elif kind == "b":
            bound = 1.0 / math.sqrt(fan)
            t = (torch.rand(shape, generator=g) * 2 - 1) * bound
        elif kind in ("emb", "gauss"):
            t = torch.randn(shape, generator=g)
        elif kind == "pos":
            t = torch.randn(shape, generator=g) * pos_std
        elif kind == "rel":
            t = torch.randn(shape, generator=g) * rel_std
        elif kind == "ln_w":
            t = 1.0 + torch.randn(shape, generator=g) * ln_std
        elif kind == "ln_b":
            t = torch.randn(shape, generator=g) * ln_std
        else:
            raise ValueError(kind)
        sd[key] = t.float().contiguous()
    if sparse_upscale:
        g2 = torch.Generator().manual_seed(seed + 1)
        k = "mask_decoder.output_upscaling.3."
        sd[k + "weight"] = sd[k + "weight"] * 3
        sd[k + "bias"] = -0.5 + (torch.rand(sd[k + "bias"].shape, generator=g2) * 2 - 1) * 0.1
    return sd


# ---------------------------------------------------------------------------------------------
# Pre-processing (SamPredictor.set_image)
# ---------------------------------------------------------------------------------------------
def resized_size(h, w, long_side=1024):
    """(new_h, new_w): long side -> long_side, each side int(side * long_side / max + 0.5)."""
    s = long_side * 1.0 / max(h, w)
    return int(h * s + 0.5), int(w * s + 0.5)


def resize_uint8(img, long_side=1024):
    """HxWx3 uint8 -> uint8, Pillow's 8-bit BILINEAR (antialiased when shrinking, two passes,
    horizontal first, each pass rounded to 0..255), as torchvision's resize(to_pil_image(img))."""
    assert img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] == 3
    nh, nw = resized_size(img.shape[0], img.shape[1], long_side)
    return np.asarray(Image.fromarray(img, "RGB").resize((nw, nh), Image.BILINEAR))


PIL_PRECISION_BITS = 22     # 32 - 8 - 2, Pillow's fixed point for 8-bit resampling


def _pil_coeffs(in_size, out_size):
    """Pillow's precompute_coeffs + normalize_coeffs_8bpc for BILINEAR (support 1):
    -> (xmin [out], int32 weights [out, ksize]) in double arithmetic, in Pillow's order."""
    scale = in_size / out_size
    filterscale = max(scale, 1.0)
    support = 1.0 * filterscale
    ksize = int(math.ceil(support)) * 2 + 1
    xmins = np.zeros(out_size, np.int64)
    kk = np.zeros((out_size, ksize), np.int64)
    for xx in range(out_size):
        center = (xx + 0.5) * scale
        ss = 1.0 / filterscale
        xmin = max(int(center - support + 0.5), 0)            # C (int): truncation
        xmax = min(int(center + support + 0.5), in_size) - xmin
        w = []
        for x in range(xmax):
            t = abs(((x + xmin) - center + 0.5) * ss)
            w.append(1.0 - t if t < 1.0 else 0.0)
        ww = sum(w)                                           # left-to-right double sum
        w = [v / ww if ww != 0.0 else v for v in w]
        for x, v in enumerate(w):                             # weights are >= 0
            kk[xx, x] = int(0.5 + v * (1 << PIL_PRECISION_BITS))
        xmins[xx] = xmin
    return xmins, kk


def _pil_pass(a, xmins, kk, axis):
    """One 8-bit pass along axis (0 rows, 1 columns) of an HxWxC uint8 array."""
    a = np.moveaxis(a.astype(np.int64), axis, 0)              # [in, other, C]
    n_out, ksize = kk.shape
    idx = np.minimum(xmins[:, None] + np.arange(ksize)[None, :], a.shape[0] - 1)   # weight 0 past xmax
    acc = np.full((n_out,) + a.shape[1:], 1 << (PIL_PRECISION_BITS - 1), np.int64)
    for j in range(ksize):
        acc += a[idx[:, j]] * kk[:, j][:, None, None]
    out = np.clip(acc >> PIL_PRECISION_BITS, 0, 255).astype(np.uint8)   # clip8: floor shift
    return np.moveaxis(out, 0, axis)


def pillow_bilinear_uint8(img, new_h, new_w):
    """NumPy restatement of Pillow 9.x `Image.resize((new_w, new_h), BILINEAR)` on 8-bit RGB/L
    (libImaging/Resample.c), bit-exact: triangle filter stretched by the scale when shrinking
    (antialias), weights normalised in double then rounded to 22-bit fixed point; horizontal
    pass first (only if the width changes), its result rounded to uint8, then the vertical
    pass (only if the height changes).  Each output = clamp((2^21 + sum in*w) >> 22, 0, 255).
    Written down for the Java port; resize_uint8 calls Pillow itself."""
    a = img if img.ndim == 3 else img[..., None]
    h, w = a.shape[:2]
    if new_w != w:
        a = _pil_pass(a, *_pil_coeffs(w, new_w), axis=1)
    if new_h != h:
        a = _pil_pass(a, *_pil_coeffs(h, new_h), axis=0)
    return a if img.ndim == 3 else a[..., 0]


def normalize_pad(resized, img_size=1024):
    """uint8 [h,w,3] -> float32 [1,3,S,S]: (x - mean) / std, zeros padded bottom/right."""
    x = torch.from_numpy(np.array(resized, dtype=np.uint8)).permute(2, 0, 1).contiguous()[None].float()
    mean = torch.tensor(PIXEL_MEAN).view(1, 3, 1, 1)
    std = torch.tensor(PIXEL_STD).view(1, 3, 1, 1)
    x = (x - mean) / std
    h, w = x.shape[-2:]
    return F.pad(x, (0, img_size - w, 0, img_size - h))


def gray_to_rgb(img):
    """HxW -> HxWx3 by repeating the channel."""
    return np.repeat(img[..., None], 3, axis=2) if img.ndim == 2 else img


# ---------------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------------
def _ln2d(x, w, b, eps=LN2D_EPS):
    """LayerNorm over the channel axis of NCHW (biased variance)."""
    mu = x.mean(1, keepdim=True)
    var = (x - mu).pow(2).mean(1, keepdim=True)
    return w[:, None, None] * ((x - mu) / torch.sqrt(var + eps)) + b[:, None, None]


def _rel_table(table, n):
    """R[i, j] = table[i - j + n - 1] for query i, key j of one axis of length n."""
    assert table.shape[0] == 2 * n - 1, (table.shape, n)
    idx = torch.arange(n)[:, None] - torch.arange(n)[None, :] + (n - 1)
    return table[idx]                                    # [n, n, head_dim]


class SamRef:
    """SAM inference on a state dict (Meta's keys).  `trace`: dict or None; when a dict,
    intermediate tensors are stored in it under stage names."""

    def __init__(self, state_dict, trace=None):
        self.sd = {k: v.float() for k, v in state_dict.items()}
        self.cfg = config_from_state_dict(self.sd)
        self.trace = trace
        self.features = None

    def _t(self, name, x):
        if self.trace is not None:
            self.trace[name] = x.detach().clone()
        return x

    def _lin(self, x, name):
        return F.linear(x, self.sd[name + ".weight"], self.sd.get(name + ".bias"))

    # ---- image encoder --------------------------------------------------------------------
    def _encoder_attention(self, x, pre, n_heads):
        """x [B, h, w, C] (a window or the whole grid) -> [B, h, w, C]."""
        B, h, w, C = x.shape
        hd = C // n_heads
        qkv = self._lin(x, pre + "qkv").reshape(B, h * w, 3, n_heads, hd)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).reshape(3, B * n_heads, h * w, hd).unbind(0)
        logits = (q * hd ** -0.5) @ k.transpose(-2, -1)          # [B*nh, hw, hw]
        # decomposed relative positions, with the UNSCALED q
        Rh = _rel_table(self.sd[pre + "rel_pos_h"], h)            # [h, h, hd]
        Rw = _rel_table(self.sd[pre + "rel_pos_w"], w)
        qg = q.reshape(B * n_heads, h, w, hd)
        bias_h = torch.einsum("byxc,ykc->byxk", qg, Rh)           # [., h, w, kh]
        bias_w = torch.einsum("byxc,xkc->byxk", qg, Rw)           # [., h, w, kw]
        logits = (logits.view(B * n_heads, h, w, h, w)
                  + bias_h[:, :, :, :, None] + bias_w[:, :, :, None, :]).view(B * n_heads, h * w, h * w)
        out = logits.softmax(-1) @ v                               # [B*nh, hw, hd]
        out = out.view(B, n_heads, h, w, hd).permute(0, 2, 3, 1, 4).reshape(B, h, w, C)
        return self._lin(out, pre + "proj")

    def _block(self, x, i):
        c = self.cfg
        pre = "image_encoder.blocks.%d." % i
        C = x.shape[-1]
        y = F.layer_norm(x, (C,), self.sd[pre + "norm1.weight"], self.sd[pre + "norm1.bias"], ENCODER_LN_EPS)
        if i in c["global_blocks"]:
            y = self._encoder_attention(y, pre + "attn.", c["heads"])
        else:
            ws = c["window_size"]
            B, H, W, _ = y.shape
            Hp, Wp = -(-H // ws) * ws, -(-W // ws) * ws            # pad with zeros (after norm1)
            y = F.pad(y, (0, 0, 0, Wp - W, 0, Hp - H))
            nh, nw = Hp // ws, Wp // ws
            win = y.view(B, nh, ws, nw, ws, C).permute(0, 1, 3, 2, 4, 5).reshape(B * nh * nw, ws, ws, C)
            win = self._encoder_attention(win, pre + "attn.", c["heads"])
            y = win.view(B, nh, nw, ws, ws, C).permute(0, 1, 3, 2, 4, 5).reshape(B, Hp, Wp, C)
            y = y[:, :H, :W, :]
        x = x + y
        y = F.layer_norm(x, (C,), self.sd[pre + "norm2.weight"], self.sd[pre + "norm2.bias"], ENCODER_LN_EPS)
        y = self._lin(F.gelu(self._lin(y, pre + "mlp.lin1")), pre + "mlp.lin2")
        return x + y

    @torch.no_grad()
    def encode(self, x):
        """[1,3,S,S] normalized, padded input -> embedding [1, prompt_dim, grid, grid]."""
        sd, E = self.sd, "image_encoder."
        x = F.conv2d(x, sd[E + "patch_embed.proj.weight"], sd[E + "patch_embed.proj.bias"],
                     stride=self.cfg["patch_size"])
        x = self._t("patch_embed", x.permute(0, 2, 3, 1)) + sd[E + "pos_embed"]   # NHWC
        self._t("pos_added", x)
        for i in range(self.cfg["depth"]):
            x = self._t("block%d" % i, self._block(x, i))
        x = x.permute(0, 3, 1, 2)
        x = self._t("neck0", F.conv2d(x, sd[E + "neck.0.weight"]))
        x = self._t("neck1", _ln2d(x, sd[E + "neck.1.weight"], sd[E + "neck.1.bias"]))
        x = self._t("neck2", F.conv2d(x, sd[E + "neck.2.weight"], padding=1))
        x = self._t("embedding", _ln2d(x, sd[E + "neck.3.weight"], sd[E + "neck.3.bias"]))
        return x

    # ---- prompt encoder -------------------------------------------------------------------
    def _fourier(self, xy01):
        """[..., 2] coordinates in 0..1 (x, y) -> [..., prompt_dim]: sin | cos of 2*pi*(2xy-1) @ G."""
        G = self.sd["prompt_encoder.pe_layer.positional_encoding_gaussian_matrix"]
        a = 2 * np.pi * ((2 * xy01 - 1) @ G)
        return torch.cat([torch.sin(a), torch.cos(a)], dim=-1)

    def dense_pe(self):
        """[1, prompt_dim, grid, grid]: Fourier PE of the cell centres ((j+0.5)/g, (i+0.5)/g)."""
        g = self.cfg["grid"]
        c = (torch.arange(g, dtype=torch.float32) + 0.5) / g
        xy = torch.stack([c[None, :].expand(g, g), c[:, None].expand(g, g)], dim=-1)
        return self._fourier(xy).permute(2, 0, 1)[None]

    @torch.no_grad()
    def embed_prompts(self, coords=None, labels=None, box=None, mask_input=None):
        """Prompts in the RESIZED frame (after ResizeLongestSide.apply_coords) ->
        (sparse [1, N, D], dense [1, D, g, g]).  coords [N,2] float32, labels [N] ints, box [4].
        Points come first, then the two box corners; without a box a padding point (0, 0) with
        label -1 is appended to the points.  mask_input [1, 4g, 4g] low-res logits or None
        (then dense = no_mask_embed everywhere)."""
        sd, P, S = self.sd, "prompt_encoder.", float(self.cfg["img_size"])
        parts = []
        if coords is not None:
            pts = torch.as_tensor(coords, dtype=torch.float32).reshape(-1, 2) + 0.5
            lab = torch.as_tensor(labels, dtype=torch.float32).reshape(-1)
            if box is None:
                pts = torch.cat([pts, torch.zeros(1, 2)], 0)
                lab = torch.cat([lab, -torch.ones(1)], 0)
            pe = self._fourier(pts / S)
            pe = torch.where((lab == -1)[:, None], torch.zeros_like(pe), pe)
            table = {-1: P + "not_a_point_embed.weight", 0: P + "point_embeddings.0.weight",
                     1: P + "point_embeddings.1.weight"}
            for v, key in table.items():
                pe = pe + (lab == v)[:, None].float() * sd[key]
            parts.append(pe)
        if box is not None:
            corners = torch.as_tensor(box, dtype=torch.float32).reshape(2, 2) + 0.5
            pe = self._fourier(corners / S)
            pe = pe + torch.cat([sd[P + "point_embeddings.2.weight"], sd[P + "point_embeddings.3.weight"]], 0)
            parts.append(pe)
        D = self.cfg["prompt_embed_dim"]
        sparse = torch.cat(parts, 0)[None] if parts else torch.zeros(1, 0, D)
        g = self.cfg["grid"]
        if mask_input is None:
            dense = sd[P + "no_mask_embed.weight"].reshape(1, D, 1, 1).expand(1, D, g, g)
        else:
            M = P + "mask_downscaling."
            m = torch.as_tensor(mask_input, dtype=torch.float32).reshape(1, 1, 4 * g, 4 * g)
            m = F.conv2d(m, sd[M + "0.weight"], sd[M + "0.bias"], stride=2)
            m = F.gelu(_ln2d(m, sd[M + "1.weight"], sd[M + "1.bias"]))
            m = F.conv2d(m, sd[M + "3.weight"], sd[M + "3.bias"], stride=2)
            m = F.gelu(_ln2d(m, sd[M + "4.weight"], sd[M + "4.bias"]))
            dense = F.conv2d(m, sd[M + "6.weight"], sd[M + "6.bias"])
        return sparse, dense

    # ---- mask decoder ---------------------------------------------------------------------
    def _dec_attention(self, q, k, v, pre):
        heads = self.cfg["decoder_heads"]
        q, k, v = self._lin(q, pre + "q_proj"), self._lin(k, pre + "k_proj"), self._lin(v, pre + "v_proj")
        B, Nq, Ci = q.shape
        hd = Ci // heads

        def split(t):
            return t.reshape(B, t.shape[1], heads, hd).transpose(1, 2)   # [B, h, N, hd]

        q, k, v = split(q), split(k), split(v)
        a = torch.softmax((q @ k.transpose(-1, -2)) / math.sqrt(hd), dim=-1)
        out = (a @ v).transpose(1, 2).reshape(B, Nq, Ci)
        return self._lin(out, pre + "out_proj")

    def _ln(self, x, name):
        return F.layer_norm(x, (x.shape[-1],), self.sd[name + ".weight"], self.sd[name + ".bias"], DECODER_LN_EPS)

    def _mlp(self, x, pre, n):
        for j in range(n):
            x = self._lin(x, pre + ".layers.%d" % j)
            if j < n - 1:
                x = F.relu(x)
        return x

    @torch.no_grad()
    def decode(self, embedding, sparse, dense):
        """-> (low-res logits [1, T, 4g, 4g], iou [1, T]) for ALL T mask tokens (no selection)."""
        c, sd, D = self.cfg, self.sd, "mask_decoder."
        T = D + "transformer."
        out_tokens = torch.cat([sd[D + "iou_token.weight"], sd[D + "mask_tokens.weight"]], 0)[None]
        tokens = torch.cat([out_tokens, sparse], 1)                 # [1, 1+T+N, d]
        src = embedding + dense
        b, ch, h, w = src.shape
        keys = src.flatten(2).permute(0, 2, 1)                      # [1, hw, d]
        key_pe = self.dense_pe().flatten(2).permute(0, 2, 1)
        queries = tokens
        for i in range(c["decoder_depth"]):
            L = T + "layers.%d." % i
            if i == 0:   # first layer: self-attention without PE and without residual
                queries = self._dec_attention(queries, queries, queries, L + "self_attn.")
            else:
                qp = queries + tokens
                queries = queries + self._dec_attention(qp, qp, queries, L + "self_attn.")
            queries = self._ln(queries, L + "norm1")
            queries = queries + self._dec_attention(queries + tokens, keys + key_pe, keys,
                                                    L + "cross_attn_token_to_image.")
            queries = self._ln(queries, L + "norm2")
            mlp = self._lin(F.relu(self._lin(queries, L + "mlp.lin1")), L + "mlp.lin2")
            queries = self._ln(queries + mlp, L + "norm3")
            keys = keys + self._dec_attention(keys + key_pe, queries + tokens, queries,
                                              L + "cross_attn_image_to_token.")
            keys = self._ln(keys, L + "norm4")
            self._t("dec_layer%d_queries" % i, queries)
            self._t("dec_layer%d_keys" % i, keys)
        queries = queries + self._dec_attention(queries + tokens, keys + key_pe, keys,
                                                T + "final_attn_token_to_image.")
        queries = self._t("dec_tokens", self._ln(queries, T + "norm_final_attn"))
        self._t("dec_keys", keys)
        nt = c["num_mask_tokens"]
        img = keys.transpose(1, 2).reshape(b, ch, h, w)
        U = D + "output_upscaling."
        up = F.conv_transpose2d(img, sd[U + "0.weight"], sd[U + "0.bias"], stride=2)
        up = F.gelu(_ln2d(up, sd[U + "1.weight"], sd[U + "1.bias"]))
        up = F.gelu(F.conv_transpose2d(up, sd[U + "3.weight"], sd[U + "3.bias"], stride=2))
        self._t("upscaled", up)
        hyper = torch.stack([self._mlp(queries[:, 1 + t, :], D + "output_hypernetworks_mlps.%d" % t,
                                       c["hypernet_depth"]) for t in range(nt)], 1)   # [1, T, d/8]
        self._t("hyper_in", hyper)
        bb, cc, hh, ww = up.shape
        masks = (hyper @ up.view(bb, cc, hh * ww)).view(bb, nt, hh, ww)
        iou = self._mlp(queries[:, 0, :], D + "iou_prediction_head", c["iou_head_depth"])
        return masks, iou

    # ---- post-processing ------------------------------------------------------------------
    def postprocess(self, lowres, input_size, original_size):
        """[1,T,256,256] logits -> [1,T,H,W] logits: bilinear (align_corners=False) to SxS,
        crop to the resized size, bilinear to the original size."""
        S = self.cfg["img_size"]
        m = F.interpolate(lowres, (S, S), mode="bilinear", align_corners=False)
        m = m[..., : input_size[0], : input_size[1]]
        return F.interpolate(m, tuple(original_size), mode="bilinear", align_corners=False)

    # ---- SamPredictor ---------------------------------------------------------------------
    @torch.no_grad()
    def set_image(self, image):
        """HxWx3 uint8 RGB (or HxW, repeated to RGB) -> stores resized, input, features."""
        image = gray_to_rgb(image)
        self.original_size = image.shape[:2]
        self.resized = resize_uint8(image, self.cfg["img_size"])
        self.input_size = self.resized.shape[:2]
        self.input = self._t("input", normalize_pad(self.resized, self.cfg["img_size"]))
        self.features = self.encode(self.input)
        return self.features

    def transform_coords(self, xy):
        """Original-pixel (x, y) -> resized frame, float64 then float32 (apply_coords)."""
        oh, ow = self.original_size
        nh, nw = resized_size(oh, ow, self.cfg["img_size"])
        xy = np.array(xy, dtype=np.float64).reshape(-1, 2).copy()
        xy[:, 0] *= nw / ow
        xy[:, 1] *= nh / oh
        return xy.astype(np.float32)

    @torch.no_grad()
    def predict(self, point_coords=None, point_labels=None, box=None, mask_input=None):
        """Prompts in ORIGINAL pixels (mask_input: [1, 256, 256] logits, e.g. a previous lowres
        output) -> dict with all tokens: lowres [1,T,256,256],
        iou [1,T], logits [1,T,H,W] and masks (logits > 0) at the original size; plus
        the sparse embedding.  multimask_output=False is token 0, True is tokens 1..T-1."""
        coords = None if point_coords is None else self.transform_coords(point_coords)
        bx = None if box is None else self.transform_coords(np.asarray(box).reshape(2, 2)).reshape(4)
        sparse, dense = self.embed_prompts(coords, point_labels, bx, mask_input)
        self._t("sparse", sparse)
        lowres, iou = self.decode(self.features, sparse, dense)
        logits = self.postprocess(lowres, self.input_size, self.original_size)
        return dict(lowres=lowres, iou=iou, logits=logits, masks=logits > MASK_THRESHOLD,
                    sparse=sparse, coords_resized=coords, box_resized=bx)


def select(out, multimask_output):
    """SamPredictor.predict's channel selection: (masks [C,H,W], iou [C], lowres [C,256,256])."""
    s = slice(1, None) if multimask_output else slice(0, 1)
    return out["masks"][0, s].numpy(), out["iou"][0, s].numpy(), out["lowres"][0, s].numpy()

"""Demo v2 (issue 18): one SAM-interface model folder made of two trained demo models and a box-size gate.

/usr/bin/python3 tools/demo_model/compose.py --small DIR --large DIR --gate 256 --out DIR [--fp16-large]
    [--sharpness 8]

* encoder.onnx: both encoders on the same input_image; image_embeddings = concat(small [1,256,64,64],
  large [1,256,64,64]) = [1,512,64,64] (the plugin accepts any width where encoder and decoder agree).
* decoder.onnx: the embedding is split again; both decoders take the same prompts, mask_input, has_mask_input
  and orig_im_size; their masks, low_res_masks and iou_predictions are mixed per prompt with the weight
      w = 1                                              without a box (points only: the small-object model)
      w = sigmoid(sharpness * (ln T - ln max(side, 1)))  with a box, side = its longer side in the 1024 frame
  (w -> small model).  A box much smaller than T gives the small model's output, one much larger the large
  model's; near T the logits are blended.  No If node (ONNX Runtime's optimisation of If graphs was the bug of
  issue 15), so both decoders always run.
* --fp16-large stores the large model's weights as float16 (Cast to float32 in the graph), halving its size;
  compute stays float32.

The small and large folders are the outputs of export.py (stage 1 + objectness head) and make_candidate.sh (v3).
"""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SHARED_DEC = ["point_coords", "point_labels", "mask_input", "has_mask_input", "orig_im_size"]


def prefixed(graph, p, keep):
    """Nodes and initializers of graph with every value name prefixed except those in keep (a dict old->new)."""
    def ren(n):
        if n == "":
            return n
        return keep.get(n, p + n)
    nodes = []
    for n in graph.node:
        m = onnx.NodeProto()
        m.CopyFrom(n)
        m.name = p + n.name
        del m.input[:]
        m.input.extend(ren(x) for x in n.input)
        del m.output[:]
        m.output.extend(ren(x) for x in n.output)
        for a in m.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                raise SystemExit("subgraphs are not supported")
        nodes.append(m)
    inits = []
    for t in graph.initializer:
        u = onnx.TensorProto()
        u.CopyFrom(t)
        u.name = ren(t.name)
        inits.append(u)
    return nodes, inits


def to_fp16(nodes, inits, min_elems=64):
    casts, out = [], []
    for t in inits:
        a = numpy_helper.to_array(t)
        if t.data_type == TensorProto.FLOAT and a.size >= min_elems:
            h = numpy_helper.from_array(a.astype(np.float16), t.name + "_f16")
            out.append(h)
            casts.append(helper.make_node("Cast", [h.name], [t.name], to=TensorProto.FLOAT, name=t.name + "_cast"))
        else:
            out.append(t)
    return casts + nodes, out


def const(name, arr):
    return numpy_helper.from_array(np.asarray(arr), name)


def encoder(small, large, fp16):
    s, l = onnx.load(os.path.join(small, "encoder.onnx")), onnx.load(os.path.join(large, "encoder.onnx"))
    sn, si = prefixed(s.graph, "s/", {"input_image": "input_image", "image_embeddings": "s/emb"})
    ln, li = prefixed(l.graph, "l/", {"input_image": "input_image", "image_embeddings": "l/emb"})
    if fp16:
        ln, li = to_fp16(ln, li)
    cat = helper.make_node("Concat", ["s/emb", "l/emb"], ["image_embeddings"], axis=1, name="concat_embeddings")
    g = helper.make_graph(sn + ln + [cat], "anyseg_demo_v2_encoder", [s.graph.input[0]],
                          [helper.make_tensor_value_info("image_embeddings", TensorProto.FLOAT, [1, 512, 64, 64])],
                          si + li)
    return model(g, s)


def decoder(small, large, gate, sharpness, fp16):
    s, l = onnx.load(os.path.join(small, "decoder.onnx")), onnx.load(os.path.join(large, "decoder.onnx"))
    keep = {n: n for n in SHARED_DEC}  # the other inputs and outputs are prefixed, as every inner value
    sn, si = prefixed(s.graph, "s/", keep)
    ln, li = prefixed(l.graph, "l/", keep)
    if fp16:
        ln, li = to_fp16(ln, li)
    g_init = [const("g/ax1", np.array([1], np.int64)), const("g/c0", np.array([0], np.int64)),
              const("g/c256", np.array([256], np.int64)), const("g/c512", np.array([512], np.int64)),
              const("g/two", np.array(2.0, np.float32)), const("g/three", np.array(3.0, np.float32)),
              const("g/one", np.array(1.0, np.float32)),
              const("g/logT", np.array(np.log(gate), np.float32)), const("g/k", np.array(sharpness, np.float32)),
              const("g/neg1", np.array([-1], np.int64))]
    N = helper.make_node
    g_nodes = [
        N("Slice", ["image_embeddings", "g/c0", "g/c256", "g/ax1"], ["s/image_embeddings"], name="g/slice_s"),
        N("Slice", ["image_embeddings", "g/c256", "g/c512", "g/ax1"], ["l/image_embeddings"], name="g/slice_l"),
        # box corners: labels 2 (top-left) and 3 (bottom-right)
        N("Equal", ["point_labels", "g/two"], ["g/is_tl_b"], name="g/eq2"),
        N("Equal", ["point_labels", "g/three"], ["g/is_br_b"], name="g/eq3"),
        N("Cast", ["g/is_tl_b"], ["g/is_tl"], to=TensorProto.FLOAT, name="g/cast_tl"),
        N("Cast", ["g/is_br_b"], ["g/is_br"], to=TensorProto.FLOAT, name="g/cast_br"),
        N("ReduceMax", ["g/is_tl"], ["g/has_box"], keepdims=0, name="g/has_box"),  # scalar 0/1
        N("Unsqueeze", ["g/is_tl", "g/neg1"], ["g/is_tl3"], name="g/unsq_tl"),  # [1,N,1]
        N("Unsqueeze", ["g/is_br", "g/neg1"], ["g/is_br3"], name="g/unsq_br"),
        N("Mul", ["point_coords", "g/is_tl3"], ["g/tl_all"], name="g/mul_tl"),
        N("Mul", ["point_coords", "g/is_br3"], ["g/br_all"], name="g/mul_br"),
        N("ReduceSum", ["g/tl_all", "g/ax1"], ["g/tl"], keepdims=0, name="g/sum_tl"),  # [1,2]
        N("ReduceSum", ["g/br_all", "g/ax1"], ["g/br"], keepdims=0, name="g/sum_br"),
        N("Sub", ["g/br", "g/tl"], ["g/wh"], name="g/wh"),
        N("ReduceMax", ["g/wh"], ["g/side0"], keepdims=0, name="g/side0"),
        N("Max", ["g/side0", "g/one"], ["g/side"], name="g/side"),
        N("Log", ["g/side"], ["g/logside"], name="g/log"),
        N("Sub", ["g/logT", "g/logside"], ["g/d"], name="g/d"),
        N("Mul", ["g/d", "g/k"], ["g/kd"], name="g/kd"),
        N("Sigmoid", ["g/kd"], ["g/wbox"], name="g/wbox"),
        # w = has_box ? wbox : 1  ==  1 + has_box * (wbox - 1)
        N("Sub", ["g/wbox", "g/one"], ["g/wb1"], name="g/wb1"),
        N("Mul", ["g/has_box", "g/wb1"], ["g/hw"], name="g/hw"),
        N("Add", ["g/one", "g/hw"], ["g/w"], name="g/w"),
        N("Sub", ["g/one", "g/w"], ["g/w1"], name="g/w1"),
    ]
    for out in ("masks", "low_res_masks", "iou_predictions"):
        g_nodes += [N("Mul", ["s/" + out, "g/w"], ["g/s_" + out], name="g/ms_" + out),
                    N("Mul", ["l/" + out, "g/w1"], ["g/l_" + out], name="g/ml_" + out),
                    N("Add", ["g/s_" + out, "g/l_" + out], [out], name="g/mix_" + out)]
    inputs = [helper.make_tensor_value_info("image_embeddings", TensorProto.FLOAT, [1, 512, 64, 64])]
    inputs += [i for i in s.graph.input if i.name != "image_embeddings"]
    outs = {o.name: o for o in s.graph.output}
    g = helper.make_graph(g_nodes[:2] + sn + ln + g_nodes[2:], "anyseg_demo_v2_decoder", inputs,
                          [outs["masks"], outs["iou_predictions"], outs["low_res_masks"]], si + li + g_init)
    return model(g, s)


def model(g, like):
    m = helper.make_model(g, opset_imports=list(like.opset_import), producer_name="anyseg tools/demo_model/compose.py")
    m.ir_version = like.ir_version
    onnx.checker.check_model(m)
    return m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", required=True)
    ap.add_argument("--large", required=True)
    ap.add_argument("--gate", type=float, required=True, help="box long side (1024 frame) where both weigh 0.5")
    ap.add_argument("--sharpness", type=float, default=8.0)
    ap.add_argument("--fp16-large", action="store_true")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for name, m in (("encoder.onnx", encoder(a.small, a.large, a.fp16_large)),
                    ("decoder.onnx", decoder(a.small, a.large, a.gate, a.sharpness, a.fp16_large))):
        p = os.path.join(a.out, name)
        onnx.save(m, p + ".tmp")
        os.replace(p + ".tmp", p)
        print(p, os.path.getsize(p), "bytes")


if __name__ == "__main__":
    main()

package org.anyseg.ops.model.sam;

import org.anyseg.ops.model.graph.OnnxGraphBuilder;
import org.anyseg.ops.model.graph.OnnxGraphBuilder.Attr;

/**
 * PyTorch layers written as ONNX nodes, weights named by their state-dict keys. Activations
 * are kept as matrices of rows (tokens) where possible, so that a linear layer is one
 * {@code Gemm} with {@code transB}: the weight is used as stored, never transposed into a
 * second copy.
 */
final class Layers {

	final OnnxGraphBuilder b;

	Layers(final OnnxGraphBuilder b) {
		this.b = b;
	}

	/** {@code nn.Linear} on rows {@code [n, in]}: {@code x W^T + bias}. */
	String linear(final String x, final String key, final int in, final int out) {
		return b.op("Gemm", new String[] { x, b.weight(key + ".weight", out, in), b.weight(key +
			".bias", out) }, Attr.i("transB", 1));
	}

	/** {@code nn.LayerNorm} over the last axis. */
	String layerNorm(final String x, final String key, final int dim, final float eps) {
		return b.op("LayerNormalization", new String[] { x, b.weight(key + ".weight", dim), b
			.weight(key + ".bias", dim) }, Attr.i("axis", -1), Attr.f("epsilon", eps));
	}

	/** SAM's {@code LayerNorm2d}: over the channels of {@code [1, C, H, W]}. */
	String layerNorm2d(final String x, final String key, final int channels, final float eps) {
		final String nhwc = b.op1("Transpose", x, Attr.ints("perm", 0, 2, 3, 1));
		return b.op1("Transpose", layerNorm(nhwc, key, channels, eps), Attr.ints("perm", 0, 3, 1,
			2));
	}

	/** Exact (erf) GELU, as {@code nn.GELU()}; ONNX Runtime fuses it into one kernel. */
	String gelu(final String x) {
		final String e = b.op1("Erf", b.op("Div", x, b.scalar((float) Math.sqrt(2))));
		return b.op("Mul", b.op("Mul", x, b.op("Add", e, b.scalar(1))), b.scalar(0.5f));
	}

	String relu(final String x) {
		return b.op1("Relu", x);
	}

	/** A convolution with square kernel and stride, optional bias, no padding unless given. */
	String conv(final String x, final String key, final int out, final int in, final int k,
		final int stride, final int pad, final boolean bias)
	{
		final String w = b.weight(key + ".weight", out, in, k, k);
		final String[] inputs = bias ? new String[] { x, w, b.weight(key + ".bias", out) }
			: new String[] { x, w };
		return b.op("Conv", inputs, Attr.ints("kernel_shape", k, k), Attr.ints("strides", stride,
			stride), Attr.ints("pads", pad, pad, pad, pad));
	}

	/** {@code nn.ConvTranspose2d(in, out, k, stride=k)} with bias. */
	String convTranspose(final String x, final String key, final int in, final int out,
		final int k)
	{
		return b.op("ConvTranspose", new String[] { x, b.weight(key + ".weight", in, out, k, k), b
			.weight(key + ".bias", out) }, Attr.ints("kernel_shape", k, k), Attr.ints("strides", k,
				k));
	}

	String reshape(final String x, final long... shape) {
		return b.op("Reshape", x, b.shape(shape));
	}

	String transpose(final String x, final long... perm) {
		return b.op1("Transpose", x, Attr.ints("perm", perm));
	}

	String add(final String x, final String y) {
		return b.op("Add", x, y);
	}

	String mul(final String x, final String y) {
		return b.op("Mul", x, y);
	}

	String matmul(final String x, final String y) {
		return b.op("MatMul", x, y);
	}

	String softmax(final String x) {
		return b.op1("Softmax", x, Attr.i("axis", -1));
	}

	/** {@code x[..., start:end, ...]} along {@code axis}. */
	String slice(final String x, final long axis, final long start, final long end) {
		return b.op("Slice", new String[] { x, b.shape(start), b.shape(end), b.shape(axis) });
	}

	/** {@code x[i]} along axis 0, dropping that axis. */
	String pick(final String x, final long i) {
		return b.op("Gather", new String[] { x, b.longs(new long[] { i }) }, Attr.i("axis", 0));
	}

	String concat(final long axis, final String... xs) {
		return b.op("Concat", xs, Attr.i("axis", axis));
	}
}

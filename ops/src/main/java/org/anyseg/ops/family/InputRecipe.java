package org.anyseg.ops.family;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.image.PillowResize;
import org.anyseg.ops.image.Resampler;
import org.anyseg.ops.model.FloatTensor;
import org.anyseg.ops.model.ModelFrame;

/**
 * How a family turns a plane (three 0..255 channels) into its encoder input: the geometry
 * (resize the long side and pad, stretch to a square, or keep the size), the resize filter
 * and the value mapping. Every family's preprocessing is one of these, so the arithmetic
 * lives here once.
 * <p>
 * <b>8-bit images and the SAM recipe.</b> The official code of the families that use
 * {@link #sam(int)} (Meta's SAM and the exports of family A: MobileSAM, micro-sam, SAM-HQ;
 * EdgeSAM; EfficientViT-SAM) resizes a uint8 HxWx3 image with torchvision's
 * {@code resize(to_pil_image(image))}, i.e. Pillow's 8-bit bilinear, which rounds to whole
 * grey levels after each pass. That recipe ({@link Resize#PILLOW_UINT8}) therefore resizes
 * through {@link PillowResize} whenever the channels <em>are</em> a uint8 image, and only
 * then maps the values. The decision is made on the values, not on the source's pixel type:
 * the channels are a uint8 image exactly when every value is an integer in 0..255 (then the
 * conversion to bytes loses nothing and Pillow's result is the official one). That holds
 * for 8-bit gray and RGB under the {@code auto} normalization, and for any other source whose
 * normalized values happen to be integral; a 16- or 32-bit image stretched to 0..255, an
 * 8-bit image under a window or percentile normalization with fractional results, or NaN
 * has no uint8 counterpart and keeps Pillow's float resize ({@link Resampler}, mode "F").
 * Deciding on the values also means that equal inputs always give equal tensors (the
 * encoder cache keys on the values), and it needs no flag through
 * {@code PromptableModel.encode}, which receives only the channels. Other recipes
 * (MedSAM: scikit-image on floats; LiteMedSAM: OpenCV; SAM 2: torchvision on a float
 * tensor) keep {@link Resize#FLOAT}.
 *
 * @param geometry how the image is resized
 * @param side target side ({@code 1024} for SAM; ignored for {@link Geometry#ORIGINAL})
 * @param values how 0..255 values become model inputs; padding is 0 after the mapping
 * @param resize which resampling arithmetic the resize uses
 */
public record InputRecipe(Geometry geometry, int side, Values values, Resize resize) {

	public enum Geometry {
		/** Segment Anything's ResizeLongestSide, then zero padding bottom and right. */
		LONG_SIDE_PAD,
		/** Resize straight to {@code side x side}; the aspect ratio is not kept. */
		STRETCH,
		/** No resize: the graph resizes itself. */
		ORIGINAL
	}

	public enum Values {
		/** {@code (x - mean) / std} with SAM's constants on the 0..255 scale. */
		SAM,
		/** {@code (x / 255 - mean) / std} with ImageNet's constants (SAM 2). */
		IMAGENET,
		/** Per-image min-max to 0..1 over all channels (MedSAM). */
		MINMAX,
		/** {@code x / 255}. */
		UNIT;

		/** Parses the {@code normalization} value of {@code anyseg-model.json}. */
		public static Values parse(final String s) {
			try {
				return valueOf(s.trim().toUpperCase(Locale.ROOT));
			}
			catch (final IllegalArgumentException e) {
				throw new AnySegException("Unknown model normalization '" + s + "': use one of " +
					Arrays.toString(values()).toLowerCase(Locale.ROOT) + ".");
			}
		}
	}

	/** The resampling arithmetic of the resize (both are Pillow's bilinear filter). */
	public enum Resize {
		/** Pillow's bilinear on float values ({@link Resampler}), no rounding. */
		FLOAT,
		/**
		 * Pillow's 8-bit bilinear ({@link PillowResize}) when the channels are a uint8 image
		 * (every value an integer in 0..255), else {@link #FLOAT}.
		 */
		PILLOW_UINT8;

		/**
		 * Resizes three 0..255 channels from {@code w x h} to {@code nw x nh}; channels that
		 * are the same array (gray) are resized once and stay shared. Same size returns the
		 * input itself.
		 */
		public float[][] apply(final float[][] rgb255, final int w, final int h, final int nw,
			final int nh)
		{
			if (nw == w && nh == h) return rgb255;
			if (this == PILLOW_UINT8) {
				final byte[][] u8 = uint8(rgb255);
				if (u8 != null) return floats(PillowResize.bilinear(u8, w, h, nw, nh));
			}
			return floatResize(rgb255, w, h, nw, nh);
		}
	}

	/** A recipe with the float resize (MedSAM, LiteMedSAM, SAM 2, EfficientSAM). */
	public InputRecipe(final Geometry geometry, final int side, final Values values) {
		this(geometry, side, values, Resize.FLOAT);
	}

	/** ImageNet mean and standard deviation on the 0..1 scale (SAM 2's SAM2Transforms). */
	private static final float[] IMAGENET_MEAN = { 0.485f, 0.456f, 0.406f };
	private static final float[] IMAGENET_STD = { 0.229f, 0.224f, 0.225f };

	/**
	 * Segment Anything's {@code ResizeLongestSide} (8-bit Pillow resize of uint8 images, see
	 * the class comment), SAM's mean and std, zero padding.
	 */
	public static InputRecipe sam(final int side) {
		return new InputRecipe(Geometry.LONG_SIDE_PAD, side, Values.SAM, Resize.PILLOW_UINT8);
	}

	public InputRecipe withSide(final int s) {
		return new InputRecipe(geometry, s, values, resize);
	}

	public InputRecipe withValues(final Values v) {
		return new InputRecipe(geometry, side, v, resize);
	}

	public InputRecipe withResize(final Resize r) {
		return new InputRecipe(geometry, side, values, r);
	}

	/** Width and height of the resized image (before padding). */
	public int[] resizedSize(final int width, final int height) {
		switch (geometry) {
			case LONG_SIDE_PAD: {
				final ModelFrame f = new ModelFrame(width, height, side);
				return new int[] { f.resizedWidth(), f.resizedHeight() };
			}
			case STRETCH:
				return new int[] { side, side };
			default:
				return new int[] { width, height };
		}
	}

	/** Width and height of the tensor (after padding). */
	public int[] tensorSize(final int width, final int height) {
		return geometry == Geometry.ORIGINAL ? new int[] { width, height } : new int[] { side,
			side };
	}

	/** The {@code [1, 3, H, W]} encoder input, written into {@code reuse} when it fits. */
	public FloatTensor tensor(final float[][] rgb255, final int width, final int height,
		final FloatTensor reuse)
	{
		final int[] rs = resizedSize(width, height);
		final int nw = rs[0], nh = rs[1];
		final float[][] r = resize.apply(rgb255, width, height, nw, nh);
		final int[] ts = tensorSize(width, height);
		final int tw = ts[0], th = ts[1];
		final long[] shape = { 1, 3, th, tw };
		final FloatTensor t = reuse != null && Arrays.equals(reuse.shape(), shape) ? reuse
			: FloatTensor.allocate(shape);
		final float[][] ab = affine(r);
		IntStream.range(0, 3).parallel().forEach(c -> {
			final FloatBuffer b = t.buffer();
			final float a = ab[c][0], off = ab[c][1];
			final float[] row = new float[tw];
			final float[] src = r[c];
			for (int y = 0; y < th; y++) {
				if (y < nh) {
					for (int x = 0; x < nw; x++) row[x] = src[y * nw + x] * a + off;
				}
				else if (y == nh) Arrays.fill(row, 0f);
				b.put((c * th + y) * tw, row);
			}
		});
		return t;
	}

	/** Per channel {@code {a, b}} so that the input value is {@code x * a + b}. */
	private float[][] affine(final float[][] resized) {
		final float[][] ab = new float[3][];
		for (int c = 0; c < 3; c++) {
			switch (values) {
				case SAM:
					ab[c] = new float[] { 1f / SamPreprocessing.std(c), -SamPreprocessing.mean(c) /
						SamPreprocessing.std(c) };
					break;
				case IMAGENET:
					ab[c] = new float[] { 1f / (255f * IMAGENET_STD[c]), -IMAGENET_MEAN[c] /
						IMAGENET_STD[c] };
					break;
				case UNIT:
					ab[c] = new float[] { 1f / 255f, 0f };
					break;
				default:
					ab[c] = null;
			}
		}
		if (values == Values.MINMAX) {
			float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
			for (final float[] ch : resized) {
				for (final float v : ch) {
					if (v < lo) lo = v;
					if (v > hi) hi = v;
				}
			}
			final float inv = 1f / Math.max(hi - lo, 1e-8f);
			for (int c = 0; c < 3; c++) ab[c] = new float[] { inv, -lo * inv };
		}
		return ab;
	}

	/** The channels resized to {@link #resizedSize} (0..255 values; not yet mapped). */
	public float[][] resized(final float[][] rgb255, final int width, final int height) {
		final int[] rs = resizedSize(width, height);
		return resize.apply(rgb255, width, height, rs[0], rs[1]);
	}

	/** Pillow-bilinear float resize of three channels (one resize when they are the same array). */
	private static float[][] floatResize(final float[][] rgb255, final int w, final int h,
		final int nw, final int nh)
	{
		if (nw == w && nh == h) return rgb255;
		final float[][] out = new float[3][];
		if (rgb255[0] == rgb255[1] && rgb255[1] == rgb255[2]) {
			out[0] = Resampler.resize(rgb255[0], w, h, nw, nh);
			out[1] = out[0];
			out[2] = out[0];
		}
		else {
			IntStream.range(0, 3).parallel().forEach(c -> out[c] = Resampler.resize(rgb255[c], w, h,
				nw, nh));
		}
		return out;
	}

	/**
	 * The channels as bytes when every value is an integer in 0..255 (channels that are the
	 * same array stay one array), else null.
	 */
	private static byte[][] uint8(final float[][] rgb255) {
		final byte[][] out = new byte[rgb255.length][];
		IntStream.range(0, rgb255.length).parallel().forEach(c -> {
			if (firstOf(rgb255, c) == c) out[c] = uint8(rgb255[c]);
		});
		for (int c = 0; c < out.length; c++) {
			out[c] = out[firstOf(rgb255, c)];
			if (out[c] == null) return null;
		}
		return out;
	}

	private static byte[] uint8(final float[] v) {
		final byte[] b = new byte[v.length];
		for (int i = 0; i < v.length; i++) {
			final int q = (int) v[i];
			if (q != v[i] || q < 0 || q > 255) return null; // NaN fails q != v[i]
			b[i] = (byte) q;
		}
		return b;
	}

	/** Bytes back to 0..255 floats (channels that are the same array stay one array). */
	private static float[][] floats(final byte[][] u8) {
		final float[][] out = new float[u8.length][];
		IntStream.range(0, u8.length).parallel().forEach(c -> {
			if (firstOf(u8, c) != c) return;
			final float[] f = new float[u8[c].length];
			for (int i = 0; i < f.length; i++) f[i] = u8[c][i] & 0xFF;
			out[c] = f;
		});
		for (int c = 0; c < out.length; c++) out[c] = out[firstOf(u8, c)];
		return out;
	}

	/** The first index whose element is the same array as {@code a[c]}. */
	private static int firstOf(final Object[] a, final int c) {
		int d = 0;
		while (a[d] != a[c]) d++;
		return d;
	}

	/**
	 * A drawn binary mask as mask-input logits in the low-res frame of this recipe's input
	 * ({@code lowSide x lowSide} covering the padded input).
	 */
	public float[] lowResMask(final byte[] mask, final int width, final int height,
		final int lowSide)
	{
		if (geometry == Geometry.LONG_SIDE_PAD) {
			return SamPreprocessing.maskToLowRes(mask, new ModelFrame(width, height, side),
				lowSide);
		}
		final float[] m = new float[mask.length];
		for (int i = 0; i < m.length; i++) m[i] = mask[i] != 0 ? 1 : 0;
		final float[] r = Resampler.resize(m, width, height, lowSide, lowSide);
		for (int i = 0; i < r.length; i++) {
			r[i] = r[i] >= 0.5f ? SamPreprocessing.MASK_LOGIT : -SamPreprocessing.MASK_LOGIT;
		}
		return r;
	}
}

package org.anyseg.ops.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.Limits;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

/**
 * The optional {@code anyseg-model.json} beside a model's ONNX files, overriding what
 * detection would decide (documented in {@code docs/models.md}):
 * <pre>
 * { "family": "medsam", "name": "MedSAM ViT-B", "input_size": 1024, "normalization": "minmax",
 *   "segment_everything": { "pred_iou_thresh": 0.8, "stability_score_thresh": 0.9 },
 *   "propagation": { "min_iou": 0.2, "min_area_ratio": 0.3, "margin": 0.1, "follow": "box" } }
 * </pre>
 *
 * @param family family id to use instead of detection, or {@code null}
 * @param name display name, or {@code null}
 * @param inputSize encoder input side to use instead of the family's, or {@code null}
 * @param normalization the model's own pixel normalization ({@code sam}, {@code imagenet},
 *          {@code minmax}, {@code unit}) instead of the family's, or {@code null}
 * @param segmentEverything the model's own defaults for segment everything, by Segment
 *          Anything's parameter names ({@link #SEGMENT_EVERYTHING_KEYS}); empty when none
 * @param propagation the model's own defaults for propagation through a volume
 *          ({@link PropagationDefaults}); {@link PropagationDefaults#NONE} when none
 */
public record ModelConfig(String family, String name, Integer inputSize,
	String normalization, Map<String, Double> segmentEverything,
	PropagationDefaults propagation)
{

	/**
	 * The {@code propagation} block: numbers by their {@link Limits} keys (group
	 * {@link Limits.Group#PROPAGATION}, e.g. {@code min_iou}, {@code min_area_ratio},
	 * {@code margin}), each checked against its entry, and {@code follow} ({@code box},
	 * {@code point} or {@code box+point}) or {@code null}. Applied by
	 * {@code Propagation.Options.defaults(ModelConfig)}.
	 */
	public record PropagationDefaults(Map<String, Double> numbers, String follow) {

		public static final PropagationDefaults NONE = new PropagationDefaults(Map.of(), null);
		/** What {@code follow} may be (parsed by {@code Propagation.Follow.parse}). */
		public static final Set<String> FOLLOW = Set.of("box", "point", "box+point");

		public PropagationDefaults {
			numbers = Map.copyOf(numbers);
			for (final Map.Entry<String, Double> e : numbers.entrySet()) {
				final Limits l = Limits.forKey(e.getKey()).filter(x -> x.group ==
					Limits.Group.PROPAGATION && !x.key.equals("max_slices")).orElseThrow(
						() -> new AnySegException("propagation has an unknown key '" + e.getKey() +
							"'; allowed keys are " + keys() + "."));
				l.check(e.getValue());
			}
			if (follow != null && !FOLLOW.contains(follow)) {
				throw new AnySegException("propagation: follow is '" + follow + "'; use box, " +
					"point or box+point.");
			}
		}

		/** The keys the block may hold. */
		public static Set<String> keys() {
			final Set<String> k = new java.util.TreeSet<>(Set.of("follow"));
			for (final Limits l : Limits.of(Limits.Group.PROPAGATION)) {
				if (!l.key.equals("max_slices")) k.add(l.key);
			}
			return k;
		}
	}

	public static final String FILE = "anyseg-model.json";
	public static final ModelConfig NONE = new ModelConfig(null, null, null, null, Map.of(),
		PropagationDefaults.NONE);
	private static final Set<String> KEYS = Set.of("family", "name", "input_size",
		"normalization", "description", "segment_everything", "propagation", GraphVerdicts.KEY);
	/** Parameters a model may set for segment everything. */
	public static final Set<String> SEGMENT_EVERYTHING_KEYS = Set.of("points_per_side",
		"pred_iou_thresh", "stability_score_thresh", "stability_score_offset", "box_nms_thresh",
		"min_mask_region_area", "crop_n_layers", "crop_overlap_ratio",
		"crop_n_points_downscale_factor");

	/**
	 * The segment-everything part of {@link Limits}, {min, max, 1 if whole numbers} by SAM's
	 * names (tile_size and tile_overlap are AnySeg's): CLI options, the Fiji dialog, macro
	 * arguments and {@code anyseg-model.json} are all checked against it. Predicted IoU
	 * thresholds reach far past 0..1 because uncalibrated models predict past it (the demo's
	 * can be negative; -10 keeps every mask, 2 none); NaN and infinities are refused.
	 */
	public static final Map<String, List<Double>> SEGMENT_EVERYTHING_RANGES = ranges();

	private static Map<String, List<Double>> ranges() {
		final Map<String, List<Double>> m = new LinkedHashMap<>();
		for (final Limits l : Limits.of(Limits.Group.SEGMENT_EVERYTHING)) {
			m.put(l.key, List.of(l.lo, l.hi, l.whole ? 1.0 : 0.0));
		}
		return java.util.Collections.unmodifiableMap(m);
	}

	/**
	 * Checks one segment-everything parameter against its {@link Limits} entry.
	 *
	 * @throws AnySegException naming the parameter and its range
	 */
	public static void checkSegmentEverything(final String key, final double v) {
		if (!SEGMENT_EVERYTHING_RANGES.containsKey(key)) {
			throw new AnySegException("Unknown segment-everything parameter '" + key + "'; known: " +
				new java.util.TreeSet<>(SEGMENT_EVERYTHING_RANGES.keySet()) + ".");
		}
		Limits.forKey(key).orElseThrow().check(v);
	}

	public ModelConfig {
		segmentEverything = Map.copyOf(segmentEverything);
		if (propagation == null) propagation = PropagationDefaults.NONE;
	}

	/** A configuration naming only the family and the display name. */
	public ModelConfig(final String family, final String name) {
		this(family, name, null, null, Map.of(), PropagationDefaults.NONE);
	}

	/** Reads {@code dir/anyseg-model.json}, or {@link #NONE} when there is none. */
	public static ModelConfig read(final Path dir) {
		final Path f = dir.resolve(FILE);
		if (!Files.isRegularFile(f)) return NONE;
		try (Reader r = Files.newBufferedReader(f)) {
			return parse(r, f.toString());
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot read " + f + ": " + e.getMessage(), e);
		}
	}

	/**
	 * The configuration beside a model's files: the {@code anyseg-model.json} of their folder,
	 * or of their class-path folder for a bundled model.
	 */
	public static ModelConfig of(final List<ModelFile> files) {
		if (files.isEmpty()) return NONE;
		final ModelFile first = files.get(0);
		if (first.path() != null) return read(first.path().toAbsolutePath().getParent());
		final String res = first.resource();
		final String json = res.substring(0, res.lastIndexOf('/') + 1) + FILE;
		try (InputStream in = ModelConfig.class.getClassLoader().getResourceAsStream(json)) {
			if (in == null) return NONE;
			return parse(new InputStreamReader(in, StandardCharsets.UTF_8), "classpath:" + json);
		}
		catch (final IOException e) {
			throw new AnySegException("Cannot read classpath:" + json + ": " + e.getMessage(), e);
		}
	}

	private static ModelConfig parse(final Reader r, final String f) {
		final JsonObject o;
		try {
			final JsonElement e = new Gson().fromJson(r, JsonElement.class);
			if (e == null || !e.isJsonObject()) throw new JsonParseException("not a JSON object");
			o = e.getAsJsonObject();
		}
		catch (final JsonParseException e) {
			throw new AnySegException(f + " is not valid JSON (" + e.getMessage() + "). Fix it " +
				"or delete it to let AnySeg detect the model.", e);
		}
		for (final Map.Entry<String, JsonElement> e : o.entrySet()) {
			if (!KEYS.contains(e.getKey())) {
				throw new AnySegException(f + " has an unknown key '" + e.getKey() + "'; allowed " +
					"keys are " + KEYS + ".");
			}
		}
		try {
			final Integer size;
			try {
				size = o.has("input_size") ? Limits.INPUT_SIZE.checkInt(o.get("input_size")
					.getAsDouble()) : null;
			}
			catch (final AnySegException ex) {
				throw new AnySegException(f + ": " + ex.getMessage(), ex);
			}
			return new ModelConfig(text(o, "family"), text(o, "name"), size, text(o,
				"normalization"), segmentEverything(o, f), propagation(o, f));
		}
		catch (final ClassCastException | IllegalStateException | NumberFormatException e) {
			throw new AnySegException(f + " has a value of the wrong type (" + e.getMessage() +
				"): family, name and normalization are strings, input_size a number, " +
				"segment_everything an object of numbers, propagation an object of numbers and " +
				"a follow string.", e);
		}
	}

	private static Map<String, Double> segmentEverything(final JsonObject o, final String f) {
		if (!o.has("segment_everything")) return Map.of();
		final Map<String, Double> m = new LinkedHashMap<>();
		for (final Map.Entry<String, JsonElement> e : o.getAsJsonObject("segment_everything")
			.entrySet())
		{
			if (!SEGMENT_EVERYTHING_KEYS.contains(e.getKey())) {
				throw new AnySegException(f + ": segment_everything has an unknown key '" + e
					.getKey() + "'; allowed keys are " + SEGMENT_EVERYTHING_KEYS + ".");
			}
			final double v = e.getValue().getAsDouble();
			try {
				checkSegmentEverything(e.getKey(), v);
			}
			catch (final AnySegException ex) {
				throw new AnySegException(f + ": " + ex.getMessage(), ex);
			}
			m.put(e.getKey(), v);
		}
		return m;
	}

	private static PropagationDefaults propagation(final JsonObject o, final String f) {
		if (!o.has("propagation")) return PropagationDefaults.NONE;
		final Map<String, Double> m = new LinkedHashMap<>();
		String follow = null;
		for (final Map.Entry<String, JsonElement> e : o.getAsJsonObject("propagation").entrySet()) {
			if (e.getKey().equals("follow")) follow = e.getValue().getAsString();
			else m.put(e.getKey(), e.getValue().getAsDouble());
		}
		try {
			return new PropagationDefaults(m, follow);
		}
		catch (final AnySegException ex) {
			throw new AnySegException(f + ": " + ex.getMessage(), ex);
		}
	}

	private static String text(final JsonObject o, final String key) {
		return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : null;
	}
}

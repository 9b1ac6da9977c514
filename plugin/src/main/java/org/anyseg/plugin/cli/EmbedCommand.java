package org.anyseg.plugin.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.anyseg.ops.store.EmbeddingKeys;
import org.anyseg.ops.AnySegException;
import org.anyseg.ops.auto.AutoParams;
import org.anyseg.ops.engine.Precomputer;
import org.anyseg.ops.engine.Segmenter;
import org.anyseg.ops.store.EmbeddingStore;
import org.anyseg.plugin.batch.BatchRun;
import org.anyseg.plugin.batch.EmbedRun;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code embed}: precompute embeddings into a store that the other commands read. */
@Command(name = "embed", sortOptions = false, description = {
	"Precompute the embeddings of every plane of an image, volume or folder into a store " +
		"(Zarr v2, docs/embeddings.md) that segment, batch, auto and Fiji read with " +
		"--embeddings.",
	"Volumes (NIfTI, stacks): every slice, normalized over the volume and (unless " +
		"--volume-only) on its own; 2D images: the whole plane, or on images larger than the " +
		"window the tiles segment-everything encodes. Planes already in the store are " +
		"skipped; writes are atomic per plane, so shards may write into one store in parallel." })
final class EmbedCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Mixin
	ModelOptions modelOptions = new ModelOptions();

	@Option(names = "--input", required = true, paramLabel = "DIR|FILE",
		description = "An image or volume, or a folder of them (sorted by name).")
	Path input;

	@Option(names = "--out", required = true, paramLabel = "STORE",
		description = "The store (a folder; made when absent, added to when it is one).")
	Path out;

	@Option(names = "--shard", paramLabel = "K/N",
		description = "Every N-th file (of a folder) or plane (of one file) starting at the " +
			"K-th (0-based), for cluster array jobs.")
	String shard;

	@Option(names = "--precision", defaultValue = "float32", paramLabel = "float32|float16",
		description = "Stored values (default: ${DEFAULT-VALUE}); float16 halves the size.")
	String precision;

	@Option(names = "--zlib", description = "Compress chunks with zlib (numcodecs 'zlib').")
	boolean zlib;

	@Option(names = "--volume-only", description = "Volumes: only the slices normalized over " +
		"the whole volume (propagation, batch), not also each slice normalized alone (the " +
		"interactive tool, segment --slice without --propagate).")
	boolean volumeOnly;

	@Option(names = "--tile-size", paramLabel = "PX",
		description = "Large 2D images: the tile size of the 'auto' runs to serve (default: the " +
			"model's, else 1024).")
	Integer tileSize;

	@Option(names = "--crop-n-layers", paramLabel = "N",
		description = "Large 2D images: also the crops of that many crop layers (default: the " +
			"model's, else 0).")
	Integer cropLayers;

	@Override
	public Integer call() {
		final long t0 = System.nanoTime();
		final int[] kn = BatchRun.parseShard(shard);
		final EmbeddingStore.Precision p = EmbeddingStore.Precision.parse(precision);
		AutoParams auto = AutoParams.defaults(modelOptions.config());
		if (tileSize != null) auto = auto.withTileSize(tileSize);
		if (cropLayers != null) auto = auto.withCropLayers(cropLayers);
		if (!java.nio.file.Files.exists(input)) {
			throw new AnySegException("Input " + input + " does not exist.");
		}
		final PrintWriter err = spec.commandLine().getErr();
		final EmbeddingStore store = EmbeddingStore.create(out, m -> {
			err.println("anyseg: " + m);
			err.flush();
		});
		final List<EmbedRun.Entry> log;
		try (Segmenter seg = modelOptions.segmenter(0)) {
			final Precomputer pre = new Precomputer(seg, store, EmbeddingKeys.modelSha256(
				modelOptions.files()), p, zlib);
			log = new EmbedRun(pre, modelOptions.normalization(), auto, volumeOnly).run(input, kn, (f, done,
				total, o) -> {
				err.printf("\r%s: %d/%d planes   ", f.getFileName(), done, total);
				err.flush();
			}, null);
		}
		err.println();
		int planes = 0, encoded = 0, present = 0, failed = 0;
		for (final EmbedRun.Entry e : log) {
			planes += e.planes();
			encoded += e.encoded();
			present += e.present();
			if (e.error() != null) {
				failed++;
				err.println("  " + e.file() + ": " + e.error());
			}
		}
		spec.commandLine().getOut().printf("%d file(s), %d plane(s): %d encoded, %d already in " +
			"the store, %d file(s) failed (%.1f s); store %s%n", log.size(), planes, encoded,
			present, failed, (System.nanoTime() - t0) / 1e9, out);
		if (failed > 0) {
			throw new AnySegException(failed + " file(s) failed; the others were embedded.");
		}
		return 0;
	}
}

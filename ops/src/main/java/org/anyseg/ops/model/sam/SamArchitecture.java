package org.anyseg.ops.model.sam;

import java.util.List;
import java.util.Map;

import org.anyseg.ops.model.arch.BuiltGraph;
import org.anyseg.ops.model.arch.CheckpointArchitecture;
import org.anyseg.ops.model.graph.OnnxGraphBuilder;

/**
 * Segment Anything's plain architecture (ViT-B/L/H image encoder, prompt encoder, mask
 * decoder): Meta's checkpoints, MedSAM, micro-sam's SAM part and any fine-tune of them. The
 * graphs have the interface of Meta's ONNX export, so the {@code sam} family binds them.
 */
public final class SamArchitecture implements CheckpointArchitecture {

	/**
	 * Grid rows per chunk of global attention ({@code anyseg.attentionChunkRows}; 0 computes
	 * it whole). 4 rows of a 64-row grid: 256 queries, a sixteenth of the scores at a time (ViT-B: 1.3 GB peak, 8 rows 1.6 GB; BENCHMARKS.md).
	 */
	static int chunkRows() {
		return Integer.getInteger("anyseg.attentionChunkRows", 4);
	}

	@Override
	public String id() {
		return "sam";
	}

	@Override
	public String name() {
		return "Segment Anything (ViT image encoder)";
	}

	@Override
	public boolean claims(final Map<String, long[]> shapes) {
		return SamConfig.claims(shapes);
	}

	@Override
	public Built build(final Map<String, long[]> shapes) {
		final SamConfig c = SamConfig.recognise(shapes);
		final OnnxGraphBuilder enc = new SamEncoderGraph(c, chunkRows()).build();
		final OnnxGraphBuilder dec = new SamDecoderGraph(c).build();
		return new Built("sam", "SAM " + c.variant() + ", prompt width " + c.promptWidth(), List
			.of(new BuiltGraph("encoder", enc), new BuiltGraph("decoder", dec)), List.of("pixel_mean",
				"pixel_std"));
	}
}

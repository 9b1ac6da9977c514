package org.anyseg.ops.model.arch;

import java.util.List;
import java.util.Map;

/**
 * A model architecture the project builds itself, so that its publishers' PyTorch
 * checkpoints run without Python: it recognises its state dicts from their keys and shapes
 * and writes the ONNX graphs whose weights are those tensors. Architectures are found with
 * {@link java.util.ServiceLoader}: adding one (SAM 2's Hiera, TinyViT) is a new class listed
 * in {@code META-INF/services/org.anyseg.ops.model.arch.CheckpointArchitecture}.
 */
public interface CheckpointArchitecture {

	/** Stable id, e.g. "sam". */
	String id();

	/** Name shown to users, e.g. "Segment Anything (ViT)". */
	String name();

	/** Whether the state dict's keys are this architecture's. */
	boolean claims(Map<String, long[]> shapes);

	/**
	 * The graphs of this state dict, each naming every weight it binds (state-dict key and
	 * shape); the caller checks them against the state dict.
	 *
	 * @throws org.anyseg.ops.AnySegException when the shapes are not a configuration this
	 *           architecture can build
	 */
	Built build(Map<String, long[]> shapes);

	/**
	 * What an architecture made of a state dict.
	 *
	 * @param family the ONNX family whose interface the graphs have (binds them)
	 * @param description e.g. "SAM ViT-B (prompt width 256)"
	 * @param graphs in the family's order (encoder, decoder)
	 * @param ignored state-dict keys that are not weights of the graphs and may be present
	 *          (buffers such as pixel_mean)
	 */
	record Built(String family, String description, List<BuiltGraph> graphs,
		List<String> ignored)
	{

		public Built {
			graphs = List.copyOf(graphs);
			ignored = List.copyOf(ignored);
		}
	}
}

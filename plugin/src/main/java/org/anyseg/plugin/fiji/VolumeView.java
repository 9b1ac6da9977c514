package org.anyseg.plugin.fiji;

import java.util.List;

import org.anyseg.ops.model.PromptableModel;
import org.anyseg.ops.volume.Axis;
import org.anyseg.ops.volume.Propagation;
import org.anyseg.ops.volume.Volume;

/**
 * What the 3D commands need from a viewer: the volume, the user's prompts on its slices,
 * and a way to show the result. {@link StackView} is ImageJ's stack window (with its
 * Orthogonal Views); a BigDataViewer view (not reachable from Maven Central on the build
 * machines) would be another implementation.
 */
public interface VolumeView {

	Volume volume();

	/** The axis the prompts were drawn across (Z on the stack, Y/X on orthogonal views). */
	Axis axis();

	/** The prompted objects, each with its prompted slices along {@link #axis()}. */
	List<Propagation.Target> targets(PromptableModel model);

	/** Shows (and returns) the label volume of a propagation. */
	Object show(Propagation.Result result);
}

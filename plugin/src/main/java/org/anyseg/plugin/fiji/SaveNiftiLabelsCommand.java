package org.anyseg.plugin.fiji;

import java.io.File;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.io.nifti.NiftiWriter;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;

/**
 * File &gt; Save As &gt; NIfTI Labels (AnySeg): writes a 16-bit label stack as a NIfTI label
 * volume with the geometry (header) of the NIfTI volume it was segmented from.
 */
@Plugin(type = Command.class, headless = true,
	menuPath = "File>Save As>NIfTI Labels (AnySeg)...")
public class SaveNiftiLabelsCommand implements Command {

	@Parameter(label = "Label stack")
	private ImagePlus labels;

	@Parameter(label = "Save as (.nii.gz or .nii)", style = "save")
	private File file;

	@Override
	public void run() {
		UserErrors.run(() -> save(labels, file));
	}

	static void save(final ImagePlus labels, final File file) {
		if (labels.getBitDepth() != 16 && labels.getBitDepth() != 8) {
			throw new AnySegException(labels.getTitle() + " is not a label stack (8- or 16-bit).");
		}
		final short[][] slices = new short[labels.getStackSize()][];
		for (int z = 0; z < slices.length; z++) {
			slices[z] = (short[]) labels.getStack().getProcessor(z + 1).convertToShortProcessor(
				false).getPixels();
		}
		NiftiWriter.writeLabels(file.toPath(), NiftiImages.header(labels), slices);
	}

}

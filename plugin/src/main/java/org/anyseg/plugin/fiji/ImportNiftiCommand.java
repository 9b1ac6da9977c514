package org.anyseg.plugin.fiji;

import java.io.File;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;

/** File &gt; Import &gt; NIfTI (AnySeg): opens a .nii or .nii.gz volume as a stack. */
@Plugin(type = Command.class, headless = true, menuPath = "File>Import>NIfTI (AnySeg)...")
public class ImportNiftiCommand implements Command {

	@Parameter(label = "NIfTI file", style = "extensions:nii/nii.gz/gz")
	private File file;

	@Parameter(label = "Volume", type = ItemIO.OUTPUT)
	private ImagePlus volume;

	@Override
	public void run() {
		UserErrors.run(() -> volume = NiftiImages.open(file.toPath()));
	}
}

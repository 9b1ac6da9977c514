package org.anyseg.plugin.fiji;

import java.nio.file.Path;
import java.nio.file.Paths;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.io.nifti.NiftiHeader;
import org.anyseg.ops.io.nifti.NiftiVolume;
import org.anyseg.ops.io.ij.VolumeFiles;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;

/**
 * NIfTI volumes as ImageJ stacks: the stored array as it is (x = i to the right, y = j down,
 * slice = k + 1, no reorientation, so coordinates match the CLI's), values after
 * scl_slope/scl_inter (8-bit for unscaled uint8, else 32-bit), voxel spacing and unit as the
 * calibration. The source file is remembered as the image property {@value #SOURCE}, so
 * label stacks made from the image can be saved as NIfTI with its geometry.
 */
public final class NiftiImages {

	/** Image property holding the path of the NIfTI file an image came from. */
	public static final String SOURCE = "anyseg.nifti.source";

	private NiftiImages() {}

	public static ImagePlus open(final Path file) {
		final NiftiHeader h = NiftiHeader.read(file);
		final int[] d = h.dims();
		if (d.length > 3 && d[3] > 1) {
			throw new AnySegException(file.getFileName() + " is a 4D NIfTI with " + d[3] +
				" volumes; AnySeg opens 3D volumes. Split it first, or use the command line's " +
				"--frame to choose a volume.");
		}
		final NiftiVolume v = NiftiVolume.read(file);
		final boolean bytes = h.datatype() == 2 && !h.isScaled();
		final ImageStack st = new ImageStack(v.nx(), v.ny());
		for (int z = 0; z < v.nz(); z++) {
			final float[] s = v.slice(z);
			if (bytes) {
				final byte[] b = new byte[s.length];
				for (int i = 0; i < s.length; i++) b[i] = (byte) Math.round(s[i]);
				st.addSlice(new ByteProcessor(v.nx(), v.ny(), b));
			}
			else {
				st.addSlice(new FloatProcessor(v.nx(), v.ny(), s));
			}
		}
		final ImagePlus imp = new ImagePlus(file.getFileName().toString(), st);
		imp.setCalibration(VolumeFiles.calibration(h));
		imp.setProperty(SOURCE, file.toAbsolutePath().toString());
		imp.resetDisplayRange();
		return imp;
	}

	/** The NIfTI header of the file an image (or the image it was made from) came from. */
	public static NiftiHeader header(final ImagePlus imp) {
		final Object src = imp.getProperty(SOURCE);
		if (src == null) {
			throw new AnySegException("Image " + imp.getTitle() + " does not come from a NIfTI " +
				"file, so there is no geometry to save it with. Open the volume with File > Import " +
				"> NIfTI (AnySeg), segment it, then save the labels; or save as TIFF.");
		}
		return NiftiHeader.read(Paths.get(src.toString()));
	}
}

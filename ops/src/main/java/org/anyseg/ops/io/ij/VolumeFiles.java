package org.anyseg.ops.io.ij;

import java.nio.file.Path;
import java.util.Locale;

import org.anyseg.ops.io.AtomicFiles;
import org.anyseg.ops.io.PlaneSelection;
import org.anyseg.ops.volume.Volume;
import org.anyseg.ops.AnySegException;
import org.anyseg.ops.image.Plane;
import org.anyseg.ops.io.ij.ImageFiles;
import org.anyseg.ops.io.ij.ImagePlanes;
import org.anyseg.ops.io.nifti.NiftiHeader;
import org.anyseg.ops.io.nifti.NiftiVolume;
import org.anyseg.ops.io.nifti.NiftiWriter;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ShortProcessor;

/**
 * Opens volumes (NIfTI files, or any stack ImageJ opens) and writes label volumes that line
 * up with them: a NIfTI label volume carries its input's header geometry (same dims,
 * spacing, qform and sform), a TIFF label stack its input's calibration.
 */
public final class VolumeFiles {

	/**
	 * A volume and where it came from.
	 *
	 * @param nifti the NIfTI header when the volume is a NIfTI file, else null
	 * @param calibration voxel size and unit (from the NIfTI spacing, or the stack's)
	 * @param frames whether the volume is a time series' frames (one slice, several frames)
	 */
	public record Loaded(Volume volume, NiftiHeader nifti, Calibration calibration,
		boolean frames)
	{

		/** Whether slice numbers are NIfTI's 0-based k (else ImageJ's 1-based slices). */
		public boolean zeroBased() {
			return nifti != null;
		}
	}

	private VolumeFiles() {}

	public static boolean isNifti(final Path p) {
		final String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
		return n.endsWith(".nii") || n.endsWith(".nii.gz");
	}

	/**
	 * Opens a volume.
	 *
	 * @param channel ImageJ channel (1-based) of a stack
	 * @param frameOrNull ImageJ frame (1-based) of a stack (null: the first), or the 1-based
	 *          volume of a 4D NIfTI (required there: a 4D file without it is refused)
	 */
	public static Loaded open(final Path file, final int channel, final Integer frameOrNull) {
		final int frame = frameOrNull == null ? 1 : frameOrNull;
		if (isNifti(file)) {
			final NiftiHeader h = NiftiHeader.read(file);
			final int[] d = h.dims();
			final boolean fourD = d.length > 3 && d[3] > 1;
			if (fourD && (frameOrNull == null || frame < 1 || frame > d[3])) {
				throw new AnySegException(file.getFileName() + " is a 4D NIfTI with " + d[3] +
					" volumes; choose one with --frame 1.." + d[3] + ".");
			}
			final NiftiVolume v = fourD ? NiftiVolume.read(file, frame - 1) : NiftiVolume.read(file);
			return new Loaded(of(v), h, calibration(h), false);
		}
		return of(ImageFiles.open(file), channel, frame);
	}

	/** An open stack as a volume (one channel and frame, 1-based) with its calibration. */
	public static Loaded of(final ImagePlus imp, final int channel, final int frame) {
		return new Loaded(ImagePlanes.volume(imp, channel, frame), null, imp.getCalibration(),
			ImagePlanes.walksFrames(imp));
	}

	/** A NIfTI volume as an engine volume (8-bit kind for uint8 data, else 32-bit). */
	public static Volume of(final NiftiVolume v) {
		final Plane.Kind kind = v.header().datatype() == 2 && !v.header().isScaled()
			? Plane.Kind.GRAY8 : Plane.Kind.GRAY32;
		return new Volume() {

			@Override
			public int nx() {
				return v.nx();
			}

			@Override
			public int ny() {
				return v.ny();
			}

			@Override
			public int nz() {
				return v.nz();
			}

			@Override
			public float[] slice(final int z) {
				return v.slice(z);
			}

			@Override
			public Plane.Kind kind() {
				return kind;
			}
		};
	}

	/** ImageJ calibration of a NIfTI header: voxel spacing and its unit. */
	public static Calibration calibration(final NiftiHeader h) {
		final Calibration c = new Calibration();
		final double[] s = h.spacing();
		c.pixelWidth = s[0] > 0 ? s[0] : 1;
		c.pixelHeight = s.length > 1 && s[1] > 0 ? s[1] : 1;
		c.pixelDepth = s.length > 2 && s[2] > 0 ? s[2] : 1;
		c.setUnit(h.spatialUnit().isEmpty() ? "pixel" : h.spatialUnit());
		return c;
	}

	/**
	 * Writes a label volume for {@code input}: NIfTI (with the input's header geometry) when
	 * {@code out} ends in .nii or .nii.gz, else a 16-bit TIFF stack with its calibration;
	 * atomically.
	 */
	public static void writeLabels(final Path out, final Loaded input, final short[][] labels) {
		if (isNifti(out)) {
			if (input.nifti() == null) {
				throw new AnySegException("A NIfTI label volume needs a NIfTI input to take its " +
					"geometry from; " + out.getFileName() + " would have none. Write a .tif instead.");
			}
			NiftiWriter.writeLabels(out, input.nifti(), labels);
			return;
		}
		final Volume v = input.volume();
		final ImageStack st = new ImageStack(v.nx(), v.ny());
		for (final short[] s : labels) st.addSlice(new ShortProcessor(v.nx(), v.ny(), s, null));
		final ImagePlus imp = new ImagePlus("labels", st);
		if (input.frames()) imp.setDimensions(1, 1, labels.length); // a time series stays one
		imp.setCalibration(input.calibration());
		AtomicFiles.writeAtomically(out, f -> new ij.io.FileSaver(imp).saveAsTiffStack(f
			.toString()));
	}
}

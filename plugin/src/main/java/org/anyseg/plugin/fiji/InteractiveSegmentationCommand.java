package org.anyseg.plugin.fiji;

import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.gui.Toolbar;

/** Plugins &gt; AnySeg &gt; Interactive Segmentation: installs and selects the AnySeg tool. */
@Plugin(type = Command.class, menuPath = "Plugins>AnySeg>Interactive Segmentation")
public class InteractiveSegmentationCommand implements Command {

	@Parameter
	private AnySegService anyseg;

	@Override
	public void run() {
		Toolbar.addPlugInTool(new InteractiveSegmentationTool(anyseg));
	}
}

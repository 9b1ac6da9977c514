package org.anyseg.plugin.fiji;

import java.awt.GraphicsEnvironment;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.model.ModelZoo;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins &gt; AnySeg &gt; Manage Models: the model manager window (catalogue and installed
 * models, with download, delete and import buttons). Macros use
 * {@link ModelsMacroCommand} instead.
 */
@Plugin(type = Command.class, menuPath = "Plugins>AnySeg>Manage Models")
public class ManageModelsCommand implements Command {

	@Parameter
	private AnySegService anyseg;

	@Override
	public void run() {
		UserErrors.run(() -> {
			if (GraphicsEnvironment.isHeadless()) {
				throw new AnySegException("Manage Models is a window; without a display use " +
					"Plugins > AnySeg > Advanced > Models (macro) or the CLI 'models' command.");
			}
			java.awt.EventQueue.invokeLater(() -> new ModelManagerDialog(anyseg.catalog(), ModelZoo
				.bundled()).setVisible(true));
		});
	}
}

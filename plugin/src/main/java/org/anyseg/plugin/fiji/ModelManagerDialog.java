package org.anyseg.plugin.fiji;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.swing.JButton;
import javax.swing.JFileChooser;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTable;
import javax.swing.ListSelectionModel;
import javax.swing.SwingWorker;
import javax.swing.table.DefaultTableModel;

import org.anyseg.ops.AnySegException;
import org.anyseg.ops.download.Downloader;
import org.anyseg.ops.download.ModelInstaller;
import org.anyseg.ops.model.ModelCatalog;
import org.anyseg.ops.model.ModelZoo;

import ij.IJ;

/**
 * The model manager window: one row per model (installed ones first, then the catalogue's),
 * with family, size, licence, prompts and status, and buttons to download (off the event
 * thread, with progress and cancel), delete and import. What a row's model is good for and
 * its licence show below the table.
 */
final class ModelManagerDialog extends JFrame {

	static final String[] COLUMNS = { "Name", "Status", "Family", "Size (MB)", "Licence",
		"Prompts" };

	private final ModelCatalog catalog;
	private final ModelZoo zoo;
	private final DefaultTableModel rows = new DefaultTableModel(COLUMNS, 0) {

		@Override
		public boolean isCellEditable(final int r, final int c) {
			return false;
		}
	};
	final JTable table = new JTable(rows);
	final JButton download = new JButton("Download");
	final JButton cancel = new JButton("Cancel download");
	final JButton delete = new JButton("Delete");
	final JButton importButton = new JButton("Import folder or checkpoint...");
	final JLabel info = new JLabel(" ");
	private final AtomicBoolean cancelled = new AtomicBoolean();
	/** The running download, if any (for tests and to refuse a second one). */
	volatile SwingWorker<String, Void> worker;

	ModelManagerDialog(final ModelCatalog catalog, final ModelZoo zoo) {
		super("AnySeg: Manage Models");
		this.catalog = catalog;
		this.zoo = zoo;
		table.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
		table.getSelectionModel().addListSelectionListener(e -> updateInfo());
		table.getColumnModel().getColumn(0).setPreferredWidth(150);
		table.getColumnModel().getColumn(4).setPreferredWidth(190);
		download.addActionListener(e -> download());
		cancel.addActionListener(e -> cancelled.set(true));
		cancel.setEnabled(false);
		delete.addActionListener(e -> delete());
		importButton.addActionListener(e -> importFolder());
		final JPanel buttons = new JPanel(new FlowLayout(FlowLayout.LEFT));
		buttons.add(download);
		buttons.add(cancel);
		buttons.add(delete);
		buttons.add(importButton);
		final JPanel south = new JPanel(new BorderLayout());
		south.add(buttons, BorderLayout.NORTH);
		south.add(info, BorderLayout.CENTER);
		south.add(new JLabel("Model folder: " + catalog.modelFolder() +
			" (change it in Plugins > AnySeg > Settings)"), BorderLayout.SOUTH);
		getContentPane().add(new JScrollPane(table), BorderLayout.CENTER);
		getContentPane().add(south, BorderLayout.SOUTH);
		setSize(900, 520);
		refresh();
	}

	/** Rebuilds the rows from the model folder and the catalogue. */
	void refresh() {
		rows.setRowCount(0);
		final List<String> installed = catalog.names();
		for (final String n : installed) {
			final org.anyseg.ops.model.ModelStatus status = catalog.status(n);
			final ModelZoo.Entry e = zoo.find(n).orElse(null);
			rows.addRow(new Object[] { n, status.usable() ? "installed" : "present, not usable",
				status.usable() ? status.family() : "?", String.format("%.1f",
					ModelsMacroCommand.sizeMb(catalog.resolve(n))), e != null ? ModelsMacroCommand
						.licence(e) : ModelsMacroCommand.licence(n),
				e == null ? "" : String.join("+", e.prompts()) });
		}
		for (final ModelZoo.Entry e : zoo.entries()) {
			if (installed.contains(e.name())) continue;
			final boolean partial = Files.isDirectory(ModelInstaller.staging(catalog, e.name()));
			rows.addRow(new Object[] { e.name(), partial ? "partly downloaded" : "available", e
				.family(), e.size() < 0 ? "?" : String.format("%.1f", e.size() / 1e6), ModelsMacroCommand
						.licence(e), String.join("+", e.prompts()) });
		}
		updateInfo();
	}

	/** Row index of a model, or -1. */
	int row(final String name) {
		for (int r = 0; r < rows.getRowCount(); r++) {
			if (name.equals(rows.getValueAt(r, 0))) return r;
		}
		return -1;
	}

	String status(final String name) {
		final int r = row(name);
		return r < 0 ? null : (String) rows.getValueAt(r, 1);
	}

	private String selected() {
		final int r = table.getSelectedRow();
		return r < 0 ? null : (String) rows.getValueAt(r, 0);
	}

	private void updateInfo() {
		final String n = selected();
		final ModelZoo.Entry e = n == null ? null : zoo.find(n).orElse(null);
		final boolean installed = n != null && row(n) >= 0 && rows.getValueAt(row(n), 1)
			.toString().startsWith("installed");
		download.setEnabled(e != null && !installed && worker == null);
		delete.setEnabled(n != null && !ModelCatalog.DEMO.equals(n) && (installed || !"available"
			.equals(status(n)) && e == null));
		info.setText(e == null ? " " : "<html>" + e.title() + ": " + e.note() + (e
			.commercialUse() ? "" : " <b>Licence " + e.licence() + ": not for commercial use.</b>") +
			"</html>");
	}

	private void download() {
		final String n = selected();
		if (n == null || worker != null) return;
		final ModelZoo.Entry e = zoo.get(n);
		cancelled.set(false);
		cancel.setEnabled(true);
		download.setEnabled(false);
		rows.setValueAt("downloading", row(n), 1);
		worker = new SwingWorker<>() {

			@Override
			protected String doInBackground() {
				return new ModelInstaller(Downloader.standard()).install(e, catalog,
					new FijiProgress(), cancelled::get);
			}

			@Override
			protected void done() {
				worker = null;
				cancel.setEnabled(false);
				IJ.showProgress(1.0);
				try {
					final String family = get();
					IJ.showStatus("AnySeg: installed " + n + " (" + family + ")");
				}
				catch (final Exception ex) {
					final Throwable c = ex.getCause() != null ? ex.getCause() : ex;
					IJ.showStatus("AnySeg: download of " + n + " stopped");
					UserErrors.show(c instanceof AnySegException ? c.getMessage() : c.toString());
				}
				refresh();
			}
		};
		worker.execute();
	}

	private void delete() {
		final String n = selected();
		if (n == null) return;
		if (JOptionPane.showConfirmDialog(this, "Delete the model '" + n + "' from " + catalog
			.modelFolder() + "?", "AnySeg", JOptionPane.OK_CANCEL_OPTION) != JOptionPane.OK_OPTION)
		{
			return;
		}
		UserErrors.run(() -> {
			if (Files.isDirectory(catalog.modelFolder().resolve(n))) catalog.delete(n);
			else ModelCatalog.deleteTree(ModelInstaller.staging(catalog, n));
		});
		refresh();
	}

	private void importFolder() {
		final JFileChooser chooser = new JFileChooser();
		chooser.setFileSelectionMode(JFileChooser.FILES_AND_DIRECTORIES);
		chooser.setDialogTitle("Folder with the model's .onnx files, or a PyTorch checkpoint " +
			"(.pth/.pt) of the SAM architecture");
		if (chooser.showOpenDialog(this) != JFileChooser.APPROVE_OPTION) return;
		final java.nio.file.Path source = chooser.getSelectedFile().toPath();
		final String file = source.getFileName().toString();
		final String name = JOptionPane.showInputDialog(this, "Name for the model:", chooser
			.getSelectedFile().isFile() ? file.replaceFirst("\\.[^.]*$", "") : file);
		if (name == null) return;
		importModel(source, name);
	}

	/**
	 * Imports off the event thread (a checkpoint of gigabytes is read and hashed), then
	 * refreshes the table.
	 */
	SwingWorker<String, Void> importModel(final java.nio.file.Path source, final String name) {
		importButton.setEnabled(false);
		info.setText("Importing " + source.getFileName() + "...");
		final SwingWorker<String, Void> w = new SwingWorker<>() {

			@Override
			protected String doInBackground() {
				return catalog.importModel(source, name);
			}

			@Override
			protected void done() {
				importButton.setEnabled(true);
				try {
					info.setText("Imported " + name + " (family " + get() + ").");
				}
				catch (final java.util.concurrent.ExecutionException e) {
					info.setText(" ");
					UserErrors.show(e.getCause().getMessage());
				}
				catch (final InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				refresh();
			}
		};
		w.execute();
		return w;
	}

	/** Names of all rows (tests). */
	List<String> names() {
		final List<String> l = new ArrayList<>();
		for (int r = 0; r < rows.getRowCount(); r++) l.add((String) rows.getValueAt(r, 0));
		return l;
	}

	void select(final String name) {
		final int r = row(name);
		table.setRowSelectionInterval(r, r);
	}
}

// AnySeg example: segment one object through a NIfTI volume from a box on one slice.
// Arguments (e.g. from the command line: macro propagate_nifti.ijm "input=... box=... slice=..."):
//   input=VOLUME.nii.gz   box=X0,Y0,X1,Y1 (ImageJ rectangle: X1 = X0 + width)
//   slice=K (the NIfTI array index k, 0-based)   window=ct-soft (or auto, mr, window:40,400)
//   output=LABELS.nii.gz (written with the input's geometry, and LABELS-prompts.csv beside it)
//   model=demo   min_iou=NaN (NaN: the model's stop rules)
args = getArgument();
input = value(args, "input", "");
if (input == "") exit("Give input=VOLUME.nii.gz (and box=, slice=, output=).");
box = split(value(args, "box", ""), ",");
if (box.length != 4) exit("Give box=X0,Y0,X1,Y1.");
k = parseInt(value(args, "slice", "0"));
run("AnySeg Macro Functions");
Ext.anysegSetModel(value(args, "model", "demo"));
Ext.anysegOpenNifti(input);
Ext.anysegSetNormalization(value(args, "window", "auto"));
setSlice(k + 1);
Ext.anysegAddBox(parseFloat(box[0]), parseFloat(box[1]), parseFloat(box[2]), parseFloat(box[3]));
Ext.anysegPropagate(parseFloat(value(args, "min_iou", "NaN"))); // NaN: the model's
output = value(args, "output", "");
if (output != "") Ext.anysegSaveNiftiLabels(output);
labelled = 0;
for (z = 1; z <= nSlices; z++) {
	setSlice(z);
	getStatistics(area, mean, min, max);
	if (max > 0) labelled++;
}
msg = "AnySeg: object labelled on " + labelled + " of " + nSlices + " slices";
if (output != "") msg = msg + "; wrote " + output;
print(msg);

function value(args, key, dflt) {
	parts = split(args, " ");
	for (i = 0; i < parts.length; i++) {
		if (startsWith(parts[i], key + "=")) return substring(parts[i], lengthOf(key) + 1);
	}
	return dflt;
}

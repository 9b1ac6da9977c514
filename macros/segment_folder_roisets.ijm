// AnySeg example: segment every image of a folder from the prompts saved beside it as a
// ROI set (name.tif + name.zip, or name.roi, as the ROI Manager saves them): rectangles are
// boxes, points are clicks; each ROI is one object (ROIs of one group form one object).
// Label images are written to the output folder as name-labels.tif; existing ones are kept.
//
// In Fiji: run it and answer the dialogs. Headless:
//   java -jar anyseg.jar macro segment_folder_roisets.ijm "input=/data/in output=/data/out model=demo"

args = getArgument();
input = value(args, "input", "");
output = value(args, "output", "");
model = value(args, "model", "demo");
if (input == "") input = getDirectory("Folder with images and ROI sets");
if (output == "") output = getDirectory("Output folder for label images");
if (!endsWith(input, File.separator)) input = input + File.separator;
if (!endsWith(output, File.separator)) output = output + File.separator;
File.makeDirectory(output);

setBatchMode(true);
run("AnySeg Macro Functions");
Ext.anysegSetModel(model);

files = getFileList(input);
Array.sort(files);
done = 0;
for (i = 0; i < files.length; i++) {
	f = files[i];
	if (!matches(toLowerCase(f), ".*\\.(tif|tiff|png|jpg|jpeg)$")) continue;
	base = substring(f, 0, lastIndexOf(f, "."));
	rois = input + base + ".zip";
	if (!File.exists(rois)) rois = input + base + ".roi";
	if (!File.exists(rois)) { print("skipped " + f + ": no ROI set " + base + ".zip"); continue; }
	out = output + base + "-labels.tif";
	if (File.exists(out)) { print("skipped " + f + ": " + out + " exists"); continue; }
	open(input + f);
	Ext.anysegSegmentRoiSet(rois);
	Ext.anysegGetObjectCount(n);
	saveAs("Tiff", out);
	close("*");
	print("segmented " + f + ": " + n + " objects -> " + out);
	done++;
}
print("AnySeg: " + done + " image(s) segmented");

function value(text, key, dflt) {
	parts = split(text, " ");
	for (k = 0; k < parts.length; k++) {
		if (startsWith(parts[k], key + "=")) return substring(parts[k], lengthOf(key) + 1);
	}
	return dflt;
}

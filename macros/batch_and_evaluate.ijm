// AnySeg example: segment a folder with prompts made from its ground truth, then score the
// result against that ground truth (how good would a generalist model be on my data?).
// Arguments: input=IMAGES gt=GROUND_TRUTH out=OUTPUT [model=demo] [prompt=box|point|points=3]
//            [tolerance=1]
// Writes OUTPUT/labels (label images, run_log.csv) and OUTPUT/report (metrics.csv,
// summary.csv, box plots, report.html).
args = getArgument();
input = value(args, "input", "");
gt = value(args, "gt", "");
out = value(args, "out", "");
if (input == "" || gt == "" || out == "") exit("Give input=DIR gt=DIR out=DIR.");
run("AnySeg Macro Functions");
Ext.anysegSetModel(value(args, "model", "demo"));
Ext.anysegBatch(input, out + "/labels", "gt:" + gt + ":" + value(args, "prompt", "box"));
Ext.anysegEvaluate(gt, "anyseg=" + out + "/labels", out + "/report", parseFloat(value(args, "tolerance", "1")));
print("AnySeg: report in " + out + "/report/report.html");

function value(args, key, dflt) {
	parts = split(args, " ");
	for (i = 0; i < parts.length; i++) {
		if (startsWith(parts[i], key + "=")) return substring(parts[i], lengthOf(key) + 1);
	}
	return dflt;
}

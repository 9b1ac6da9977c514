#!/usr/bin/env bash
# Prints the figures kept in BENCHMARKS.md. Run from the repository root on an idle machine.
# Usage: tools/bench.sh [SHARED_DATA_DIR]   (default ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/data}
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
cp="target/classes:target/test-classes:$(cat target/bench.cp)"
img="$data/dsb2018_nuclei/img2d.tif"
[ -f "$img" ] || img=samples/cells.tif
fixture=$(mktemp -d)
cp src/test/resources/fixtures/sam_onnx/encoder_normalized.onnx \
	src/test/resources/fixtures/sam_onnx/decoder_m4.onnx "$fixture/"

echo "== machine: $(nproc) cores, $(date -u +%F)"
for arena in off on; do
	echo "== demo model, cpu arena $arena (fresh JVM)"
	java -cp "$cp" org.anyseg.bench.EngineBenchmark demo "$img" --arena "$arena" --reps 20
done
echo "== Family A fixture model"
java -cp "$cp" org.anyseg.bench.EngineBenchmark "$fixture" "$img" --reps 20
if [ -d "$data/dsb2018_nuclei" ]; then
	echo "== demo model on DSB 2018 nuclei, through the CLI"
	java -cp "$cp" org.anyseg.eval.NucleiEvaluation "$data" demo
	echo "== segment everything, demo model (its own defaults), DSB 2018 nuclei, through the CLI"
	java -cp "$cp" org.anyseg.eval.AutoNucleiEvaluation "$data" demo
fi
echo "== graph settings (issue 19), sam2_window_pe fixture encoder"
java -cp "$cp" org.anyseg.bench.GraphSettingBenchmark src/test/resources/fixtures/sam2_window_pe/encoder.onnx --reps 7
echo "== 3D propagation, demo model, synthetic 512x512x200 16-bit volume, -Xmx2g"
java -Xmx2g -cp "$cp" org.anyseg.bench.VolumeBenchmark 512 512 200
echo "== prompting a 20000x20000 8-bit image in full-resolution windows, -Xmx2g"
java -Xmx2g -cp "$cp" org.anyseg.bench.LargeImageBenchmark 20000
echo "== segment everything on a 20000x20000 8-bit image (2x2 points per tile), -Xmx2g"
java -Xmx2g -cp "$cp" org.anyseg.bench.AutoLargeImageBenchmark 20000 2
rm -rf "$fixture"

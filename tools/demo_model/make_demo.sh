#!/bin/sh
# Rebuild the bundled demo (v2, issue 18) from its two trained networks:
#   tools/demo_model/make_demo.sh [OUTDIR]   (default: the bundled demo's resource folder)
# small: the demo before v2 (stage 1 + objectness head), its ONNX files as shipped until
#        commit ebf4b6c (regenerate them from scratch with the "stage 1" and "Objectness IoU head"
#        sections of README.md);
# large: demo-v2 run A, work/model_v3a.pt (README.md, "Demo v2", run A; 48 min of training).
# The gate (112 px) was chosen by gate_sweep.py on held-out synthetic objects. anyseg-model.json
# is kept by hand (its graph_checks come from BundledDemoCheckTest's message).
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${1:-$ROOT/src/main/resources/org/anyseg/models/demo}
W=$(mktemp -d)
mkdir -p "$W/small"
for f in encoder.onnx decoder.onnx; do
  git -C "$ROOT" show ebf4b6c:src/main/resources/org/anyseg/models/demo/$f > "$W/small/$f"
done
"$HERE/make_candidate.sh" "$HERE/work/model_v3a.pt" "$W/large" 0.05 0.0 > /dev/null
/usr/bin/python3 "$HERE/compose.py" --small "$W/small" --large "$W/large" --gate 112 --sharpness 8 \
    --fp16-large --out "$OUT"
rm -rf "$W"
sha256sum "$OUT/encoder.onnx" "$OUT/decoder.onnx"

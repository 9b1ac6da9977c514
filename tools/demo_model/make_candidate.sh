#!/bin/sh
# Export a demo-v2 checkpoint as a model folder for the plugin / CLI:
#   tools/demo_model/make_candidate.sh CKPT OUTDIR PRED_IOU_THRESH STABILITY_THRESH
# writes OUTDIR/{encoder.onnx,decoder.onnx,anyseg-model.json} (no graph_checks).
set -e
HERE=$(dirname "$0")
CKPT=$1; OUT=$2; T=${3:-0.5}; S=${4:-0.0}
mkdir -p "$OUT"
/usr/bin/python3 "$HERE/export.py" --ckpt "$CKPT" --out "$OUT" 2>&1 | grep -E "bytes|Error" || true
cat > "$OUT/anyseg-model.json" <<JSON
{
  "name": "AnySeg demo v2",
  "description": "Tiny SAM-interface model trained on synthetic images only (tools/demo_model, demo v2 of issue 18: nuclei, polyp-like, CT/MRI-like and large objects). Its predicted IoU is on its own scale; segment-everything thresholds were chosen on synthetic data (tools/demo_model/README.md).",
  "segment_everything": { "pred_iou_thresh": $T, "stability_score_thresh": $S },
  "propagation": { "min_iou": -100, "min_area_ratio": 0.2, "max_area_ratio": 0, "min_inside": 0.5, "margin": 0.1, "follow": "box" }
}
JSON
ls -l "$OUT"

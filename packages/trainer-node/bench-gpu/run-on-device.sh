#!/bin/bash
# The ONE command a GPU session runs for issue 7 (device tool, NVIDIA H100/H200), from the repo root:
#
#   run(command="bash packages/trainer-node/bench-gpu/run-on-device.sh", carry=["gpu-bundle/forger-bench"], timeout_s=600)
#
# after `bash packages/trainer-node/bench-gpu/pack.sh` built gpu-bundle/forger-bench here (40 MiB: node, the Vulkan loader, the benchmark, the forger CLI, gzipped MNIST).
# Expected: about 4 minutes (PyTorch ~1 min, Forger 12 configurations ~2–3 min, first pipeline compiles
# included); the Forger part is capped at FORGER_BENCH_LIMIT_S (default 330 s) and writes its JSON after
# every measurement, so a cut-short run still returns what it measured. Then issue 7's quality check (about
# 1–2 minutes, capped at FORGER_QUALITY_LIMIT_S, default 180 s; FORGER_QUALITY=0 skips it): the default DCGAN run
# (`forger train --model dcgan`, seed 42) on webgpu, scored by `forger score` against the same run on wasm (see
# the trainer-node README, "Sample quality"). Results in $OUT:
#   bench-gpu.json (the report), bench-gpu.log (progress), gpu.txt (nvidia-smi, Vulkan ICDs, torch),
#   gemm-tilings-256.json (the engine's tilings per product, see gemm-tilings.ts; its summary lines in bench-gpu.log),
#   bench-gpu-ab.json with FORGER_AB_TILING set,
#   dcgan-webgpu-42/final.png, dcgan-webgpu-42.score.json, quality.log (the device returns at most 8 files: the
#   run's sample grids and metrics are dropped; quality.log has its progress lines).
set -uo pipefail
out=${OUT:-/tmp/forger-bench-out}
mkdir -p "$out"
bundle=${FORGER_BENCH_BUNDLE:-gpu-bundle/forger-bench}
{
  date -u
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv 2>&1
  ls /usr/local/nvidia/share/vulkan/icd.d /usr/share/vulkan/icd.d 2>&1
  python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.is_available())' 2>&1
} > "$out/gpu.txt"
cat "$out/gpu.txt"
[ -f "$bundle/run.sh" ] || { echo "no $bundle/run.sh: run packages/trainer-node/bench-gpu/pack.sh first and carry $bundle" | tee -a "$out/gpu.txt"; exit 2; }
# The tilings of Forger's WGSL matrix-product engine on keras-dcgan's convolutions and dense products, against
# tfjs's own kernels (gemm-tilings.ts; FORGER_SWEEP_BATCHES="" skips it), each batch capped at FORGER_SWEEP_LIMIT_S.
for batch in ${FORGER_SWEEP_BATCHES-256}; do
  timeout "${FORGER_SWEEP_LIMIT_S:-150}" bash "$bundle/run.sh" node bench/gemm-tilings.mjs --batch "$batch" \
    --out "$out/gemm-tilings-$batch.json" 2>&1 | grep '^\[gemm-tilings\]' | tee -a "$out/bench-gpu.log"
done
# An A/B of the engine's tilings on the same machine: FORGER_AB_TILING=16x16/8x4/8 times the DCGAN iteration again
# with every product forced to that tiling (FORGER_WEBGPU_GEMM_TILING), into bench-gpu-ab.json.
if [ -n "${FORGER_AB_TILING:-}" ]; then
  FORGER_WEBGPU_GEMM_TILING=$FORGER_AB_TILING timeout "${FORGER_AB_LIMIT_S:-90}" bash "$bundle/run.sh" node bench/bench-gpu.mjs \
    --families dcgan --batches 64,256 --kernels forger:direct --torch off --min-seconds 1.5 --out "$out/bench-gpu-ab.json" 2>&1 \
    | grep -E '^dcgan fused' | sed "s|^|tiling $FORGER_AB_TILING: |" | tee -a "$out/bench-gpu.log"
fi
PYTHONUNBUFFERED=1 timeout "${FORGER_BENCH_LIMIT_S:-330}" bash "$bundle/run.sh" node bench/bench-gpu.mjs \
  --families dcgan,vanilla,ssgan --batches 64,256 --optimizers fused --kernels forger:direct,tfjs:composite \
  --min-seconds 2 --min-iterations 10 --warmup 3 --out "$out/bench-gpu.json" "$@" 2>&1 | tee "$out/bench-gpu.log"
rc=${PIPESTATUS[0]}
echo "bench-gpu exit code: $rc" | tee -a "$out/bench-gpu.log"
# The headline: Forger (webgpu) against PyTorch (TF32) for keras-dcgan at each batch size.
python3 - "$out/bench-gpu.json" <<'PY' 2>&1 | tee -a "$out/bench-gpu.log"
import json, sys
r = json.load(open(sys.argv[1]))
print("adapter:", r.get("adapter"), "| torch:", r["torch"].get("torchVersion"), r["torch"].get("device"), r["torch"].get("error", ""))
for d in r.get("dispatchOverhead", []):
    print(f"dispatch overhead ({d['elements']} elements): {d['wallMsPerDispatch']} ms wall, {d['hostMsPerDispatch']} ms recording per dispatch; round trip {d['roundTripMs']} ms")
for c in r["comparison"]:
    print(f"dcgan batch {c['batchSize']} {c['optimizer']} {c.get('convRoute')} convolutions, {c['filterGradient']} filter gradient: forger {c['forgerImagesPerSecond']} img/s, torch tf32 {c.get('torchTf32ImagesPerSecond')} img/s, ratio {c.get('ratioToTorchTf32')}")
for m in r["forger"]:
    print(f"{m['family']} {m['optimizer']} {m.get('convRoute')}/{m.get('filterGradient')} batch {m['batchSize']}: {m['msPerIteration']} ms ({m['hostMsPerIteration']} recording), {m['kernels']} kernels, {m.get('gpuDispatches')} dispatches, {m['kernelMs']} ms GPU")
PY
if [ "${FORGER_QUALITY:-1}" != 0 ]; then
  {
    echo "quality check: forger train --model dcgan --backend webgpu --seed 42 (the default run), then forger score"
    start=$(date +%s)
    timeout "${FORGER_QUALITY_LIMIT_S:-180}" bash "$bundle/run.sh" node bench/forger.mjs train --model dcgan --backend webgpu \
      --seed 42 --quiet --checkpoint-every 1000 --out "$out/dcgan-webgpu-42" &&
      bash "$bundle/run.sh" node bench/forger.mjs score --checkpoint "$out/dcgan-webgpu-42/final.forger" \
        --classifier bench/mnist-score-classifier.forger --backend webgpu --json > "$out/dcgan-webgpu-42.score.json"
    echo "quality check exit code: $? after $(( $(date +%s) - start )) s"
    # checkpoints are ~100 MB: only the grid, the metrics and the score come back
    rm -rf "$out/dcgan-webgpu-42/checkpoints" "$out"/dcgan-webgpu-42/*.forger "$out/dcgan-webgpu-42/samples" "$out/dcgan-webgpu-42/metrics.jsonl"
    grep -E '"(frechetDistance|inceptionScore|classBalanceGap)"' "$out/dcgan-webgpu-42.score.json"
  } 2>&1 | tee "$out/quality.log"
fi
exit "$rc"

#!/bin/bash
# The ONE command a GPU session runs for issue 7 (and, with FORGER_MODE=quality, issue 16: see below) (device tool, NVIDIA H100/H200), from the repo root:
#
#   run(command="bash packages/trainer-node/bench-gpu/run-on-device.sh", carry=["gpu-bundle/forger-bench"], timeout_s=600)
#
# after `bash packages/trainer-node/bench-gpu/pack.sh` built gpu-bundle/forger-bench here (40 MiB: node, the Vulkan loader, the benchmark, the forger CLI, gzipped MNIST).
# Expected: about 4 minutes (PyTorch ~1 min, Forger 12 configurations ~2–3 min, first pipeline compiles
# included); the Forger part is capped at FORGER_BENCH_LIMIT_S (default 330 s) and writes its JSON after
# every measurement, so a cut-short run still returns what it measured. Then issue 7's quality check (about
# 1–2 minutes, capped at FORGER_QUALITY_LIMIT_S, default 180 s; FORGER_QUALITY=0 skips it): the DCGAN run that was
# measured on wasm (`forger train --model dcgan --recipe keras-dcgan`, seed 42: keras-dcgan's SGD, the default when
# it was measured) on webgpu, scored by `forger score` against the same run on wasm (see the trainer-node README,
# "Sample quality"). Results in $OUT:
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
# Issue 16 (FORGER_MODE=quality), instead of the benchmark: the DCGAN's quality targets and its tricks ablation.
#   run(command="FORGER_MODE=quality bash packages/trainer-node/bench-gpu/run-on-device.sh", carry=["gpu-bundle/forger-bench"], timeout_s=600)
# Everything ends within FORGER_QUALITY_DEADLINE_S (540 s) of the start, so the call's 600 s leave time to return:
# 1. `forger train --model dcgan --epochs 5` for each FORGER_QUALITY_RUNS entry (architecture:seed; "default" is
#    Forger's default DCGAN, the radford networks with three extra layers each; "keras-dcgan" is keras-dcgan's networks with Adam), each capped at FORGER_QUALITY_LIMIT_S (150 s), scored by `forger score` on 10,000 samples;
# 2. the DCGAN ablation (scripts/ablation.ts, bundled), FORGER_ABLATION_ARGS (default: seed 1), in the time left. It
#    starts from this checkout's ablation/results/dcgan.json and writes after each finished run, so what comes back
#    holds every run so far, and a later call adds the rest (--only, --seeds).
# $OUT (8 files, the most a call returns): gpu.txt, quality.log, quality-scores.json (the score reports, by run),
# dcgan-<architecture>-7.png (the seed-7 grids), ablation/results/dcgan.json (copy it over the checkout's, then
# `pnpm ablation --family dcgan --backend webgpu --report-only`), ablation/dcgan.{md,svg} (when the ablation finished).
# FORGER_QUALITY_BACKEND (cpu), FORGER_QUALITY_BUDGET and FORGER_SCORE_ARGS smoke-test the mode without a GPU.
if [ "${FORGER_MODE:-bench}" = quality ]; then
  deadline=$(( $(date +%s) + ${FORGER_QUALITY_DEADLINE_S:-540} ))
  # the smaller of a stage's own cap and the time left before the deadline (at least 1: `timeout 0` never stops)
  capped() { local left=$(( deadline - $(date +%s) )); left=$(( left < $1 ? left : $1 )); echo $(( left > 1 ? left : 1 )); }
  backend=${FORGER_QUALITY_BACKEND:-webgpu}
  work=/tmp/forger-quality
  rm -rf "$work" && mkdir -p "$work" "$out/ablation/results"
  cp packages/trainer-node/ablation/results/dcgan.json "$out/ablation/results/" 2>/dev/null || true
  {
    for run in ${FORGER_QUALITY_RUNS:-default:7 keras-dcgan:7 default:42}; do
      architecture=${run%%:*} seed=${run##*:} name=dcgan-${run%%:*}-${run##*:}
      architecture_flags=()
      [ "$architecture" = default ] || architecture_flags=(--architecture "$architecture")
      [ "$(capped 60)" -ge 60 ] || { echo "$name: skipped, under a minute left"; continue; }
      start=$(date +%s)
      echo "$name: forger train --model dcgan ${architecture_flags[*]} ${FORGER_QUALITY_BUDGET:---epochs 5} --seed $seed --backend $backend, then forger score"
      # shellcheck disable=SC2086  # the budget and the score's flags are lists of flags
      timeout -k 10 "$(capped "${FORGER_QUALITY_LIMIT_S:-150}")" bash "$bundle/run.sh" node bench/forger.mjs train --model dcgan \
          "${architecture_flags[@]}" ${FORGER_QUALITY_BUDGET:---epochs 5} --seed "$seed" --backend "$backend" --quiet --out "$work/$name" &&
        timeout -k 10 "$(capped 120)" bash "$bundle/run.sh" node bench/forger.mjs score "$work/$name/final.forger" \
          --classifier bench/mnist-score-classifier.forger --backend "$backend" --json ${FORGER_SCORE_ARGS:-} > "$work/$name.score.json"
      echo "$name: exit code $? after $(( $(date +%s) - start )) s"
      [ "$seed" != 7 ] || cp "$work/$name/final.png" "$out/$name.png" 2>/dev/null || true
      python3 - "$work" "$out/quality-scores.json" <<'PY'
import glob, json, os, sys
reports = {os.path.basename(f)[:-len('.score.json')]: json.load(open(f)) for f in sorted(glob.glob(os.path.join(sys.argv[1], '*.score.json'))) if os.path.getsize(f) > 0}
json.dump(reports, open(sys.argv[2], 'w'), indent=2)
for name, r in reports.items():
    print(f"  {name}: FID {r['frechetDistance']:.1f}, Inception score {r['inceptionScore']:.2f}, smallest class {100 * min(r['classShares']):.1f} %")
PY
    done
    echo "the DCGAN ablation: ${FORGER_ABLATION_ARGS:---seeds 1}, $(capped 100000) s left"
    # shellcheck disable=SC2086
    timeout -k 10 "$(capped 100000)" bash "$bundle/run.sh" node bench/ablation.mjs \
      --family dcgan --backend "$backend" --cli bench/forger.mjs --classifier bench/mnist-score-classifier.forger \
      --commit "$(bash "$bundle/run.sh" cat bench/commit.txt)" --report-dir "$out/ablation" --work "$work/ablation-runs" --jobs 1 \
      ${FORGER_ABLATION_ARGS:---seeds 1}
    echo "ablation exit code: $? (124: stopped at the deadline; its finished runs are in ablation/results/dcgan.json)"
  } 2>&1 | tee "$out/quality.log"
  exit 0
fi
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
    echo "quality check: forger train --model dcgan --recipe keras-dcgan --backend webgpu --seed 42 (the run measured on wasm), then forger score"
    start=$(date +%s)
    timeout "${FORGER_QUALITY_LIMIT_S:-180}" bash "$bundle/run.sh" node bench/forger.mjs train --model dcgan --recipe keras-dcgan --backend webgpu \
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

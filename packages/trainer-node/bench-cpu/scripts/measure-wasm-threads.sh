#!/bin/bash
# Issue 19/20's wasm-thread benchmarks, as recorded in ../results: trainer-node's `pnpm bench wasm` (1 thread and every
# core) and sampler-web's browser benchmark (plain page against a cross-origin-isolated one), with this session's
# scheduler autogroup at nice -10 (restored to 0 at the end), so that other sessions' nice 10/15 runs yield: under
# sched_autogroup every session gets an equal share whatever its processes' nice (../results/README.md).
# Run in a session of its own, under the shared lock:
#   OUT=/tmp setsid flock /work/exp/measure.lock packages/trainer-node/bench-cpu/scripts/measure-wasm-threads.sh
here=$(cd "$(dirname "$0")" && pwd)
ag=/proc/$$/autogroup
echo "autogroup before: $(cat $ag)"
echo -10 > $ag; echo "autogroup now: $(cat $ag)"
node "$here/cores-available.mjs"
cd "$here/../.."
echo "trainer start $(date -u +%T) load $(uptime | sed 's/.*load average: //')"
npx tsx --conditions=@forger/source src/bench/run.ts wasm > "${OUT:-/tmp}/bench-trainer.json" 2> "${OUT:-/tmp}/bench-trainer.err"
echo "trainer rc $? end $(date -u +%T) load $(uptime | sed 's/.*load average: //')"
cd ../sampler-web
echo "sampler start $(date -u +%T) load $(uptime | sed 's/.*load average: //')"
timeout 600 npx tsx --conditions=@forger/source src/bench/browser-sampling.bench.ts wasm > "${OUT:-/tmp}/bench-sampler.json" 2> "${OUT:-/tmp}/bench-sampler.err"
echo "sampler rc $? end $(date -u +%T) load $(uptime | sed 's/.*load average: //')"
node "$here/cores-available.mjs"
echo 0 > $ag; echo "autogroup restored: $(cat $ag)"

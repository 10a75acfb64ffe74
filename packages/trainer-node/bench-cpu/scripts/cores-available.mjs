// How many cores this session really gets: one, then two Node worker threads spinning for 4 s each, and the process's
// CPU time over the wall time (2 = both cores). Printed before and after the wasm-thread benchmarks.
import { Worker } from 'node:worker_threads';
const spin = `const end = Date.now() + 4000; let x = 0; while (Date.now() < end) x++; require('node:worker_threads').parentPort.postMessage(x);`;
for (const n of [1, 2]) {
  const cpu0 = process.cpuUsage(); const t0 = performance.now();
  const counts = await Promise.all(Array.from({ length: n }, () => new Promise((r) => new Worker(spin, { eval: true }).on('message', r))));
  const wall = performance.now() - t0; const c = process.cpuUsage(cpu0);
  console.log(`${n} busy thread(s): cores used ${((c.user + c.system) / 1000 / wall).toFixed(2)}, work ${(counts.reduce((a, b) => a + b, 0) / 1e6).toFixed(0)}M`);
}

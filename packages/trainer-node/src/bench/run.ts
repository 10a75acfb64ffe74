// `pnpm bench` (tsx src/bench/run.ts, not built): images/s of one full training iteration (one discriminator update and one
// generator update) for the vanilla GAN and DCGAN at batch 64, on every backend this machine has; wasm twice in the
// same run, on 1 thread (tfjs's single-thread build) and on one thread per core (its threaded build), with the ratio
// (issue 19). JSON on stdout, progress on stderr, the load average with each figure. Not a test: the numbers depend
// on the machine and on what else runs on it.
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, type ModelSpec } from '@forger/core';
import { buildGan, createTrainer, dcganSpec, disposeMetrics, latentBatch, readMetrics, vanillaSpec } from '@forger/models';
import { prepareBackend, type BackendChoice } from '../backends/index.js';
import { defaultWasmThreads } from '../backends/node-wasm-threads.js';
import { FORGER_VERSION } from '../version.js';
import { fusedOptimizerFactory } from '@forger/kernels';

const BATCH = 64;

/** Issue 4's targets on the 2-core machine (img/s of a full D+G iteration). */
const TARGETS: Record<string, { imagesPerSecond: number; backend?: string; note: string }> = {
  vanilla: { imagesPerSecond: 3000, note: 'issue 4: vanilla ≥ 3,000 img/s' },
  dcgan: { imagesPerSecond: 25, backend: 'wasm', note: 'issue 4: DCGAN on wasm ≥ 25 img/s (2 cores: arithmetic limit ≈ 60; before: 3.5)' },
};

/** Issue 19: keras-dcgan on wasm on every core ≥ 1.7 × the single-thread figure of the same run (2 cores). */
const WASM_THREADS_TARGET = { ratio: 1.7, note: 'issue 19: keras-dcgan on wasm, all cores ≥ 1.7 × 1 thread in the same pnpm bench run (2 cores)' };

interface Measurement {
  model: string;
  backend: string;
  /** wasm: the threads XNNPACK computed with */
  threads?: number;
  /** os.loadavg() (1, 5, 15 minutes) when the measurement ended: the machine is shared */
  loadAverage?: number[];
  batchSize: number;
  imagesPerSecond?: number;
  msPerIteration?: number;
  iterations?: number;
  warmupIterations?: number;
  target?: number;
  meetsTarget?: boolean;
  skipped?: string;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Times full iterations after a warm-up (first calls compile wasm/WebGPU pipelines and allocate), for at least
 * `minSeconds` and `minIterations`. Each timed window ends by reading a loss back, so queued GPU work is counted.
 */
async function measure(spec: ModelSpec, backend: string, warmup: number, minIterations: number, minSeconds: number): Promise<Measurement> {
  const nets = buildGan(spec, 1);
  const rng = Rng.fromSeed(1);
  // the optimizers `forger train` uses (src/run/train-options.ts): fused, one kernel per variable
  const trainer = createTrainer(spec, nets, { rng, optimizerFactory: fusedOptimizerFactory });
  const { height, width, channels } = spec.image;
  const lo = spec.pixelRange === 'zero-one' ? 0 : -1;
  const real = tf.randomUniform([BATCH, height, width, channels], lo, 1, 'float32', 7);
  const iterate = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      const metrics = tf.tidy(() => trainer.step({ real, z: latentBatch(spec, BATCH, rng) }));
      if (i === n - 1) await readMetrics(metrics);
      disposeMetrics(metrics);
    }
  };
  try {
    await iterate(warmup);
    let iterations = 0;
    const start = performance.now();
    while (iterations < minIterations || performance.now() - start < minSeconds * 1000) {
      await iterate(1);
      iterations += 1;
    }
    const seconds = (performance.now() - start) / 1000;
    const target = TARGETS[spec.family];
    const applies = target && (target.backend === undefined || target.backend === backend);
    const imagesPerSecond = Math.round((iterations * BATCH) / seconds * 10) / 10;
    return {
      model: spec.family, backend, batchSize: BATCH, imagesPerSecond, loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100), msPerIteration: Math.round((seconds * 1000) / iterations),
      iterations, warmupIterations: warmup,
      ...(applies ? { target: target.imagesPerSecond, meetsTarget: imagesPerSecond >= target.imagesPerSecond } : {}),
    };
  } finally {
    real.dispose();
    trainer.dispose();
    nets.generator.dispose();
    nets.discriminator.dispose();
  }
}

/** Per model, wasm's images/s on the most threads over its images/s on 1 thread, from the same run. */
function threadSpeedup(results: Measurement[]): Record<string, unknown> | undefined {
  const wasm = results.filter((r) => r.backend === 'wasm' && r.imagesPerSecond !== undefined && r.threads !== undefined);
  const most = Math.max(...wasm.map((r) => r.threads!));
  if (wasm.length === 0 || most === 1) return undefined;
  const speedup: Record<string, unknown> = { threads: most };
  for (const model of new Set(wasm.map((r) => r.model))) {
    const one = wasm.find((r) => r.model === model && r.threads === 1);
    const many = wasm.find((r) => r.model === model && r.threads === most);
    if (one === undefined || many === undefined) continue;
    const ratio = Math.round((many.imagesPerSecond! / one.imagesPerSecond!) * 100) / 100;
    speedup[model] = model === 'dcgan' ? { ratio, target: WASM_THREADS_TARGET.ratio, meetsTarget: ratio >= WASM_THREADS_TARGET.ratio } : { ratio };
  }
  return speedup;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const backends: BackendChoice[] = only.length > 0 ? (only as BackendChoice[]) : ['wasm', 'cpu', 'webgpu', 'tensorflow'];
  const results: Measurement[] = [];
  const unavailable: Record<string, string> = {};
  // wasm on 1 thread, then on one per core: the same binary family, the ratio measured in one run
  type Run = { choice: BackendChoice; wasmThreads?: number };
  const runs = backends.flatMap((choice): Run[] => (choice === 'wasm'
    ? [...new Set([1, defaultWasmThreads()])].map((wasmThreads) => ({ choice, wasmThreads }))
    : [{ choice }]));
  for (const { choice, wasmThreads } of runs) {
    let name: string;
    let threads: number | undefined;
    try {
      const info = await prepareBackend(choice, { log, ...(wasmThreads !== undefined ? { wasmThreads } : {}) });
      if (info.notice) log(info.notice);
      log(info.description);
      name = info.name;
      threads = info.name === 'wasm' ? info.threads : undefined;
    } catch (error) {
      unavailable[choice] = (error as Error).message;
      log(`${choice}: unavailable: ${(error as Error).message}`);
      continue;
    }
    const label = threads === undefined ? name : `${name} (${threads} thread${threads === 1 ? '' : 's'})`;
    const withThreads = (m: Measurement): Measurement => (threads === undefined ? m : { ...m, threads });
    log(`${label}: vanilla …`);
    results.push(withThreads(await measure(vanillaSpec(), name, 5, 20, 3)));
    if (name === 'cpu') {
      results.push({
        model: 'dcgan', backend: 'cpu', batchSize: BATCH,
        skipped: 'hopeless on tfjs cpu: one DCGAN discriminator step at batch 8 took 45 s there (issue 4); use wasm or webgpu',
      });
    } else {
      log(`${label}: dcgan …`);
      results.push(withThreads(await measure(dcganSpec(), name, 2, 3, 10)));
    }
  }
  const wasmThreadSpeedup = threadSpeedup(results);
  const report = {
    benchmark: 'one full D+G training iteration, images per second',
    forgerVersion: FORGER_VERSION,
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', platform: `${os.platform()} ${os.arch()}`, node: process.version },
    targets: { ...TARGETS, wasmThreads: WASM_THREADS_TARGET },
    results,
    ...(wasmThreadSpeedup ? { wasmThreadSpeedup } : {}),
    unavailable,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
process.exit(0);

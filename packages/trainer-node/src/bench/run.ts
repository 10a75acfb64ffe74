// `pnpm bench` (tsx src/bench/run.ts, not built): images/s of one full training iteration (one discriminator update and one
// generator update) for the vanilla GAN and DCGAN at batch 64, on every backend this machine has. JSON on stdout,
// progress on stderr. Not a test: the numbers depend on the machine and on what else runs on it.
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, type ModelSpec } from '@forger/core';
import { buildGan, createTrainer, dcganSpec, disposeMetrics, latentBatch, readMetrics, vanillaSpec } from '@forger/models';
import { prepareBackend, type BackendChoice } from '../backends/index.js';
import { FORGER_VERSION } from '../version.js';
import { fusedOptimizerFactory } from '@forger/kernels';

const BATCH = 64;

/** Issue 4's targets on the 2-core machine (img/s of a full D+G iteration). */
const TARGETS: Record<string, { imagesPerSecond: number; backend?: string; note: string }> = {
  vanilla: { imagesPerSecond: 3000, note: 'issue 4: vanilla ≥ 3,000 img/s' },
  dcgan: { imagesPerSecond: 25, backend: 'wasm', note: 'issue 4: DCGAN on wasm ≥ 25 img/s (2 cores: arithmetic limit ≈ 60; before: 3.5)' },
};

interface Measurement {
  model: string;
  backend: string;
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
      model: spec.family, backend, batchSize: BATCH, imagesPerSecond, msPerIteration: Math.round((seconds * 1000) / iterations),
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

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const backends: BackendChoice[] = only.length > 0 ? (only as BackendChoice[]) : ['wasm', 'cpu', 'webgpu', 'tensorflow'];
  const results: Measurement[] = [];
  const unavailable: Record<string, string> = {};
  for (const choice of backends) {
    let name: string;
    try {
      const info = await prepareBackend(choice, { log });
      log(info.description);
      name = info.name;
    } catch (error) {
      unavailable[choice] = (error as Error).message;
      log(`${choice}: unavailable: ${(error as Error).message}`);
      continue;
    }
    log(`${name}: vanilla …`);
    results.push(await measure(vanillaSpec(), name, 5, 20, 3));
    if (name === 'cpu') {
      results.push({
        model: 'dcgan', backend: 'cpu', batchSize: BATCH,
        skipped: 'hopeless on tfjs cpu: one DCGAN discriminator step at batch 8 took 45 s there (issue 4); use wasm or webgpu',
      });
    } else {
      log(`${name}: dcgan …`);
      results.push(await measure(dcganSpec(), name, 2, 3, 10));
    }
  }
  const report = {
    benchmark: 'one full D+G training iteration, images per second',
    forgerVersion: FORGER_VERSION,
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', platform: `${os.platform()} ${os.arch()}`, node: process.version },
    targets: TARGETS,
    results,
    unavailable,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
process.exit(0);

import * as tf from '@tensorflow/tfjs-core';
import { Rng, type ModelSpec } from '@forger/core';
import { buildGan, createTrainer, dcganSpec, disposeMetrics, latentBatch, ssganSpec, vanillaSpec, type GanTrainer, type StepMetrics } from '@forger/models';
import { fusedOptimizerFactory } from '../optimizers/fused-optimizers.js';
import { countDispatches, topKernelsByTime, type DispatchCount } from '../test-support/dispatch-count.js';

/** The GAN families `pnpm bench:gpu` times, all with Adam (issue 7 measures keras-dcgan's architecture with Adam). */
export type BenchFamily = 'dcgan' | 'vanilla' | 'ssgan';
export const benchFamilies: readonly BenchFamily[] = ['dcgan', 'vanilla', 'ssgan'];

/** 'tfjs': tfjs-core's optimizers (14 kernels per variable for Adam); 'fused': Forger's one-kernel updates. */
export type OptimizerPath = 'tfjs' | 'fused';

export interface IterationMeasurement {
  family: BenchFamily;
  optimizer: OptimizerPath;
  batchSize: number;
  msPerIteration: number;
  /**
   * Of msPerIteration, the time the JS thread spends inside step() (recording kernels: engine bookkeeping,
   * bind groups, uniforms, submits). Close to msPerIteration means the GPU waits on the host: per-dispatch
   * overhead, issue 7's second cost.
   */
  hostMsPerIteration: number;
  imagesPerSecond: number;
  iterations: number;
  warmupIterations: number;
  /** One profiled iteration: kernels by name, GPU dispatches (webgpu), per-kernel time. */
  kernels: number;
  gpuDispatches?: number;
  kernelMs: number;
  topKernels: Array<{ name: string; calls: number; ms: number }>;
  kernelsByCount: Array<{ name: string; calls: number; ms: number }>;
}

function specOf(family: BenchFamily): ModelSpec {
  switch (family) {
    case 'dcgan': return dcganSpec();
    case 'vanilla': return vanillaSpec();
    case 'ssgan': return ssganSpec();
  }
}

/**
 * One training iteration of `family` at `batchSize` on the active backend: one discriminator and one
 * generator update (SSGAN: its own update rate), Adam, inputs made once (a benchmark of the step, not of
 * data loading). With `optimizer: 'fused'` the trainer's optimizers are Forger's fused ones.
 */
export class GanIteration {
  readonly spec: ModelSpec;
  private readonly trainer: GanTrainer;
  private readonly nets: ReturnType<typeof buildGan>;
  private readonly inputs: { real: tf.Tensor; z: tf.Tensor; labeledReal?: tf.Tensor; labels?: tf.Tensor };

  constructor(readonly family: BenchFamily, readonly batchSize: number, readonly optimizer: OptimizerPath, seed = 1) {
    this.spec = specOf(family);
    this.nets = buildGan(this.spec, seed);
    this.trainer = createTrainer(this.spec, this.nets, {
      rng: Rng.fromSeed(seed),
      ...(family === 'ssgan' ? {} : { optimizer: 'adam' as const }),
      ...(optimizer === 'fused' ? { optimizerFactory: fusedOptimizerFactory } : {}),
    });
    const { height, width, channels } = this.spec.image;
    const lo = this.spec.pixelRange === 'zero-one' ? 0 : -1;
    const rng = Rng.fromSeed(seed + 1);
    this.inputs = {
      real: tf.randomUniform([batchSize, height, width, channels], lo, 1, 'float32', seed),
      z: latentBatch(this.spec, batchSize, rng),
      ...(family === 'ssgan'
        ? {
          labeledReal: tf.randomUniform([batchSize, height, width, channels], lo, 1, 'float32', seed + 2),
          labels: tf.tensor1d(Int32Array.from({ length: batchSize }, (_, i) => i % this.spec.numClasses), 'int32'),
        }
        : {}),
    };
  }

  /** Trainable variables of both networks: each one's Adam update is 14 tfjs-core kernels or 1 fused. */
  get trainableVariableCount(): number {
    return this.nets.generator.trainableVariables.length + this.nets.discriminator.trainableVariables.length;
  }

  /** One iteration; the caller reads and disposes the metrics. */
  step(): StepMetrics {
    return this.trainer.step(this.inputs);
  }

  dispose(): void {
    this.trainer.dispose();
    this.nets.generator.dispose();
    this.nets.discriminator.dispose();
    tf.dispose(Object.values(this.inputs));
  }
}

/**
 * Warm-up (pipeline compilation, buffer pools), one profiled iteration (kernel counts and times), then
 * timed iterations: at least `minIterations` and `minSeconds`, the loss read back once at the end of the
 * timed window only, so the GPU queue never drains inside it (as a training loop that logs every N steps).
 */
export async function measureIteration(
  family: BenchFamily, batchSize: number, optimizer: OptimizerPath,
  opts: { warmup?: number; minIterations?: number; minSeconds?: number; log?: (line: string) => void } = {},
): Promise<IterationMeasurement> {
  const warmup = opts.warmup ?? 3;
  const iteration = new GanIteration(family, batchSize, optimizer);
  try {
    for (let i = 0; i < warmup; i++) {
      const m = iteration.step();
      if (i === warmup - 1) await m.dLoss.data();
      disposeMetrics(m);
    }
    const profile: DispatchCount = await countDispatches(() => {
      const m = iteration.step();
      return Object.values(m);
    });
    let iterations = 0;
    const start = performance.now();
    let elapsed = 0;
    let hostMs = 0;
    // Chunks of up to 5 between clock checks keep the queue full; the last one of each chunk is read back.
    const minIterations = Math.max(1, opts.minIterations ?? 10);
    const chunk = Math.min(5, minIterations);
    while (iterations < minIterations || elapsed < (opts.minSeconds ?? 2) * 1000) {
      let last: StepMetrics | undefined;
      for (let i = 0; i < chunk; i++) {
        if (last) disposeMetrics(last);
        const recordStart = performance.now();
        last = iteration.step();
        hostMs += performance.now() - recordStart;
      }
      await last!.dLoss.data();
      disposeMetrics(last!);
      iterations += chunk;
      elapsed = performance.now() - start;
    }
    const msPerIteration = elapsed / iterations;
    opts.log?.(`${family} ${optimizer} batch ${batchSize}: ${msPerIteration.toFixed(2)} ms/iteration (${(hostMs / iterations).toFixed(2)} ms recording), ${profile.kernels} kernels${profile.gpuDispatches !== undefined ? `, ${profile.gpuDispatches} GPU dispatches` : ''}; `
      + `profiled: ${topKernelsByTime(profile, 5).map((k) => `${k.name} ${k.calls}× ${k.ms.toFixed(1)} ms`).join(', ')}`);
    return {
      family, optimizer, batchSize,
      msPerIteration: Math.round(msPerIteration * 1000) / 1000,
      hostMsPerIteration: Math.round((hostMs / iterations) * 1000) / 1000,
      imagesPerSecond: Math.round((batchSize * 1000 / msPerIteration) * 10) / 10,
      iterations, warmupIterations: warmup,
      kernels: profile.kernels,
      ...(profile.gpuDispatches !== undefined ? { gpuDispatches: profile.gpuDispatches } : {}),
      kernelMs: profile.kernelMs,
      topKernels: topKernelsByTime(profile, 12),
      kernelsByCount: profile.byKernel.slice(0, 20),
    };
  } finally {
    iteration.dispose();
  }
}

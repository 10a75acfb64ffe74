/**
 * Kernel micro-benchmark: `npx tsx --conditions=@forger/source src/bench/kernels.ts [--batch 64] [--repeats 3] [--software-gpu]`.
 *
 * Prints JSON: for keras-dcgan's convolutions and dense layers at the given batch, the milliseconds and
 * GFLOP/s of the forward pass, the input gradient and the filter gradient on wasm with the backend's own
 * kernels (null where it has none) and with Forger's (measured in the same run, so both see the same
 * machine load); then one whole keras-dcgan D+G iteration in images/s with only the missing filter
 * gradient added (the state before this work) and with all of Forger's kernels, and the kernels that
 * dominate it. Then the same on webgpu when a real GPU adapter exists (or SwiftShader with --software-gpu).
 */
import * as tf from '@tensorflow/tfjs-core';
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { cpus } from 'node:os';
import { prepareBackend } from '../backends/prepare-backend.js';
import { forgerKernels, registerForgerKernels, unregisterForgerKernels, type KernelBackendName } from '@forger/kernels';
import { kerasDcganReference } from '@forger/kernels/test-support';
import { dcganConvLayers, dcganDenseLayers, type ConvLayer } from './keras-dcgan-layers.js';

interface Options { batch: number; repeats: number; softwareGpu: boolean }

function parseOptions(argv: string[]): Options {
  const options: Options = { batch: 64, repeats: 3, softwareGpu: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--batch') options.batch = Number(argv[++i]);
    else if (flag === '--repeats') options.repeats = Number(argv[++i]);
    else if (flag === '--software-gpu') options.softwareGpu = true;
    else throw new Error(`unknown flag ${flag}; usage: kernels.js [--batch 64] [--repeats 3] [--software-gpu]`);
  }
  if (!(options.batch >= 1 && options.repeats >= 1)) throw new Error('--batch and --repeats must be positive integers');
  return options;
}

interface Timing { ms: number; gflops: number }
interface OpResult { layer: string; op: string; gflop: number; own: Timing | null; forger: Timing | null }

/** Median wall time of `run` (which must leave nothing behind), after one warm-up call. */
async function timeKernel(run: () => tf.Tensor, gflop: number, repeats: number): Promise<Timing> {
  const settle = async (t: tf.Tensor) => { await t.data(); t.dispose(); };  // data() waits for a GPU too
  await settle(run());
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await settle(run());
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)]!;
  return { ms: round(ms), gflops: round(gflop / (ms / 1000)) };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

/** Runs `body` with the backend's own kernels (Forger's removed), then restores Forger's. */
async function withOwnKernels<T>(backend: KernelBackendName, body: () => Promise<T>): Promise<T> {
  unregisterForgerKernels(backend);
  try {
    return await body();
  } finally {
    registerForgerKernels(backend);
  }
}

/** Progress on stderr, so stdout stays one JSON document. */
function progress(line: string): void {
  process.stderr.write(`[kernels bench] ${line}\n`);
}

async function measureOps(backend: KernelBackendName, options: Options): Promise<OpResult[]> {
  const results: OpResult[] = [];
  const random = (shape: number[]) => tf.randomUniform(shape, -1, 1, 'float32', 7);
  const attrsFor = (l: ConvLayer) => ({ strides: [1, 1], pad: l.pad, dataFormat: 'NHWC', dimRoundingMode: undefined });
  for (const l of dcganConvLayers(options.batch)) {
    const x = random(l.x);
    const w = random(l.filter);
    const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, l.pad);
    const dy = random(y.shape);
    const [, oh, ow] = y.shape;
    const gflop = 2 * l.x[0] * oh! * ow! * l.filter[0] * l.filter[1] * l.filter[2] * l.filter[3] / 1e9;
    const ops: Array<[string, () => tf.Tensor]> = [
      ['forward (Conv2D)', () => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, l.pad)],
      ['input gradient (Conv2DBackpropInput)', () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w },
        { ...attrsFor(l), inputShape: l.x } as unknown as tf.NamedAttrMap) as tf.Tensor],
      ['filter gradient (Conv2DBackpropFilter)', () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy },
        { ...attrsFor(l), filterShape: l.filter } as unknown as tf.NamedAttrMap) as tf.Tensor],
    ];
    for (const [op, run] of ops) {
      progress(`${backend} ${l.layer}: ${op}`);
      const kernelName = op.slice(op.indexOf('(') + 1, -1);
      const own = await withOwnKernels(backend, async () =>
        getKernel(kernelName, backend) === undefined ? null : timeKernel(run, gflop, options.repeats));
      const forger = await timeKernel(run, gflop, options.repeats);
      results.push({ layer: l.layer, op, gflop: round(gflop * 100) / 100, own, forger });
    }
    tf.dispose([x, w, y, dy]);
  }
  for (const l of dcganDenseLayers(options.batch)) {
    const gflop = 2 * l.rows * l.inner * l.cols / 1e9;
    const x = random([l.rows, l.inner]);
    const w = random([l.inner, l.cols]);
    const dy = random([l.rows, l.cols]);
    const ops: Array<[string, () => tf.Tensor]> = [
      ['forward x·W', () => tf.matMul(x, w)],
      ['input gradient dy·Wᵀ', () => tf.matMul(dy, w, false, true)],
      ['weight gradient xᵀ·dy', () => tf.matMul(x, dy, true, false)],
    ];
    for (const [op, run] of ops) {
      progress(`${backend} ${l.layer}: ${op}`);
      const own = await withOwnKernels(backend, () => timeKernel(run, gflop, options.repeats));
      const forger = await timeKernel(run, gflop, options.repeats);
      results.push({ layer: l.layer, op, gflop: round(gflop * 100) / 100, own, forger });
    }
    tf.dispose([x, w, dy]);
  }
  return results;
}

// ---------------------------------------------------------------------------------------------------
// One keras-dcgan iteration (kernels/keras-dcgan-reference.ts, the shape of @forger/models' dcgan): D step on
// a batch of real and generated images, then G step through D. keras-dcgan: SGD lr 0.0005, momentum 0.9, Nesterov.
interface DcganIteration { step(): void; dispose(): void }

function kerasDcganIteration(batch: number): DcganIteration {
  const net = kerasDcganReference(11);
  const optimizerD = tf.train.momentum(0.0005, 0.9, true);
  const optimizerG = tf.train.momentum(0.0005, 0.9, true);
  const real = tf.randomUniform([batch, 28, 28, 1], -1, 1, 'float32', 5);
  const labels = tf.concat([tf.ones([batch, 1]), tf.zeros([batch, 1])]);
  const allReal = tf.ones([batch, 1]);
  return {
    step: () => tf.tidy(() => {
      const fake = net.generator(tf.randomUniform([batch, 100], -1, 1) as tf.Tensor2D);
      const images = tf.concat([real, fake]) as tf.Tensor4D;
      optimizerD.minimize(() => tf.losses.sigmoidCrossEntropy(labels, net.discriminatorLogits(images)) as tf.Scalar, false, net.discriminatorVariables);
      const z = tf.randomUniform([batch, 100], -1, 1) as tf.Tensor2D;
      optimizerG.minimize(() => tf.losses.sigmoidCrossEntropy(allReal, net.discriminatorLogits(net.generator(z))) as tf.Scalar, false, net.generatorVariables);
    }),
    dispose: () => {
      net.dispose();
      tf.dispose([real, labels, allReal]);
      optimizerD.dispose();
      optimizerG.dispose();
    },
  };
}

interface IterationResult { kernels: string[]; msPerIteration: number; imagesPerSecond: number; topKernelsMs?: Record<string, number> }

async function measureIteration(batch: number, repeats: number, kernels: string[], profile: boolean): Promise<IterationResult> {
  progress(`${tf.getBackend()} keras-dcgan iteration, batch ${batch}, kernels: ${kernels.join(', ')}`);
  const iteration = kerasDcganIteration(batch);
  // Reading a value waits for every queued GPU command (a no-op wait on wasm).
  const settle = async () => { const probe = tf.zeros([1]); await probe.data(); probe.dispose(); };
  iteration.step();
  await settle();
  let topKernelsMs: Record<string, number> | undefined;
  if (profile) {
    const info = await tf.profile(() => { iteration.step(); });
    const byKernel = new Map<string, number>();
    for (const k of info.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + Number(k.kernelTimeMs));
    topKernelsMs = Object.fromEntries([...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([n, ms]) => [n, round(ms)]));
  }
  const start = performance.now();
  for (let i = 0; i < repeats; i++) iteration.step();
  await settle();
  const ms = (performance.now() - start) / repeats;
  iteration.dispose();
  return { kernels, msPerIteration: round(ms), imagesPerSecond: round(batch / (ms / 1000)), ...(topKernelsMs ? { topKernelsMs } : {}) };
}

async function benchmarkBackend(backend: KernelBackendName, options: Options): Promise<Record<string, unknown>> {
  const ops = await measureOps(backend, options);
  const all = forgerKernels(backend);
  // Before this work: only the filter gradient that wasm lacks (issue 4's 3.5 img/s measurement; its
  // MaxPoolGrad was wasm's own, which is wrong — the timing is still the comparison that matters).
  const filterOnly = await withOwnKernels(backend, async () => {
    const filter = all.find((k) => k.kernelName === 'Conv2DBackpropFilter')!;
    if (getKernel(filter.kernelName, backend) !== undefined) unregisterKernel(filter.kernelName, backend);
    registerKernel(filter);
    try {
      return await measureIteration(options.batch, options.repeats, [filter.kernelName], false);
    } finally {
      unregisterKernel(filter.kernelName, backend);
    }
  });
  const forger = await measureIteration(options.batch, options.repeats, all.map((k) => k.kernelName), true);
  return { ops, dcganIteration: { before: filterOnly, forger, speedup: round(forger.imagesPerSecond / filterOnly.imagesPerSecond) } };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const report: Record<string, unknown> = {
    benchmark: 'forger kernels (keras-dcgan shapes)', batch: options.batch, repeats: options.repeats,
    node: process.version, cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  };
  const wasm = await prepareBackend('wasm');
  report['wasm'] = { backend: wasm.description, ...(await benchmarkBackend('wasm', options)) };
  try {
    const gpu = await prepareBackend('webgpu', { allowSoftwareGpu: options.softwareGpu, useSwiftShader: options.softwareGpu });
    const software = gpu.description.includes('software');
    if (software && !options.softwareGpu) throw new Error(`only a software adapter (${gpu.adapter})`);
    report['webgpu'] = { backend: gpu.description, ...(await benchmarkBackend('webgpu', options)) };
  } catch (error) {
    report['webgpu'] = { skipped: error instanceof Error ? error.message : String(error) };
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

await main();
process.exit(0);

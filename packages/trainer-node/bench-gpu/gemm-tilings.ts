// Issue 7: which tiling of Forger's WGSL matrix-product engine (@forger/kernels, src/webgpu/implicit-gemm.ts) is fastest for each of
// keras-dcgan's convolutions and dense products on this GPU, against tfjs-backend-webgpu's own kernel for the same
// operation. Run on the GPU machine (bundled by pack.sh as bench/gemm-tilings.mjs):
//
//   node gemm-tilings.mjs [--batch 256] [--calls 10] [--tilings 16x16/8x4/16,…] [--software-gpu] [--out gemm-tilings.json]
//
// Each measurement: the operation recorded back to back (at least `calls` times and 30 ms of work, after 30 ms to
// wake the GPU's clocks), then one wait for the GPU queue; the time per call is the wall time over the calls
// (GPU-bound for these sizes: recording one takes ~0.05 ms).
// JSON on stdout and in --out (written after every layer); progress on stderr.
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util, type KernelBackend, type TensorInfo } from '@tensorflow/tfjs-core';
import { prepareBackend } from '../src/backends/index.js';
import { dcganConvLayers, dcganDenseLayers } from '../src/bench/keras-dcgan-layers.js';
import { formatGemmTiling, GEMM_TILING_FLAG, parseGemmTiling, registerForgerKernels, unregisterForgerKernels, type GemmTiling } from '@forger/kernels';
import { checkGemmTiling, convolutionWgsl, filterGradientGemm, gemmTargetOf, gemmTiling, inputGradientWgsl, matrixProductWgsl, webGpuInternals } from '@forger/kernels/bench';

/** Candidates for outputs of more than 8 columns: 64×64 to 256×64 tiles, 4×4 to 8×8 per thread, 4 to 16 steps of k per tile load. */
const DEFAULT_TILINGS = [
  '16x16/8x4/16', '16x16/8x4/8', '16x16/8x4/4', '16x16/4x4/16', '16x16/4x4/8', '16x16/4x8/8', '16x16/8x8/8', '16x16/8x8/4',
  '8x32/8x8/8', '8x16/8x8/8', '16x8/8x8/8', '16x8/8x4/8',
];
/** For one-column outputs (threads along the rows): rows per thread and steps of k. */
const NARROW_TILINGS = ['1x256/1x1/4', '1x128/1x1/16', '1x256/2x1/4', '1x128/2x1/8', '1x128/4x1/4', '1x64/4x1/8'];

interface Options { batch: number; calls: number; tilings: GemmTiling[]; narrowTilings: GemmTiling[]; softwareGpu: boolean; out: string }

function parseOptions(argv: string[]): Options {
  const o: Options = {
    batch: 256, calls: 10, tilings: DEFAULT_TILINGS.map((t) => parseGemmTiling(t)!), narrowTilings: NARROW_TILINGS.map((t) => parseGemmTiling(t)!),
    softwareGpu: false, out: 'gemm-tilings.json',
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => argv[++i] ?? (() => { throw new Error(`gemm-tilings: ${flag} needs a value`); })();
    switch (flag) {
      case '--batch': o.batch = Number(value()); break;
      case '--calls': o.calls = Number(value()); break;
      case '--tilings': o.tilings = value().split(',').map((t) => parseGemmTiling(t)!); break;
      case '--narrow-tilings': o.narrowTilings = value().split(',').map((t) => parseGemmTiling(t)!); break;
      case '--software-gpu': o.softwareGpu = true; break;
      case '--out': o.out = value(); break;
      default: throw new Error(`gemm-tilings: unknown flag ${flag}`);
    }
  }
  for (const t of [...o.tilings, ...o.narrowTilings]) checkGemmTiling(t, 'gemm-tilings --tilings');
  return o;
}

interface Measurement { variant: string; ms: number | null; gflops: number | null; error?: string }
interface Operation { layer: string; op: string; m: number; n: number; k: number; gflop: number; automatic: string; results: Measurement[]; best?: string }

const log = (line: string) => process.stderr.write(`[gemm-tilings] ${line}\n`);

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const info = await prepareBackend('webgpu', { allowSoftwareGpu: o.softwareGpu, useSwiftShader: o.softwareGpu, log });
  const backend = tf.backend() as KernelBackend;
  const gpu = webGpuInternals(backend);
  const operations: Operation[] = [];
  const report = () => ({ benchmark: 'forger gemm tilings (issue 7)', createdAt: new Date().toISOString(), adapter: info.adapter, target: gemmTargetOf(backend), batch: o.batch, calls: o.calls, operations });

  /**
   * ms per call of `run` (which returns what it made, disposed here), or the error it raised. The GPU is kept busy
   * for WARM_MS before the timed calls: an idle GPU clocks down, and the first milliseconds of work run slower.
   */
  const WARM_MS = 30;
  const time = async (variant: string, gflop: number, run: () => TensorInfo | tf.Tensor): Promise<Measurement> => {
    const release = (t: TensorInfo | tf.Tensor) => (t instanceof tf.Tensor ? t.dispose() : backend.disposeData(t.dataId));
    const settle = async () => {
      if (gpu.commandEncoder !== null) {
        gpu.endComputePassEncoder();
        gpu.submitQueue();
      }
      await gpu.device.queue.onSubmittedWorkDone();
    };
    const callsFor = async (calls: number) => {
      const start = performance.now();
      for (let i = 0; i < calls; i++) release(run());
      await settle();
      return (performance.now() - start) / calls;
    };
    try {
      gpu.device.pushErrorScope('validation');
      let perCall = await callsFor(2);
      const invalid = await gpu.device.popErrorScope();
      if (invalid !== null) throw new Error(invalid.message);
      perCall = await callsFor(Math.max(2, Math.ceil(WARM_MS / perCall)));
      const ms = await callsFor(Math.max(o.calls, Math.ceil(WARM_MS / perCall)));
      return { variant, ms: Math.round(ms * 1000) / 1000, gflops: Math.round(gflop / ms) };
    } catch (error) {
      return { variant, ms: null, gflops: null, error: error instanceof Error ? error.message.slice(0, 300) : String(error) };
    }
  };

  /** tfjs's own kernel (Forger's unregistered), the engine's own choice, then each candidate tiling. */
  const target = gemmTargetOf(backend);
  const sweep = async (layer: string, op: string, size: { m: number; n: number; k: number }, own: () => tf.Tensor, forger: () => TensorInfo) => {
    const gflop = (2 * size.m * size.n * size.k) / 1e9;
    const automatic = formatGemmTiling(gemmTiling(size.m, size.n, target));
    const entry: Operation = { layer, op, m: size.m, n: size.n, k: size.k, gflop: Math.round(gflop * 100) / 100, automatic, results: [] };
    unregisterForgerKernels('webgpu');
    try {
      entry.results.push(await time('tfjs', gflop, own));
    } finally {
      registerForgerKernels('webgpu');
    }
    entry.results.push(await time('automatic', gflop, forger));
    // Candidates only for outputs wide enough to fill them (narrow ones keep threads along the rows).
    for (const tiling of size.n > 8 ? o.tilings : size.n === 1 ? o.narrowTilings : []) {
      tf.env().set(GEMM_TILING_FLAG, formatGemmTiling(tiling));
      try {
        entry.results.push(await time(formatGemmTiling(tiling), gflop, forger));
      } finally {
        tf.env().set(GEMM_TILING_FLAG, '');
      }
    }
    const timed = entry.results.filter((r) => r.ms !== null && r.variant !== 'tfjs').sort((a, b) => a.ms! - b.ms!);
    entry.best = timed[0]?.variant;
    log(`${layer} ${op} (${size.m}×${size.n}×${size.k}): ${entry.results.map((r) => `${r.variant} ${r.ms ?? r.error}`).join(', ')}`);
    operations.push(entry);
    writeFileSync(o.out, `${JSON.stringify(report(), null, 2)}\n`);
  };

  const random = (shape: number[]) => tf.randomUniform(shape, -1, 1, 'float32', 7);
  for (const l of dcganConvLayers(o.batch)) {
    const x = random(l.x) as tf.Tensor4D;
    const w = random(l.filter) as tf.Tensor4D;
    const bias = random([l.filter[3]]);
    const conv = backend_util.computeConv2DInfo(l.x, l.filter, [1, 1], 1, l.pad);
    const dy = random(conv.outShape);
    const attrs = { strides: [1, 1], pad: l.pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
    const pixels = o.batch * conv.outHeight * conv.outWidth;
    const taps = l.filter[0] * l.filter[1];
    await sweep(l.layer, 'forward + bias + tanh', { m: pixels, n: l.filter[3], k: taps * l.filter[2] },
      () => tf.tanh(tf.add(tf.conv2d(x, w, 1, l.pad), bias)),
      () => convolutionWgsl(backend, x, w, bias, conv, { kind: 'tanh' }));
    await sweep(l.layer, 'input gradient', { m: o.batch * l.x[1] * l.x[2], n: l.filter[2], k: taps * l.filter[3] },
      () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: l.x } as unknown as tf.NamedAttrMap) as tf.Tensor,
      () => inputGradientWgsl(backend, dy, w, conv));
    await sweep(l.layer, 'filter gradient', { m: taps * l.filter[2], n: l.filter[3], k: pixels },
      () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: l.filter } as unknown as tf.NamedAttrMap) as tf.Tensor,
      () => filterGradientGemm(backend, x, dy, conv));
    tf.dispose([x, w, bias, dy]);
  }
  for (const l of dcganDenseLayers(o.batch)) {
    const x = random([l.rows, l.inner]) as tf.Tensor2D;
    const w = random([l.inner, l.cols]) as tf.Tensor2D;
    const dz = random([l.rows, l.cols]) as tf.Tensor2D;
    const bias = random([l.cols]);
    await sweep(l.layer, 'x·W + bias + tanh', { m: l.rows, n: l.cols, k: l.inner }, () => tf.tanh(tf.add(tf.matMul(x, w), bias)),
      () => matrixProductWgsl(backend, x, w, [l.rows, l.cols], { bias, activation: { kind: 'tanh' } }));
    await sweep(l.layer, 'dz·Wᵀ', { m: l.rows, n: l.inner, k: l.cols }, () => tf.matMul(dz, w, false, true),
      () => matrixProductWgsl(backend, dz, w, [l.rows, l.inner], { transposeB: true }));
    await sweep(l.layer, 'xᵀ·dz', { m: l.inner, n: l.cols, k: l.rows }, () => tf.matMul(x, dz, true, false),
      () => matrixProductWgsl(backend, x, dz, [l.inner, l.cols], { transposeA: true }));
    tf.dispose([x, w, dz, bias]);
  }
  const json = JSON.stringify(report(), null, 2);
  writeFileSync(o.out, `${json}\n`);
  process.stdout.write(`${json}\n`);
}

main().then(() => process.exit(0), (error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});

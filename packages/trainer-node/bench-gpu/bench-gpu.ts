// `pnpm bench:gpu`: issue 7's benchmark. On an NVIDIA machine, one run times the same keras-dcgan iteration
// (one D step + one G step, Adam, batch 64 and 256) in Forger on webgpu (Dawn) and in PyTorch (eager, TF32
// and FP32), plus Forger's vanilla GAN and SSGAN iterations, and writes one JSON file with both figures, their
// ratio, the kernels and GPU dispatches per iteration and the top kernels of Forger's profile.
// Bundled with esbuild into one .mjs (bench-gpu/pack.sh) to run where no Node.js or node_modules exist.
//
//   node bench-gpu.mjs [--backend webgpu] [--families dcgan,vanilla,ssgan] [--batches 64,256]
//                      [--optimizers fused,tfjs] [--kernels forger:direct,tfjs:composite]
//                      [--torch python3|off] [--out bench-gpu.json]
//                      [--software-gpu] [--min-seconds 2] [--min-iterations 10] [--warmup 3]
//
// JSON on stdout and in --out; progress on stderr.
// tfjs-core's Node entry carries no gradients; bundled, this ESM import registers them (one tfjs-core copy).
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
// The fused optimizers are checked against tfjs-core's on cpu before timing.
import '@tensorflow/tfjs-backend-cpu';
import { prepareBackend, type BackendChoice } from '../src/backends/index.js';
import { CONV_ROUTE_FLAG, FILTER_GRADIENT_FLAG, type ConvRoute, type FilterGradientRoute } from '@forger/kernels';
import { benchFamilies, measureDispatchOverhead, measureIteration, type BenchFamily, type DispatchOverhead, type IterationMeasurement, type OptimizerPath } from '@forger/kernels/bench';
import { checkFusedOptimizers } from '@forger/kernels/test-support';
import { FORGER_VERSION } from '../src/version.js';

interface Flags {
  backend: BackendChoice;
  families: BenchFamily[];
  batches: number[];
  optimizers: OptimizerPath[];
  /**
   * webgpu's kernel routes to time, as `conv:filterGradient` pairs: the convolutions and dense products
   * (Forger's WGSL or tfjs's own, FORGER_WEBGPU_CONV) and the filter gradient (FORGER_WEBGPU_FILTER_GRADIENT).
   */
  kernels: KernelRoutes[];
  torch: string;
  out: string;
  softwareGpu: boolean;
  minSeconds: number;
  minIterations: number;
  warmup: number;
}

interface KernelRoutes { conv: ConvRoute; filterGradient: FilterGradientRoute }

function parseKernelRoutes(value: string): KernelRoutes[] {
  return value.split(',').map((pair) => {
    const [conv, filterGradient] = pair.split(':');
    if ((conv !== 'forger' && conv !== 'tfjs') || (filterGradient !== 'direct' && filterGradient !== 'composite')) {
      throw new Error(`bench-gpu: --kernels takes conv:filterGradient pairs, conv forger|tfjs, filterGradient direct|composite; got "${pair}"`);
    }
    return { conv, filterGradient };
  });
}

/** Issue 7's target: Forger ≥ 0.33 × PyTorch (TF32) images/s on the same GPU at batch 256. */
const TARGET_RATIO = 0.33;

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function parseFlags(argv: string[]): Flags {
  const flags: Flags = {
    backend: 'webgpu', families: [...benchFamilies], batches: [64, 256], optimizers: ['fused'], kernels: parseKernelRoutes('forger:direct,tfjs:composite'), torch: 'python3',
    out: 'bench-gpu.json', softwareGpu: false, minSeconds: 2, minIterations: 10, warmup: 3,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`bench-gpu: ${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--backend': flags.backend = value() as BackendChoice; break;
      case '--families': flags.families = value().split(',') as BenchFamily[]; break;
      case '--batches': flags.batches = value().split(',').map(Number); break;
      case '--optimizers': flags.optimizers = value().split(',') as OptimizerPath[]; break;
      case '--kernels': flags.kernels = parseKernelRoutes(value()); break;
      case '--torch': flags.torch = value(); break;
      case '--out': flags.out = value(); break;
      case '--software-gpu': flags.softwareGpu = true; break;
      case '--min-seconds': flags.minSeconds = Number(value()); break;
      case '--min-iterations': flags.minIterations = Number(value()); break;
      case '--warmup': flags.warmup = Number(value()); break;
      default: throw new Error(`bench-gpu: unknown flag ${flag}`);
    }
  }
  const bad = flags.families.filter((f) => !benchFamilies.includes(f));
  if (bad.length > 0) throw new Error(`bench-gpu: unknown families ${bad.join(', ')} (known: ${benchFamilies.join(', ')})`);
  if (flags.batches.some((b) => !Number.isInteger(b) || b < 1)) throw new Error(`bench-gpu: --batches must be positive integers, got ${flags.batches.join(',')}`);
  return flags;
}

interface TorchReport {
  torchVersion?: string;
  device?: string;
  results?: Array<{ batchSize: number; precision: string; msPerIteration: number; imagesPerSecond: number }>;
  error?: string;
}

/** Runs torch_dcgan.py (next to this file, or in bench-gpu/ when run from the package). */
function runTorch(flags: Flags): TorchReport {
  if (flags.torch === 'off') return { error: 'skipped (--torch off)' };
  const here = dirname(fileURLToPath(import.meta.url));
  const script = [join(here, 'torch_dcgan.py'), join(here, '..', 'bench-gpu', 'torch_dcgan.py')].find((p) => existsSync(p));
  if (script === undefined) return { error: `torch_dcgan.py not found next to ${here}` };
  log(`running ${flags.torch} ${script} …`);
  const r = spawnSync(flags.torch, [script, '--batches', flags.batches.join(','), '--precisions', 'tf32,fp32', '--min-seconds', String(flags.minSeconds)], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 300_000,
  });
  if (r.error) return { error: `${flags.torch} failed to start: ${r.error.message}` };
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as TorchReport;
  } catch {
    return { error: `torch_dcgan.py exited ${r.status} without JSON: ${r.stdout.slice(-500)}` };
  }
}

type Measurement = IterationMeasurement & { convRoute: ConvRoute | 'none'; filterGradient: FilterGradientRoute | 'none' };

function compare(forger: Measurement[], torch: TorchReport): unknown[] {
  const rows: unknown[] = [];
  for (const m of forger.filter((x) => x.family === 'dcgan')) {
    const t = (precision: string) => torch.results?.find((r) => r.batchSize === m.batchSize && r.precision === precision);
    const tf32 = t('tf32');
    const fp32 = t('fp32');
    const ratio = (r: typeof tf32) => (r ? Math.round((m.imagesPerSecond / r.imagesPerSecond) * 10000) / 10000 : undefined);
    rows.push({
      family: 'dcgan', batchSize: m.batchSize, optimizer: m.optimizer, convRoute: m.convRoute, filterGradient: m.filterGradient,
      forgerImagesPerSecond: m.imagesPerSecond, forgerMsPerIteration: m.msPerIteration,
      torchTf32ImagesPerSecond: tf32?.imagesPerSecond, torchFp32ImagesPerSecond: fp32?.imagesPerSecond,
      ratioToTorchTf32: ratio(tf32), ratioToTorchFp32: ratio(fp32),
      ...(m.batchSize === 256 && tf32 ? { target: TARGET_RATIO, meetsTarget: (ratio(tf32) ?? 0) >= TARGET_RATIO } : {}),
    });
  }
  return rows;
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  mkdirSync(dirname(flags.out), { recursive: true });
  // PyTorch first: it is quick and sure, and the Forger side may be cut short by the device's time limit.
  const torch = runTorch(flags);
  if (torch.error) log(`torch: ${torch.error}`);
  const info = await prepareBackend(flags.backend, { allowSoftwareGpu: flags.softwareGpu, useSwiftShader: flags.softwareGpu, log });
  log(info.description);
  // Correctness first (issue 7): the WGSL updates against tfjs-core's Adam / momentum on cpu, 8 steps.
  const fusedOptimizerError = await checkFusedOptimizers(info.name);
  await tf.setBackend(info.name);
  log(`fused optimizers vs tfjs-core on cpu, max relative error: ${JSON.stringify(fusedOptimizerError)}`);
  // What one dispatch costs here apart from its work: a 256-element chain (nothing but overhead) and a 1M-element one.
  const dispatchOverhead: DispatchOverhead[] = [];
  for (const elements of [256, 1 << 20]) {
    const d = await measureDispatchOverhead(500, elements);
    dispatchOverhead.push(d);
    log(`dispatch overhead, ${elements} elements: ${d.wallMsPerDispatch} ms wall, ${d.hostMsPerDispatch} ms recording per dispatch; one dispatch + readback ${d.roundTripMs} ms`);
  }
  const backend = tf.backend() as unknown as { supportTimestampQuery?: boolean };
  const forger: Measurement[] = [];
  // Routes exist on webgpu only; the vanilla GAN has no convolution, so only its products' route counts.
  const routesOf = (family: BenchFamily): Array<{ convRoute: ConvRoute | 'none'; filterGradient: FilterGradientRoute | 'none' }> => {
    if (info.name !== 'webgpu') return [{ convRoute: 'none', filterGradient: 'none' }];
    if (family !== 'vanilla') return flags.kernels.map((k) => ({ convRoute: k.conv, filterGradient: k.filterGradient }));
    return [...new Set(flags.kernels.map((k) => k.conv))].map((conv) => ({ convRoute: conv, filterGradient: 'none' as const }));
  };
  const report = () => ({
    benchmark: 'forger bench:gpu (issue 7)',
    createdAt: new Date().toISOString(),
    forgerVersion: FORGER_VERSION,
    node: process.version,
    command: process.argv.slice(2).join(' '),
    backend: info.name,
    adapter: info.adapter,
    description: info.description,
    kernelsRegistered: info.kernels,
    timestampQuery: backend.supportTimestampQuery ?? false,
    webgpuDeferredSubmitBatchSize: info.name === 'webgpu' ? tf.env().get('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE') : undefined,
    fusedOptimizerError,
    fusedOptimizersCorrect: Object.values(fusedOptimizerError).every((e) => e <= 1e-6),
    dispatchOverhead,
    complete: forger.length === flags.families.reduce((n, f) => n + routesOf(f).length, 0) * flags.batches.length * flags.optimizers.length,
    comparison: compare(forger, torch),
    forger,
    torch,
  });
  for (const family of flags.families) {
    for (const batchSize of flags.batches) {
      for (const optimizer of flags.optimizers) {
        for (const routes of routesOf(family)) {
          if (routes.convRoute !== 'none') tf.env().set(CONV_ROUTE_FLAG, routes.convRoute);
          if (routes.filterGradient !== 'none') tf.env().set(FILTER_GRADIENT_FLAG, routes.filterGradient);
          const named = [routes.convRoute === 'none' ? '' : `, ${routes.convRoute} convolutions`, routes.filterGradient === 'none' ? '' : `, ${routes.filterGradient} filter gradient`].join('');
          log(`${family}, batch ${batchSize}, ${optimizer} optimizer${named}`);
          const m = await measureIteration(family, batchSize, optimizer, { warmup: flags.warmup, minIterations: flags.minIterations, minSeconds: flags.minSeconds, log });
          forger.push({ ...m, ...routes });
          // Written after every measurement: a run stopped by a time limit still leaves what it measured.
          writeFileSync(flags.out, `${JSON.stringify(report(), null, 2)}\n`);
        }
      }
    }
  }
  const json = JSON.stringify(report(), null, 2);
  writeFileSync(flags.out, `${json}\n`);
  process.stdout.write(`${json}\n`);
  log(`wrote ${flags.out}`);
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});

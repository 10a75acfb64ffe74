/**
 * Issue 6's semi-supervised MNIST experiment: improved-GAN (and optionally the SSGAN-Tensorflow style) with N labels,
 * beside the supervised baseline (the same discriminator network, the same N labeled images, no generator).
 *
 * Every run trains in segments (`forger train --steps k·segment`, then `--resume` to the next multiple) and is scored
 * by `forger eval --json` on the full 10,000-image MNIST test split after each segment, so the learning curve comes
 * from the same CLI a user runs. Resume is exact (trainer-node README), so the segments do not change the run.
 *
 *   pnpm turbo run build --filter=@forger/trainer-node...
 *   pnpm exec tsx packages/trainer-node/experiments/ssl-mnist.ts --labels 100 --methods improved,improved-baseline \
 *     --steps 3000 --segment 500
 *   pnpm exec tsx packages/trainer-node/experiments/ssl-mnist.ts --collect     # the table of every finished run
 *
 * Each run leaves `<out>/<labels>-<method>/result.json` (rewritten after every segment, so a stopped experiment keeps
 * what it measured, and the same command later continues the run from there up to a larger `--steps`); `--collect`
 * gathers them into `experiments/results/ssl-mnist.{json,md}`.
 *
 * `--wasm-threads <n>` is given to every `forger train` and `forger eval` it runs. Without it the CLI's default applies
 * (one thread per core for improved-GAN), which oversubscribes the cores when two seeds run at once: measured on the
 * 2-core machine, 2 threads took a run alone to 0.255 s per step on 1.5 cores, 1 thread to 0.29 s on one core, with
 * the same losses to the last digit.
 */
import { spawn } from 'node:child_process';
import { appendFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../../..');
const CLI = join(REPO, 'packages/trainer-node/dist/cli/main.js');
const MNIST_TRAIN_IMAGES = 60000;

/** What is trained: a GAN loss of the ssgan family, or the supervised baseline of that loss's network. */
type Method = 'improved' | 'ssgan' | 'improved-baseline' | 'ssgan-baseline';
const METHODS: Method[] = ['improved', 'ssgan', 'improved-baseline', 'ssgan-baseline'];

interface CurvePoint {
  step: number;
  /** passes over the 60,000 training images (the unlabeled stream; the labeled stream for a baseline) */
  epochs: number;
  wallTimeS: number;
  testError: number;
}

interface RunResult {
  labels: number;
  method: Method;
  seed: number;
  batchSize: number;
  plannedSteps: number;
  steps: number;
  /** GAN runs: passes over the 60,000 unlabeled images; baselines: undefined */
  unlabeledEpochs?: number;
  /** passes over the N labeled images */
  labeledEpochs: number;
  /** training wall time, summed over segments (forger's wall_time_s), excluding the evals */
  wallTimeS: number;
  backend: string;
  testError: number;
  testCount: number;
  /** which discriminator weights forger eval classified with: the moving average training kept, or the trained ones */
  evalWeights?: string;
  curve: CurvePoint[];
  /** set when --max-minutes ended the run before plannedSteps */
  stoppedEarly: boolean;
  commands: string[];
  loadAverage: number[];
  finishedAt: string;
}

class ExperimentError extends Error {
  constructor(
    readonly code: 'command-failed' | 'bad-flag' | 'no-metrics',
    message: string,
  ) {
    super(message);
    this.name = 'ExperimentError';
  }
}

// improved-GAN's MNIST setting (Salimans et al. 2016, train_mnist_feature_matching.py): batch 100;
// SSGAN-Tensorflow: batch 64. A baseline uses its GAN's batch size (its labeled batch is min(batch, N)).
const BATCH_SIZE: Record<'improved' | 'ssgan', number> = { improved: 100, ssgan: 64 };

function lossOf(method: Method): 'improved' | 'ssgan' {
  return method.startsWith('improved') ? 'improved' : 'ssgan';
}

function isBaseline(method: Method): boolean {
  return method.endsWith('-baseline');
}

function trainFlags(method: Method, labels: number, seed: number, out: string, segment: number): string[] {
  return [
    '--model', 'ssgan', '--ssl-loss', lossOf(method), '--labeled-count', String(labels),
    ...(isBaseline(method) ? ['--supervised-only'] : []),
    '--batch-size', String(BATCH_SIZE[lossOf(method)]), '--seed', String(seed), '--out', out,
    '--checkpoint-every', String(segment), '--sample-every', String(segment), '--log-every', '50', '--quiet',
  ];
}

/** Runs the forger CLI at low priority (the machine is shared); appends its output to `log`, returns stdout. */
async function forger(args: string[], log: string, commands: string[]): Promise<string> {
  // paths relative to the repository root, so the recorded commands run from any checkout
  const line = `nice -n 5 node packages/trainer-node/dist/cli/main.js ${args.join(' ').replaceAll(`${REPO}/`, '')}`;
  commands.push(line);
  await appendFile(log, `$ ${line}\n`);
  return new Promise((done, fail) => {
    const child = spawn('nice', ['-n', '5', process.execPath, CLI, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => {
      void appendFile(log, `${stdout}${stderr}`).then(() => {
        if (code === 0) done(stdout);
        else fail(new ExperimentError('command-failed', `forger ${args[0]} exited ${code} (see ${log}): ${stderr.trim().split('\n').at(-1) ?? ''}`));
      });
    });
  });
}

async function lastMetrics(folder: string): Promise<{ step: number; wall_time_s: number }> {
  // the last record: a health warning's line ({"step","health",…}) has no wall time
  const lines = (await readFile(join(folder, 'metrics.jsonl'), 'utf8')).trim().split('\n');
  const last = lines.filter((line) => line !== '' && !('health' in (JSON.parse(line) as object))).at(-1);
  if (!last) throw new ExperimentError('no-metrics', `${folder}/metrics.jsonl is empty`);
  return JSON.parse(last) as { step: number; wall_time_s: number };
}

/** The result.json of an earlier invocation of the same run (labels, method, seed), when its final checkpoint is the one it scored. */
async function previousResult(folder: string, o: { labels: number; method: Method; seed: number }): Promise<RunResult | undefined> {
  let earlier: RunResult;
  try {
    earlier = JSON.parse(await readFile(join(folder, 'result.json'), 'utf8')) as RunResult;
  } catch {
    return undefined;
  }
  if (earlier.labels !== o.labels || earlier.method !== o.method || earlier.seed !== o.seed) {
    throw new ExperimentError('bad-flag', `${folder}/result.json is a run of ${earlier.labels} labels, ${earlier.method}, seed ${earlier.seed}: use another --out`);
  }
  // The checkpoint decides, not metrics.jsonl: a run killed inside a segment logged steps past its last checkpoint,
  // and `train --resume` truncates those lines, so the continued curve is still the one a single invocation draws.
  const inspected = JSON.parse(await forger(['inspect', join(folder, 'final.forger'), '--json'], join(folder, 'experiment.log'), [])) as { training?: { step: number } };
  const checkpointStep = inspected.training?.step;
  if (checkpointStep !== earlier.steps) {
    throw new ExperimentError('no-metrics', `${folder}: final.forger is at step ${checkpointStep} but result.json scored step ${earlier.steps}; remove the folder to start again`);
  }
  return earlier;
}

async function runOne(o: { labels: number; method: Method; seed: number; steps: number; segment: number; out: string; maxMinutes: number; backend: string; wasmThreads?: string }): Promise<RunResult> {
  const folder = join(o.out, `${o.labels}-${o.method}`);
  await mkdir(folder, { recursive: true });
  const log = join(folder, 'experiment.log');
  const final = join(folder, 'final.forger');
  const batchSize = BATCH_SIZE[lossOf(o.method)];
  const labeledBatch = Math.min(batchSize, o.labels);
  // A run that an earlier invocation left (stopped by --max-minutes, or killed after a segment) continues from its
  // last evaluated checkpoint: resume is exact, so the curve is the one a single invocation would have drawn.
  const earlier = await previousResult(folder, o);
  const commands: string[] = earlier ? [...earlier.commands] : [];
  const curve: CurvePoint[] = earlier ? [...earlier.curve] : [];
  const started = Date.now();
  let backend = earlier?.backend ?? '';
  let result: RunResult | undefined = earlier;
  if (earlier && earlier.steps >= o.steps) return earlier;
  if (earlier) console.log(`${o.labels} labels ${o.method}: continuing from step ${earlier.steps}`);
  const first = earlier ? Math.min(earlier.steps + o.segment, o.steps) : Math.min(o.segment, o.steps);
  // --wasm-threads is a setting of each process (not kept in the checkpoint): every train and eval gets it
  const threads = o.wasmThreads === undefined ? [] : ['--wasm-threads', o.wasmThreads];
  for (let target = first; ; target = Math.min(target + o.segment, o.steps)) {
    const args = curve.length === 0
      ? ['train', ...trainFlags(o.method, o.labels, o.seed, folder, o.segment), '--steps', String(target), '--backend', o.backend, ...threads]
      : ['train', '--resume', final, '--steps', String(target), '--quiet', '--backend', o.backend, ...threads];
    const stdout = await forger(args, log, commands);
    backend = /^backend: (.+)$/m.exec(stdout)?.[1] ?? backend;
    const metrics = await lastMetrics(folder);
    const evalJson = await forger(['eval', '--checkpoint', final, '--json', '--backend', o.backend, ...threads], log, commands);
    const report = JSON.parse(evalJson) as { error: number; count: number; weights?: string };
    await writeFile(join(folder, `eval-step-${String(metrics.step).padStart(6, '0')}.json`), evalJson);
    const epochs = isBaseline(o.method) ? (metrics.step * labeledBatch) / o.labels : (metrics.step * batchSize) / MNIST_TRAIN_IMAGES;
    curve.push({ step: metrics.step, epochs, wallTimeS: metrics.wall_time_s, testError: report.error });
    const stoppedEarly = target < o.steps && (Date.now() - started) / 60000 >= o.maxMinutes;
    result = {
      labels: o.labels, method: o.method, seed: o.seed, batchSize, plannedSteps: o.steps, steps: metrics.step,
      ...(isBaseline(o.method) ? {} : { unlabeledEpochs: (metrics.step * batchSize) / MNIST_TRAIN_IMAGES }),
      labeledEpochs: (metrics.step * labeledBatch) / o.labels,
      wallTimeS: metrics.wall_time_s, backend, testError: report.error, testCount: report.count, evalWeights: report.weights, curve, stoppedEarly,
      commands, loadAverage: loadavg(), finishedAt: new Date().toISOString(),
    };
    await writeFile(join(folder, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`${o.labels} labels ${o.method}: step ${metrics.step}/${o.steps}, test error ${(100 * report.error).toFixed(2)}%, ${metrics.wall_time_s.toFixed(0)} s of training`);
    if (target >= o.steps || stoppedEarly) break;
  }
  return result!;
}

const percent = (x: number): string => `${(100 * x).toFixed(2)} %`;

/** The README table: each GAN run with its baseline (same labels, same loss's network) beside it. */
function markdownTable(results: RunResult[]): string {
  const rows = results
    .filter((r) => !isBaseline(r.method))
    .sort((a, b) => a.labels - b.labels || a.method.localeCompare(b.method))
    .map((r) => {
      const base = results.find((b) => b.labels === r.labels && b.method === `${r.method}-baseline`);
      return `| ${r.labels} | ${r.method === 'improved' ? 'improved-GAN' : 'SSGAN-Tensorflow'} | ${r.steps} | ${r.unlabeledEpochs!.toFixed(1)} | ` +
        `${(r.wallTimeS / 60).toFixed(1)} min | ${r.backend} | **${percent(r.testError)}** | ` +
        (base ? `${percent(base.testError)} (${base.steps} steps, ${base.labeledEpochs.toFixed(0)} epochs of the labels, ${(base.wallTimeS / 60).toFixed(1)} min)` : 'not run') + ' |';
    });
  const curves = results
    .sort((a, b) => a.labels - b.labels || a.method.localeCompare(b.method))
    .map((r) => `- ${r.labels} labels, ${r.method}: ${r.curve.map((p) => `${p.step}: ${percent(p.testError)}`).join(', ')}`);
  return [
    '| labels | method | steps | epochs (of the 60,000 images) | training wall time | backend | test error (10,000 images) | supervised baseline, same network and labels |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    'Learning curves (step: test error):',
    '',
    ...curves,
    '',
  ].join('\n');
}

async function collect(out: string, resultsFolder: string): Promise<void> {
  const results: RunResult[] = [];
  for (const entry of await readdir(out, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    try {
      results.push(JSON.parse(await readFile(join(out, entry.name, 'result.json'), 'utf8')) as RunResult);
    } catch {
      // a run that has not finished its first segment has no result yet
    }
  }
  await mkdir(resultsFolder, { recursive: true });
  await writeFile(join(resultsFolder, 'ssl-mnist.json'), `${JSON.stringify(results, null, 2)}\n`);
  const table = markdownTable(results);
  await writeFile(join(resultsFolder, 'ssl-mnist.md'), table);
  console.log(table);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      labels: { type: 'string', default: '100,1000' },
      methods: { type: 'string', default: 'improved,improved-baseline' },
      steps: { type: 'string', default: '3000' },
      'baseline-steps': { type: 'string' },
      segment: { type: 'string', default: '500' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: join(REPO, 'runs/ssl-mnist') },
      results: { type: 'string', default: join(HERE, 'results') },
      'max-minutes': { type: 'string', default: 'Infinity' },
      backend: { type: 'string', default: 'wasm' },
      // two runs at once on a 2-core machine: one wasm thread each, so the runs do not contend for the cores
      'wasm-threads': { type: 'string' },
      collect: { type: 'boolean', default: false },
    },
  });
  const out = resolve(values.out);
  if (values.collect) return collect(out, resolve(values.results));
  const number = (name: string, text: string | undefined): number => {
    const n = Number(text);
    if (!(n > 0)) throw new ExperimentError('bad-flag', `--${name} must be a positive number, got "${text}"`);
    return n;
  };
  const methods = values.methods.split(',') as Method[];
  for (const m of methods) if (!METHODS.includes(m)) throw new ExperimentError('bad-flag', `--methods: "${m}" is not one of ${METHODS.join(', ')}`);
  const steps = number('steps', values.steps);
  for (const labels of values.labels.split(',').map((l) => number('labels', l))) {
    for (const method of methods) {
      await runOne({
        labels, method, seed: number('seed', values.seed), out, backend: values.backend,
        ...(values['wasm-threads'] === undefined ? {} : { wasmThreads: String(number('wasm-threads', values['wasm-threads'])) }),
        steps: isBaseline(method) && values['baseline-steps'] ? number('baseline-steps', values['baseline-steps']) : steps,
        segment: number('segment', values.segment), maxMinutes: number('max-minutes', values['max-minutes']),
      });
    }
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  process.exit(1);
});

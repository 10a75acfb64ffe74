/**
 * The semi-supervised guard (issue 21): a short, seeded improved-GAN run at 100 labels whose MNIST test error at a
 * fixed step is recorded per commit, with a tolerance band from the spread across seeds. A benchmark, not a test:
 * nothing in `pnpm test` runs or reads it.
 *
 * `run` trains each seed through a built `forger` CLI (the README recipe: `forger train --model ssgan --ssl-loss
 * improved --labeled-count 100 --batch-size 100 --backend wasm --seed s --steps N`) and scores the final checkpoint
 * with `forger eval --json` on all 10,000 MNIST test images (moving-average weights, the CLI default). `--repo` may
 * point at another checkout (a worktree of an older commit, built), so the same guard measures old code too.
 *
 *   pnpm turbo run build --filter=@forger/trainer-node...
 *   nice -n 10 pnpm exec tsx packages/trainer-node/bench-ssl/ssl-guard.ts run --steps 600 --seeds 1,2,3 \
 *     --out packages/trainer-node/bench-ssl/results/<date>-<commit>.json [--repo /path/to/other/checkout]
 *   pnpm exec tsx packages/trainer-node/bench-ssl/ssl-guard.ts check --record <recorded.json> --result <new.json>
 *   pnpm exec tsx packages/trainer-node/bench-ssl/ssl-guard.ts from-curves --commit <sha> --steps 30000 \
 *     --out packages/trainer-node/bench-ssl/results/<date>-<commit>-step30000.json <ssl-mnist result.json>...
 *
 * `check` exits 0 when the new mean error is inside the recorded band or below it, 1 when above it.
 * `from-curves` records, in the same format, the point at step N of long runs that `experiments/ssl-mnist.ts` made
 * (its `result.json`, or its collected `ssl-mnist.json`): the 30,000-step runs cost hours, and their curves hold the
 * guard's measurement at every segment's end, so `check` compares commits at the end of training too.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));
const THIS_REPO = resolve(HERE, '../../..');
/** MNIST's test split: what `forger eval` scores when no --limit is given. */
const MNIST_TEST_COUNT = 10000;
/**
 * The band is mean ± BAND_SIGMAS · sd · √(1/n_record + 1/n_new): about 3 standard errors of the difference of two
 * means of independent seeds, so a change that moves the mean by less than the seed noise passes.
 */
const BAND_SIGMAS = 3;
/**
 * A floor on the seed standard deviation used for the band (0.5 points of error): three seeds estimate a spread
 * poorly, and two seeds that happen to agree must not make the band narrower than the test set's own sampling
 * error at these error rates (√(0.2 · 0.8 / 10,000) = 0.4 points).
 */
const MIN_SEED_SD = 0.005;

class GuardError extends Error {
  constructor(readonly code: 'command-failed' | 'bad-flag' | 'bad-record', message: string) {
    super(message);
    this.name = 'GuardError';
  }
}

interface SeedResult {
  seed: number;
  steps: number;
  testError: number;
  testCount: number;
  /** training wall time, as forger's metrics.jsonl reports it (wall_time_s at the last step) */
  trainWallTimeS: number;
  /** train + eval, as this script measured it; absent for a point read from a long run's curve */
  totalWallTimeS?: number;
  loadAverage: number[];
  /** for a point read from a long run's curve (`from-curves`): the ssl-mnist.ts result file it came from */
  source?: string;
}

interface GuardResult {
  bench: 'ssl-guard';
  commit: string;
  /** true when the checkout had uncommitted changes to tracked files */
  dirty: boolean;
  recipe: string[];
  steps: number;
  backend: string;
  evalWeights: 'average';
  seeds: number[];
  perSeed: SeedResult[];
  meanError: number;
  /** sample standard deviation over seeds (n − 1); 0 with one seed */
  sdError: number;
  minError: number;
  maxError: number;
  band: { sigmas: number; sdUsed: number; note: string };
  machine: { cpus: number; model: string };
  finishedAt: string;
  /**
   * set by `from-curves`: the seeds' errors were read from experiments/ssl-mnist.ts runs (segments of `forger train`
   * and `train --resume`, which train the same bits as the one uninterrupted run of `recipe`), not measured by `run`
   */
  origin?: string;
}

function forger(repo: string, args: string[]): Promise<string> {
  const cli = join(repo, 'packages/trainer-node/dist/cli/main.js');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      if (code === 0) done(stdout);
      else fail(new GuardError('command-failed', `forger ${args[0]} in ${repo} exited ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`));
    });
  });
}

function git(repo: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn('git', ['-C', repo, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('close', (code) => (code === 0 ? done(stdout.trim()) : fail(new GuardError('command-failed', `git ${args.join(' ')} in ${repo} exited ${code}`))));
  });
}

function recipe(seed: string, steps: number, out: string): string[] {
  // checkpoints and grids only at the end: the guard measures the error, and each 33 MB checkpoint costs time
  return ['train', '--model', 'ssgan', '--ssl-loss', 'improved', '--labeled-count', '100', '--batch-size', '100', '--backend', 'wasm',
    '--seed', seed, '--steps', String(steps), '--checkpoint-every', String(steps), '--sample-every', String(steps), '--quiet', '--out', out];
}

export function summarise(errors: number[]): { mean: number; sd: number } {
  const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
  const sd = errors.length > 1 ? Math.sqrt(errors.reduce((a, e) => a + (e - mean) ** 2, 0) / (errors.length - 1)) : 0;
  return { mean, sd };
}

async function runGuard(o: { repo: string; steps: number; seeds: number[]; out: string }): Promise<GuardResult> {
  const commit = await git(o.repo, ['rev-parse', 'HEAD']);
  const dirty = (await git(o.repo, ['status', '--porcelain', '--untracked-files=no'])) !== '';
  const perSeed = await earlierSeeds(o.out, commit, o.steps);
  let result: GuardResult | undefined = perSeed.length > 0 ? resultOf(commit, dirty, o, perSeed) : undefined;
  const work = await mkdtemp(join(tmpdir(), 'forger-ssl-guard-'));
  try {
    for (const seed of o.seeds) {
      if (perSeed.some((s) => s.seed === seed)) continue;
      const started = Date.now();
      const runDir = join(work, `seed-${seed}`);
      await forger(o.repo, recipe(String(seed), o.steps, runDir));
      const metrics = (await readFile(join(runDir, 'metrics.jsonl'), 'utf8')).trim().split('\n');
      const last = JSON.parse(metrics.at(-1) ?? '{}') as { step?: number; wall_time_s?: number };
      if (last.step !== o.steps) throw new GuardError('command-failed', `seed ${seed}: metrics.jsonl ends at step ${last.step}, not ${o.steps}`);
      const report = JSON.parse(await forger(o.repo, ['eval', '--checkpoint', join(runDir, 'final.forger'), '--json', '--backend', 'wasm'])) as { error: number; count: number };
      if (report.count !== MNIST_TEST_COUNT) throw new GuardError('command-failed', `seed ${seed}: eval scored ${report.count} images, not the ${MNIST_TEST_COUNT} of the test split`);
      perSeed.push({ seed, steps: o.steps, testError: report.error, testCount: report.count, trainWallTimeS: last.wall_time_s ?? NaN,
        totalWallTimeS: (Date.now() - started) / 1000, loadAverage: loadavg() });
      await rm(runDir, { recursive: true, force: true });
      result = resultOf(commit, dirty, o, perSeed);
      // rewritten after every seed, so a stopped run keeps what it measured
      await writeFile(o.out, `${JSON.stringify(result, null, 2)}\n`);
      process.stderr.write(`seed ${seed}: ${(report.error * 100).toFixed(2)} % test error at step ${o.steps} (${perSeed.at(-1)?.totalWallTimeS?.toFixed(0)} s)\n`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  if (!result) throw new GuardError('bad-flag', 'no seeds given');
  return result;
}

/** The seeds an earlier `run` into the same --out measured (same commit, same step): a run continues, seed by seed. */
async function earlierSeeds(out: string, commit: string, steps: number): Promise<SeedResult[]> {
  let earlier: GuardResult;
  try {
    earlier = JSON.parse(await readFile(out, 'utf8')) as GuardResult;
  } catch {
    return [];
  }
  if (earlier.bench !== 'ssl-guard' || earlier.commit !== commit || earlier.steps !== steps) {
    throw new GuardError('bad-flag', `${out} holds another measurement (commit ${earlier.commit?.slice(0, 7)}, step ${earlier.steps}): use another --out`);
  }
  return earlier.perSeed;
}

function resultOf(commit: string, dirty: boolean, o: { steps: number; seeds: number[] }, perSeed: SeedResult[]): GuardResult {
  const errors = perSeed.map((s) => s.testError);
  const { mean, sd } = summarise(errors);
  return {
    bench: 'ssl-guard', commit, dirty,
    recipe: recipe('<seed>', o.steps, '<out>'),
    steps: o.steps, backend: 'wasm', evalWeights: 'average', seeds: perSeed.map((s) => s.seed), perSeed,
    meanError: mean, sdError: sd, minError: Math.min(...errors), maxError: Math.max(...errors),
    band: { sigmas: BAND_SIGMAS, sdUsed: Math.max(sd, MIN_SEED_SD),
      note: `a new mean of n seeds passes when ≤ meanError + sigmas · sdUsed · √(1/${perSeed.length} + 1/n); sdUsed = max(sdError, ${MIN_SEED_SD})` },
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
    finishedAt: new Date().toISOString(),
  };
}

/** The fields of an `experiments/ssl-mnist.ts` run (its result.json) that `from-curves` reads. */
interface CurveRun {
  labels: number;
  method: string;
  seed: number;
  batchSize: number;
  backend: string;
  testCount: number;
  evalWeights?: string;
  loadAverage: number[];
  curve: { step: number; wallTimeS: number; testError: number }[];
}

/**
 * The guard's measurement read from long runs' curves: each file is one ssl-mnist.ts result.json or a collected
 * ssl-mnist.json (an array); only its 100-label improved-GAN runs are read, and each must have the guard's recipe
 * (batch 100, wasm, all 10,000 test images, the averaged weights) and a point at exactly `steps`. A seed already in
 * `out` (a `run` of the same commit and step) must agree to the digit: resume is exact, so a segmented run and one
 * uninterrupted run of the same commit train the same bits, and a disagreement means the two are not the same recipe.
 */
async function fromCurves(o: { commit: string; steps: number; files: string[]; out: string }): Promise<GuardResult> {
  const commit = await git(THIS_REPO, ['rev-parse', '--verify', `${o.commit}^{commit}`]).catch(() => {
    throw new GuardError('bad-flag', `--commit ${o.commit} names no commit of ${THIS_REPO}`);
  });
  const perSeed = await earlierSeeds(o.out, commit, o.steps);
  for (const file of o.files) {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as CurveRun | CurveRun[];
    const runs = (Array.isArray(parsed) ? parsed : [parsed]).filter((r) => r.labels === 100 && r.method === 'improved');
    if (runs.length === 0) throw new GuardError('bad-record', `${file} holds no 100-label improved-GAN run of experiments/ssl-mnist.ts`);
    for (const run of runs) {
      const where = `${file} (seed ${run.seed})`;
      if (run.batchSize !== 100 || !run.backend.startsWith('wasm') || run.testCount !== MNIST_TEST_COUNT || (run.evalWeights ?? 'average') !== 'average') {
        throw new GuardError('bad-record', `${where} is not the guard's recipe: batch ${run.batchSize}, backend ${run.backend}, ${run.testCount} test images, ${run.evalWeights} weights`);
      }
      const point = run.curve.find((p) => p.step === o.steps);
      if (!point) throw new GuardError('bad-record', `${where} has no point at step ${o.steps}; its curve has ${run.curve.map((p) => p.step).join(', ')}`);
      const earlier = perSeed.find((s) => s.seed === run.seed);
      if (earlier) {
        if (earlier.testError.toFixed(4) !== point.testError.toFixed(4)) {
          throw new GuardError('bad-record', `${where}: ${(point.testError * 100).toFixed(2)} % at step ${o.steps}, but ${o.out} already records seed ${run.seed} at ${(earlier.testError * 100).toFixed(2)} %`);
        }
        continue;
      }
      perSeed.push({ seed: run.seed, steps: o.steps, testError: point.testError, testCount: run.testCount, trainWallTimeS: point.wallTimeS,
        loadAverage: run.loadAverage, source: relative(THIS_REPO, resolve(file)) });
    }
  }
  perSeed.sort((a, b) => a.seed - b.seed);
  const result: GuardResult = {
    ...resultOf(commit, false, { steps: o.steps, seeds: perSeed.map((s) => s.seed) }, perSeed),
    origin: 'from-curves: seeds with a source were read at this step from experiments/ssl-mnist.ts runs of the recipe (segments of forger train, then train --resume)',
  };
  await writeFile(o.out, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

export interface Verdict {
  pass: boolean;
  upper: number;
  lower: number;
  message: string;
}

/** The new result against the recorded band: worse than the band's top fails; better than its bottom passes, with a note. */
export function checkAgainst(record: GuardResult, result: GuardResult): Verdict {
  if (record.steps !== result.steps) throw new GuardError('bad-record', `the record is at step ${record.steps}, the result at step ${result.steps}: compare the same step`);
  const half = record.band.sigmas * record.band.sdUsed * Math.sqrt(1 / record.perSeed.length + 1 / result.perSeed.length);
  const upper = record.meanError + half;
  const lower = record.meanError - half;
  const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
  const head = `step ${result.steps}: ${pct(result.meanError)} mean over seeds ${result.seeds.join(',')} at ${result.commit.slice(0, 7)}; `
    + `band ${pct(lower)} – ${pct(upper)} from ${record.commit.slice(0, 7)} (${pct(record.meanError)} ± ${pct(half)})`;
  if (result.meanError > upper) return { pass: false, upper, lower, message: `FAIL ${head}: worse than the band` };
  if (result.meanError < lower) return { pass: true, upper, lower, message: `PASS ${head}: better than the band; record the new result` };
  return { pass: true, upper, lower, message: `PASS ${head}` };
}

/** --steps as given to `run` and `from-curves`: a positive integer. */
function stepsFlag(text: string): number {
  const steps = Number(text);
  if (!Number.isInteger(steps) || steps < 1) throw new GuardError('bad-flag', `--steps must be a positive integer, got ${text}`);
  return steps;
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values, positionals } = parseArgs({ args: rest, options: {
    repo: { type: 'string', default: THIS_REPO }, steps: { type: 'string', default: '600' }, seeds: { type: 'string', default: '1,2,3' },
    out: { type: 'string' }, record: { type: 'string' }, result: { type: 'string' }, commit: { type: 'string' },
  }, allowPositionals: true });
  if (command !== 'from-curves' && positionals.length > 0) throw new GuardError('bad-flag', `${command} takes no file arguments, got ${positionals.join(' ')}`);
  if (command === 'run') {
    if (!values.out) throw new GuardError('bad-flag', 'run needs --out <file.json>');
    const steps = stepsFlag(values.steps);
    const seeds = values.seeds.split(',').map(Number);
    if (seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new GuardError('bad-flag', `--seeds must be non-negative integers separated by commas, got ${values.seeds}`);
    const result = await runGuard({ repo: resolve(values.repo), steps, seeds, out: resolve(values.out) });
    process.stdout.write(`${(result.meanError * 100).toFixed(2)} % mean ± ${(result.sdError * 100).toFixed(2)} (sd over ${result.perSeed.length} seeds) at step ${steps}, ${result.commit.slice(0, 7)}\n`);
    return;
  }
  if (command === 'check') {
    if (!values.record || !values.result) throw new GuardError('bad-flag', 'check needs --record <recorded.json> --result <new.json>');
    const read = async (file: string): Promise<GuardResult> => {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as GuardResult;
      if (parsed.bench !== 'ssl-guard') throw new GuardError('bad-record', `${file} is not an ssl-guard result`);
      return parsed;
    };
    const verdict = checkAgainst(await read(values.record), await read(values.result));
    process.stdout.write(`${verdict.message}\n`);
    process.exitCode = verdict.pass ? 0 : 1;
    return;
  }
  if (command === 'from-curves') {
    if (!values.out || !values.commit || positionals.length === 0) throw new GuardError('bad-flag', 'from-curves needs --commit <sha> --steps N --out <file.json> and one or more ssl-mnist.ts result files');
    const steps = stepsFlag(values.steps);
    const result = await fromCurves({ commit: values.commit, steps, files: positionals, out: resolve(values.out) });
    process.stdout.write(`${(result.meanError * 100).toFixed(2)} % mean ± ${(result.sdError * 100).toFixed(2)} (sd over seeds ${result.seeds.join(',')}) at step ${steps}, ${result.commit.slice(0, 7)}\n`);
    return;
  }
  throw new GuardError('bad-flag', `usage: ssl-guard.ts run --out <file.json> [--steps 600] [--seeds 1,2,3] [--repo <checkout>] | check --record <file> --result <file> | from-curves --commit <sha> --steps N --out <file.json> <result.json>...`);
}

main().catch((error: unknown) => {
  process.stderr.write(`ssl-guard: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});

/**
 * The tricks ablation of issue 16: each of the chapter's training tricks alone on top of a baseline recipe, and the
 * best combination, over several seeds at one step budget, each run scored by `forger score`. One command:
 *
 *   pnpm ablation                                   # vanilla on wasm, 2 seeds, 2 runs at a time (both cores)
 *   pnpm ablation --family dcgan --backend webgpu   # on a GPU machine (a longer budget: --steps)
 *   pnpm ablation --family dcgan --steps 300 --batch-size 32   # DCGAN on wasm without a GPU: a much shorter budget
 *   pnpm ablation --only baseline,minibatch-discrimination --seeds 1
 *   node bench/ablation.mjs --family dcgan --backend webgpu --cli bench/forger.mjs --classifier <file> --commit <sha> \
 *     --report-dir <dir>                            # the GPU bundle's copy (bench-gpu/run-on-device.sh, FORGER_MODE=quality)
 *
 * It drives the built CLI (`dist/cli/main.js`) exactly as a user would, so what it measures is what they get.
 * Writes, beside this script's package: ablation/results/<family>.json (every run: its commit, flags, wall time and
 * score; `--only` reruns some arms and keeps the others' runs), ablation/<family>.md (the table the README quotes)
 * and ablation/<family>.svg (the bar chart).
 * A benchmark, not a test: nothing asserts on its numbers.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ABLATION_ARMS, ABLATION_BUDGETS, type AblationArm, type AblationFamily } from './ablation-arms.js';
import { renderAblationChart } from './ablation-chart.js';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// `pnpm ablation` at the root runs this in the package's folder; paths the user gives are relative to where they
// typed it (pnpm's INIT_CWD), as the README's `--report-dir packages/trainer-node/ablation/wasm-short` is
const fromUser = (path: string): string => resolve(process.env['INIT_CWD'] ?? process.cwd(), path);

const DEFAULT_SCORE_COUNT = 3000;
const DEFAULT_BACKEND = 'wasm';

const { values } = parseArgs({
  options: {
    family: { type: 'string', default: 'vanilla' },
    steps: { type: 'string' },
    'batch-size': { type: 'string' },
    seeds: { type: 'string', default: '1,2' },
    jobs: { type: 'string', default: String(Math.max(1, Math.min(2, cpus().length))) },
    // samples scored and reference test images: 3,000 keeps a run's score under a minute on wasm; the defaults'
    // targets are checked with forger score's own 10,000 (README)
    count: { type: 'string', default: String(DEFAULT_SCORE_COUNT) },
    backend: { type: 'string', default: DEFAULT_BACKEND },
    only: { type: 'string' },
    work: { type: 'string', default: join(packageDir, '..', '..', 'runs', 'ablation') },
    // where results/<family>.json, <family>.md and <family>.svg go (the README links the package's ablation/)
    'report-dir': { type: 'string', default: join(packageDir, 'ablation') },
    // the CLI that trains and scores: the built one here, the bundled one (bench/forger.mjs) on a GPU machine
    cli: { type: 'string', default: join(packageDir, 'dist', 'cli', 'main.js') },
    // `forger score --classifier`: the bundled CLI cannot find the package's assets/ by itself
    classifier: { type: 'string' },
    // the commit each run records: the bundle has no git checkout (pack.sh writes bench/commit.txt)
    commit: { type: 'string' },
    'report-only': { type: 'boolean', default: false },
  },
});

const family = values.family as AblationFamily;
if (!(family in ABLATION_ARMS)) fail(`--family must be one of ${Object.keys(ABLATION_ARMS).join(', ')}, got "${values.family}"`);
const budget = ABLATION_BUDGETS[family];
const steps = values.steps !== undefined ? positive('steps', values.steps) : budget.steps;
const batchSize = values['batch-size'] !== undefined ? positive('batch-size', values['batch-size']) : budget.batchSize;
const seeds = values.seeds.split(',').map((s) => positive('seeds', s));
const jobs = positive('jobs', values.jobs);
const count = positive('count', values.count);
const onlyNames = values.only?.split(',');
const arms = ABLATION_ARMS[family].filter((arm) => onlyNames === undefined || onlyNames.includes(arm.name));
if (arms.length === 0) fail(`--only names no arm of ${family}; the arms are ${ABLATION_ARMS[family].map((a) => a.name).join(', ')}`);

const cli = fromUser(values.cli);
if (!values['report-only'] && !existsSync(cli)) fail(`no forger CLI at ${cli}: build it first (pnpm build), or pass --cli`);
const scoreFlags = values.classifier !== undefined ? ['--classifier', fromUser(values.classifier)] : [];
const reportDir = fromUser(values['report-dir']);
const commit = values.commit ?? runCommit();
const resultsFile = join(reportDir, 'results', `${family}.json`);

interface RunRecord {
  arm: string;
  commit: string;
  seed: number;
  flags: string[];
  steps: number;
  trainSeconds: number;
  frechetDistance: number;
  inceptionScore: number;
  classBalanceGap: number;
  minClassShare: number;
  classShares: number[];
}

interface AblationResults {
  family: AblationFamily;
  /** of the last runs added */
  date: string;
  backend: string;
  steps: number;
  batchSize: number;
  scoreCount: number;
  seeds: number[];
  command: string;
  runs: RunRecord[];
}

const earlier = await readFile(resultsFile, 'utf8').then((text) => JSON.parse(text) as AblationResults, () => undefined);
const results: AblationResults = values['report-only'] ? earlier ?? fail(`no results yet in ${resultsFile}`) : await runAll(earlier);
await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
const table = ablationTable(results);
await writeFile(join(reportDir, `${family}.md`), table);
await writeFile(join(reportDir, `${family}.svg`), await renderAblationChart(summarize(results), `${family}: ${results.steps} steps of ${results.batchSize}, ${results.seeds.length} seeds, ${results.backend}`));
process.stdout.write(`${table}\nwrote ${resultsFile}\n`);

async function runAll(previous: AblationResults | undefined): Promise<AblationResults> {
  await mkdir(dirname(resultsFile), { recursive: true });
  if (previous && (previous.steps !== steps || previous.batchSize !== batchSize || previous.scoreCount !== count || previous.backend !== values.backend)) {
    fail(`${resultsFile} holds runs of another budget (${previous.steps} steps of ${previous.batchSize}, ${previous.scoreCount} samples scored, ${previous.backend}): ` +
      'move it away to start a new ablation');
  }
  const queue = arms.flatMap((arm) => seeds.map((seed) => ({ arm, seed })));
  const runs: RunRecord[] = (previous?.runs ?? []).filter((run) => !queue.some((q) => q.arm.name === run.arm && q.seed === run.seed));
  let next = 0;
  const allArms = ABLATION_ARMS[family];
  const order = (r: RunRecord): number => allArms.findIndex((a) => a.name === r.arm) * 1000 + r.seed;
  const snapshot = (): AblationResults => ({
    family, date: new Date().toISOString(), backend: values.backend, steps, batchSize, scoreCount: count,
    seeds: [...new Set(runs.map((run) => run.seed))].sort((a, b) => a - b), command: commandLine(),
    runs: [...runs].sort((a, b) => order(a) - order(b)),
  });
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const { arm, seed } = queue[next++]!;
      runs.push(await runOne(arm, seed));
      // each finished run is kept at once: an ablation stopped half-way keeps what it measured (rerun with --only)
      await writeFile(resultsFile, `${JSON.stringify(snapshot(), null, 2)}\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, worker));
  return snapshot();
}

/**
 * The commit whose code the runs ran: HEAD, or '<sha>-dirty' when a tracked file differs from it. The ablation's own
 * report folder does not count: an ablation stopped half-way and continued with --only has its results file changed,
 * and those runs still ran HEAD's code.
 */
function runCommit(): string {
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: packageDir, encoding: 'utf8' }).trim();
  const top = git('rev-parse', '--show-toplevel');
  const fromTop = relative(top, reportDir);
  const own = fromTop.startsWith('..') || isAbsolute(fromTop) ? [] : [`:(top,exclude)${fromTop}`];
  const changed = git('status', '--porcelain', '--untracked-files=no', '--', ':(top)', ...own);
  return `${git('rev-parse', '--short=7', 'HEAD')}${changed === '' ? '' : '-dirty'}`;
}

/** The command that reproduces this budget: the options that differ from their defaults. */
function commandLine(): string {
  const parts = ['pnpm ablation --family', family];
  if (steps !== budget.steps) parts.push('--steps', String(steps));
  if (batchSize !== budget.batchSize) parts.push('--batch-size', String(batchSize));
  if (values.backend !== DEFAULT_BACKEND) parts.push('--backend', values.backend);
  if (count !== DEFAULT_SCORE_COUNT) parts.push('--count', String(count));
  return parts.join(' ');
}

async function runOne(arm: AblationArm, seed: number): Promise<RunRecord> {
  const out = join(fromUser(values.work), family, `${arm.name}-seed${seed}`);
  await rm(out, { recursive: true, force: true });
  const flags = [...arm.flags, '--batch-size', String(batchSize)];
  const trainArgs = [
    'train', '--model', family, ...flags, '--seed', String(seed), '--steps', String(steps), '--backend', values.backend, '--quiet',
    '--sample-every', String(steps), '--checkpoint-every', String(steps), '--out', out,
  ];
  const started = performance.now();
  await runCli(trainArgs, `${arm.name} seed ${seed}: train`);
  const trainSeconds = (performance.now() - started) / 1000;
  const report = JSON.parse(await runCli(['score', join(out, 'final.forger'), '--json', '--count', String(count), '--limit', String(count), '--backend', values.backend, ...scoreFlags], `${arm.name} seed ${seed}: score`)) as {
    frechetDistance: number; inceptionScore: number; classBalanceGap: number; classShares: number[];
  };
  process.stderr.write(`${arm.name} seed ${seed}: FID ${report.frechetDistance.toFixed(1)}, IS ${report.inceptionScore.toFixed(2)}, ` +
    `min class ${(100 * Math.min(...report.classShares)).toFixed(1)} %, ${trainSeconds.toFixed(0)} s\n`);
  return {
    arm: arm.name, commit, seed, flags, steps, trainSeconds: round(trainSeconds, 1), frechetDistance: report.frechetDistance, inceptionScore: report.inceptionScore,
    classBalanceGap: report.classBalanceGap, minClassShare: Math.min(...report.classShares), classShares: report.classShares,
  };
}

function runCli(args: string[], what: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => (code === 0 ? resolvePromise(stdout) : reject(new Error(`${what} exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`))));
  });
}

export interface ArmSummary {
  arm: string;
  description: string;
  frechetDistance: number[];
  inceptionScore: number[];
  minClassShare: number[];
  trainSeconds: number[];
}

function summarize(r: AblationResults): ArmSummary[] {
  const names = [...new Set(r.runs.map((run) => run.arm))];
  return names.map((name) => {
    const runs = r.runs.filter((run) => run.arm === name);
    return {
      arm: name,
      description: ABLATION_ARMS[r.family].find((a) => a.name === name)?.description ?? '',
      frechetDistance: runs.map((run) => run.frechetDistance),
      inceptionScore: runs.map((run) => run.inceptionScore),
      minClassShare: runs.map((run) => run.minClassShare),
      trainSeconds: runs.map((run) => run.trainSeconds),
    };
  });
}

/** The README's table: mean over seeds, with the range, for each arm; the baseline first. */
function ablationTable(r: AblationResults): string {
  const rows = summarize(r);
  const baseline = rows.find((row) => row.arm === 'baseline');
  const meanOf = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const spread = (xs: number[], digits: number, scale = 1): string =>
    `${(meanOf(xs) * scale).toFixed(digits)} (${(Math.min(...xs) * scale).toFixed(digits)}–${(Math.max(...xs) * scale).toFixed(digits)})`;
  const lines = [
    `| run | flags | FID ↓ | Inception score ↑ | smallest class share | vs baseline FID | train time (s) |`,
    `|---|---|---|---|---|---|---|`,
    ...rows.map((row) => {
      const arm = ABLATION_ARMS[r.family].find((a) => a.name === row.arm);
      const delta = baseline && row !== baseline ? `${(meanOf(row.frechetDistance) - meanOf(baseline.frechetDistance)).toFixed(1)}` : '—';
      return `| ${row.arm} | \`${arm?.flags.join(' ') || '(none: the defaults)'}\` | ${spread(row.frechetDistance, 1)} | ${spread(row.inceptionScore, 2)} | ` +
        `${spread(row.minClassShare, 1, 100)} % | ${delta} | ${meanOf(row.trainSeconds).toFixed(0)} |`;
    }),
    '',
    `${r.family}, ${r.steps} steps of ${r.batchSize} on ${r.backend}, seeds ${r.seeds.join(', ')} (mean, and the range over seeds), ` +
      `each scored by \`forger score --count ${r.scoreCount} --limit ${r.scoreCount}\`; commits ${[...new Set(r.runs.map((run) => run.commit))].join(', ')}, ` +
      `${r.date.slice(0, 10)}; command: \`${r.command}\`.`,
    '',
  ];
  return lines.join('\n');
}

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) fail(`--${name} must be a positive integer, got "${text}"`);
  return n;
}

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}

function fail(message: string): never {
  process.stderr.write(`ablation: ${message}\n`);
  process.exit(2);
}

import { appendFile, readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-write.js';
import { fileError } from './file-error.js';
import type { HealthCondition, HealthWarning } from './health-monitor.js';

/** One line of metrics.jsonl; the field names are the ones TensorBoard-style tools and the README use. */
export interface MetricsRecord {
  step: number;
  epoch: number;
  d_loss: number;
  g_loss: number;
  /** mean D(x) over the real batch, as a probability */
  d_real: number;
  /** mean D(G(z)) over the generated batch, as a probability */
  d_fake: number;
  images_per_second: number;
  wall_time_s: number;
  /** any family-specific scalars (ssgan: supervised loss, accuracy) */
  [extra: string]: number;
}

/** One line of metrics.jsonl as read from disk, a record or a warning: JSON writes NaN and ±Infinity as null. */
export type MetricsLine = { step: number } & Record<string, number | null>;

/**
 * A health warning's line in metrics.jsonl, beside the records: `health` names the condition (health-monitor.ts),
 * `since_step` the first step of the stretch that tripped it; readMetrics leaves these lines out.
 */
export interface HealthLine {
  step: number;
  health: HealthCondition;
  metric: string;
  since_step: number;
  value: number | null;
  message: string;
}

/**
 * metrics.jsonl: one JSON object per line, appended with one write per line. A `kill -9` can at worst leave a
 * partial last line, which `readMetrics` skips; a resumed run first rewrites the file (atomically) without the
 * lines after its checkpoint, so the steps it trains again are not listed twice.
 */
export class MetricsLog {
  constructor(readonly path: string) {}

  /** A GAN run's MetricsRecord, or a supervised baseline's { step, epoch, loss, accuracy, … }. */
  async append(record: { step: number } & Record<string, number>): Promise<void> {
    try {
      await appendFile(this.path, `${JSON.stringify(record)}\n`);
    } catch (error) {
      throw fileError(error, 'write', this.path);
    }
  }

  /** A health warning, as a line of its own (HealthLine). */
  async appendWarning(warning: HealthWarning): Promise<void> {
    const line: HealthLine = {
      step: warning.step, health: warning.condition, metric: warning.metric, since_step: warning.sinceStep, value: warning.value, message: warning.message,
    };
    try {
      await appendFile(this.path, `${JSON.stringify(line)}\n`);
    } catch (error) {
      throw fileError(error, 'write', this.path);
    }
  }

  /** Keeps only the complete lines (records and warnings) with step ≤ `step` (the checkpoint a run resumes from). */
  async truncateAfter(step: number): Promise<void> {
    const kept = (await readLines(this.path)).filter((line) => line.step <= step);
    await writeFileAtomic(this.path, kept.map((line) => `${JSON.stringify(line)}\n`).join(''));
  }
}

/** The complete, parseable records of a metrics.jsonl (its health warnings left out); [] when it does not exist. */
export async function readMetrics(path: string): Promise<MetricsRecord[]> {
  return (await readLines(path)).filter((line) => !('health' in line)) as MetricsRecord[];
}

/** The health warnings the run recorded in its metrics.jsonl, in the order written. */
export async function readHealthLines(path: string): Promise<HealthLine[]> {
  return (await readLines(path)).filter((line) => 'health' in line) as unknown as HealthLine[];
}

async function readLines(path: string): Promise<({ step: number } & Record<string, unknown>)[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const records: ({ step: number } & Record<string, unknown>)[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed === 'object' && parsed !== null) records.push(parsed as { step: number } & Record<string, unknown>);
    } catch {
      // a line torn by kill -9: the run that resumes rewrites the file without it
    }
  }
  return records;
}

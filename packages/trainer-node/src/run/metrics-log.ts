import { appendFile, readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-write.js';
import { fileError } from './file-error.js';

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

  /** Keeps only the complete lines with step ≤ `step` (the checkpoint a run resumes from). */
  async truncateAfter(step: number): Promise<void> {
    const kept = (await readMetrics(this.path)).filter((record) => record.step <= step);
    await writeFileAtomic(this.path, kept.map((record) => `${JSON.stringify(record)}\n`).join(''));
  }
}

/** The complete, parseable records of a metrics.jsonl; [] when it does not exist. */
export async function readMetrics(path: string): Promise<MetricsRecord[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const records: MetricsRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as MetricsRecord);
    } catch {
      // a line torn by kill -9: the run that resumes rewrites the file without it
    }
  }
  return records;
}

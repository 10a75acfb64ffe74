import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { decodeCheckpoint, type Checkpoint } from '@forger/core';
import type { HealthCondition } from '../run/health-monitor.js';
import { readHealthLines, readMetrics, type MetricsLine } from '../run/metrics-log.js';
import { RunLayout, stepOfCheckpointName } from '../run/run-layout.js';
import { SCORE_FILE_SUFFIX } from '../score/score-file.js';
import type { SampleQualityReport } from '../score/sample-quality.js';
import { eventFiles } from '../tensorboard/event-file.js';
import { ReportError } from './report-error.js';

/** A sample grid of the run: samples/step-N.png, or final.png. */
export interface GridImage {
  label: string;
  /** the step it was drawn at; final.png's is the last logged step */
  step: number;
  png: Uint8Array;
}

/**
 * A health warning the run recorded in metrics.jsonl (its monitor: src/run/health-monitor.ts), as the report marks
 * it: a band on the curves of `metric` from the step its stretch began to the step it was confirmed.
 */
export interface ReportWarning {
  kind: HealthCondition;
  metric: string;
  fromStep: number;
  toStep: number;
  message: string;
}

/** Everything report.html shows, read from a run folder. */
export interface RunReportData {
  folder: string;
  metrics: MetricsLine[];
  warnings: ReportWarning[];
  grids: GridImage[];
  /** the newest checkpoint of the run (by modification time), for the config and provenance */
  checkpoint?: { path: string; spec: Checkpoint['spec']; provenance: Checkpoint['provenance']; step?: number; config?: unknown };
  /** why the newest checkpoint could not be read, if it could not */
  checkpointProblem?: string;
  /** the *.score.json files; stale when their checkpoint was rewritten after the scoring (a resumed run) */
  scores: { file: string; report: SampleQualityReport; stale: boolean }[];
  eventFiles: string[];
  generatedAt: string;
}

const GRID_FILE = /^step-(\d+)\.png$/;

/** Reads a run folder. Refuses a folder with neither metrics nor a checkpoint: that is not a run. */
export async function readRunReportData(folder: string, now: Date = new Date()): Promise<RunReportData> {
  const layout = new RunLayout(folder);
  await stat(folder).catch(() => {
    throw new ReportError('not-a-run', `${folder} does not exist; give the --out folder of a training run`, { where: folder });
  });
  const metrics = (await readMetrics(layout.metrics)) as unknown as MetricsLine[];
  const newest = await newestCheckpoint(layout);
  if (metrics.length === 0 && newest === undefined) {
    throw new ReportError('not-a-run', `${folder} holds neither metrics.jsonl nor a checkpoint: is it the --out folder of a training run?`, { where: folder });
  }
  const data: RunReportData = {
    folder,
    metrics,
    warnings: (await readHealthLines(layout.metrics)).map((line) => ({
      kind: line.health, metric: line.metric, fromStep: line.since_step, toStep: line.step, message: line.message,
    })),
    grids: await readGrids(layout, metrics.at(-1)?.step),
    scores: await readScores(folder),
    eventFiles: (await eventFiles(folder)).map((path) => basename(path)),
    generatedAt: now.toISOString(),
  };
  if (newest !== undefined) {
    try {
      const checkpoint = decodeCheckpoint(await readFile(newest));
      data.checkpoint = {
        path: newest, spec: checkpoint.spec, provenance: checkpoint.provenance,
        ...(checkpoint.training ? { step: checkpoint.training.step, config: parseConfig(checkpoint.training.configJson) } : {}),
      };
    } catch (error) {
      data.checkpointProblem = `${newest}: ${(error as Error).message}`;
    }
  }
  return data;
}

async function listFolder(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** final.forger or the newest step checkpoint: the one a report refreshed at a checkpoint has just written. */
async function newestCheckpoint(layout: RunLayout): Promise<string | undefined> {
  const candidates = [
    ...(await listFolder(layout.folder)).filter((name) => name === basename(layout.finalCheckpoint)).map((name) => join(layout.folder, name)),
    ...(await listFolder(layout.checkpointFolder)).filter((name) => stepOfCheckpointName(name) !== undefined).map((name) => join(layout.checkpointFolder, name)),
  ];
  let newest: { path: string; time: number } | undefined;
  for (const path of candidates) {
    const time = (await stat(path)).mtimeMs;
    if (newest === undefined || time > newest.time) newest = { path, time };
  }
  return newest?.path;
}

async function readGrids(layout: RunLayout, lastStep: number | undefined): Promise<GridImage[]> {
  const grids: GridImage[] = [];
  for (const name of await listFolder(layout.sampleFolder)) {
    const match = GRID_FILE.exec(name);
    if (match) grids.push({ label: `step ${Number(match[1])}`, step: Number(match[1]), png: await readFile(join(layout.sampleFolder, name)) });
  }
  grids.sort((a, b) => a.step - b.step);
  try {
    const png = await readFile(layout.finalGrid);
    grids.push({ label: 'final', step: lastStep ?? grids.at(-1)?.step ?? 0, png });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return grids;
}

/** The *.score.json files `forger score` left in the run folder. */
async function readScores(folder: string): Promise<RunReportData['scores']> {
  const scores: RunReportData['scores'] = [];
  for (const name of (await listFolder(folder)).filter((n) => n.endsWith(SCORE_FILE_SUFFIX)).sort()) {
    const path = join(folder, name);
    let report: SampleQualityReport;
    try {
      report = JSON.parse(await readFile(path, 'utf8')) as SampleQualityReport;
    } catch {
      continue; // a damaged or foreign file: the report lists what it can read
    }
    const scoredAt = (await stat(path)).mtimeMs;
    const checkpointWrittenAt = await stat(join(folder, `${name.slice(0, -SCORE_FILE_SUFFIX.length)}.forger`)).then((s) => s.mtimeMs, () => undefined);
    scores.push({ file: name, report, stale: checkpointWrittenAt !== undefined && checkpointWrittenAt > scoredAt });
  }
  return scores;
}

function parseConfig(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

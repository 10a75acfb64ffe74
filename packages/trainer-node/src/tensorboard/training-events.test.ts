import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/main.js';
import { readMetrics } from '../run/metrics-log.js';
import { captureIo } from '../test-support/capture-io.js';
import { tinyVanillaRun } from '../test-support/tiny-run.js';
import { eventFiles, readEventFile, type ReadEvent } from './event-file.js';

/** simple_value is a float: what TensorBoard shows of a metrics.jsonl number is its float32 rounding. */
const asFloat32 = (record: Record<string, number | null>): Record<string, number> =>
  Object.fromEntries(Object.entries(record).filter(([key]) => key !== 'step').map(([key, value]) => [key, Math.fround(value ?? Number.NaN)]));

describe('the event files of a real run', () => {
  let folder: string;
  beforeAll(async () => {
    ({ folder } = await tinyVanillaRun(['--steps', '6', '--log-every', '1', '--sample-every', '2', '--checkpoint-every', '3']));
  });
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('hold every scalar of metrics.jsonl at its step, and every sample grid as its PNG', async () => {
    const files = await eventFiles(folder);
    expect(files).toHaveLength(1);
    const events = await readEventFile(files[0]!);
    expect(events[0]!.fileVersion).toBe('brain.Event:2');
    const scalarEvents = events.filter((e) => Object.keys(e.scalars).length > 0);
    const metrics = await readMetrics(join(folder, 'metrics.jsonl'));
    expect(metrics).toHaveLength(6);
    expect(scalarEvents.map((e) => e.step)).toEqual(metrics.map((m) => m.step));
    for (const [i, record] of metrics.entries()) expect(scalarEvents[i]!.scalars).toEqual(asFloat32(record));
    // wall times are seconds since the epoch, in the order written
    const times = events.map((e) => e.wallTime);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.abs(times.at(-1)! - Date.now() / 1000)).toBeLessThan(600);

    const images = events.flatMap((e) => e.images.map((image) => ({ step: e.step, ...image })));
    expect(images.map((i) => [i.tag, i.step])).toEqual([['samples', 2], ['samples', 4], ['samples', 6]]);
    expect(Buffer.from(images[0]!.png).equals(await readFile(join(folder, 'samples', 'step-00000002.png')))).toBe(true);
    expect(Buffer.from(images[2]!.png).equals(await readFile(join(folder, 'final.png')))).toBe(true);
  });

  it('a resumed run adds a second file and leaves the first as it was', async () => {
    const [first] = await eventFiles(folder);
    const before = await readFile(first!);
    const io = captureIo();
    const code = await runCli(['train', '--resume', join(folder, 'checkpoints', 'step-00000003.forger'), '--steps', '8', '--quiet'], io);
    expect(code, io.err()).toBe(0);
    const files = await eventFiles(folder);
    expect(files).toHaveLength(2);
    expect(files[0]).toBe(first);
    expect((await readFile(first!)).equals(before)).toBe(true);
    const resumed: ReadEvent[] = await readEventFile(files[1]!);
    expect(resumed[0]!.fileVersion).toBe('brain.Event:2');
    expect(resumed.filter((e) => Object.keys(e.scalars).length > 0).map((e) => e.step)).toEqual([4, 5, 6, 7, 8]);
  });
});

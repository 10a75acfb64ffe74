import { appendFile, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { tensorflow } from '@forger/proto/tensorboard';
import { fileVersionEvent, imageEvent, scalarsEvent } from './events.js';
import { TensorBoardError } from './tensorboard-error.js';
import { frameRecord, readRecords } from './tfrecord.js';

/** TensorBoard reads every file of a folder whose name contains "tfevents"; this is TensorFlow's own naming. */
export const EVENT_FILE_PREFIX = 'events.out.tfevents.';

export interface EventFileOptions {
  /** wall time in seconds since the Unix epoch; fixed in tests so the bytes are reproducible */
  now?: () => number;
  hostname?: string;
}

/**
 * One TensorBoard event file, `events.out.tfevents.<seconds>.<hostname>` beside metrics.jsonl: the file-version
 * record, then one record per append. Each append is one write of whole records, like metrics.jsonl, so a `kill -9`
 * can at worst leave a torn last record, which readers (ours, TensorBoard's) skip. A resumed run starts a new file
 * rather than rewriting this one; TensorBoard merges all the files of a folder.
 */
export class EventFileWriter {
  private constructor(
    readonly path: string,
    private readonly now: () => number,
  ) {}

  /** Creates a new file in `folder` (never an existing one: a second file in the same second gets a suffix). */
  static async create(folder: string, options: EventFileOptions = {}): Promise<EventFileWriter> {
    const now = options.now ?? (() => Date.now() / 1000);
    const wallTime = now();
    const base = join(folder, `${EVENT_FILE_PREFIX}${String(Math.floor(wallTime)).padStart(10, '0')}.${options.hostname ?? hostname()}`);
    const first = frameRecord(fileVersionEvent(wallTime));
    for (let attempt = 0; ; attempt++) {
      const path = attempt === 0 ? base : `${base}.${attempt}`;
      try {
        await writeFile(path, first, { flag: 'wx' });
        return new EventFileWriter(path, now);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  }

  /** Every metric of one metrics.jsonl line, tag = metric name. */
  async writeScalars(step: number, scalars: Readonly<Record<string, number>>): Promise<void> {
    await appendFile(this.path, frameRecord(scalarsEvent(step, this.now(), scalars)));
  }

  /** A PNG (a fixed-noise sample grid) at `step`. */
  async writeImage(tag: string, step: number, image: { png: Uint8Array; width: number; height: number }): Promise<void> {
    await appendFile(this.path, frameRecord(imageEvent(tag, step, this.now(), image)));
  }
}

/** The event files of a run folder, oldest first (the names start with their creation time). */
export async function eventFiles(folder: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter((name) => name.startsWith(EVENT_FILE_PREFIX)).sort().map((name) => join(folder, name));
}

/** A fresh run in a folder that held an earlier one: its event files go with its metrics.jsonl. */
export async function removeEventFiles(folder: string): Promise<void> {
  for (const path of await eventFiles(folder)) await rm(path, { force: true });
}

/** One event as read back: the scalars and images of its summary by tag. */
export interface ReadEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  /** simple_value by tag (float32, widened) */
  scalars: Record<string, number>;
  images: { tag: string; width: number; height: number; colorspace: number; png: Uint8Array }[];
}

/** The events of one event file, CRCs checked: what TensorBoard would read. */
export async function readEventFile(path: string): Promise<ReadEvent[]> {
  const records = readRecords(await readFile(path), path);
  return records.map((record, index) => {
    let event: tensorflow.Event;
    try {
      event = tensorflow.Event.decode(record);
    } catch (error) {
      throw new TensorBoardError('bad-event', `record ${index} is not a tensorflow.Event (${(error as Error).message})`, { where: path });
    }
    const read: ReadEvent = { wallTime: event.wallTime, step: Number(event.step), scalars: {}, images: [] };
    if (event.fileVersion) read.fileVersion = event.fileVersion;
    for (const value of event.summary?.value ?? []) {
      const tag = value.tag ?? '';
      if (value.simpleValue !== undefined && value.simpleValue !== null) read.scalars[tag] = value.simpleValue;
      if (value.image) {
        const { width, height, colorspace, encodedImageString } = value.image;
        read.images.push({ tag, width: width ?? 0, height: height ?? 0, colorspace: colorspace ?? 0, png: encodedImageString ?? new Uint8Array(0) });
      }
    }
    return read;
  });
}

import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GOLDEN_EVENT_FILE, GOLDEN_IMAGE, GOLDEN_PNG, GOLDEN_SCALARS, GOLDEN_WALL_TIMES, writeGoldenEventFile,
} from '../test-support/tensorboard-golden.js';
import { EventFileWriter, eventFiles, readEventFile } from './event-file.js';
import { TensorBoardError } from './tensorboard-error.js';

describe('TensorBoard event files', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'forger-tb-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('writes the committed golden file byte for byte', async () => {
    const golden = await readFile(GOLDEN_EVENT_FILE);
    expect(Buffer.from(await writeGoldenEventFile()).equals(golden)).toBe(true);
  });

  it('starts with the file-version record TensorFlow writes: length 24, its masked CRC, then the Event', async () => {
    const golden = new Uint8Array(await readFile(GOLDEN_EVENT_FILE));
    expect(Buffer.from(golden.subarray(0, 12)).toString('hex')).toBe('1800000000000000a37f4b22');
    // Event field 1 (double, tag 0x09) = wall time, field 3 (string, tag 0x1a) = "brain.Event:2"
    const wallTime = Buffer.alloc(8);
    wallTime.writeDoubleLE(GOLDEN_WALL_TIMES[0]!);
    const event = Buffer.concat([Buffer.of(0x09), wallTime, Buffer.of(0x1a, 13), Buffer.from('brain.Event:2')]);
    expect(Buffer.from(golden.subarray(12, 12 + 24)).equals(event)).toBe(true);
  });

  it('reads back the golden events: the file version, each scalar with its step and wall time, the PNG', async () => {
    const events = await readEventFile(fileURLToPath(GOLDEN_EVENT_FILE));
    expect(events).toHaveLength(4);
    expect(events[0]!.fileVersion).toBe('brain.Event:2');
    expect(events.map((e) => e.wallTime)).toEqual(GOLDEN_WALL_TIMES);
    for (const [i, { step, scalars }] of GOLDEN_SCALARS.entries()) {
      const event = events[i + 1]!;
      expect(event.step).toBe(step);
      expect(event.scalars).toEqual(scalars);
    }
    expect(events[3]!.step).toBe(GOLDEN_IMAGE.step);
    expect(events[3]!.scalars).toEqual({});
    const [image] = events[3]!.images;
    expect(image).toMatchObject({ tag: 'samples', width: 2, height: 2, colorspace: 4 });
    expect(Buffer.from(image!.png).equals(Buffer.from(GOLDEN_PNG))).toBe(true);
  });

  it('refuses a flipped byte, and skips a record torn by a kill at the end', async () => {
    const golden = new Uint8Array(await readFile(GOLDEN_EVENT_FILE));
    const damaged = golden.slice();
    damaged[60] = damaged[60]! ^ 0x01;
    await writeFile(join(folder, 'damaged'), damaged);
    await expect(readEventFile(join(folder, 'damaged'))).rejects.toThrow(TensorBoardError);
    await expect(readEventFile(join(folder, 'damaged'))).rejects.toThrow(/fails its CRC-32C/);
    await writeFile(join(folder, 'torn'), golden.subarray(0, golden.length - 5));
    expect(await readEventFile(join(folder, 'torn'))).toHaveLength(3);
  });

  it('opens a new file each time, never appending to or replacing an earlier one (a resumed run)', async () => {
    const first = await EventFileWriter.create(folder, { now: () => 1700000000, hostname: 'h' });
    await first.writeScalars(1, { d_loss: 1 });
    const firstBytes = await readFile(first.path);
    const second = await EventFileWriter.create(folder, { now: () => 1700000000, hostname: 'h' });
    await second.writeScalars(2, { d_loss: 2 });
    expect(basename(first.path)).toBe('events.out.tfevents.1700000000.h');
    expect(second.path).not.toBe(first.path);
    expect(await eventFiles(folder)).toEqual([first.path, second.path]);
    expect((await readFile(first.path)).equals(firstBytes)).toBe(true);
  });

  it('names files as TensorFlow does, and the golden file follows the name', async () => {
    await copyFile(GOLDEN_EVENT_FILE, join(folder, basename(fileURLToPath(GOLDEN_EVENT_FILE))));
    expect((await eventFiles(folder)).map((p) => basename(p))).toEqual(['events.out.tfevents.1700000000.forger-golden']);
  });
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventFileWriter } from '../tensorboard/event-file.js';

/**
 * The inputs of testdata/events.out.tfevents.1700000000.forger-golden: fixed wall times, scalars and a 2×2 RGBA PNG
 * (black, white / red, blue), so the file is the same bytes on every machine. Regenerate it only when the format
 * written on purpose changes: `pnpm exec tsx scripts/write-tensorboard-golden.ts`.
 */
export const GOLDEN_EVENT_FILE = new URL('../../testdata/events.out.tfevents.1700000000.forger-golden', import.meta.url);

/** Wall times of the records in order: the file version, two scalar events, the image. */
export const GOLDEN_WALL_TIMES = [1700000000.25, 1700000001.5, 1700000002.75, 1700000003];

export const GOLDEN_SCALARS: { step: number; scalars: Record<string, number> }[] = [
  { step: 10, scalars: { d_loss: 1.25, g_loss: 0.5, d_real: 0.75, d_fake: 0.25 } },
  { step: 20, scalars: { d_loss: 0.625, g_loss: 2, d_real: 0.875, d_fake: 0.125 } },
];

/** pngjs's encoding of the 2×2 grid, frozen here so a zlib update cannot change the golden bytes. */
export const GOLDEN_PNG = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAGElEQVR4AWNkYGD4DwQMTP8ZGBgYGRkYADoDBQGHnUeAAAAAAElFTkSuQmCC', 'base64'),
);
export const GOLDEN_IMAGE = { tag: 'samples', step: 20, png: GOLDEN_PNG, width: 2, height: 2 };

/** Writes the golden event file's content with EventFileWriter and returns its bytes. */
export async function writeGoldenEventFile(): Promise<Uint8Array> {
  const folder = await mkdtemp(join(tmpdir(), 'forger-tb-golden-'));
  try {
    const times = [...GOLDEN_WALL_TIMES];
    const writer = await EventFileWriter.create(folder, { now: () => times.shift()!, hostname: 'forger-golden' });
    for (const { step, scalars } of GOLDEN_SCALARS) await writer.writeScalars(step, scalars);
    await writer.writeImage(GOLDEN_IMAGE.tag, GOLDEN_IMAGE.step, GOLDEN_IMAGE);
    return await readFile(writer.path);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

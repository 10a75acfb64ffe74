import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import type { Dataset, Split } from '../dataset.js';
import type { Mat5ReadOptions } from '../mat5.js';
import { SVHN_FILES, svhnFromMat } from '../svhn.js';
import { readDataFile, requireFolder } from './read-data-file.js';

/**
 * node:zlib for the miCOMPRESSED elements of a MAT-file (every variable of the files Stanford distributes).
 * `maxOutputLength` stops inflating at the cap, so a corrupt or hostile stream cannot exhaust memory; past it
 * zlib throws ERR_BUFFER_TOO_LARGE, which the reader reports as 'too-large'.
 */
export function inflateMat5(compressed: Uint8Array, maxBytes: number): Uint8Array {
  const out = inflateSync(compressed, { maxOutputLength: maxBytes });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Loads an SVHN split (cropped digits) from `dataDir/train_32x32.mat` or `dataDir/test_32x32.mat`. */
export async function loadSvhnFolder(dataDir: string, split: Split, options: Pick<Mat5ReadOptions, 'maxInflatedBytes'> = {}): Promise<Dataset> {
  await requireFolder(dataDir, 'SVHN .mat files');
  const file = join(dataDir, SVHN_FILES[split]);
  const bytes = await readDataFile(file);
  return svhnFromMat(bytes, split, file, { inflate: inflateMat5, ...options });
}

import { join } from 'node:path';
import {
  CIFAR10_FILES,
  CIFAR10_RECORDS_PER_FILE,
  allocateCifar10Split,
  checkCifar10FileSize,
  cifar10Dataset,
  decodeCifar10Records,
} from '../cifar10.js';
import { DataError } from '../data-error.js';
import type { Dataset, Split } from '../dataset.js';
import { dataFileSize, pathKind, readDataFile, requireFolder } from './read-data-file.js';

/** The folder name inside cifar-10-binary.tar.gz. */
export const CIFAR10_ARCHIVE_FOLDER = 'cifar-10-batches-bin';

/**
 * Finds the batch files in `dataDir` or in `dataDir/cifar-10-batches-bin` (the
 * archive extracted in place), whichever holds the split's first file.
 */
export async function findCifar10Folder(dataDir: string, split: Split): Promise<string> {
  await requireFolder(dataDir, 'CIFAR-10 batch files');
  const first = CIFAR10_FILES[split][0]!;
  const candidates = [dataDir, join(dataDir, CIFAR10_ARCHIVE_FOLDER)];
  for (const folder of candidates) {
    if ((await pathKind(join(folder, first))) === 'file') return folder;
  }
  throw new DataError('missing-file', `the CIFAR-10 ${split} files are not there`, {
    file: join(dataDir, first),
    expected: `${CIFAR10_FILES[split].join(', ')} in ${candidates.join(' or ')} (extract cifar-10-binary.tar.gz)`,
    found: 'no such file',
  });
}

/**
 * Loads a CIFAR-10 split. Every file's size is checked before anything is read,
 * then the split is allocated once and each file decoded into it in turn.
 */
export async function loadCifar10Folder(
  dataDir: string,
  split: Split,
  recordsPerFile: number = CIFAR10_RECORDS_PER_FILE,
): Promise<Dataset> {
  const folder = await findCifar10Folder(dataDir, split);
  const files = CIFAR10_FILES[split].map((name) => join(folder, name));
  for (const file of files) checkCifar10FileSize(await dataFileSize(file), file, recordsPerFile);
  const decoded = allocateCifar10Split(files.length * recordsPerFile);
  let record = 0;
  for (const file of files) {
    const bytes = await readDataFile(file);
    // Again after reading: the file may have changed since it was measured.
    checkCifar10FileSize(bytes.length, file, recordsPerFile);
    record += decodeCifar10Records(bytes, file, decoded, record);
  }
  return cifar10Dataset(decoded, split, files);
}

import { DataError } from './data-error.js';
import type { Dataset, Split } from './dataset.js';
import { assembleDataset } from './dataset.js';
import { type Mat5Array, type Mat5ReadOptions, mat5Numbers, readMat5 } from './mat5.js';

// SVHN, "Format 2: cropped digits" (Netzer et al. 2011, http://ufldl.stanford.edu/housenumbers/):
// train_32x32.mat and test_32x32.mat, MATLAB Level 5 files with two variables, `X` (uint8, 32×32×3×N,
// column-major: row, column, channel, image) and `y` (N×1, labels 1..10 where 10 stands for the digit 0).
// Forger's images are NHWC and its labels the digit itself, so both are rearranged on load.

export const SVHN_FILES: Readonly<Record<Split, string>> = { train: 'train_32x32.mat', test: 'test_32x32.mat' };
/** Images in the official files (the 531,131 of extra_32x32.mat are not read). */
export const SVHN_COUNTS: Readonly<Record<Split, number>> = { train: 73_257, test: 26_032 };
export const SVHN_IMAGE = { height: 32, width: 32, channels: 3 } as const;
export const SVHN_CLASS_NAMES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** The SVHN split in one .mat file's bytes. `where` names the file in errors; `options.inflate` reads compressed files. */
export function svhnFromMat(bytes: ArrayBuffer | Uint8Array, split: Split, where: string, options: Mat5ReadOptions = {}): Dataset {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const variables = readMat5(view, where, options);
  const x = requireVariable(variables, 'X', where);
  const y = requireVariable(variables, 'y', where);

  if (x.className !== 'uint8' || x.real?.type !== 'miUINT8') {
    throw new DataError('bad-class', "SVHN's X holds uint8 pixels", {
      file: where,
      expected: 'class uint8 stored as miUINT8',
      found: `class ${x.className}${x.real ? ` stored as ${x.real.type}` : ''}`,
    });
  }
  const { height, width, channels } = SVHN_IMAGE;
  if (x.dims.length !== 4 || x.dims[0] !== height || x.dims[1] !== width || x.dims[2] !== channels) {
    throw new DataError('bad-shape', "SVHN's X is 32×32×3×N (row, column, channel, image)", {
      file: where,
      expected: '[32, 32, 3, N]',
      found: `[${x.dims.join(', ')}]`,
    });
  }
  const count = x.dims[3]!;

  if (!['double', 'single', 'uint8'].includes(y.className)) {
    throw new DataError('bad-class', "SVHN's y holds the labels as numbers", { file: where, expected: 'class double (or uint8)', found: `class ${y.className}` });
  }
  const column = y.dims.length === 2 && (y.dims[1] === 1 || y.dims[0] === 1) ? Math.max(y.dims[0]!, y.dims[1]!) : -1;
  if (column !== count || y.dims[0]! * y.dims[1]! !== count) {
    throw new DataError('count-mismatch', "SVHN's y holds one label per image of X", {
      file: where,
      expected: `[${count}, 1]`,
      found: `[${y.dims.join(', ')}]`,
    });
  }
  const labels = svhnLabels(mat5Numbers(y, where), where);
  return assembleDataset({
    name: 'svhn',
    split,
    image: { ...SVHN_IMAGE },
    images: columnMajorToNhwc(x, count),
    imageCount: count,
    imagesFile: `${where} (X)`,
    labels,
    labelsFile: `${where} (y)`,
    classNames: [...SVHN_CLASS_NAMES],
  });
}

function requireVariable(variables: ReadonlyMap<string, Mat5Array>, name: string, where: string): Mat5Array {
  const variable = variables.get(name);
  if (variable === undefined) {
    throw new DataError('missing-variable', `the file has no variable '${name}': it is not an SVHN cropped-digits file`, {
      file: where,
      expected: "the variables 'X' and 'y' (train_32x32.mat, test_32x32.mat)",
      found: variables.size === 0 ? 'no variables' : `${[...variables.keys()].map((k) => `'${k}'`).join(', ')}`,
    });
  }
  return variable;
}

/** 1..10 → the digit (10 means 0); anything else is a DataError naming the first bad label. */
function svhnLabels(values: Float64Array, where: string): Uint8Array {
  const labels = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 1 || v > 10) {
      throw new DataError('bad-label', `label ${i} is outside SVHN's 1..10`, {
        file: where,
        expected: 'integers 1..10 in y (10 is the digit 0)',
        found: `${v} at index ${i}`,
      });
    }
    labels[i] = v % 10;
  }
  return labels;
}

/** MATLAB's column-major X(row, column, channel, image) → NHWC bytes. */
function columnMajorToNhwc(x: Mat5Array, count: number): Uint8Array {
  const source = x.real!.bytes;
  const { height, width, channels } = SVHN_IMAGE;
  const plane = height * width;
  const imageBytes = plane * channels;
  const out = new Uint8Array(count * imageBytes);
  for (let n = 0; n < count; n++) {
    const base = n * imageBytes;
    for (let c = 0; c < channels; c++) {
      for (let col = 0; col < width; col++) {
        const from = base + c * plane + col * height;
        for (let row = 0; row < height; row++) out[base + (row * width + col) * channels + c] = source[from + row]!;
      }
    }
  }
  return out;
}

import { describe, expect, it } from 'vitest';
import { DataError } from './data-error.js';
import { datasetFromIdx } from './idx-dataset.js';
import { encodeIdx } from './idx.js';
import { thrown } from './test-support/thrown.js';

describe('DataError', () => {
  it('says in its message which file, what was expected and what was found', () => {
    const error = new DataError('truncated', 'the data ends early', {
      file: 't10k-labels-idx1-ubyte',
      expected: '10008 bytes',
      found: '4096 bytes',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DataError');
    expect(error.message).toBe('t10k-labels-idx1-ubyte: truncated: the data ends early (expected 10008 bytes, found 4096 bytes)');
    expect([error.code, error.file, error.expected, error.found]).toEqual(['truncated', 't10k-labels-idx1-ubyte', '10008 bytes', '4096 bytes']);
  });

  it('names the dataset when the problem is not in a file', () => {
    const error = new DataError('bad-option', 'the batch size must be a positive integer', { dataset: 'mnist/train' });
    expect(error.message).toBe('dataset mnist/train: bad-option: the batch size must be a positive integer');
  });
});

describe('datasetFromIdx', () => {
  it('refuses an IDX pair with no examples rather than returning an empty dataset', () => {
    const error = thrown(() =>
      datasetFromIdx(
        { images: encodeIdx([0, 28, 28], new Uint8Array(0)), labels: encodeIdx([0], new Uint8Array(0)), imagesFile: 'i', labelsFile: 'l' },
        { name: 'empty', split: 'train' },
      ),
    );
    expect(error.code).toBe('count-mismatch');
    expect(error.file).toBe('i');
  });
});

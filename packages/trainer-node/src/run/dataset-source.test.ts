import { describe, expect, it } from 'vitest';
import { datasetSource, labelsPathFor } from './dataset-source.js';
import { RunError } from './run-error.js';

describe('datasetSource', () => {
  it('passes the embedded names through', () => {
    expect(datasetSource('mnist')).toBe('mnist');
    expect(datasetSource('cifar10')).toBe('cifar10');
  });

  it('finds the labels of an IDX images file by the MNIST naming rule', () => {
    expect(datasetSource('data/fashion/train-images-idx3-ubyte.gz')).toEqual({
      images: 'data/fashion/train-images-idx3-ubyte.gz',
      labels: 'data/fashion/train-labels-idx1-ubyte.gz',
    });
    expect(labelsPathFor('/x/t10k-images-idx3-ubyte')).toBe('/x/t10k-labels-idx1-ubyte');
  });

  it('says how to name a file whose labels it cannot find', () => {
    expect(() => labelsPathFor('digits.bin')).toThrow(RunError);
    expect(() => labelsPathFor('digits.bin')).toThrow(/train-labels-idx1-ubyte/);
  });
});

import { describe, expect, it } from 'vitest';
import { withoutMachinePaths } from './display-text.js';

describe('withoutMachinePaths', () => {
  it('cuts absolute paths from the training machine to their file names', () => {
    expect(withoutMachinePaths('trained on /home/ana/data/train-images-idx3-ubyte, 3 steps')).toBe('trained on train-images-idx3-ubyte, 3 steps');
    expect(withoutMachinePaths('/tmp/forger-handoff-x1/final.forger')).toBe('final.forger');
    expect(withoutMachinePaths('C:\\Users\\ana\\runs\\mnist.idx')).toBe('mnist.idx');
    expect(withoutMachinePaths('from ~/data/svhn/')).toBe('from svhn');
  });

  it('leaves URLs, fractions and plain words alone', () => {
    expect(withoutMachinePaths('see https://example.com/a/b')).toBe('see https://example.com/a/b');
    expect(withoutMachinePaths('mnist, 1/2 of the labels')).toBe('mnist, 1/2 of the labels');
    expect(withoutMachinePaths('untrained placeholder')).toBe('untrained placeholder');
  });
});

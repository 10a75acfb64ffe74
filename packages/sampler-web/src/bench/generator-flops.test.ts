import { describe, expect, it } from 'vitest';
import { dcganSpec, vanillaSpec } from '@forger/models';
import { generatorFlopsPerImage } from './generator-flops.js';

describe('generatorFlopsPerImage', () => {
  it('counts the keras-dcgan MNIST generator at ≈ 96 MFLOP per image', () => {
    // dense 100→1024, dense 1024→6272, conv 5×5 128→64 at 14×14, conv 5×5 64→1 at 28×28.
    const expected = 2 * (100 * 1024 + 1024 * 6272 + 14 * 14 * 64 * 25 * 128 + 28 * 28 * 1 * 25 * 64);
    expect(generatorFlopsPerImage(dcganSpec())).toBe(expected);
    expect(expected / 1e6).toBeCloseTo(95.84, 2);
  });

  it('counts the vanilla MLP generator: 100→128→784', () => {
    expect(generatorFlopsPerImage(vanillaSpec())).toBe(2 * (100 * 128 + 128 * 784));
  });
});

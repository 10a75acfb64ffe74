import { describe, expect, it } from 'vitest';
import type { Dataset } from '@forger/data';
import { meanPairwiseDistance, realSpread, unitScale } from './sample-spread.js';

describe('meanPairwiseDistance', () => {
  it('is the mean Euclidean distance over every pair, by hand', () => {
    // three 2-pixel images: (0,0), (3,4), (0,1): distances 5, 1, √18
    expect(meanPairwiseDistance([0, 0, 3, 4, 0, 1], 3)).toBeCloseTo((5 + 1 + Math.sqrt(18)) / 3, 6);
  });

  it('is 0 for identical images, and maps values to [0, 1] first', () => {
    expect(meanPairwiseDistance(new Float32Array(4 * 9).fill(0.3), 4)).toBe(0);
    // tanh outputs −1 and 1 are 0 and 1 in [0, 1]: two 1-pixel images at distance 1
    expect(meanPairwiseDistance([-1, 1], 2, unitScale('minus-one-one'))).toBe(1);
    expect(meanPairwiseDistance([-1, 1], 2, unitScale('zero-one'))).toBe(2);
  });

  it('refuses fewer than two images or a ragged set', () => {
    expect(() => meanPairwiseDistance([1, 2], 1)).toThrow(/at least 2 images/);
    expect(() => meanPairwiseDistance([1, 2, 3], 2)).toThrow(/3 values are not 2 images/);
  });
});

describe('realSpread', () => {
  it('measures images spread evenly over the set, bytes scaled to [0, 1]', () => {
    // 8 one-pixel images 0, 10, …, 70; 4 of them, every second one: 0, 20, 40, 60 (/255)
    const dataset = { count: 8, image: { height: 1, width: 1, channels: 1 }, images: Uint8Array.from({ length: 8 }, (_, i) => 10 * i) } as Dataset;
    const pairs = [20, 40, 60, 20, 40, 20];
    expect(realSpread(dataset, 4)).toBeCloseTo(pairs.reduce((a, b) => a + b, 0) / 6 / 255, 6);
    expect(realSpread({ ...dataset, count: 1 }, 4)).toBe(0);
  });
});

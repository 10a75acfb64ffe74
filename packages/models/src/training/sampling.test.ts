import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@forger/core';
import { buildGan } from '../gan.js';
import { classify, discriminatorScores, generate } from './sampling.js';
import { latentBatch, sampleLatent } from './latent.js';
import { useCpuBackend } from '../test-support/cpu-backend.js';
import { tinyDcganSpec, tinyVanillaSpec } from '../test-support/tiny-specs.js';

beforeAll(useCpuBackend);

describe('sampling', () => {
  it('sampleLatent draws U(−1, 1) from the rng, reproducibly', () => {
    const spec = tinyVanillaSpec();
    const a = sampleLatent(spec, 500, Rng.fromSeed(1));
    expect(a.length).toBe(500 * spec.latentDim);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...a)).toBeLessThan(1);
    expect(Math.abs(a.reduce((s, v) => s + v, 0) / a.length)).toBeLessThan(0.05);
    expect(Array.from(sampleLatent(spec, 500, Rng.fromSeed(1)))).toEqual(Array.from(a));
    const normal = sampleLatent({ ...spec, latentPrior: 'normal' }, 500, Rng.fromSeed(1));
    expect(Math.max(...normal.map(Math.abs))).toBeGreaterThan(1);
  });

  it('generate gives NHWC images in the pixel range; scores lie in [0, 1]', () => {
    for (const spec of [tinyVanillaSpec(), tinyDcganSpec()]) {
      const { generator, discriminator } = buildGan(spec, 1);
      const z = latentBatch(spec, 3, Rng.fromSeed(2));
      const images = generate(generator, z);
      expect(images.shape).toEqual([3, spec.image.height, spec.image.width, spec.image.channels]);
      const lo = spec.pixelRange === 'zero-one' ? 0 : -1;
      expect(Math.min(...images.dataSync())).toBeGreaterThanOrEqual(lo);
      expect(Math.max(...images.dataSync())).toBeLessThanOrEqual(1);
      const scores = discriminatorScores(discriminator, images).dataSync();
      expect(scores.length).toBe(3);
      scores.forEach((s) => expect(s > 0 && s < 1).toBe(true));
      expect(() => classify(discriminator, images, spec)).toThrow(/numClasses 0/);
      generator.dispose();
      discriminator.dispose();
    }
  });
});

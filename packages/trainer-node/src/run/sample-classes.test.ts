import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '@forger/core';
import { imageByteLength } from '@forger/data';
import { loadDataset } from '@forger/data/node';
import { vanillaSpec } from '@forger/models';
import { prepareBackend } from '../backends/index.js';
import { SampleClassCounter, effectiveClassCount } from './sample-classes.js';

describe('effectiveClassCount', () => {
  it('is the number of classes for equal shares, 1 for one class, and between for uneven shares', () => {
    expect(effectiveClassCount(Array(10).fill(0.1))).toBeCloseTo(10, 10);
    expect(effectiveClassCount([0, 0, 0, 0, 0, 0, 0, 0.5, 0, 0.5])).toBeCloseTo(2, 10);
    expect(effectiveClassCount([1, 0, 0])).toBe(1);
    const uneven = effectiveClassCount([0.5, 0.3, 0.2]);
    expect(uneven).toBeGreaterThan(2);
    expect(uneven).toBeLessThan(3);
  });
});

describe('SampleClassCounter', () => {
  beforeAll(async () => {
    await prepareBackend('wasm');
  });

  /** `count` MNIST test digits of the given classes (in turn), as a zero-one generator would draw them. */
  async function digits(classes: readonly number[], count: number): Promise<Float32Array> {
    const test = await loadDataset('mnist', { split: 'test' });
    const size = imageByteLength(test.image);
    const out = new Float32Array(count * size);
    let found = 0;
    for (let i = 0; i < test.count && found < count; i++) {
      if (test.labels![i] !== classes[found % classes.length]) continue;
      for (let k = 0; k < size; k++) out[found * size + k] = test.images[i * size + k]! / 255;
      found++;
    }
    return out;
  }

  it('counts the classes a grid of digits covers: about 1 for one digit, about 2 for two, near 10 for all', async () => {
    const counter = await SampleClassCounter.forRun({ dataset: 'mnist', spec: vanillaSpec() });
    expect(counter).toBeDefined();
    try {
      expect(await counter!.effectiveClasses(await digits([7], 64), 64)).toBeLessThan(1.3);
      const sevensAndNines = await counter!.effectiveClasses(await digits([7, 9], 64), 64);
      expect(sevensAndNines).toBeGreaterThan(1.7);
      expect(sevensAndNines).toBeLessThan(2.3);
      expect(await counter!.effectiveClasses(await digits([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 64), 64)).toBeGreaterThan(9);
    } finally {
      counter?.dispose();
    }
  });

  it('reads a tanh generator\'s [-1, 1] images as the same digits', async () => {
    const spec: ModelSpec = vanillaSpec({ output: 'tanh' });
    expect(spec.pixelRange).toBe('minus-one-one');
    const counter = await SampleClassCounter.forRun({ dataset: 'mnist', spec });
    try {
      const images = (await digits([7, 9], 64)).map((v) => 2 * v - 1);
      expect(await counter!.effectiveClasses(images, 64)).toBeLessThan(2.3);
    } finally {
      counter?.dispose();
    }
  });

  it('stays out of runs whose images the reference classifier does not read', async () => {
    expect(await SampleClassCounter.forRun({ dataset: 'cifar10', spec: vanillaSpec() })).toBeUndefined();
    expect(await SampleClassCounter.forRun({ dataset: 'mnist', spec: vanillaSpec({ image: { height: 32, width: 32, channels: 3 } }) })).toBeUndefined();
    expect(await SampleClassCounter.forRun({ dataset: 'mnist', spec: vanillaSpec() }, '/nonexistent/classifier.forger')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { Network } from '../network/network.js';
import { discriminatorInputShape, generatorInputShape } from '../gan.js';
import { dcganSpec } from './dcgan-spec.js';
import { vanillaSpec } from '../vanilla/vanilla-spec.js';

const shapes = (rows: { name: string; shape: number[] }[]): Record<string, number[]> => Object.fromEntries(rows.map((r) => [r.name, r.shape]));

describe('family specs', () => {
  it('vanilla: G 100 → 128 → 784, D 784 → 128 → 1', () => {
    const spec = vanillaSpec();
    const g = shapes(Network.parameterShapes(spec.generatorLayers, generatorInputShape(spec)));
    const d = shapes(Network.parameterShapes(spec.discriminatorLayers, discriminatorInputShape(spec)));
    expect(g).toEqual({ 'dense_1/kernel': [100, 128], 'dense_1/bias': [128], 'dense_2/kernel': [128, 784], 'dense_2/bias': [784] });
    expect(d).toEqual({ 'dense_1/kernel': [784, 128], 'dense_1/bias': [128], 'dense_2/kernel': [128, 1], 'dense_2/bias': [1] });
    expect(Network.outputShapeOf(spec.generatorLayers, [100])).toEqual([28, 28, 1]);
    expect(spec.latentPrior).toBe('uniform');
    expect(spec.pixelRange).toBe('zero-one');
  });

  it('keras-dcgan on MNIST: 7×7×128 base, D flattens 5×5×128 = 3200 features', () => {
    const spec = dcganSpec();
    const g = shapes(Network.parameterShapes(spec.generatorLayers, generatorInputShape(spec)));
    const d = shapes(Network.parameterShapes(spec.discriminatorLayers, discriminatorInputShape(spec)));
    expect(g['dense_1/kernel']).toEqual([100, 1024]);
    expect(g['dense_2/kernel']).toEqual([1024, 128 * 7 * 7]);
    expect(g['batch_norm_1/moving_variance']).toEqual([6272]);
    expect(g['conv2d_1/kernel']).toEqual([5, 5, 128, 64]);
    expect(g['conv2d_2/kernel']).toEqual([5, 5, 64, 1]);
    expect(Network.outputShapeOf(spec.generatorLayers, [100])).toEqual([28, 28, 1]);
    expect(d['conv2d_1/kernel']).toEqual([5, 5, 1, 64]);
    expect(d['conv2d_2/kernel']).toEqual([5, 5, 64, 128]);
    expect(d['dense_1/kernel']).toEqual([3200, 1024]);
    expect(d['dense_2/kernel']).toEqual([1024, 1]);
    expect(spec.pixelRange).toBe('minus-one-one');
  });

  it('keras-dcgan on CIFAR-10: 8×8 base and 32×32×3 images', () => {
    const spec = dcganSpec({ image: { height: 32, width: 32, channels: 3 } });
    const d = shapes(Network.parameterShapes(spec.discriminatorLayers, discriminatorInputShape(spec)));
    expect(shapes(Network.parameterShapes(spec.generatorLayers, [100]))['dense_2/kernel']).toEqual([1024, 128 * 8 * 8]);
    expect(Network.outputShapeOf(spec.generatorLayers, [100])).toEqual([32, 32, 3]);
    expect(d['dense_1/kernel']).toEqual([6 * 6 * 128, 1024]);
  });

  it('rejects an image size the two upsamplings cannot reach', () => {
    expect(() => dcganSpec({ image: { height: 30, width: 30, channels: 1 } })).toThrow(/divisible by 4/);
  });
});

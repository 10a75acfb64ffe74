import { describe, expect, it } from 'vitest';
import type { LayerSpec } from '@forger/core';
import { ModelError } from '../errors.js';
import { vanillaSpec } from './vanilla-spec.js';

const dense = (layers: readonly LayerSpec[]): Array<[string, number]> =>
  layers.flatMap((l) => (l.kind === 'dense' ? [[l.name, l.units] as [string, number]] : []));

describe('vanillaSpec hidden layers', () => {
  it("has the chapter's one hidden layer of 128 by default, named as in the chapter's checkpoints", () => {
    const spec = vanillaSpec();
    expect(dense(spec.generatorLayers)).toEqual([['dense_1', 128], ['dense_2', 784]]);
    expect(dense(spec.discriminatorLayers)).toEqual([['dense_1', 128], ['dense_2', 1]]);
    expect(dense(vanillaSpec({ hiddenUnits: [256] }).generatorLayers)).toEqual([['dense_1', 256], ['dense_2', 784]]);
  });

  it('stacks a list of hidden layers, z side first in G and mirrored in D', () => {
    const spec = vanillaSpec({ hiddenUnits: [128, 256], latentDim: 32 });
    expect(dense(spec.generatorLayers)).toEqual([['dense_1', 128], ['dense_2', 256], ['dense_3', 784]]);
    expect(dense(spec.discriminatorLayers)).toEqual([['dense_1', 256], ['dense_2', 128], ['dense_3', 1]]);
    // the tricks apply to every hidden layer: LeakyReLU in both, dropout after each of D's
    const tricked = vanillaSpec({ hiddenUnits: [128, 256], activation: 'leaky-relu', discriminatorDropout: 0.3 });
    const activations = tricked.generatorLayers.flatMap((l) => (l.kind === 'dense' ? [l.activation] : []));
    expect(activations).toEqual(['leaky_relu', 'leaky_relu', 'sigmoid']);
    expect(tricked.discriminatorLayers.filter((l) => l.kind === 'dropout')).toHaveLength(2);
  });

  it('refuses an empty list or a width below 1 with a ModelError naming the option', () => {
    expect(() => vanillaSpec({ hiddenUnits: [] })).toThrow(ModelError);
    expect(() => vanillaSpec({ hiddenUnits: [128, 0] })).toThrow(/hiddenUnits must be one or more whole numbers ≥ 1, got \[128, 0\]/);
  });
});

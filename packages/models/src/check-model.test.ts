import { beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, float32ToCheckpointTensor, type Checkpoint, type CheckpointTensor, type ModelSpec } from '@forger/core';
import { ModelError } from './errors.js';
import { buildGan, checkModel, checkModelCheckpoint, ganFromCheckpoint } from './gan.js';
import { MAX_ACTIVATION_BYTES_PER_SAMPLE, Network } from './network/network.js';
import { dcganSpec } from './dcgan/dcgan-spec.js';
import { vanillaSpec } from './vanilla/vanilla-spec.js';
import { useCpuBackend } from './test-support/cpu-backend.js';

beforeAll(useCpuBackend);

// Issue 18, findings 1, 2 and 5: specs and weights that decode fine yet cannot run (or run to black images) are
// refused from the spec and tensors alone, before a tensor is allocated, with the layer or tensor named.

const tiny = (): ModelSpec => vanillaSpec({ image: { height: 4, width: 4, channels: 1 }, hiddenUnits: 8, latentDim: 3 });

function checkpointOf(spec: ModelSpec, seed = 1): Checkpoint {
  const { generator, discriminator } = buildGan(spec, seed);
  try {
    return {
      spec,
      generator: generator.toCheckpointTensors(),
      discriminator: discriminator.toCheckpointTensors(),
      provenance: { createdAt: '', forgerVersion: '0.1.0', backend: 'cpu', dataset: 'test', metrics: {}, note: '' },
    };
  } finally {
    generator.dispose();
    discriminator.dispose();
  }
}

function withValue(tensors: CheckpointTensor[], name: string, index: number, value: number): CheckpointTensor[] {
  return tensors.map((t) => {
    if (t.name !== name) return t;
    const values = new Float32Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.byteLength));
    values[index] = value;
    return float32ToCheckpointTensor(t.name, t.shape, values);
  });
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('checkModel: a spec must be able to run', () => {
  it('refuses an ×65535 upsample after the image (issue 18 finding 1) as too large, naming the layer', () => {
    const spec = tiny();
    spec.generatorLayers.push({ kind: 'upsample', name: 'bomb', kernelSize: 65535 });
    const e = thrown(() => checkModel(spec));
    expect(e).toBeInstanceOf(ModelError);
    expect((e as ModelError).code).toBe('too-large');
    expect((e as ModelError).where).toBe('generator[3] "bomb" (upsample)');
    expect(e.message).toMatch(/256 MiB limit/);
  });

  it('refuses a max-pool window larger than its input (a non-positive output size)', () => {
    const spec = tiny();
    spec.discriminatorLayers.unshift({ kind: 'max-pool', name: 'pool', kernelSize: 5 });
    const e = thrown(() => checkModel(spec)) as ModelError;
    expect(e).toBeInstanceOf(ModelError);
    expect(e.code).toBe('bad-spec');
    expect(e.where).toBe('discriminator[0] "pool" (max-pool)');
    expect(e.message).toMatch(/\[4, 4, 1\] into \[0, 0, 1\]/);
  });

  it('refuses a generator whose output is not the spec image (finding 5): smaller and larger', () => {
    for (const size of [2, 8]) {
      const spec = tiny();
      spec.generatorLayers[1] = { ...spec.generatorLayers[1]!, units: size * size };
      spec.generatorLayers[2] = { kind: 'reshape', name: 'reshape', targetShape: [size, size, 1] };
      const e = thrown(() => checkModel(spec)) as ModelError;
      expect(e).toBeInstanceOf(ModelError);
      expect(e.code).toBe('bad-spec');
      expect(e.message).toContain(`outputs [${size}, ${size}, 1] per sample but the spec's image is [4, 4, 1]`);
    }
  });

  it("refuses a reshape whose count does not match, naming the layer", () => {
    const spec = tiny();
    spec.generatorLayers[2] = { kind: 'reshape', name: 'reshape', targetShape: [5, 5, 1] };
    const e = thrown(() => checkModel(spec)) as ModelError;
    expect(e).toBeInstanceOf(ModelError);
    expect(e.where).toBe('reshape');
  });

  it("accepts Forger's own specs, far below the activation limit", () => {
    for (const spec of [vanillaSpec(), dcganSpec()]) {
      expect(() => checkModel(spec)).not.toThrow();
      const bytes = Network.activationBytesOf(spec.generatorLayers, [spec.latentDim], 'generator');
      expect(bytes).toBeLessThan(MAX_ACTIVATION_BYTES_PER_SAMPLE / 100);
    }
  });

  it('refuses the same spec inside a checkpoint before any tensor is allocated', () => {
    const c = checkpointOf(tiny());
    c.spec.generatorLayers.push({ kind: 'upsample', name: 'bomb', kernelSize: 65535 });
    const e = thrown(() => ganFromCheckpoint(c)) as ModelError;
    expect(e.code).toBe('too-large');
    expect(() => checkModelCheckpoint(c)).toThrow(ModelError);
  });
});

describe('non-finite weights are refused (issue 18 finding 2)', () => {
  it.each([
    ['NaN output bias', 'dense_2/bias', 0, Number.NaN],
    ['Inf hidden bias', 'dense_1/bias', 2, Number.POSITIVE_INFINITY],
    ['-Inf kernel weight', 'dense_1/kernel', 5, Number.NEGATIVE_INFINITY],
  ])('%s: a CheckpointError naming the tensor, from checkModelCheckpoint and ganFromCheckpoint', (_label, name, index, value) => {
    const c = checkpointOf(tiny());
    c.generator = withValue(c.generator, name, index, value);
    for (const fn of [() => checkModelCheckpoint(c), () => ganFromCheckpoint(c)]) {
      const e = thrown(fn) as CheckpointError;
      expect(e).toBeInstanceOf(CheckpointError);
      expect(e.code).toBe('not-finite');
      expect(e.where).toBe(`generator "${name}"`);
      expect(e.message).toContain(`at index ${index}, is ${value}`);
    }
  });

  it('a negative or NaN batch-norm moving variance is refused', () => {
    const spec = dcganSpec();
    const c = checkpointOf(spec);
    const variance = c.generator.find((t) => t.name.endsWith('/moving_variance'))!.name;
    for (const value of [-0.5, Number.NaN]) {
      const bad = { ...c, generator: withValue(c.generator, variance, 1, value) };
      const e = thrown(() => checkModelCheckpoint(bad)) as CheckpointError;
      expect(e).toBeInstanceOf(CheckpointError);
      expect(e.code).toBe('not-finite');
      expect(e.where).toBe(`generator "${variance}"`);
    }
  });

  it('a valid checkpoint passes', () => {
    expect(() => checkModelCheckpoint(checkpointOf(tiny()))).not.toThrow();
  });
});

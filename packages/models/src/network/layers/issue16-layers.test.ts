import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, decodeCheckpoint, encodeCheckpoint, type Checkpoint, type LayerSpec, type ModelSpec } from '@forger/core';
import { Network } from '../network.js';
import { ModelError } from '../../errors.js';
import { buildGan, ganFromCheckpoint, generatorInputShape } from '../../gan.js';
import { generate } from '../../training/sampling.js';
import { generateInChunks } from '../../training/generate-in-chunks.js';
import { latentBatch } from '../../training/latent.js';
import { useCpuBackend } from '../../test-support/cpu-backend.js';
import { tinyDcganSpec, tinyRadfordDcganSpec } from '../../test-support/tiny-specs.js';
import { handCaseError, layerHandCases, runHandCase } from '../../test-support/layer-hand-cases.js';

beforeAll(useCpuBackend);

const run = (layers: LayerSpec[], input: number[], x: tf.Tensor): { y: number[]; shape: number[]; net: Network } => {
  const net = Network.create(layers, input, Rng.fromSeed(1));
  const y = net.apply(x, { training: false });
  return { y: Array.from(y.dataSync()), shape: y.shape, net };
};

describe('the issue-16 layers match a hand computation on cpu (the same cases @forger/kernels runs on wasm and webgpu)', () => {
  it.each(layerHandCases.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const { shape, values } = await runHandCase(c);
    expect(shape).toEqual(c.expected.shape);
    const { maxAbsError, bound } = handCaseError(c, values);
    expect(maxAbsError).toBeLessThanOrEqual(bound);
  });

  it('instance-norm\'s parameters are γ and β, one per channel', () => {
    const net = Network.create([{ kind: 'instance-norm', name: 'norm' }], [2, 2, 3], Rng.fromSeed(1));
    expect(net.toCheckpointTensors().map((t) => [t.name, t.shape])).toEqual([['norm/gamma', [3]], ['norm/beta', [3]]]);
    net.dispose();
  });

  it('pixel-shuffle is tfjs\'s depthToSpace and refuses channels not divisible by f²', () => {
    const x = tf.tensor4d(Float32Array.from({ length: 2 * 3 * 2 * 8 }, (_, i) => Math.sin(i)), [2, 3, 2, 8]);
    const { y, shape, net } = run([{ kind: 'pixel-shuffle', name: 'shuffle', kernelSize: 2 }], [3, 2, 8], x);
    expect(shape).toEqual([2, 6, 4, 2]);
    expect(y).toEqual(Array.from(tf.depthToSpace(x as tf.Tensor4D, 2).dataSync()));
    expect(() => Network.create([{ kind: 'pixel-shuffle', name: 'shuffle', kernelSize: 2 }], [1, 2, 3], Rng.fromSeed(1))).toThrow(/divisible by 4/);
    net.dispose();
  });

  it('bilinear-upsample is tfjs\'s resizeBilinear with half-pixel centres on a non-square image', () => {
    const x = tf.tensor4d(Float32Array.from({ length: 2 * 3 * 5 * 2 }, (_, i) => Math.sin(i)), [2, 3, 5, 2]);
    const layer = Network.create([{ kind: 'bilinear-upsample', name: 'up', kernelSize: 2 }], [3, 5, 2], Rng.fromSeed(1));
    const ours = layer.apply(x, { training: false }).dataSync();
    const theirs = tf.image.resizeBilinear(x as tf.Tensor4D, [6, 10], false, true).dataSync();
    ours.forEach((v, i) => expect(v).toBeCloseTo(theirs[i]!, 5));
    layer.dispose();
  });

  it('persistent-dropout drops units at inference too, reproducibly from the rng, and needs one', () => {
    const net = Network.create([{ kind: 'persistent-dropout', name: 'drop', rate: 0.5 }], [40], Rng.fromSeed(1));
    const a = net.apply(tf.ones([10, 40]), { training: false, rng: Rng.fromSeed(3) }).dataSync();
    const b = net.apply(tf.ones([10, 40]), { training: false, rng: Rng.fromSeed(3) }).dataSync();
    expect(new Set(a)).toEqual(new Set([0, 2]));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(net.samplesWithNoise).toBe(true);
    expect(() => net.apply(tf.ones([1, 40]), { training: false })).toThrow(ModelError);
    net.dispose();
  });
});

/** Central difference of f at `values` along index i, in float64 arithmetic on float32 values. */
function centralDifference(f: (values: Float32Array) => number, values: Float32Array, i: number, h: number): number {
  const plus = Float32Array.from(values);
  const minus = Float32Array.from(values);
  plus[i]! += h;
  minus[i]! -= h;
  return (f(plus) - f(minus)) / (2 * h);
}

/**
 * ∂/∂x and ∂/∂θ (every trainable parameter, set to seeded values away from its initial ones first: instance norm's
 * γ = 1, β = 0 would make a swapped γ and β gradient pass) of Σ w·layer(x) by tf.grad against central differences.
 * Returns how many parameter entries it checked, so a test can tell it checked some.
 */
function gradientCheck(layers: LayerSpec[], inputShape: number[]): number {
  const net = Network.create(layers, inputShape, Rng.fromSeed(2));
  const rng = Rng.fromSeed(5);
  const size = inputShape.reduce((a, b) => a * b, 2);
  const xValues = new Float32Array(size);
  rng.fillUniform(xValues, -1, 1);
  const outSize = net.outputShape.reduce((a, b) => a * b, 2);
  const wValues = new Float32Array(outSize);
  rng.fillUniform(wValues, -1, 1);
  const w = tf.tensor(wValues, [2, ...net.outputShape]);
  const f = (x: tf.Tensor): tf.Scalar => tf.sum(tf.mul(net.apply(x, { training: true, rng: Rng.fromSeed(9) }), w));
  const x = tf.tensor(xValues, [2, ...inputShape]);
  const h = 1e-2;
  const every = (n: number): number => Math.max(1, Math.floor(n / 12));

  for (const v of net.trainableVariables) {
    const values = new Float32Array(v.size);
    rng.fillUniform(values, 0.5, 1.5);
    v.assign(tf.tensor(values, v.shape));
  }
  const analytic = tf.grad(f)(x).dataSync();
  for (let i = 0; i < size; i += every(size)) {
    expect(analytic[i]!).toBeCloseTo(centralDifference((p) => f(tf.tensor(p, x.shape)).dataSync()[0]!, xValues, i, h), 2);
  }

  let parameterEntries = 0;
  for (const v of net.trainableVariables) {
    const { grads } = tf.variableGrads(() => f(x), [v]);
    const analyticParam = grads[v.name]!.dataSync();
    const at = v.dataSync().slice() as Float32Array;
    const fAt = (p: Float32Array): number => {
      v.assign(tf.tensor(p, v.shape));
      return f(x).dataSync()[0]!;
    };
    for (let i = 0; i < at.length; i += every(at.length)) {
      expect(analyticParam[i]!, `${v.name}[${i}]`).toBeCloseTo(centralDifference(fAt, at, i, h), 2);
      parameterEntries++;
    }
    v.assign(tf.tensor(at, v.shape));
  }
  net.dispose();
  return parameterEntries;
}

describe('the issue-16 layers are gradient-checked on cpu', () => {
  it('average-pool', () => gradientCheck([{ kind: 'average-pool', name: 'pool', kernelSize: 2, padding: 'same' }], [6, 4, 2]));
  it('average-pool refuses a padded window (tfjs\'s gradient is wrong there)', () => {
    expect(() => Network.create([{ kind: 'average-pool', name: 'pool', kernelSize: 2, padding: 'same' }], [5, 4, 2], Rng.fromSeed(1))).toThrow(/padded borders/);
  });
  // x, and γ and β of each of the 2 channels
  it('instance-norm, w.r.t. the input and γ and β', () => expect(gradientCheck([{ kind: 'instance-norm', name: 'norm' }], [3, 3, 2])).toBe(4));
  it('pixel-shuffle', () => gradientCheck([{ kind: 'pixel-shuffle', name: 'shuffle', kernelSize: 2 }], [2, 3, 8]));
  it('bilinear-upsample', () => gradientCheck([{ kind: 'bilinear-upsample', name: 'up', kernelSize: 2 }], [3, 2, 2]));
  it('persistent-dropout (the same mask forward and back)', () => gradientCheck([{ kind: 'persistent-dropout', name: 'drop', rate: 0.4 }], [12]));
});

/** A spec through encodeCheckpoint/decodeCheckpoint and back into networks that compute what the originals do. */
function roundTrip(spec: ModelSpec): void {
  const nets = buildGan(spec, 4);
  const checkpoint: Checkpoint = {
    spec,
    generator: nets.generator.toCheckpointTensors(),
    discriminator: nets.discriminator.toCheckpointTensors(),
    provenance: { createdAt: '2026-12-04T22:00:00Z', forgerVersion: '0.1.0', backend: 'cpu', dataset: 'mnist', metrics: {}, note: 'issue 16' },
  };
  const decoded = decodeCheckpoint(encodeCheckpoint(checkpoint));
  expect(decoded.spec.generatorLayers.map((l) => l.kind)).toEqual(spec.generatorLayers.map((l) => l.kind));
  expect(decoded.spec.discriminatorLayers.map((l) => l.kind)).toEqual(spec.discriminatorLayers.map((l) => l.kind));
  const rebuilt = ganFromCheckpoint(decoded);
  const z = latentBatch(spec, 3, Rng.fromSeed(8));
  const before = generate(nets.generator, z, Rng.fromSeed(1)).dataSync();
  const after = generate(rebuilt.generator, z, Rng.fromSeed(1)).dataSync();
  expect(Array.from(after)).toEqual(Array.from(before));
  const images = generate(nets.generator, z, Rng.fromSeed(1));
  expect(Array.from(rebuilt.discriminator!.apply(images, { training: false }).dataSync())).toEqual(Array.from(nets.discriminator.apply(images, { training: false }).dataSync()));
  for (const n of [nets.generator, nets.discriminator, rebuilt.generator, rebuilt.discriminator!]) n.dispose();
}

describe('checkpoint round trip of every new layer kind', () => {
  it('average-pool', () => roundTrip(tinyDcganSpec({ downsample: 'average-pool' })));
  it('instance-norm', () => roundTrip(tinyRadfordDcganSpec({ norm: 'instance' })));
  it('pixel-shuffle', () => roundTrip(tinyDcganSpec({ upsample: 'pixel-shuffle' })));
  it('bilinear-upsample', () => roundTrip(tinyDcganSpec({ upsample: 'bilinear' })));
  it('persistent-dropout', () => roundTrip(tinyDcganSpec({ generatorDropout: 0.3 })));
  it('generatorInputShape is the latent size', () => expect(generatorInputShape(tinyDcganSpec())).toEqual([5]));
});

describe('a generator with --generator-dropout samples with dropout', () => {
  it('generateInChunks draws the masks from noiseRng: one seed one set of images, another seed others, none an error', async () => {
    const spec = tinyDcganSpec({ generatorDropout: 0.5 });
    const { generator, discriminator } = buildGan(spec, 2);
    const z = new Float32Array(4 * spec.latentDim).fill(0.3);
    const images = async (noiseRng?: Rng): Promise<number[]> => {
      const out: number[] = [];
      for await (const chunk of generateInChunks(generator, spec, z, { chunkSize: 2, ...(noiseRng ? { noiseRng } : {}) })) out.push(...chunk.images);
      return out;
    };
    const a = await images(Rng.fromSeed(1));
    expect(await images(Rng.fromSeed(1))).toEqual(a);
    expect(await images(Rng.fromSeed(2))).not.toEqual(a);
    // the four z are equal: only the masks tell the images apart
    const perImage = a.length / 4;
    expect(a.slice(0, perImage)).not.toEqual(a.slice(perImage, 2 * perImage));
    await expect(images()).rejects.toThrow(/persistent-dropout.*needs an rng/);
    generator.dispose();
    discriminator.dispose();
  });
});

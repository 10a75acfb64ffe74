import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, type ModelSpec } from '@forger/core';
import { acganSpec, buildGan, cyclingLabels, dcganSpec, radfordDcganSpec, discriminatorScores, generate, generatorInput, improvedGanSpec, latentBatch, ssganSpec, vanillaSpec, withMinibatchDiscrimination } from '@forger/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { samplerKernelNames } from './kernel-names.js';
import { wasmKernels } from './wasm-kernels.js';
import { webgpuKernels } from './webgpu-kernels.js';

// Every family the trainer writes, plus the discriminator trick that adds layers.
const improved = improvedGanSpec();
const families: Record<string, ModelSpec> = {
  vanilla: vanillaSpec(),
  dcgan: dcganSpec(),
  ssgan: ssganSpec(),
  'improved-gan': improved,
  'improved-gan + minibatch discrimination': { ...improved, discriminatorLayers: withMinibatchDiscrimination(improved.discriminatorLayers) },
  'radford-dcgan': radfordDcganSpec(),
  // issue 16's layer kinds, through the architecture switches
  'dcgan + average-pool, bilinear, instance norm, generator dropout': dcganSpec({ downsample: 'average-pool', upsample: 'bilinear', norm: 'instance', generatorDropout: 0.2 }),
  'dcgan + pixel-shuffle': dcganSpec({ upsample: 'pixel-shuffle' }),
  acgan: acganSpec({ numClasses: 10 }),
};

/** The kernels tfjs dispatches for a generator pass and a discriminator scoring, in inference mode. */
async function kernelsOf(spec: ModelSpec): Promise<string[]> {
  const { generator, discriminator } = buildGan(spec, 1);
  try {
    const profile = await tf.profile(async () => {
      // a conditional generator reads z and the one-hot class, made as the sampler makes it (generateInChunks)
      const images = tf.tidy(() => generate(generator, generatorInput(spec, latentBatch(spec, 2, Rng.fromSeed(1)), cyclingLabels(spec, 2)), Rng.fromSeed(2)));
      const scores = discriminatorScores(discriminator, images, spec);
      await scores.data();
      tf.dispose([images, scores]);
    });
    // A custom-gradient op (tfjs's fused matMul) shows in the profile under its scope name, which is not a kernel.
    return [...new Set(profile.kernelNames)].filter((name) => tf.getKernel(name, 'cpu') !== undefined).sort();
  } finally {
    generator.dispose();
    discriminator.dispose();
  }
}

beforeAll(async () => {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('cpu');
});

describe('the sampler registers every kernel the models run', () => {
  it.each(Object.keys(families))('%s: generator and discriminator kernels are all registered', async (family) => {
    const missing = (await kernelsOf(families[family]!)).filter((k) => !samplerKernelNames.includes(k));
    // If this fails, add the names to kernel-names.ts and to both *_kernels.ts lists.
    expect(missing).toEqual([]);
  });

  it('registers the same list on WebGPU and on WASM', () => {
    const expected = [...samplerKernelNames].sort();
    expect(webgpuKernels.map((k) => k.kernelName).sort()).toEqual(expected);
    expect(webgpuKernels.every((k) => k.backendName === 'webgpu')).toBe(true);
    expect(wasmKernels.map((k) => k.kernelName).sort()).toEqual(expected);
    expect(wasmKernels.every((k) => k.backendName === 'wasm')).toBe(true);
  });
});

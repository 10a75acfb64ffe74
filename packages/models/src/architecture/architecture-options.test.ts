import { describe, expect, it } from 'vitest';
import type { LayerSpec } from '@forger/core';
import { ModelError } from '../errors.js';
import { Network } from '../network/network.js';
import { generatorInputShape, discriminatorInputShape } from '../gan.js';
import { dcganSpec } from '../dcgan/dcgan-spec.js';
import { radfordDcganSpec } from '../dcgan/radford-dcgan-spec.js';
import { improvedGanSpec } from '../ssgan/improved-gan-spec.js';
import { ssganSpec } from '../ssgan/ssgan-spec.js';
import { vanillaSpec } from '../vanilla/vanilla-spec.js';

const kinds = (layers: LayerSpec[]): string[] => layers.map((l) => l.kind);
const activations = (layers: LayerSpec[]): string[] => layers.flatMap((l) => (l.activation && l.activation !== 'linear' ? [l.activation] : []));

describe('architecture options of the spec builders', () => {
  it('no option leaves every family exactly as it was', () => {
    expect(vanillaSpec({})).toEqual(vanillaSpec());
    expect(dcganSpec().variant).toBe('keras-dcgan');
    expect(dcganSpec().latentPrior).toBe('uniform');
  });

  it('output: tanh gives the vanilla GAN pixels in [-1, 1]; sigmoid gives DCGAN [0, 1]', () => {
    const v = vanillaSpec({ output: 'tanh' });
    expect(v.pixelRange).toBe('minus-one-one');
    expect(v.generatorLayers[1]!.activation).toBe('tanh');
    expect(v.generatorLayers[0]!.activation).toBe('relu');
    const d = dcganSpec({ output: 'sigmoid' });
    expect(d.pixelRange).toBe('zero-one');
    expect(d.generatorLayers.at(-1)!.activation).toBe('sigmoid');
    expect(improvedGanSpec({ output: 'tanh' }).pixelRange).toBe('minus-one-one');
  });

  it('latentPrior sets z\'s prior; radford draws N(0, 1) unless told otherwise', () => {
    expect(vanillaSpec({ latentPrior: 'normal' }).latentPrior).toBe('normal');
    expect(radfordDcganSpec().latentPrior).toBe('normal');
    expect(radfordDcganSpec({ latentPrior: 'uniform' }).latentPrior).toBe('uniform');
  });

  it('activation replaces every hidden activation of G and D, and keeps G\'s output squashing', () => {
    const d = dcganSpec({ activation: 'leaky-relu' });
    expect(activations(d.generatorLayers)).toEqual(['leaky_relu', 'leaky_relu', 'leaky_relu', 'tanh']);
    expect(activations(d.discriminatorLayers)).toEqual(['leaky_relu', 'leaky_relu', 'leaky_relu']);
    expect(d.discriminatorLayers.filter((l) => l.activation === 'leaky_relu').every((l) => l.rate === 0.2)).toBe(true);
    const s = ssganSpec({ activation: 'relu' });
    expect(activations(s.discriminatorLayers)).toEqual(['relu', 'relu', 'relu']);
    expect(s.discriminatorLayers.some((l) => l.rate !== undefined && l.kind === 'activation')).toBe(false);
  });

  it('norm batch puts batch norm after every hidden layer but G\'s output and D\'s input, splitting fused activations', () => {
    const d = dcganSpec({ norm: 'batch' });
    expect(kinds(d.discriminatorLayers)).toEqual([
      'conv2d', 'max-pool', 'conv2d', 'batch-norm', 'activation', 'max-pool', 'flatten', 'dense', 'batch-norm', 'activation', 'dense',
    ]);
    expect(kinds(d.generatorLayers)).toEqual([
      'dense', 'batch-norm', 'activation', 'dense', 'batch-norm', 'activation', 'reshape', 'upsample', 'conv2d', 'batch-norm', 'activation', 'upsample', 'conv2d',
    ]);
    // keras-dcgan's own batch norm settings carry over
    expect(d.discriminatorLayers[3]).toMatchObject({ epsilon: 1e-3, momentum: 0.99 });
  });

  it('norm instance normalises conv layers only; none removes every norm', () => {
    const r = radfordDcganSpec({ norm: 'instance' });
    expect(kinds(r.discriminatorLayers).filter((k) => k.endsWith('norm'))).toEqual(['instance-norm']);
    expect(kinds(r.generatorLayers).filter((k) => k.endsWith('norm'))).toEqual(['instance-norm']);
    const n = ssganSpec({ norm: 'none' });
    expect([...n.generatorLayers, ...n.discriminatorLayers].some((l) => l.kind.endsWith('norm'))).toBe(false);
  });

  it('downsample rewrites pools as strided convs and strided convs as conv + pool, keeping D\'s shapes', () => {
    const image = dcganSpec();
    const strided = dcganSpec({ downsample: 'strided' });
    expect(kinds(strided.discriminatorLayers)).not.toContain('max-pool');
    expect(strided.discriminatorLayers.filter((l) => l.kind === 'conv2d').map((l) => l.strides)).toEqual([2, 2]);
    const shapes = (spec: typeof image): number[] => Network.outputShapeOf(spec.discriminatorLayers.slice(0, -3), discriminatorInputShape(spec));
    expect(shapes(strided)).toEqual(shapes(image));
    const pooled = ssganSpec({ downsample: 'average-pool' });
    expect(kinds(pooled.discriminatorLayers).filter((k) => k === 'average-pool')).toHaveLength(3);
    expect(pooled.discriminatorLayers.filter((l) => l.kind === 'conv2d').every((l) => l.strides === 1)).toBe(true);
  });

  it.each(['nearest', 'bilinear', 'transposed', 'pixel-shuffle'] as const)('upsample %s keeps every generator\'s output shape', (mode) => {
    for (const spec of [dcganSpec({ upsample: mode }), ssganSpec({ upsample: mode }), radfordDcganSpec({ upsample: mode }), radfordDcganSpec({ upsample: mode, image: { height: 32, width: 32, channels: 3 } })]) {
      expect(Network.outputShapeOf(spec.generatorLayers, generatorInputShape(spec))).toEqual([spec.image.height, spec.image.width, spec.image.channels]);
    }
    const kindOf = { nearest: 'upsample', bilinear: 'bilinear-upsample', transposed: 'conv2d-transpose', 'pixel-shuffle': 'pixel-shuffle' }[mode];
    expect(kinds(dcganSpec({ upsample: mode }).generatorLayers)).toContain(kindOf);
  });

  it('generatorDropout puts persistent dropout after every hidden block of G', () => {
    const d = dcganSpec({ generatorDropout: 0.5 });
    const drops = d.generatorLayers.flatMap((l, i) => (l.kind === 'persistent-dropout' ? [d.generatorLayers[i - 1]!.name] : []));
    expect(drops).toEqual(['dense_1', 'tanh_1', 'conv2d_1']);
    expect(d.discriminatorLayers.some((l) => l.kind.includes('dropout'))).toBe(false);
  });

  it('discriminatorDropout puts plain dropout after every hidden block of D, and none in G', () => {
    const v = vanillaSpec({ discriminatorDropout: 0.3 });
    expect(kinds(v.discriminatorLayers)).toEqual(['flatten', 'dense', 'dropout', 'dense']);
    expect(v.discriminatorLayers[2]).toMatchObject({ kind: 'dropout', rate: 0.3 });
    expect(v.generatorLayers).toEqual(vanillaSpec().generatorLayers);
    expect(kinds(dcganSpec({ discriminatorDropout: 0.3 }).discriminatorLayers).filter((k) => k === 'dropout')).toHaveLength(3);
  });

  it('refuses what a family cannot take, with a ModelError', () => {
    expect(() => improvedGanSpec({ discriminatorDropout: 0.3 })).toThrow(/of its own/);
    expect(() => vanillaSpec({ discriminatorDropout: 0 })).not.toThrow();
    expect(() => vanillaSpec({ downsample: 'strided' })).toThrow(ModelError);
    expect(() => vanillaSpec({ upsample: 'nearest' })).toThrow(/no upsampling stage/);
    expect(() => vanillaSpec({ norm: 'instance' })).toThrow(/instance norm/);
    expect(() => improvedGanSpec({ upsample: 'transposed' })).toThrow(ModelError);
    expect(() => vanillaSpec({ generatorDropout: 1 })).toThrow(ModelError);
  });
});

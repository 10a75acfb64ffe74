import type { ImageShape, LayerSpec, ModelSpec } from '@forger/core';
import { ModelError } from '../errors.js';
import { DEFAULT_LATENT_DIM } from '../training/latent.js';
import { withArchitecture, type ArchitectureOptions } from '../architecture/architecture-options.js';

export interface SsganSpecOptions extends ArchitectureOptions {
  image?: ImageShape;
  latentDim?: number;
  numClasses?: number;
  classNames?: string[];
  /** Discriminator conv widths, one stride-2 conv each; default [32, 64, 128] (SSGAN-Tensorflow's first channels). */
  filters?: number[];
  /** Generator: channels of the base map and of the middle transposed conv; default [128, 64]. */
  generatorFilters?: [number, number];
  kernelSize?: number;
}

/**
 * The semi-supervised GAN in the style of SSGAN-Tensorflow (shaohua0116,
 * after Odena 2016 and Salimans et al. 2016):
 *   D: per stage a 5×5 stride-2 conv → batch norm (not on the first stage, as
 *      in DCGAN) → LeakyReLU 0.2 → dropout 0.5; then flatten → dense n+1
 *      logits (n classes + "generated").
 *   G: z (U(−1, 1)) → dense to (h/4)×(w/4)×128 → BN → ReLU → 5×5 stride-2
 *      transposed conv 64 → BN → ReLU → 5×5 stride-2 transposed conv c, tanh.
 * Convolutions followed by batch norm carry no bias: BN's beta replaces it. The ArchitectureOptions rewrite these
 * layers (architecture-options.ts).
 */
export function ssganSpec(o: SsganSpecOptions = {}): ModelSpec {
  const image = o.image ?? { height: 28, width: 28, channels: 1 };
  if (image.height % 4 !== 0 || image.width % 4 !== 0) {
    throw new ModelError('bad-spec', `ssganSpec needs image height and width divisible by 4 (two stride-2 transposed convs), got ${image.height}×${image.width}`);
  }
  const numClasses = o.numClasses ?? 10;
  const k = o.kernelSize ?? 5;
  const [base, middle] = o.generatorFilters ?? [128, 64];
  const bh = image.height / 4;
  const bw = image.width / 4;
  const discriminatorLayers: LayerSpec[] = (o.filters ?? [32, 64, 128]).flatMap((filters, i): LayerSpec[] => {
    const n = i + 1;
    const conv: LayerSpec = { kind: 'conv2d', name: `conv2d_${n}`, units: filters, kernelSize: k, strides: 2, padding: 'same', useBias: i === 0 };
    return [
      conv,
      ...(i === 0 ? [] : [{ kind: 'batch-norm', name: `batch_norm_${n}`, epsilon: 1e-5, momentum: 0.9 } as LayerSpec]),
      { kind: 'activation', name: `leaky_relu_${n}`, activation: 'leaky_relu', rate: 0.2 },
      { kind: 'dropout', name: `dropout_${n}`, rate: 0.5 },
    ];
  });
  discriminatorLayers.push({ kind: 'flatten', name: 'flatten' }, { kind: 'dense', name: 'logits', units: numClasses + 1, activation: 'linear', useBias: true });
  return withArchitecture({
    family: 'ssgan',
    variant: 'ssgan-tensorflow',
    latentDim: o.latentDim ?? DEFAULT_LATENT_DIM,
    latentPrior: 'uniform',
    image,
    pixelRange: 'minus-one-one',
    numClasses,
    classNames: o.classNames ?? [],
    generatorLayers: [
      { kind: 'dense', name: 'dense_1', units: base * bh * bw, activation: 'linear', useBias: false },
      // TF's batch_norm defaults (DCGAN-tensorflow, which SSGAN-Tensorflow builds on): ε 1e-5, decay 0.9.
      { kind: 'batch-norm', name: 'batch_norm_1', epsilon: 1e-5, momentum: 0.9 },
      { kind: 'activation', name: 'relu_1', activation: 'relu' },
      { kind: 'reshape', name: 'reshape', targetShape: [bh, bw, base] },
      { kind: 'conv2d-transpose', name: 'deconv_1', units: middle, kernelSize: k, strides: 2, padding: 'same', useBias: false },
      { kind: 'batch-norm', name: 'batch_norm_2', epsilon: 1e-5, momentum: 0.9 },
      { kind: 'activation', name: 'relu_2', activation: 'relu' },
      { kind: 'conv2d-transpose', name: 'deconv_2', units: image.channels, kernelSize: k, strides: 2, padding: 'same', activation: 'tanh', useBias: true },
    ],
    discriminatorLayers,
  }, o);
}

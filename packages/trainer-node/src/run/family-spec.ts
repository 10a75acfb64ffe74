import type { ModelSpec } from '@forger/core';
import type { Dataset } from '@forger/data';
import {
  ModelError, acganConvSpec, acganSpec, dcganSpec, improvedGanSpec, radfordDcganSpec, ssganSpec, vanillaSpec, withArchitecture, withMinibatchDiscrimination,
  type ArchitectureOptions,
} from '@forger/models';
import type { TrainConfig } from './train-config.js';
import { flagName, type TrainField } from './train-flag-table.js';
import { UsageError } from './usage-error.js';

/** The architecture flags in the order withArchitecture applies them: structure, normalisation, activations, dropout. */
const ARCHITECTURE_FLAGS: readonly (keyof ArchitectureOptions & TrainField)[] = [
  'downsample', 'upsample', 'norm', 'activation', 'output', 'latentPrior', 'generatorDropout', 'discriminatorDropout',
];

/** The ModelSpec of a fresh run: the family's recipe, sized to the dataset's images, with the spec-level tricks. */
export function familySpec(config: TrainConfig, dataset: Dataset): ModelSpec {
  const image = dataset.image;
  const latentDim = config.latentDim;
  let spec: ModelSpec;
  switch (config.model) {
    case 'vanilla':
      spec = vanillaSpec({ image, latentDim, hiddenUnits: config.hiddenUnits });
      break;
    case 'dcgan':
      spec = config.architecture === 'radford'
        ? radfordDcganSpec({ image, latentDim, generatorExtraLayers: config.extraLayers?.[0], discriminatorExtraLayers: config.extraLayers?.[1] })
        : dcganSpec({ image, latentDim });
      break;
    case 'ssgan':
      spec =
        config.sslLoss === 'improved'
          ? improvedGanSpec({ image, latentDim, numClasses: dataset.numClasses, classNames: dataset.classNames })
          : ssganSpec({ image, latentDim, numClasses: dataset.numClasses, classNames: dataset.classNames });
      break;
    case 'acgan':
      // the checkpoint records the dataset's classes: what `forger generate --class` and the sampler may ask for
      spec = (config.acganNet === 'conv' ? acganConvSpec : acganSpec)({ image, latentDim, numClasses: dataset.numClasses, classNames: dataset.classNames });
      break;
  }
  // One switch at a time, so that a switch this model cannot take is refused by name (exit 2).
  for (const field of ARCHITECTURE_FLAGS) {
    const value = config[field];
    if (value === undefined) continue;
    try {
      spec = withArchitecture(spec, { [field]: value } as ArchitectureOptions);
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      throw new UsageError('usage', `${flagName(field)} ${String(value)} cannot apply to the ${spec.variant} networks: ${error.message}`, { where: flagName(field), cause: error });
    }
  }
  if (config.minibatchDiscrimination) {
    spec = { ...spec, discriminatorLayers: withMinibatchDiscrimination(spec.discriminatorLayers) };
  }
  if (config.bnBatches !== undefined && !spec.discriminatorLayers.some((l) => l.kind === 'batch-norm' || l.kind === 'minibatch-discrimination')) {
    throw new UsageError('usage', `--bn-batches applies to a discriminator with batch norm (or minibatch discrimination), and the ${spec.variant} one has none: add --norm batch`, { where: '--bn-batches' });
  }
  return spec;
}

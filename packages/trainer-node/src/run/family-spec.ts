import type { ModelSpec } from '@forger/core';
import type { Dataset } from '@forger/data';
import { acganConvSpec, acganSpec, dcganSpec, improvedGanSpec, ssganSpec, vanillaSpec, withMinibatchDiscrimination } from '@forger/models';
import type { TrainConfig } from './train-config.js';

/** The ModelSpec of a fresh run: the family's recipe, sized to the dataset's images, with the spec-level tricks. */
export function familySpec(config: TrainConfig, dataset: Dataset): ModelSpec {
  const image = dataset.image;
  const latentDim = config.latentDim;
  let spec: ModelSpec;
  switch (config.model) {
    case 'vanilla':
      spec = vanillaSpec({ image, latentDim });
      break;
    case 'dcgan':
      spec = dcganSpec({ image, latentDim });
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
  if (config.minibatchDiscrimination) {
    spec = { ...spec, discriminatorLayers: withMinibatchDiscrimination(spec.discriminatorLayers) };
  }
  return spec;
}

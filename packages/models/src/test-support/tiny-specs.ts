import type { ModelSpec } from '@forger/core';
import { dcganSpec } from '../dcgan/dcgan-spec.js';
import { vanillaSpec } from '../vanilla/vanilla-spec.js';
import { ssganSpec } from '../ssgan/ssgan-spec.js';
import { improvedGanSpec } from '../ssgan/improved-gan-spec.js';
import { acganSpec } from '../acgan/acgan-spec.js';

/** The families' exact layer lists at toy widths, so cpu tests take milliseconds. */
export function tinyVanillaSpec(): ModelSpec {
  return vanillaSpec({ latentDim: 6, hiddenUnits: 10, image: { height: 4, width: 4, channels: 1 } });
}

export function tinyDcganSpec(): ModelSpec {
  return dcganSpec({ image: { height: 8, width: 8, channels: 1 }, latentDim: 5, kernelSize: 3, generatorDense: 12, filters: [3, 4], discriminatorDense: 8 });
}

export function tinySsganSpec(): ModelSpec {
  return ssganSpec({ image: { height: 8, width: 8, channels: 1 }, latentDim: 5, numClasses: 3, filters: [4, 6], generatorFilters: [6, 4], kernelSize: 3 });
}

// The paper's σ 0.5 hidden noise drowns 8-unit layers; 64 units average it out as 250–1000 do at full size.
export function tinyImprovedGanSpec(): ModelSpec {
  return improvedGanSpec({ image: { height: 8, width: 8, channels: 1 }, latentDim: 5, numClasses: 3, discriminatorUnits: [64, 64], generatorUnits: [12] });
}

export function tinyAcganSpec(): ModelSpec {
  return acganSpec({ image: { height: 4, width: 4, channels: 1 }, latentDim: 6, numClasses: 3, classNames: ['zero', 'one', 'two'], hiddenUnits: [12, 16] });
}

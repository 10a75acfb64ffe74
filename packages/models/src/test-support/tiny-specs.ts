import type { ModelSpec } from '@forger/core';
import type { ArchitectureOptions } from '../architecture/architecture-options.js';
import { dcganSpec } from '../dcgan/dcgan-spec.js';
import { radfordDcganSpec } from '../dcgan/radford-dcgan-spec.js';
import { vanillaSpec } from '../vanilla/vanilla-spec.js';
import { ssganSpec } from '../ssgan/ssgan-spec.js';
import { improvedGanSpec } from '../ssgan/improved-gan-spec.js';
import { acganSpec } from '../acgan/acgan-spec.js';

/** The families' exact layer lists at toy widths, so cpu tests take milliseconds; `arch` adds architecture switches. */
export function tinyVanillaSpec(arch: ArchitectureOptions = {}): ModelSpec {
  return vanillaSpec({ latentDim: 6, hiddenUnits: 10, image: { height: 4, width: 4, channels: 1 }, ...arch });
}

export function tinyDcganSpec(arch: ArchitectureOptions = {}): ModelSpec {
  return dcganSpec({ image: { height: 8, width: 8, channels: 1 }, latentDim: 5, kernelSize: 3, generatorDense: 12, filters: [3, 4], discriminatorDense: 8, ...arch });
}

/** 16×16: two stride-2 stages (16 → 8 → 4), so D has a batch norm (none on its input layer). */
export function tinyRadfordDcganSpec(arch: ArchitectureOptions = {}): ModelSpec {
  return radfordDcganSpec({ image: { height: 16, width: 16, channels: 1 }, latentDim: 5, generatorFilters: 3, discriminatorFilters: 3, ...arch });
}

export function tinySsganSpec(arch: ArchitectureOptions = {}): ModelSpec {
  return ssganSpec({ image: { height: 8, width: 8, channels: 1 }, latentDim: 5, numClasses: 3, filters: [4, 6], generatorFilters: [6, 4], kernelSize: 3, ...arch });
}

// The paper's σ 0.5 hidden noise drowns 8-unit layers; 64 units average it out as 250–1000 do at full size.
export function tinyImprovedGanSpec(arch: ArchitectureOptions = {}): ModelSpec {
  return improvedGanSpec({ image: { height: 8, width: 8, channels: 1 }, latentDim: 5, numClasses: 3, discriminatorUnits: [64, 64], generatorUnits: [12], ...arch });
}

export function tinyAcganSpec(): ModelSpec {
  return acganSpec({ image: { height: 4, width: 4, channels: 1 }, latentDim: 6, numClasses: 3, classNames: ['zero', 'one', 'two'], hiddenUnits: [12, 16] });
}

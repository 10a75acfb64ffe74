import { describe, expect, it } from 'vitest';
import { dcganOptimizers } from '../dcgan/dcgan-optimizers.js';
import { semiSupervisedOptimizers } from '../ssgan/ssgan-optimizers.js';
import { vanillaOptimizers } from '../vanilla/vanilla-optimizers.js';

const adam = (learningRate: number, beta1: number) => ({ kind: 'adam', learningRate, beta1, beta2: 0.999 });
const sgd = (learningRate: number) => ({ kind: 'momentum', learningRate, momentum: 0.9, nesterov: true });

describe('an optimizer and a learning rate for each network (the chapter: Adam for G, SGD for D)', () => {
  it('leaves each family\'s recipe as it was when no network has its own', () => {
    expect(vanillaOptimizers({})).toEqual({ generator: adam(1e-3, 0.9), discriminator: adam(1e-3, 0.9) });
    expect(dcganOptimizers({})).toEqual({ generator: sgd(5e-4), discriminator: sgd(5e-4) });
    expect(semiSupervisedOptimizers('ssgan', {})).toEqual({ generator: adam(2e-4, 0.5), discriminator: adam(1e-4, 0.5) });
  });

  it('gives a network on the other optimizer the recipe\'s rate for it, not the rate of --optimizer', () => {
    // keras-dcgan's SGD at 5e-4 for D, Radford et al.'s Adam (2e-4, β1 0.5) for G
    expect(dcganOptimizers({ optimizer: 'sgd', learningRate: 5e-4, beta1: 0.5, generatorOptimizerKind: 'adam' })).toEqual({ generator: adam(2e-4, 0.5), discriminator: sgd(5e-4) });
    expect(vanillaOptimizers({ learningRate: 3e-3, discriminatorOptimizerKind: 'sgd' })).toEqual({ generator: adam(3e-3, 0.9), discriminator: sgd(1e-3) });
    expect(vanillaOptimizers({ discriminatorOptimizerKind: 'sgd', discriminatorLearningRate: 0.05, generatorLearningRate: 2e-4 })).toEqual({ generator: adam(2e-4, 0.9), discriminator: sgd(0.05) });
  });

  it('keeps ssgan\'s D at half the base rate unless it has its own, whatever G\'s own rate', () => {
    expect(semiSupervisedOptimizers('ssgan', { learningRate: 4e-4, generatorLearningRate: 1e-3 })).toEqual({ generator: adam(1e-3, 0.5), discriminator: adam(2e-4, 0.5) });
    expect(semiSupervisedOptimizers('ssgan', { discriminatorOptimizerKind: 'sgd', discriminatorLearningRate: 0.01 })).toEqual({ generator: adam(2e-4, 0.5), discriminator: sgd(0.01) });
    expect(semiSupervisedOptimizers('improved', { discriminatorOptimizerKind: 'sgd' })).toEqual({ generator: adam(3e-3, 0.5), discriminator: sgd(3e-3) });
  });

  it('full OptimizerConfigs still override everything for their network', () => {
    const full = { kind: 'sgd' as const, learningRate: 0.1 };
    expect(dcganOptimizers({ generatorOptimizerKind: 'adam', generatorOptimizer: full }).generator).toBe(full);
  });
});

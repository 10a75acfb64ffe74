import { flagName, type TrainConfig, type TrainField } from './train-flag-table.js';
import { UsageError } from './usage-error.js';

/**
 * The train flags that mean nothing without another, or nothing with it (issue 16: no switch accepted and then
 * ignored). Checked on the resolved config, so a resumed run's stored flags count too. What a row's `families`
 * cannot say (it depends on another flag's value) is said here.
 */
export function checkTrickCombinations(config: TrainConfig): void {
  const refuse = (field: TrainField, why: string): never => {
    throw new UsageError('usage', `${flagName(field)} ${why}`, { where: flagName(field) });
  };
  if (config.historicalWindow !== undefined && !((config.historicalAveraging ?? 0) > 0)) {
    refuse('historicalWindow', 'sets the window of historical averaging: give --historical-averaging too');
  }
  if (config.maxUpdatesPerStep !== undefined && config.dLossThreshold === undefined && config.gLossThreshold === undefined) {
    refuse('maxUpdatesPerStep', 'caps the loss-threshold schedule: give --d-loss-threshold or --g-loss-threshold too');
  }
  if (config.featureMatching && config.model === 'ssgan' && config.sslLoss === 'improved') {
    refuse('featureMatching', "does not apply to --ssl-loss improved: its generator loss is feature matching already (Salimans et al. 2016 §5)");
  }
  if (config.supervisedOnly) {
    // the baseline trains the discriminator alone as a classifier (baseline-run.ts): no generator, no adversarial loss
    const gan: [TrainField, boolean][] = [
      ['labelSmoothing', config.labelSmoothing > 0 && config.labelSmoothing < 1], ['featureMatching', config.featureMatching === true], ['historicalAveraging', (config.historicalAveraging ?? 0) > 0],
      ['fakeLabel', config.fakeLabel !== undefined], ['historicalWindow', config.historicalWindow !== undefined], ['gOptimizer', config.gOptimizer !== undefined],
      ['dOptimizer', config.dOptimizer !== undefined], ['gLr', config.gLr !== undefined], ['dLr', config.dLr !== undefined],
      ['dLossThreshold', config.dLossThreshold !== undefined], ['gLossThreshold', config.gLossThreshold !== undefined],
      ['generatorAverage', config.generatorAverage > 0], ['lrDecay', config.lrDecay === 'linear'],
    ];
    const given = gan.find(([, on]) => on);
    if (given) refuse(given[0], 'is a GAN training trick: --supervised-only trains the discriminator alone as a classifier (use --lr for its rate)');
  }
  if (config.updateRate !== undefined && config.gLossThreshold !== undefined) {
    refuse('updateRate', "and --g-loss-threshold both set the generator's updates per step: give one");
  }
}

import { ModelError } from '../errors.js';
import type { TrainOptions } from './types.js';

/**
 * The checks every trainer makes of the trick options (src/tricks/), so that no option is accepted and then
 * ignored: a window without the penalty it averages for, targets outside what smoothing means.
 */
export function checkTrickOptions(o: TrainOptions): void {
  const weight = o.historicalAveraging ?? 0;
  if (!(weight >= 0)) throw new ModelError('bad-options', `historicalAveraging must be ≥ 0, got ${weight}`);
  if (o.historicalWindow !== undefined) {
    if (!Number.isInteger(o.historicalWindow) || o.historicalWindow < 1) throw new ModelError('bad-options', `historicalWindow must be a whole number ≥ 1 of steps, got ${o.historicalWindow}`);
    if (weight === 0) throw new ModelError('bad-options', 'historicalWindow sets the window of historical averaging: set historicalAveraging > 0 too, or leave it out');
  }
  if (o.realTarget !== undefined && !(o.realTarget >= 0.5 && o.realTarget <= 1)) throw new ModelError('bad-options', `realTarget must be in [0.5, 1], got ${o.realTarget}`);
  if (o.fakeTarget !== undefined && !(o.fakeTarget >= 0 && o.fakeTarget < 0.5)) throw new ModelError('bad-options', `fakeTarget must be in [0, 0.5), got ${o.fakeTarget}`);
}

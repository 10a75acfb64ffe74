/** One line of metrics.jsonl as read from disk: JSON writes NaN and ±Infinity as null. */
export type MetricsLine = { step: number } & Record<string, number | null>;

export interface HealthWarning {
  kind: 'non-finite' | 'discriminator-wins';
  /** the metric concerned */
  metric: string;
  /** the logged steps the warning spans (one step for a non-finite value) */
  fromStep: number;
  toStep: number;
  message: string;
}

export interface HealthThresholds {
  /** a discriminator loss under this counts as "near 0" */
  nearZeroDLoss: number;
  /** …for at least this many logged lines in a row */
  nearZeroLines: number;
}

/**
 * D loss under 0.001 for 10 logged lines in a row: the discriminator tells real from generated at will (D(x) and
 * 1 − D(G(z)) both above 0.999), the case where the generator learns little from it (Goodfellow et al. 2014,
 * section 3; Arjovsky & Bottou 2017, section 2). The default vanilla recipe spends its first thousand steps or so
 * between 0.005 and 0.05 (a 1,500-step run, logged every 25 steps, never went under 0.0054) and recovers; these
 * thresholds leave that alone.
 */
export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = { nearZeroDLoss: 0.001, nearZeroLines: 10 };

/**
 * What in a run's metrics deserves a look, computed when the report is built: every non-finite logged value (the
 * run stops on a non-finite loss, so it is the last line), and each stretch where the discriminator loss stays near
 * 0. Records are taken in the order logged; other metrics are not judged.
 */
export function healthWarnings(records: readonly MetricsLine[], thresholds: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS): HealthWarning[] {
  const warnings: HealthWarning[] = [];
  for (const record of records) {
    for (const [metric, value] of Object.entries(record)) {
      if (metric === 'step' || (typeof value === 'number' && Number.isFinite(value))) continue;
      warnings.push({
        kind: 'non-finite', metric, fromStep: record.step, toStep: record.step,
        message: `${metric} is ${value === null ? 'NaN or infinite' : String(value)} at step ${record.step}`,
      });
    }
  }
  let stretch: number[] = [];
  const closeStretch = (): void => {
    if (stretch.length >= thresholds.nearZeroLines) {
      const [fromStep, toStep] = [stretch[0]!, stretch.at(-1)!];
      warnings.push({
        kind: 'discriminator-wins', metric: 'd_loss', fromStep, toStep,
        message: `d_loss stays under ${thresholds.nearZeroDLoss} from step ${fromStep} to ${toStep}: the discriminator wins outright and the generator learns little from it`,
      });
    }
    stretch = [];
  };
  for (const record of records) {
    const dLoss = record['d_loss'];
    if (typeof dLoss === 'number' && Number.isFinite(dLoss) && dLoss < thresholds.nearZeroDLoss) stretch.push(record.step);
    else closeStretch();
  }
  closeStretch();
  return warnings.sort((a, b) => a.fromStep - b.fromStep);
}

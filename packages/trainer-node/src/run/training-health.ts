import type { PixelRange } from '@forger/core';
import type { Dataset } from '@forger/data';
import type { EventFileWriter } from '../tensorboard/event-file.js';
import { HealthMonitor, SAMPLE_CLASSES_METRIC, SAMPLE_SPREAD_METRIC, type HealthCondition, type HealthThresholds, type HealthWarning } from './health-monitor.js';
import type { MetricsLog, MetricsRecord } from './metrics-log.js';
import type { SampleClassCounter } from './sample-classes.js';
import { meanPairwiseDistance, realSpread, unitScale } from './sample-spread.js';

/** Where a warning goes: a line in the progress output, a record in metrics.jsonl, a TensorBoard marker. */
export interface HealthSinks {
  log: MetricsLog;
  note: (line: string) => void;
  events: EventFileWriter;
}

/**
 * The health monitor of one `forger train` process: the pure HealthMonitor, the real images' spread it compares the
 * fixed-noise samples with, and the conditions --stop-on names. A NaN loss always stops the run: the next step and
 * every checkpoint after it would be NaN.
 */
export class TrainingHealth {
  private readonly monitor: HealthMonitor;
  private readonly stopOn: ReadonlySet<HealthCondition>;
  private readonly reference: number;
  private readonly toUnit: (value: number) => number;
  private readonly classCounter: SampleClassCounter | undefined;
  /** the warnings of this process, for the run's closing summary */
  private readonly raised: HealthWarning[] = [];

  constructor(options: {
    dataset: Dataset;
    pixelRange: PixelRange;
    sampleCount: number;
    stopOn: readonly HealthCondition[] | undefined;
    earlier: readonly MetricsRecord[];
    thresholds?: HealthThresholds;
    /** the reference classifier, when it reads the run's images: the grids then also log their class count */
    classCounter?: SampleClassCounter;
  }) {
    this.monitor = new HealthMonitor(options.thresholds);
    this.stopOn = new Set<HealthCondition>(['nan', ...(options.stopOn ?? [])]);
    this.reference = realSpread(options.dataset, options.sampleCount);
    this.toUnit = unitScale(options.pixelRange);
    this.classCounter = options.classCounter;
    // a resumed run: the windows go on from the lines kept before it (their warnings are in metrics.jsonl already)
    for (const record of options.earlier) this.monitor.observe(record);
  }

  /**
   * The collapse statistics of a sample grid's images, as metrics.jsonl fields: their spread over the real images',
   * and the effective number of classes among them where the reference classifier reads the run's images.
   */
  async sampleScalars(images: Float32Array, count: number): Promise<Record<string, number>> {
    const scalars: Record<string, number> = {};
    // a dataset of one image repeated has no spread to compare with
    if (this.reference > 0) scalars[SAMPLE_SPREAD_METRIC] = meanPairwiseDistance(images, count, this.toUnit) / this.reference;
    if (this.classCounter) scalars[SAMPLE_CLASSES_METRIC] = await this.classCounter.effectiveClasses(images, count);
    return scalars;
  }

  dispose(): void {
    this.classCounter?.dispose();
  }

  /**
   * Feeds one logged record: each new warning is printed, appended to metrics.jsonl and marked in TensorBoard.
   * Returns the warning to stop on (a NaN loss, or a condition --stop-on names), if any.
   */
  async check(record: MetricsRecord, sinks: HealthSinks): Promise<HealthWarning | undefined> {
    let stop: HealthWarning | undefined;
    for (const warning of this.monitor.observe(record)) {
      this.raised.push(warning);
      sinks.note(`warning (${warning.condition}): ${warning.message}`);
      await sinks.log.appendWarning(warning);
      await sinks.events.writeScalars(warning.step, { [`health/${warning.condition}`]: 1 });
      if (stop === undefined && this.stopOn.has(warning.condition)) stop = warning;
    }
    return stop;
  }

  /** One line for the end of the run: "no warnings", or each condition and the step it was confirmed at. */
  summary(): string {
    if (this.raised.length === 0) return 'no warnings';
    const list = this.raised.map((w) => `${w.condition} at step ${w.step}`).join(', ');
    return `${this.raised.length} warning${this.raised.length === 1 ? '' : 's'}: ${list} (metrics.jsonl, report.html)`;
  }

  /**
   * While a stretch of a --stop-on condition is under way, the step it began at: checkpoint pruning keeps the newest
   * checkpoint before it, which the run would go back to should the condition be confirmed.
   */
  protectedBefore(): number | undefined {
    return this.monitor.pendingSince(this.stopOn);
  }
}

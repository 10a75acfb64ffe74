/**
 * Training health (issue 16 item 3): the conditions `forger train` watches in its logged metrics, as pure logic over
 * the metrics.jsonl records in step order. The training loop feeds it each record as it is logged (and, on
 * --resume, the records kept from before, so its windows go on where they stopped); what it returns is printed,
 * appended to metrics.jsonl, and shown by the report.
 */

/** THE list of conditions: --stop-on's choices, the `health` field of a warning record, the report's names. */
export const HEALTH_CONDITIONS = ['nan', 'd-loss-zero', 'g-loss-runaway', 'collapse'] as const;
export type HealthCondition = (typeof HEALTH_CONDITIONS)[number];

/** One warning: a condition began at `sinceStep` and was seen to hold at `step`. */
export interface HealthWarning {
  step: number;
  condition: HealthCondition;
  /** the metrics.jsonl field it is about (d_loss, g_loss, sample_spread, …) */
  metric: string;
  /** the first logged step of the stretch that triggered it: a checkpoint before this step is a good one */
  sinceStep: number;
  /** the value that tripped it (NaN for a non-finite loss; written as null in metrics.jsonl) */
  value: number;
  message: string;
}

/** A logged record as the monitor reads it: a metrics.jsonl line (JSON gives null for NaN and ±Infinity). */
export type HealthInput = { step: number } & Record<string, number | null | undefined>;

/** The metrics.jsonl field of the collapse statistic (see sample-spread.ts), logged at each sample grid. */
export const SAMPLE_SPREAD_METRIC = 'sample_spread';

/**
 * The metrics.jsonl field of the second collapse statistic (see sample-classes.ts): the effective number of classes
 * among a grid's samples by the reference classifier, logged at each grid when the classifier reads the run's images.
 */
export const SAMPLE_CLASSES_METRIC = 'sample_classes';

export interface HealthThresholds {
  /** a D loss under this is "near 0"… */
  dLossNearZero: number;
  /** …and must stay there this many logged lines in a row */
  dLossLines: number;
  /** the G loss's early level is the median of its first this-many logged values */
  gLossEarlyLines: number;
  /** G's loss has run away when it stays above both `gLossRunawayFactor` × its early level… */
  gLossRunawayFactor: number;
  /** …and this absolute value… */
  gLossRunawayFloor: number;
  /** …for this many logged lines in a row */
  gLossRunawayLines: number;
  /** the fixed-noise samples' mean pairwise distance, as a fraction of the real images' */
  collapseSpreadRatio: number;
  /** the effective number of classes among the fixed-noise samples under which… */
  collapseClasses: number;
  /** …for this many sample grids in a row (either statistic), after a grid at or above the limit, is a collapse */
  collapseGrids: number;
}

/**
 * Why these values (measured on the chapter's classic vanilla run, `--recipe classic`, the default before issue 16,
 * and on Forger's default, `pnpm turbo train`; both seed 42, 10,000 steps logged every 100, whose metrics and grid
 * statistics are src/test-support/vanilla-{classic,default}-metrics.jsonl; "the default run" below is the classic):
 * - D loss under 0.001 for 10 logged lines: the discriminator tells real from generated at will (D(x) and
 *   1 − D(G(z)) both above 0.999), the case where the generator learns little from it (Goodfellow et al. 2014,
 *   section 3; Arjovsky & Bottou 2017, section 2). The default run spends its first thousand steps between 0.0058 and
 *   0.05 and recovers (a 1,500-step run logged every 25 steps never went under 0.0054); this leaves that alone.
 * - G loss above 10 and above twice its early level for 10 lines: −log D(G(z)) = 10 means D gives the generated
 *   batch a probability of about 5e-5, i.e. rejects every sample with certainty. The default run's G loss starts
 *   at a median of 6.1 over its first 10 lines, peaks at 9.0 (while D is strong early on) and comes back to 3.4;
 *   the limit, max(2 × 6.1, 10) = 12.2, leaves that alone. The factor makes it a rise from where this run began,
 *   not the scale of a family's loss; the floor keeps a run that starts low (0.7, D unsure) from tripping at 1.4.
 * - Spread under 0.5 of the real images' for 3 grids, after a grid at or above 0.5: the default run's grids measure
 *   0.39 at step 1,000 (the generator still draws one blob), 0.57 at 2,000, then 0.74 to 0.80; 64 real digits of
 *   one class measure 0.66 (1s, the tightest class) to 0.85 (7s). So 0.5 means the samples are less varied than a
 *   single digit class. An untrained generator draws one blob too (0.17 on a tiny run's first grids), so the
 *   samples must have been varied once: mode collapse is the loss of a variety the generator had (Salimans et al.
 *   2016, section 3.2), and three grids in a row is not a passing dip. It catches a generator that falls back to
 *   (nearly) one image; a collapse onto two or three classes (the default run's final 7s and 9s measure 0.79), or a
 *   generator that never gets varied, is beyond it: the class count below sees the first.
 * - Fewer than 5 effective classes (sample-classes.ts) for 3 grids in a row, after a grid with ≥ 5 classes: the classic run's grids draw 1 class at step 1,000 (its blob), 5.3 to 6.1 from 2,000 to 5,000, then
 *   5.1, 4.4, 4.7, 4.8 from 6,000 to 9,000: it warns at step 9,000, the stretch starting at 7,000, while its spread
 *   stays at 0.78. Forger's default draws 6.8 to 8.9 at every grid, and 64 real digits drawn at random about 9.3,
 *   so 5 leaves a healthy run a margin of almost 2 classes. The gate keeps an untrained generator's blob or noise
 *   (one or two "classes" to the classifier) from counting; a generator that never draws many classes is beyond it.
 */
export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = {
  dLossNearZero: 0.001,
  dLossLines: 10,
  gLossEarlyLines: 10,
  gLossRunawayFactor: 2,
  gLossRunawayFloor: 10,
  gLossRunawayLines: 10,
  collapseSpreadRatio: 0.5,
  collapseClasses: 5,
  collapseGrids: 3,
};

/** The losses of a record (d_loss, g_loss, a family's own *_loss): a non-finite one is a divergence. */
const isLoss = (metric: string): boolean => metric.endsWith('loss');

/** A run of consecutive records that meet a condition: where it began, how long, and whether it was reported. */
interface Stretch {
  since: number;
  length: number;
  warned: boolean;
}

/**
 * Watches the logged records of one run. Each condition warns once per stretch: when the stretch reaches its
 * length, not again while it lasts, and anew after the values have been healthy in between.
 */
export class HealthMonitor {
  private dLoss: Stretch | undefined;
  private gLoss: Stretch | undefined;
  /** the fixed-noise samples' spread: reached once the generator has drawn varied samples */
  private readonly spread: GridWatch = { stretch: undefined, reached: false };
  /** the effective number of classes among them: reached once the generator has drawn many classes */
  private readonly classes: GridWatch = { stretch: undefined, reached: false };
  private readonly earlyGLoss: number[] = [];

  constructor(readonly thresholds: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS) {}

  /** The warnings that begin at this record (none for most). */
  observe(record: HealthInput): HealthWarning[] {
    const warnings: HealthWarning[] = [];
    const t = this.thresholds;
    const { step } = record;
    for (const [metric, value] of Object.entries(record)) {
      if (!isLoss(metric) || value === undefined || (typeof value === 'number' && Number.isFinite(value))) continue;
      const shown = value === null ? 'NaN' : String(value);
      warnings.push({ step, condition: 'nan', metric, sinceStep: step, value: value ?? Number.NaN, message: `${metric} is ${shown} at step ${step}` });
    }

    const dLoss = finite(record['d_loss']);
    this.dLoss = extend(this.dLoss, dLoss !== undefined && dLoss < t.dLossNearZero, step);
    if (this.dLoss && !this.dLoss.warned && this.dLoss.length >= t.dLossLines) {
      this.dLoss.warned = true;
      warnings.push({
        step, condition: 'd-loss-zero', metric: 'd_loss', sinceStep: this.dLoss.since, value: dLoss!,
        message: `d_loss has stayed under ${t.dLossNearZero} since step ${this.dLoss.since} (${this.dLoss.length} logged lines; ${format(dLoss!)} at step ${step}): the discriminator wins outright and the generator learns little from it`,
      });
    }

    const gLoss = finite(record['g_loss']);
    if (gLoss !== undefined && this.earlyGLoss.length < t.gLossEarlyLines) this.earlyGLoss.push(gLoss);
    const early = this.earlyGLoss.length === t.gLossEarlyLines ? median(this.earlyGLoss) : undefined;
    const limit = early === undefined ? undefined : Math.max(t.gLossRunawayFactor * early, t.gLossRunawayFloor);
    this.gLoss = extend(this.gLoss, limit !== undefined && gLoss !== undefined && gLoss > limit, step);
    if (this.gLoss && !this.gLoss.warned && this.gLoss.length >= t.gLossRunawayLines) {
      this.gLoss.warned = true;
      warnings.push({
        step, condition: 'g-loss-runaway', metric: 'g_loss', sinceStep: this.gLoss.since, value: gLoss!,
        message: `g_loss has stayed above ${format(limit!)} since step ${this.gLoss.since} (${format(gLoss!)} at step ${step}; its early level was ${format(early!)}): the discriminator rejects every generated image`,
      });
    }

    // the grid statistics are logged at sample grids only: the lines between them neither extend nor break a stretch
    const spread = record[SAMPLE_SPREAD_METRIC];
    if (typeof spread === 'number' && Number.isFinite(spread)) {
      const confirmed = observeGrid(this.spread, spread, t.collapseSpreadRatio, t.collapseGrids, step);
      if (confirmed) {
        warnings.push({
          step, condition: 'collapse', metric: SAMPLE_SPREAD_METRIC, sinceStep: confirmed.since, value: spread,
          message: `the fixed-noise samples have collapsed: their spread has fallen under ${t.collapseSpreadRatio} of the real images' and stayed there since step ${confirmed.since} (${confirmed.length} grids; ${format(spread)} at step ${step})`,
        });
      }
    }
    // its own gate, a grid of many classes: an untrained generator's noise is varied in pixels (the spread's gate) yet
    // one or two "classes" to the classifier (a 6-step run's grids), and that is no collapse
    const classes = record[SAMPLE_CLASSES_METRIC];
    if (typeof classes === 'number' && Number.isFinite(classes)) {
      const confirmed = observeGrid(this.classes, classes, t.collapseClasses, t.collapseGrids, step);
      if (confirmed) {
        warnings.push({
          step, condition: 'collapse', metric: SAMPLE_CLASSES_METRIC, sinceStep: confirmed.since, value: classes,
          message: `the fixed-noise samples have collapsed onto a few classes: the reference classifier has seen fewer than ${t.collapseClasses} effective classes among them since step ${confirmed.since} (${confirmed.length} grids; ${format(classes)} at step ${step}); \`forger score\` gives the class shares`,
        });
      }
    }
    return warnings;
  }

  /**
   * The earliest step at which a stretch of one of `conditions` now under way began, warned of or not: a checkpoint
   * before it is the one to keep should the run stop on it. Undefined when all is well.
   */
  pendingSince(conditions: ReadonlySet<HealthCondition>): number | undefined {
    const since = [
      conditions.has('d-loss-zero') ? this.dLoss?.since : undefined,
      conditions.has('g-loss-runaway') ? this.gLoss?.since : undefined,
      conditions.has('collapse') ? this.spread.stretch?.since : undefined,
      conditions.has('collapse') ? this.classes.stretch?.since : undefined,
    ].filter((step): step is number => step !== undefined);
    return since.length === 0 ? undefined : Math.min(...since);
  }
}

/** A grid statistic the collapse check watches: its stretch under the limit, and whether a grid has reached the limit. */
interface GridWatch {
  stretch: Stretch | undefined;
  reached: boolean;
}

/**
 * One grid's value: under `limit`, after some grid at or above it, extends the stretch; the stretch is returned once,
 * when it reaches `grids` grids (a collapse confirmed), else undefined. Mode collapse is the loss of a variety the
 * generator had (Salimans et al. 2016, section 3.2): a generator that has not yet reached the limit is not collapsing.
 */
function observeGrid(watch: GridWatch, value: number, limit: number, grids: number, step: number): Stretch | undefined {
  watch.stretch = extend(watch.stretch, watch.reached && value < limit, step);
  if (value >= limit) watch.reached = true;
  if (!watch.stretch || watch.stretch.warned || watch.stretch.length < grids) return undefined;
  watch.stretch.warned = true;
  return watch.stretch;
}

function extend(stretch: Stretch | undefined, holds: boolean, step: number): Stretch | undefined {
  if (!holds) return undefined;
  return stretch ? { ...stretch, length: stretch.length + 1 } : { since: step, length: 1, warned: false };
}

function finite(value: number | null | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function format(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

/** "d-loss-zero,collapse" → the conditions; throws (a plain Error, for the flag parser) naming the choices. */
export function parseHealthConditions(value: string): HealthCondition[] {
  const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) throw new Error(`expected a comma list of ${HEALTH_CONDITIONS.join(', ')}, got "${value}".`);
  for (const name of names) {
    if (!(HEALTH_CONDITIONS as readonly string[]).includes(name)) {
      throw new Error(`"${name}" is not a health condition: expected a comma list of ${HEALTH_CONDITIONS.join(', ')}.`);
    }
  }
  return [...new Set(names)] as HealthCondition[];
}

import { drawGrid, type SampleBatch } from '@forger/sampler-web';
import type { SamplerSession } from './sampler-session.js';

// 8×8 = 64, the batch size the speed readout and the benchmark talk about.
const gridCols = 8;
const gridCount = 64;

export interface SamplesPanelElements {
  grid: HTMLCanvasElement;
  caption: HTMLElement;
  seed: HTMLInputElement;
  resample: HTMLButtonElement;
  niceToggle: HTMLElement;
  nice: HTMLInputElement;
  timing: HTMLOutputElement;
  /** Time from opening the page to the first grid on screen (performance.now() counts from navigation start). */
  firstImage: HTMLOutputElement;
  /** The keyboard cursor drawn over the grid (a box the size of one tile). */
  cursor: HTMLElement;
  /** Says which digit the keyboard cursor is on, for screen readers. */
  cursorLabel: HTMLElement;
}

/**
 * The grid of 64 samples for one seed. "New samples" moves to a fresh seed;
 * "nice" (keras-dcgan's --nice) keeps the 64 the discriminator likes best out
 * of 256 and is only offered when the checkpoint has a discriminator.
 */
export class SamplesPanel {
  private batch: SampleBatch | undefined;
  private renders = 0;
  private firstImageMs: number | undefined;
  /** The tile the keyboard cursor is on (arrow keys move it, Enter or Space picks it). */
  private cursorIndex = 0;
  /** The class a conditional model should draw (the digit picker), undefined for any. */
  classOf: () => number | undefined = () => undefined;

  constructor(
    private readonly session: SamplerSession,
    private readonly el: SamplesPanelElements,
    private readonly onError: (what: string, e: unknown) => void,
    private readonly onPick: (z: Float32Array, index: number) => void,
  ) {
    el.resample.addEventListener('click', () => {
      el.seed.value = String(Math.floor(Math.random() * 100_000));
      void this.render();
    });
    el.seed.addEventListener('change', () => void this.render());
    el.nice.addEventListener('change', () => void this.render());
    el.grid.addEventListener('click', (event) => this.pickAt(event));
    el.grid.addEventListener('keydown', (event) => this.onKey(event));
    this.moveCursor(0);
  }

  /** Called when a new sampler is loaded. */
  reset(): void {
    const hasDiscriminator = this.session.sampler?.info.hasDiscriminator ?? false;
    this.el.niceToggle.hidden = !hasDiscriminator;
    if (!hasDiscriminator) this.el.nice.checked = false;
  }

  render(): Promise<void> {
    const seed = Number(this.el.seed.value) || 0;
    this.el.resample.disabled = true;
    return this.session
      .run(async () => {
        const sampler = this.session.sampler;
        if (!sampler) return;
        const nice = this.el.nice.checked && sampler.info.hasDiscriminator;
        const classLabel = sampler.info.conditional ? this.classOf() : undefined;
        const chosen = classLabel === undefined ? {} : { classLabel };
        const batch = nice ? await sampler.rank(gridCount, { oversample: 4, seed, ...chosen }) : await sampler.sample({ count: gridCount, seed, ...chosen });
        this.batch = batch;
        drawGrid(this.el.grid, batch.images, gridCols);
        const className = classLabel === undefined ? undefined : (sampler.info.classNames[classLabel] ?? String(classLabel));
        this.el.caption.textContent = `· seed ${seed}${nice ? ' · nice' : ''}${className === undefined ? '' : ` · digit ${className}`}`;
        const perBatch = nice ? `${batch.milliseconds.toFixed(0)} ms for 256 + ranking` : `${batch.milliseconds.toFixed(1)} ms / batch of 64`;
        this.el.timing.textContent = `${perBatch} · ${sampler.backend}`;
        this.el.timing.title = sampler.backendDetail;
        if (this.firstImageMs === undefined) {
          this.firstImageMs = performance.now();
          this.el.firstImage.textContent = `${(this.firstImageMs / 1000).toFixed(1)} s`;
          this.el.firstImage.dataset.ms = this.firstImageMs.toFixed(0);
        }
        // Hooks for the end-to-end tests: which seed and backend the canvas shows now.
        Object.assign(this.el.grid.dataset, {
          seed: String(seed),
          backend: sampler.backend,
          model: sampler.info.family,
          nice: String(nice),
          classLabel: classLabel === undefined ? 'any' : String(classLabel),
          renders: String(++this.renders),
          ms: batch.milliseconds.toFixed(2),
        });
      })
      .catch((e: unknown) => this.onError('Could not generate samples', e))
      .finally(() => {
        this.el.resample.disabled = false;
      });
  }

  private pickAt(event: MouseEvent): void {
    const rows = Math.ceil(gridCount / gridCols);
    const rect = this.el.grid.getBoundingClientRect();
    const col = Math.floor(((event.clientX - rect.left) / rect.width) * gridCols);
    const row = Math.floor(((event.clientY - rect.top) / rect.height) * rows);
    this.moveCursor(row * gridCols + col);
    this.pick(this.cursorIndex);
  }

  /** The same choice without a mouse: arrows move over the 8×8 tiles, Home/End jump, Enter or Space picks. */
  private onKey(event: KeyboardEvent): void {
    const steps: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -gridCols, ArrowDown: gridCols };
    if (event.key in steps) this.moveCursor(this.cursorIndex + steps[event.key]!);
    else if (event.key === 'Home') this.moveCursor(0);
    else if (event.key === 'End') this.moveCursor(gridCount - 1);
    else if (event.key === 'Enter' || event.key === ' ') this.pick(this.cursorIndex);
    else return;
    event.preventDefault();
  }

  private moveCursor(index: number): void {
    this.cursorIndex = Math.min(gridCount - 1, Math.max(0, index));
    const rows = Math.ceil(gridCount / gridCols);
    const row = Math.floor(this.cursorIndex / gridCols);
    const col = this.cursorIndex % gridCols;
    Object.assign(this.el.cursor.style, {
      left: `${(col / gridCols) * 100}%`,
      top: `${(row / rows) * 100}%`,
      width: `${100 / gridCols}%`,
      height: `${100 / rows}%`,
    });
    this.el.cursorLabel.textContent = `Digit ${this.cursorIndex + 1} of ${gridCount} (row ${row + 1}, column ${col + 1}): Enter puts it in the arithmetic`;
    this.el.grid.dataset.cursor = String(this.cursorIndex);
  }

  private pick(index: number): void {
    const batch = this.batch;
    const sampler = this.session.sampler;
    if (!batch || !sampler) return;
    const dim = sampler.info.latentDim;
    if (index >= 0 && index < batch.images.length) this.onPick(batch.z.slice(index * dim, (index + 1) * dim), index);
  }
}

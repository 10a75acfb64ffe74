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
}

/**
 * The grid of 64 samples for one seed. "New samples" moves to a fresh seed;
 * "nice" (keras-dcgan's --nice) keeps the 64 the discriminator likes best out
 * of 256 and is only offered when the checkpoint has a discriminator.
 */
export class SamplesPanel {
  private batch: SampleBatch | undefined;
  private renders = 0;

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
    el.grid.addEventListener('click', (event) => this.pick(event));
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
        const batch = nice ? await sampler.rank(gridCount, { oversample: 4, seed }) : await sampler.sample({ count: gridCount, seed });
        this.batch = batch;
        drawGrid(this.el.grid, batch.images, gridCols);
        this.el.caption.textContent = `· seed ${seed}${nice ? ' · nice' : ''}`;
        const perBatch = nice ? `${batch.milliseconds.toFixed(0)} ms for 256 + ranking` : `${batch.milliseconds.toFixed(1)} ms / batch of 64`;
        this.el.timing.textContent = `${perBatch} · ${sampler.backend}`;
        this.el.timing.title = sampler.backendDetail;
        // Hooks for the end-to-end tests: which seed and backend the canvas shows now.
        Object.assign(this.el.grid.dataset, {
          seed: String(seed),
          backend: sampler.backend,
          model: sampler.info.family,
          nice: String(nice),
          renders: String(++this.renders),
          ms: batch.milliseconds.toFixed(2),
        });
      })
      .catch((e: unknown) => this.onError('Could not generate samples', e))
      .finally(() => {
        this.el.resample.disabled = false;
      });
  }

  private pick(event: MouseEvent): void {
    const batch = this.batch;
    const sampler = this.session.sampler;
    if (!batch || !sampler) return;
    const rect = this.el.grid.getBoundingClientRect();
    const col = Math.floor(((event.clientX - rect.left) / rect.width) * gridCols);
    const row = Math.floor(((event.clientY - rect.top) / rect.height) * Math.ceil(batch.images.length / gridCols));
    const index = row * gridCols + col;
    const dim = sampler.info.latentDim;
    if (index >= 0 && index < batch.images.length) this.onPick(batch.z.slice(index * dim, (index + 1) * dim), index);
  }
}

import { drawGrid, type GeneratedImage } from '@forger/sampler-web';
import { showClass } from './class-picker.js';
import type { SamplerSession } from './sampler-session.js';

const stripFrames = 10;
const animationFrames = 48;
const frameMs = 70;

export interface InterpolationElements {
  from: HTMLInputElement;
  to: HTMLInputElement;
  play: HTMLButtonElement;
  frame: HTMLCanvasElement;
  strip: HTMLCanvasElement;
  /** Says which class a conditional model walks in; hidden for an unconditional one. */
  classNote: HTMLElement;
}

/**
 * A latent walk between two seeds: a strip of 10 stills and a looping
 * animation. All frames are generated in one batch up front, so the animation
 * itself costs nothing but drawing, on any backend.
 */
export class InterpolationPanel {
  private frames: GeneratedImage[] = [];
  private playing = true;
  private timer: ReturnType<typeof setInterval> | undefined;
  private position = 0;
  /** A conditional model's class for the whole walk (ClassPicker.panelClass), undefined for an unconditional model. */
  classOf: () => { classLabel: number; text: string } | undefined = () => undefined;

  constructor(
    private readonly session: SamplerSession,
    private readonly el: InterpolationElements,
    private readonly onError: (what: string, e: unknown) => void,
  ) {
    el.from.addEventListener('change', () => void this.render());
    el.to.addEventListener('change', () => void this.render());
    el.play.addEventListener('click', () => {
      this.playing = !this.playing;
      el.play.textContent = this.playing ? 'Pause' : 'Play';
      this.animate();
    });
  }

  render(): Promise<void> {
    return this.session
      .run(async () => {
        const sampler = this.session.sampler;
        if (!sampler) return;
        const z0 = sampler.latent(1, Number(this.el.from.value) || 0);
        const z1 = sampler.latent(1, Number(this.el.to.value) || 0);
        // One class for every frame of a conditional model: only z moves along the walk.
        const chosen = sampler.info.conditional ? this.classOf() : undefined;
        const classLabel = chosen ? { classLabel: chosen.classLabel } : {};
        const strip = await sampler.sample({ z: sampler.interpolate(z0, z1, stripFrames), ...classLabel });
        drawGrid(this.el.strip, strip.images, stripFrames);
        // There and back again, so the loop has no jump.
        const half = await sampler.sample({ z: sampler.interpolate(z0, z1, animationFrames / 2), ...classLabel });
        this.frames = [...half.images, ...half.images.slice().reverse()];
        showClass(this.el.classNote, this.el.strip, chosen);
        this.el.strip.dataset.renders = String(Number(this.el.strip.dataset.renders ?? 0) + 1);
        this.position = 0;
        this.animate();
      })
      .catch((e: unknown) => this.onError('Could not interpolate', e));
  }

  private animate(): void {
    clearInterval(this.timer);
    this.drawFrame();
    if (!this.playing) return;
    this.timer = setInterval(() => {
      this.position = (this.position + 1) % Math.max(1, this.frames.length);
      this.drawFrame();
    }, frameMs);
  }

  private drawFrame(): void {
    const frame = this.frames[this.position];
    if (frame) drawGrid(this.el.frame, [frame], 1, { gap: 0 });
  }
}

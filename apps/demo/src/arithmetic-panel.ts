import { drawGrid } from '@forger/sampler-web';
import { showClass } from './class-picker.js';
import type { SamplerSession } from './sampler-session.js';

type Slot = 'a' | 'b' | 'c';
const slots: Slot[] = ['a', 'b', 'c'];

/**
 * A − B + C in latent space. Each slot holds one latent vector, from its seed
 * box or from a digit clicked in the sample grid (filling the slots in turn).
 */
export class ArithmeticPanel {
  private readonly z = new Map<Slot, Float32Array>();
  private next = 0;
  /** A conditional model's class for all four images (ClassPicker.panelClass), undefined for an unconditional model. */
  classOf: () => { classLabel: number; text: string } | undefined = () => undefined;

  constructor(
    private readonly session: SamplerSession,
    private readonly equation: HTMLElement,
    private readonly result: HTMLCanvasElement,
    private readonly classNote: HTMLElement,
    private readonly onError: (what: string, e: unknown) => void,
  ) {
    for (const slot of slots) {
      this.input(slot).addEventListener('change', () => {
        this.z.delete(slot);
        this.input(slot).placeholder = '';
        void this.render();
      });
    }
    this.highlightNext();
  }

  /**
   * Seeds decide every slot again (after a model change: latent sizes may differ). A slot filled from the grid
   * gets back the seed it had before, so the three slots are not all seed 0 (A = B = C).
   */
  reset(): void {
    this.z.clear();
    for (const slot of slots) {
      const input = this.input(slot);
      if (input.value === '') input.value = input.dataset.seed ?? input.defaultValue;
      input.placeholder = '';
    }
    this.next = 0;
    this.highlightNext();
  }

  /** A digit picked in the sample grid goes into the next slot. */
  pick(z: Float32Array, label: string): void {
    const slot = slots[this.next]!;
    this.z.set(slot, z);
    if (this.input(slot).value !== '') this.input(slot).dataset.seed = this.input(slot).value;
    this.input(slot).value = '';
    this.input(slot).placeholder = label;
    this.next = (this.next + 1) % slots.length;
    this.highlightNext();
    void this.render();
  }

  render(): Promise<void> {
    return this.session
      .run(async () => {
        const sampler = this.session.sampler;
        if (!sampler) return;
        const vectors = slots.map((slot) => this.z.get(slot) ?? sampler.latent(1, Number(this.input(slot).value) || 0));
        const [a, b, c] = vectors as [Float32Array, Float32Array, Float32Array];
        // One class for A, B, C and the result of a conditional model: the arithmetic is in z alone.
        const chosen = sampler.info.conditional ? this.classOf() : undefined;
        const batch = await sampler.sample({ z: concat([a, b, c, sampler.arithmetic(a, b, c)]), ...(chosen ? { classLabel: chosen.classLabel } : {}) });
        slots.forEach((slot, i) => drawGrid(this.canvas(slot), [batch.images[i]!], 1, { gap: 0 }));
        drawGrid(this.result, [batch.images[3]!], 1, { gap: 0 });
        showClass(this.classNote, this.result, chosen);
        this.result.dataset.renders = String(Number(this.result.dataset.renders ?? 0) + 1);
      })
      .catch((e: unknown) => this.onError('Could not compute the arithmetic', e));
  }

  private slotElement(slot: Slot): HTMLElement {
    return this.equation.querySelector<HTMLElement>(`[data-slot="${slot}"]`)!;
  }
  private input(slot: Slot): HTMLInputElement {
    return this.slotElement(slot).querySelector('input')!;
  }
  private canvas(slot: Slot): HTMLCanvasElement {
    return this.slotElement(slot).querySelector('canvas')!;
  }
  private highlightNext(): void {
    slots.forEach((slot, i) => this.slotElement(slot).classList.toggle('next', i === this.next));
  }
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

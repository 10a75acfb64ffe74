import type { SamplerInfo } from '@forger/sampler-web';

/**
 * The digit picker of a conditional (acgan) model: a radio group, "Any" then one radio per class, so the keyboard
 * works as in every radio group (Tab in, arrow keys choose) and the demo's :focus-visible ring shows on it. Hidden
 * for an unconditional model, which cannot draw a given class (its sampler would refuse one).
 */
export class ClassPicker {
  private readonly group: string;

  constructor(
    private readonly fieldset: HTMLFieldSetElement,
    private readonly onChange: () => void,
  ) {
    this.group = `${fieldset.id}-choice`;
    fieldset.hidden = true;
  }

  /** The class to draw, or undefined for "Any" (and for an unconditional model). */
  get value(): number | undefined {
    if (this.fieldset.hidden) return undefined;
    const checked = this.fieldset.querySelector<HTMLInputElement>(`input[name="${this.group}"]:checked`);
    return checked && checked.value !== 'any' ? Number(checked.value) : undefined;
  }

  /**
   * The one class the interpolation and arithmetic panels draw for a conditional model, and how they name it: the
   * picked digit, or under "Any" the first class (a walk or a sum whose images cycle through the classes would mix
   * digits). Undefined for an unconditional model.
   */
  panelClass(): { classLabel: number; text: string } | undefined {
    if (this.fieldset.hidden) return undefined;
    const picked = this.value;
    const classLabel = picked ?? 0;
    const name = this.nameOf(classLabel);
    return { classLabel, text: picked === undefined ? `Digit ${name} (pick a digit under Samples to change it)` : `Digit ${name}` };
  }

  private nameOf(classLabel: number): string {
    const input = this.fieldset.querySelector<HTMLInputElement>(`input[name="${this.group}"][value="${classLabel}"]`);
    return input?.parentElement?.textContent?.trim() || String(classLabel);
  }

  /** Called when a new sampler is loaded: one radio per class of a conditional model, back on "Any". */
  reset(info: SamplerInfo | undefined): void {
    for (const label of [...this.fieldset.querySelectorAll('label')]) label.remove();
    this.fieldset.hidden = !info?.conditional;
    if (!info?.conditional) return;
    const names = info.classNames.length === info.numClasses ? info.classNames : Array.from({ length: info.numClasses }, (_, i) => String(i));
    this.fieldset.append(this.radio('any', 'Any', true), ...names.map((name, i) => this.radio(String(i), name, false)));
  }

  private radio(value: string, text: string, checked: boolean): HTMLLabelElement {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = this.group;
    input.value = value;
    input.checked = checked;
    input.addEventListener('change', () => this.onChange());
    label.append(input, ` ${text}`);
    return label;
  }
}

/**
 * Labels a panel with the class it drew (`note` says it, `canvas.dataset.classLabel` holds it for the tests), or hides
 * the label for an unconditional model.
 */
export function showClass(note: HTMLElement, canvas: HTMLElement, chosen: { classLabel: number; text: string } | undefined): void {
  note.hidden = chosen === undefined;
  note.textContent = chosen?.text ?? '';
  canvas.dataset.classLabel = chosen === undefined ? 'none' : String(chosen.classLabel);
}

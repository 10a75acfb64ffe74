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

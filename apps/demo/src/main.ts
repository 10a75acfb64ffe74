import type { BackendPreference, CheckpointSource, Sampler } from '@forger/sampler-web';
import { ArithmeticPanel } from './arithmetic-panel.js';
import { bundledCheckpoints } from './checkpoint-catalog.js';
import { watchCheckpointDrop } from './checkpoint-drop.js';
import { ErrorBanner } from './error-banner.js';
import { InterpolationPanel } from './interpolation-panel.js';
import { renderModelCard } from './model-card.js';
import { drawRealDigits } from './real-digits.js';
import { SamplerSession } from './sampler-session.js';
import { SamplesPanel } from './samples-panel.js';

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`demo page is missing #${id}`);
  return el as T;
};

const session = new SamplerSession();
const banner = new ErrorBanner($('error'), $('error-title'), $('error-message'), $<HTMLButtonElement>('error-close'));
const status = $('status');
const modelSelect = $<HTMLSelectElement>('model');
const customOption = new Option('Your checkpoint', 'custom');
let customFile: File | undefined;
let shownModel = '';

const reportError = (what: string, error: unknown): void => {
  banner.show(what, error);
  console.warn(what, error);
};

const samples = new SamplesPanel(
  session,
  {
    grid: $('samples-grid'),
    caption: $('grid-caption'),
    seed: $('seed'),
    resample: $('resample'),
    niceToggle: $('nice-toggle'),
    nice: $('nice'),
    timing: $('timing'),
  },
  reportError,
  (z, index) => arithmetic.pick(z, `#${index + 1}`),
);
const interpolation = new InterpolationPanel(
  session,
  { from: $('interp-from'), to: $('interp-to'), play: $('interp-play'), frame: $('interp-frame'), strip: $('interp-strip') },
  reportError,
);
const arithmetic = new ArithmeticPanel(session, $('equation'), $('arith-result'), reportError);

for (const c of bundledCheckpoints) modelSelect.add(new Option(c.label, c.id));

session.onChange((sampler) => {
  renderModelCard($('model-info'), sampler);
  status.textContent = `${sampler.backend} · ${sampler.backendDetail}` + (sampler.skippedBackends.length ? ` (${sampler.skippedBackends.join('; ')})` : '');
  samples.reset();
  arithmetic.reset();
  void samples.render();
  void interpolation.render();
  void arithmetic.render();
});

function selectedBackend(): BackendPreference {
  return (document.querySelector<HTMLInputElement>('input[name="backend"]:checked')?.value ?? 'auto') as BackendPreference;
}

function sourceFor(model: string): { source: CheckpointSource; name: string } | undefined {
  if (model === 'custom') return customFile ? { source: customFile, name: customFile.name } : undefined;
  const bundled = bundledCheckpoints.find((c) => c.id === model);
  return bundled ? { source: bundled.url, name: bundled.label } : undefined;
}

/** Loads the model and backend the controls show; on failure the page returns to what it showed before. */
async function loadSelected(): Promise<Sampler | undefined> {
  const model = modelSelect.value;
  const target = sourceFor(model);
  if (!target) return undefined;
  document.body.dataset.status = 'loading';
  status.textContent = `Loading ${target.name}…`;
  try {
    const sampler = await session.load(target.source, selectedBackend());
    banner.clear();
    shownModel = model;
    return sampler;
  } catch (error) {
    reportError(`Could not load ${target.name}`, error);
    modelSelect.value = shownModel;
    const current = session.sampler;
    const radio = current && document.querySelector<HTMLInputElement>(`input[name="backend"][value="${current.backend}"]`);
    if (radio && selectedBackend() !== 'auto') radio.checked = true;
    if (current) status.textContent = `${current.backend} · ${current.backendDetail}`;
    return undefined;
  } finally {
    document.body.dataset.status = session.sampler ? 'ready' : 'error';
  }
}

modelSelect.addEventListener('change', () => void loadSelected());
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="backend"]')) {
  radio.addEventListener('change', () => void loadSelected());
}
watchCheckpointDrop($('dropzone'), $<HTMLInputElement>('file'), (file) => {
  customFile = file;
  customOption.text = `Your checkpoint: ${file.name}`;
  if (!customOption.parentElement) modelSelect.add(customOption);
  modelSelect.value = 'custom';
  void loadSelected();
});

drawRealDigits($('real-grid'), 'mnist-test-64.idx').catch((e: unknown) => reportError('Could not load the real MNIST digits', e));
modelSelect.value = bundledCheckpoints[0]!.id;
void loadSelected();

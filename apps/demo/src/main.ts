import type { BackendPreference, CheckpointSource, Sampler } from '@forger/sampler-web';
import { ArithmeticPanel } from './arithmetic-panel.js';
import { ClassPicker } from './class-picker.js';
import { bundledCheckpoints } from './checkpoint-catalog.js';
import { watchCheckpointDrop } from './checkpoint-drop.js';
import { ErrorBanner } from './error-banner.js';
import { InterpolationPanel } from './interpolation-panel.js';
import { renderModelCard } from './model-card.js';
import { drawRealDigits } from './real-digits.js';
import { LoadSuperseded, SamplerSession } from './sampler-session.js';
import { SamplesPanel } from './samples-panel.js';
import { probeWebGpuAdapter } from './webgpu-adapter.js';

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`demo page is missing #${id}`);
  return el as T;
};

/**
 * How long the model menu and backend radios must rest before their choice loads. Arrow keys fire `change` on every
 * option they pass (Auto → WebGPU → WASM); without this each one would start a load, and a WebGPU load on a
 * CPU-emulated adapter costs tens of seconds.
 */
const choiceSettleMs = 300;

const session = new SamplerSession();
const banner = new ErrorBanner($('error'), $('error-title'), $('error-message'), $('error-details'), $<HTMLButtonElement>('error-close'));
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
    firstImage: $('first-image'),
    cursor: $('grid-cursor'),
    cursorLabel: $('grid-cursor-label'),
  },
  reportError,
  (z, index) => arithmetic.pick(z, `#${index + 1}`),
);
const interpolation = new InterpolationPanel(
  session,
  { from: $('interp-from'), to: $('interp-to'), play: $('interp-play'), frame: $('interp-frame'), strip: $('interp-strip'), classNote: $('interp-class') },
  reportError,
);
const arithmetic = new ArithmeticPanel(session, $('equation'), $('arith-result'), $('arith-class'), reportError);
// conditional (acgan) models only: which digit the grid, the interpolation and the arithmetic draw
const classPicker = new ClassPicker($<HTMLFieldSetElement>('digit-class'), () => {
  void samples.render();
  void interpolation.render();
  void arithmetic.render();
});
samples.classOf = () => classPicker.value;
interpolation.classOf = () => classPicker.panelClass();
arithmetic.classOf = () => classPicker.panelClass();

for (const c of bundledCheckpoints) modelSelect.add(new Option(c.label, c.id));

const backendNames: Record<string, string> = { webgpu: 'WebGPU', wasm: 'WASM' };

/** A short line for visitors; the detail (and why other backends were skipped) is in the tooltip. */
function showReady(sampler: Sampler): void {
  status.textContent = `Ready · ${backendNames[sampler.backend] ?? sampler.backend}`;
  status.title = [sampler.backendDetail, ...sampler.skippedBackends].filter(Boolean).join('\n');
}

session.onChange((sampler) => {
  renderModelCard($('model-info'), sampler);
  showReady(sampler);
  samples.reset();
  classPicker.reset(sampler.info);
  arithmetic.reset();
  void samples.render();
  void interpolation.render();
  void arithmetic.render();
});

// For the tests: which choices really started a load, and which of those a newer choice aborted.
session.onLoadStart(() => (document.body.dataset.loads = session.started.join('|')));

function selectedBackend(): BackendPreference {
  return (document.querySelector<HTMLInputElement>('input[name="backend"]:checked')?.value ?? 'auto') as BackendPreference;
}

function sourceFor(model: string, file = customFile): { source: CheckpointSource; name: string } | undefined {
  if (model === 'custom') return file ? { source: file, name: file.name } : undefined;
  const bundled = bundledCheckpoints.find((c) => c.id === model);
  return bundled ? { source: bundled.url, name: bundled.label } : undefined;
}

/**
 * Loads the model and backend the controls show (or a dropped file); on failure the page returns to what it showed
 * before: the menu, the radios and the custom entry are only changed once the new sampler is running.
 */
async function loadSelected(droppedFile?: File): Promise<Sampler | undefined> {
  const model = droppedFile ? 'custom' : modelSelect.value;
  const target = sourceFor(model, droppedFile ?? customFile);
  if (!target) return undefined;
  const current = session.sampler;
  if (!droppedFile && current && model === shownModel && selectedBackend() === current.backend) {
    // Already showing this model on this backend (e.g. Auto chose WASM, then WASM was picked): nothing to load,
    // and whatever the visitor passed over on the way here is cancelled.
    session.supersede();
    showReady(current);
    document.body.dataset.status = session.busyLoading() ? 'loading' : 'ready';
    if (session.busyLoading()) void session.run(async () => undefined).then(() => (document.body.dataset.status = 'ready'));
    return current;
  }
  document.body.dataset.status = 'loading';
  status.textContent = `Loading ${target.name}…`;
  try {
    const sampler = await session.load(target.source, selectedBackend(), target.name);
    banner.clear();
    if (droppedFile) {
      customFile = droppedFile;
      customOption.text = `Your checkpoint: ${droppedFile.name}`;
      if (!customOption.parentElement) modelSelect.add(customOption);
      modelSelect.value = 'custom';
    }
    shownModel = model;
    return sampler;
  } catch (error) {
    if (error instanceof LoadSuperseded) {
      document.body.dataset.aborted = session.aborted.join('|');
      return undefined; // a newer choice is loading; it reports for itself
    }
    reportError(`Could not load ${target.name}`, error);
    modelSelect.value = shownModel;
    const current = session.sampler;
    const radio = current && document.querySelector<HTMLInputElement>(`input[name="backend"][value="${current.backend}"]`);
    if (radio && selectedBackend() !== 'auto') radio.checked = true;
    if (current) showReady(current);
    return undefined;
  } finally {
    if (!session.busyLoading()) document.body.dataset.status = session.sampler ? 'ready' : 'error';
  }
}

/** Applies the menu's and radios' choice once they have rested (see choiceSettleMs). */
let settleTimer: ReturnType<typeof setTimeout> | undefined;
function choiceChanged(): void {
  clearTimeout(settleTimer);
  document.body.dataset.status = 'loading';
  settleTimer = setTimeout(() => void loadSelected(), choiceSettleMs);
}
modelSelect.addEventListener('change', choiceChanged);
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="backend"]')) radio.addEventListener('change', choiceChanged);

watchCheckpointDrop($('dropzone'), $<HTMLInputElement>('file'), (file) => {
  clearTimeout(settleTimer);
  void loadSelected(file);
});

/** Names the WebGPU adapter, and a CPU emulation as such with its cost, before WebGPU can be chosen. */
async function describeWebGpu(): Promise<void> {
  const radio = document.querySelector<HTMLInputElement>('input[name="backend"][value="webgpu"]')!;
  const note = $('webgpu-note');
  const probe = await probeWebGpuAdapter();
  radio.dataset.adapter = probe.kind;
  if (probe.kind === 'none') {
    note.textContent = 'not available in this browser';
    return; // stays disabled
  }
  if (probe.kind === 'software') {
    // Measured with the bundled DCGAN (three extra layers in each network) in Debian's chromium on 2 cores, nothing
    // else running (2026-12-07): SwiftShader 10.1–12.7 s per batch of 64 once its pipelines are built (20 s for the
    // first), WASM 0.47–0.76 s; the two-layer DCGAN before it, in the same conditions, 6.6–11.3 s against 0.42–0.50 s.
    note.textContent = `CPU-emulated (${probe.name}): about 20× slower than WASM, ~11 s per DCGAN batch`;
    note.classList.add('warning');
  } else {
    note.textContent = probe.name;
  }
  radio.disabled = false;
}

drawRealDigits($('real-grid'), 'mnist-test-64.idx').catch((e: unknown) => reportError('Could not load the real MNIST digits', e));
modelSelect.value = bundledCheckpoints[0]!.id;
void describeWebGpu();
void loadSelected();

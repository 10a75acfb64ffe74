import type { Sampler } from '@forger/sampler-web';
import { withoutMachinePaths } from './display-text.js';

/**
 * What the loaded checkpoint says about itself (its spec and provenance), so a
 * visitor knows what they are looking at, including a checkpoint's own note
 * (the bundled placeholders say they are untrained). Paths the trainer recorded are cut to file names.
 */
export function renderModelCard(list: HTMLElement, sampler: Sampler): void {
  const info = sampler.info;
  const p = info.provenance;
  const rows: Array<[string, string]> = [
    ['Family', `${info.family} (${info.variant})`],
    ['Latent', `z ∈ ℝ^${info.latentDim}, ${info.latentPrior === 'uniform' ? 'U(−1, 1)' : 'N(0, 1)'}`],
    ['Output', `${info.image.width}×${info.image.height}×${info.image.channels}, ${info.pixelRange === 'zero-one' ? 'sigmoid' : 'tanh'}`],
    ['Generator', `${(info.generatorParameters / 1e6).toFixed(2)} M parameters, ${info.weightsDType}`],
    ['File', `${(info.fileBytes / 1024).toFixed(0)} KB${info.hasDiscriminator ? ', with discriminator' : ', generator only'}`],
    ['Trained', [p.dataset, info.step !== undefined ? `${info.step} steps` : '', p.backend ? `on ${p.backend}` : ''].filter(Boolean).join(', ') || '–'],
    ['Backend', `${sampler.backend} (${sampler.backendDetail})`],
  ];
  list.replaceChildren();
  for (const [term, raw] of rows) {
    const value = withoutMachinePaths(raw);
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    list.append(dt, dd);
  }
  if (p.note) {
    const note = document.createElement('dd');
    note.className = 'note';
    note.textContent = withoutMachinePaths(p.note);
    list.append(note);
  }
}

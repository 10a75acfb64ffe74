import { describe, expect, it } from 'vitest';
import { smallCheckpoint } from '../test-support/fixtures.js';
import { exportForWeb } from './export-for-web.js';
import { formatCheckpointSummary, summarizeCheckpoint } from './summary.js';

describe('summarizeCheckpoint', () => {
  it('counts tensors, parameters, bytes and dtypes per network', () => {
    const s = summarizeCheckpoint(smallCheckpoint('dcgan', { dtype: 'float16', training: true }));
    // g_dense_1/kernel 5×8 + bias 8 + 4 batch-norm vectors of 8 + g_deconv/kernel 3×3×1×2 + bias 1.
    expect(s.generator).toEqual({
      tensors: 8,
      parameters: 40 + 8 + 32 + 18 + 1,
      bytes: (40 + 18) * 2 + (8 + 32 + 1) * 4,
      dtypes: { float16: 2, float32: 6 },
      layers: 6,
    });
    expect(s.discriminator.tensors).toBe(4);
    expect(s.discriminator.parameters).toBe(18 + 2 + 8 + 1);
    expect(s.training).toEqual({
      step: 1234,
      epoch: 2,
      optimizers: [
        { network: 'discriminator', kind: 'adam', iterations: 1234, slots: 8 },
        { network: 'generator', kind: 'adam', iterations: 1234, slots: 16 },
      ],
      resumable: true,
      config: { batchSize: 64, epochs: 5 }, // the recorded settings, from training.configJson
    });
    expect(s.family).toBe('dcgan');
    expect(s.provenance.backend).toBe('cpu');
  });

  it('prints what forger inspect shows', () => {
    const text = formatCheckpointSummary(summarizeCheckpoint(smallCheckpoint('ssgan', { training: true })));
    expect(text).toContain('model:         ssgan (ssgan-tensorflow)');
    expect(text).toContain('image:         4×4×1, pixels in [-1, 1]');
    expect(text).toContain('latent:        5-d N(0, 1)');
    expect(text).toContain('classes:       3 (zero, one, two)');
    expect(text).toMatch(/generator: {5}6 layers, 8 tensors \(8 float32\), 99 parameters, 396 B/);
    expect(text).toContain('training:      step 1234, epoch 2; discriminator adam @1234, generator adam @1234');
    expect(text).toContain('config:        batchSize=64 epochs=5');
    expect(text).toContain('provenance:    created 2026-11-26T23:00:00Z, forger 0.1.0, backend cpu, dataset mnist');
    expect(text).toContain('metrics:       d_loss=0.693 g_loss=1.25 images_per_second=1500');
    expect(text).not.toContain('conditional:');
  });

  it('says a conditional (acgan) generator draws a given class, and which', () => {
    const text = formatCheckpointSummary(summarizeCheckpoint(smallCheckpoint('acgan')));
    expect(text).toContain('model:         acgan (mlp)');
    expect(text).toContain('classes:       3 (zero, one, two)');
    expect(text).toContain('conditional:   the generator draws a given class (forger generate --class 0–2)');
  });

  it('shows a web export as generator only, without training', () => {
    const text = formatCheckpointSummary(summarizeCheckpoint(exportForWeb(smallCheckpoint('vanilla', { training: true }), { dtype: 'int8' })));
    expect(text).toContain('discriminator: none');
    expect(text).toContain('training:      none (inference only)');
    expect(text).toContain('2 int8, 2 float32');
    expect(text).toContain('latent:        5-d U(-1, 1)');
  });
});

import { describe, expect, it } from 'vitest';
import { createTaskProgress } from './task-progress.js';
import { captureStream as capture } from '../test-support/capture-stream.js';

describe('progress of score, eval and a large generate', () => {
  it('off a terminal: a line at every tenth of the work, with rate and ETA, never a line per batch', () => {
    const out = capture(false);
    let now = 0;
    const progress = createTaskProgress({ label: 'scoring', total: 20000, unit: 'images', stream: out.stream, clock: () => now });
    // 500 images a batch, one batch every 250 ms: 2,000 images/s
    for (let done = 0; done < 20000; done += 500) {
      now += 250;
      progress.advance(500);
    }
    progress.stop();
    const lines = out.text().trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('scoring: 2000/20000 images (10%), 2000 images/s, eta 9s');
    expect(lines[9]).toBe('scoring: 20000/20000 images (100%), 2000 images/s');
  });

  it('on a terminal: a bar with the count, rate and ETA on stderr', () => {
    const out = capture(true);
    let now = 0;
    const progress = createTaskProgress({ label: 'classifying', total: 1000, unit: 'images', stream: out.stream, clock: () => now });
    now += 500;
    progress.advance(500);
    progress.stop();
    expect(out.text()).toContain('classifying |');
    expect(out.text()).toContain('500/1000 images | 1000 images/s | ETA 1s');
  });
});

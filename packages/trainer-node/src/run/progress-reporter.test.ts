import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgressReporter, formatDuration } from './progress-reporter.js';
import { captureStream as capture } from '../test-support/capture-stream.js';

describe('progress reporting', () => {
  const record = { step: 500, epoch: 1, d_loss: 0.51234, g_loss: 2.5, d_real: 0.8, d_fake: 0.2, images_per_second: 3210.4, wall_time_s: 20 };

  it('prints plain lines with losses, images/s and an ETA when not on a terminal', () => {
    const out = capture(false);
    const reporter = createProgressReporter({ totalSteps: 1000, startStep: 0, startWallTimeS: 0, stream: out.stream, quiet: false, batchSize: 64 });
    reporter.update(record);
    reporter.stop();
    // 500 steps in 20 s, 500 left: 20 s to go
    expect(out.text()).toBe('step 500/1000 epoch 1 d_loss 0.5123 g_loss 2.5000 D(x) 0.800 D(G(z)) 0.200 3210 img/s eta 20s\n');
  });

  it("gives a resumed run's ETA from this process's pace, not the time of the run before it", () => {
    const out = capture(false);
    // resumed at step 400 after 1,000 s; this process did 100 steps in 10 s: 500 left at 0.1 s a step
    const reporter = createProgressReporter({ totalSteps: 1000, startStep: 400, startWallTimeS: 1000, stream: out.stream, quiet: true, batchSize: 64 });
    reporter.update({ ...record, wall_time_s: 1010 });
    expect(out.text()).toMatch(/ eta 50s\n$/);
  });

  it('prints plain lines on a terminal with --quiet', () => {
    const out = capture(true);
    const reporter = createProgressReporter({ totalSteps: 1000, startStep: 0, startWallTimeS: 0, stream: out.stream, quiet: true, batchSize: 64 });
    reporter.update(record);
    expect(out.text()).toMatch(/^step 500\/1000 /);
  });

  describe('the bar on a terminal', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    /** A run whose steps take 300 ms of (fake) wall time each; cli-progress throttles its redraws by Date.now. */
    function barRun(totalSteps: number) {
      vi.useFakeTimers({ toFake: ['Date'] });
      const base = Date.now();
      let now = 0;
      const out = capture(true);
      const reporter = createProgressReporter({ totalSteps, startStep: 0, startWallTimeS: 0, stream: out.stream, quiet: false, batchSize: 64, clock: () => now });
      const frames: string[] = [];
      const step = (n: number, record?: typeof fakeRecord): void => {
        now += 300;
        vi.setSystemTime(base + now);
        const before = out.text().length;
        if (record) reporter.update({ ...record, step: n });
        else reporter.tick(n);
        frames.push(out.text().slice(before));
      };
      return { out, reporter, frames, step };
    }
    const fakeRecord = { ...record, images_per_second: 9999 };

    it('advances step, img/s and ETA at every step, before the first log step too', () => {
      const { frames, step } = barRun(10);
      for (let n = 1; n <= 3; n++) step(n);
      // one step per 300 ms of 64 images: 213 img/s; 9 steps left at 3.33 steps/s: 3 s
      expect(frames[0]).toContain('step 1/10 | 213 img/s | ETA 3s | losses at the first log step');
      expect(frames[1]).toContain('step 2/10 | 213 img/s');
      expect(frames[2]).toContain('step 3/10 | 213 img/s | ETA 2s');
    });

    it('shows the losses of the last log step, marked with that step, until the next one', () => {
      const { frames, step, reporter, out } = barRun(1000);
      for (let n = 1; n <= 499; n++) step(n);
      step(500, fakeRecord);
      step(501);
      step(502);
      expect(frames[499]).toContain('step 500/1000 | 213 img/s');
      expect(frames[499]).toContain('d 0.512 g 2.500 D(x) 0.80 D(G(z)) 0.20 @step 500');
      // 498 steps left at 0.3 s each: 149 s
      expect(frames[501]).toContain('step 502/1000 | 213 img/s | ETA 2m29s | d 0.512 g 2.500 D(x) 0.80 D(G(z)) 0.20 @step 500');
      reporter.stop();
      expect(out.text()).not.toContain('9999');
    });
  });

  it('formats durations for humans', () => {
    expect(formatDuration(65)).toBe('1m05s');
    expect(formatDuration(3 * 3600 + 120)).toBe('3h02m');
    expect(formatDuration(Number.NaN)).toBe('?');
  });
});

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressReporter, formatDuration } from './progress-reporter.js';

function capture(isTTY: boolean): { stream: PassThrough & { isTTY?: boolean }; text: () => string } {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  stream.isTTY = isTTY;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('progress reporting', () => {
  const record = { step: 500, epoch: 1, d_loss: 0.51234, g_loss: 2.5, d_real: 0.8, d_fake: 0.2, images_per_second: 3210.4, wall_time_s: 20 };

  it('prints plain lines with losses, images/s and an ETA when not on a terminal', () => {
    const out = capture(false);
    const reporter = createProgressReporter({ totalSteps: 1000, startStep: 0, startWallTimeS: 0, stream: out.stream, quiet: false });
    reporter.update(record);
    reporter.stop();
    // 500 steps in 20 s, 500 left: 20 s to go
    expect(out.text()).toBe('step 500/1000 epoch 1 d_loss 0.5123 g_loss 2.5000 D(x) 0.800 D(G(z)) 0.200 3210 img/s eta 20s\n');
  });

  it("gives a resumed run's ETA from this process's pace, not the time of the run before it", () => {
    const out = capture(false);
    // resumed at step 400 after 1,000 s; this process did 100 steps in 10 s: 500 left at 0.1 s a step
    const reporter = createProgressReporter({ totalSteps: 1000, startStep: 400, startWallTimeS: 1000, stream: out.stream, quiet: true });
    reporter.update({ ...record, wall_time_s: 1010 });
    expect(out.text()).toMatch(/ eta 50s\n$/);
  });

  it('prints plain lines on a terminal with --quiet', () => {
    const out = capture(true);
    const reporter = createProgressReporter({ totalSteps: 1000, startStep: 0, startWallTimeS: 0, stream: out.stream, quiet: true });
    reporter.update(record);
    expect(out.text()).toMatch(/^step 500\/1000 /);
  });

  it('draws a bar with the step, losses and images/s on a terminal', () => {
    const out = capture(true);
    const reporter = createProgressReporter({ totalSteps: 1000, startStep: 0, startWallTimeS: 0, stream: out.stream, quiet: false });
    reporter.update(record);
    reporter.stop();
    expect(out.text()).toContain('step 500/1000');
    expect(out.text()).toContain('3210 img/s');
    expect(out.text()).toContain('d 0.512 g 2.500');
  });

  it('formats durations for humans', () => {
    expect(formatDuration(65)).toBe('1m05s');
    expect(formatDuration(3 * 3600 + 120)).toBe('3h02m');
    expect(formatDuration(Number.NaN)).toBe('?');
  });
});

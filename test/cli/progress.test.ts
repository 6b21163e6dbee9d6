import { describe, expect, it } from 'vitest';
import type { RunProgress } from '../../src/engine/training/run.js';
import type { RunSummary } from '../../src/analysis/summary.js';
import { BarReporter, LineReporter } from '../../src/node/progress.js';

/** A writable stand-in for a terminal that keeps what was written. */
function fakeTerminal(columns = 80) {
  const chunks: string[] = [];
  return { chunks, stream: { columns, write: (s: string) => chunks.push(s) > 0 } as unknown as NodeJS.WriteStream };
}

const progress = (step: number): RunProgress => ({
  id: 'lr0.1-seed1',
  lr: 0.1,
  seed: 1,
  step,
  totalSteps: 100,
  epoch: 0,
  loss: 0.5,
  samplesPerSecond: 20000,
  etaSeconds: 75,
  fluctuation: null,
});
const summary: RunSummary = {
  id: 'lr0.1-seed1',
  lr: 0.1,
  seed: 1,
  status: 'ok',
  divergedAtStep: null,
  error: null,
  testAccuracy: 0.951,
  testLoss: 0.17,
  testPsnr: null,
  steps: 100,
  samplesPerSecond: 20000,
  layers: [],
};

describe('terminal progress', () => {
  it('plain lines: one when a run starts and one when it ends, nothing per step', () => {
    const t = fakeTerminal();
    const r = new LineReporter(t.stream);
    r.start(2, 1);
    r.runStarted('lr0.1-seed1');
    r.progress();
    r.runFinished(summary);
    expect(t.chunks.join('')).toBe(
      'sweep: 2 runs to train (1 already finished)\n  start lr0.1-seed1\n  [1/2] lr0.1-seed1: test accuracy 95.1% (100 steps, 20000 samples/s)\n',
    );
  });

  it('live bars: redrawn in place at most every 200 ms, with steps, loss, speed and ETA', () => {
    let now = 1000;
    const t = fakeTerminal();
    const r = new BarReporter(t.stream, () => now);
    r.start(1, 0);
    r.runStarted('lr0.1-seed1');
    const before = t.chunks.length;
    now += 50;
    r.progress(progress(10)); // too soon: not drawn
    expect(t.chunks.length).toBe(before);
    now += 200;
    r.progress(progress(50));
    const frame = t.chunks.slice(before).join('');
    expect(frame).toContain('\x1b[2A\x1b[J'); // moves up over the two lines drawn before
    expect(frame).toMatch(/lr0\.1-seed1 +█+░+ 50\/100 loss 0\.5 20000\/s ETA 1m15s/);
    expect(frame).toMatch(/overall .* 0\/1 runs/);
    // fits the terminal's 80 columns once the cursor-movement escapes are left out
    expect(
      frame
        // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's escape sequences are what this test reads
        .replace(/\x1b\[\d*[AJ]/g, '')
        .split('\n')
        .map((l) => l.length)
        .every((n) => n <= 80),
    ).toBe(true);
  });

  it('live bars: a finished run becomes a permanent line above the bars', () => {
    const t = fakeTerminal();
    const r = new BarReporter(t.stream, () => 0);
    r.start(1, 0);
    r.runStarted('lr0.1-seed1');
    r.runFinished(summary);
    r.done();
    const out = t.chunks.join('');
    expect(out).toContain('  ✓ lr0.1-seed1: test accuracy 95.1% (100 steps, 20000 samples/s)\n');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's escape sequences are what this test reads
    expect(out).toMatch(/overall .* 1\/1 runs\n\x1b\[1A\x1b\[J$/);
  });

  it("plain lines: a fused run's samples/s is said to be its group's", () => {
    const t = fakeTerminal();
    const r = new LineReporter(t.stream);
    r.start(1, 0);
    r.runFinished({ ...summary, samplesPerSecond: 40000, groupRuns: 2 });
    expect(t.chunks.join('')).toContain('(100 steps, 40000 samples/s for its group of 2)\n');
  });

  it('live bars: the overall bar moves while the runs of a fused group train, before any of them ends', () => {
    let now = 0;
    const t = fakeTerminal();
    const r = new BarReporter(t.stream, () => now);
    const overallFilled = () => {
      const frame = t.chunks[t.chunks.length - 1];
      return (frame.match(/overall +(█*)/) ?? ['', ''])[1].length;
    };
    r.start(2, 0);
    r.runStarted('lr0.1-seed1');
    r.runStarted('lr0.01-seed1');
    expect(overallFilled()).toBe(0);
    now += 1000;
    r.progress({ ...progress(50), groupRuns: 2 });
    now += 1000;
    r.progress({ ...progress(50), id: 'lr0.01-seed1', groupRuns: 2 });
    const half = overallFilled();
    expect(half).toBeGreaterThan(0);
    expect(t.chunks[t.chunks.length - 1]).toMatch(/overall .* 0\/2 runs/);
    expect(t.chunks[t.chunks.length - 1]).toContain('20000/s group ETA');
    now += 1000;
    r.progress({ ...progress(100), groupRuns: 2 });
    expect(overallFilled()).toBeGreaterThan(half);
  });
});

import { describe, expect, it } from 'vitest';
import type { SweepResult } from '../../src/analysis/sweepResult.js';
import { outcomeTable } from '../../src/report/outcome.js';

/** A two-rate sweep of two seeds: η 0.1 (both ok), η 1 (one ok, one diverged); the band holds 0.1 only. */
const result = {
  aggregate: {
    outcome: { field: 'testAccuracy', label: 'test accuracy' },
    band: { lrs: [0.1], best: 0.1, min: 0.1, max: 0.1, threshold: 0.9 },
    lrs: [
      {
        lr: 0.1,
        counts: { ok: 2, diverged: 0, failed: 0 },
        runs: [
          { seed: 1, status: 'ok', outcome: 0.95 },
          { seed: 2, status: 'ok', outcome: 0.93 },
        ],
        outcome: { mean: 0.94, lo: 0.92, hi: 0.96, n: 2 },
        testLoss: { mean: 0.2, lo: 0.1, hi: 0.3, n: 2 },
      },
      {
        lr: 1,
        counts: { ok: 1, diverged: 1, failed: 0 },
        runs: [
          { seed: 1, status: 'ok', outcome: 0.5 },
          { seed: 2, status: 'diverged', outcome: null },
        ],
        outcome: { mean: 0.5, lo: 0.5, hi: 0.5, n: 1 },
        testLoss: null,
      },
    ],
  },
} as unknown as SweepResult;

describe('the outcome table', () => {
  it('lists the rates largest first with mean ± 95% half-width, each seed, the band and the best', () => {
    const t = outcomeTable(result);
    expect(t.header).toEqual(['η', 'runs', 'test accuracy', 'per seed', 'test loss']);
    expect(t.rows).toEqual([
      { lr: 1, cls: 'broken', cells: ['1', '1 ok, 1 diverged', '50.0%', '50.0%, diverged', '–'] },
      { lr: 0.1, cls: 'band', cells: ['0.1 ★', '2 ok', '94.0% ± 2.0%', '95.0%, 93.0%', '0.2 ± 0.1'] },
    ]);
  });
});

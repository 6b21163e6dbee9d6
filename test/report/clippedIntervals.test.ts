import { describe, expect, it } from 'vitest';
import type { SweepResult } from '../../src/analysis/sweepResult.js';
import type { Interval } from '../../src/analysis/stats.js';
import { clippedRange, countOf, FRACTION, meanPm, NONNEGATIVE, percent } from '../../src/report/format.js';
import { outcomeTable } from '../../src/report/outcome.js';
import { bandLine } from '../../src/report/table.js';
import { layerCells } from '../../src/report/html.js';
import type { LayerAggregate } from '../../src/analysis/aggregate.js';
import { pm, pmUnits } from '../../src/studies/paper/paperText.js';

/** `reproduce --quick`'s nearly inactive units at η = 0.01 over two seeds: 28.5 ± 95 of 72. */
const inactive: Interval = { mean: 28.5, lo: 28.5 - 95, hi: 28.5 + 95, n: 2 };

describe('intervals clipped to what the quantity can take', () => {
  it('a count of 72 units whose ± leaves 0–72 prints as the clipped range, not "28.5 ± 95"', () => {
    expect(pmUnits(inactive, 72)).toBe('28.5 (0–72)');
    expect(pm(inactive)).toBe('28.5 ± 95'); // unbounded, as before
    expect(clippedRange(inactive, countOf(72))).toEqual([0, 72]);
  });

  it('keeps mean ± half-width where the interval lies within the bounds, and clips only the side that leaves them', () => {
    expect(pmUnits({ mean: 56.5, lo: 50.1, hi: 62.9, n: 2 }, 72)).toBe('56.5 ± 6.4');
    expect(pmUnits({ mean: 69.5, lo: 63.1, hi: 75.9, n: 2 }, 72)).toBe('69.5 (63.1–72)');
    expect(meanPm({ mean: 0.99, lo: 0.97, hi: 1.01, n: 3 }, (x) => percent(x, 0), FRACTION)).toBe('99% (97%–100%)');
    expect(meanPm({ mean: 2e-5, lo: -1e-5, hi: 5e-5, n: 3 }, undefined, NONNEGATIVE)).toBe('2.00e-5 (0–5.00e-5)');
    expect(meanPm({ mean: 5, lo: 5, hi: 5, n: 1 }, undefined, countOf(4))).toBe('5'); // one seed: the value alone
  });

  it('the sweep report and the terminal band line clip an accuracy at 100% and a layer count at its units', () => {
    const result = {
      config: { lrs: [0.1], seeds: [1, 2, 3], model: 'mlp:4', data: 'mnist', optimizer: 'sgd', epochs: 1 },
      runs: [],
      aggregate: {
        outcome: { field: 'testAccuracy', label: 'test accuracy' },
        band: { lrs: [0.1], best: 0.1, min: 0.1, max: 0.1, threshold: 0.95 },
        method: {},
        correlations: [],
        lrs: [
          {
            lr: 0.1,
            counts: { ok: 3, diverged: 0, failed: 0 },
            runs: [1, 2, 3].map((seed) => ({ seed, status: 'ok', outcome: 0.99 })),
            outcome: { mean: 0.99, lo: 0.975, hi: 1.005, n: 3 },
            testLoss: { mean: 0.02, lo: -0.01, hi: 0.05, n: 3 },
            layers: [
              {
                layer: 'dense1',
                units: 4,
                weights: {
                  rms: { mean: 1e-3, lo: 5e-4, hi: 1.5e-3, n: 3 },
                  participating: { mean: 3.9, lo: 3.5, hi: 4.3, n: 3 },
                  participationRatio: { mean: 0.9, lo: 0.8, hi: 1.0, n: 3 },
                  spreadOfSpread: null,
                  spreadCv: null,
                },
                biases: { rms: { mean: 1e-3, lo: 5e-4, hi: 1.5e-3, n: 3 } },
                deadUnits: { mean: 0.667, lo: -2.2, hi: 3.54, n: 3 },
              },
            ],
          },
        ],
      },
    } as unknown as SweepResult;
    expect(outcomeTable(result).rows[0].cells[2]).toBe('99.0% (97.5%–100.0%)');
    expect(outcomeTable(result).rows[0].cells[4]).toBe('0.02 (0–0.05)');
    expect(bandLine(result.aggregate)).toContain('test accuracy 99.0% (97.5%–100.0%), 95% interval');
    const html = layerCells(result.aggregate.lrs[0].layers[0] as LayerAggregate);
    expect(html).toContain('<td>98% (88%–100%)</td>'); // participating 3.9 (3.5–4.3) of 4 units as a share
    expect(html).toContain('<td>0.667 (0–3.54)</td>'); // dead units of 4
    expect(html).not.toMatch(/± 2\.87|± 0\.015/);
  });
});

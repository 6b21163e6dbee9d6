import { describe, expect, it } from 'vitest';
import { gridColumns } from '../../src/report/histogramCharts.js';
import { fitDomain } from '../../src/report/chartBase.js';

describe('heatmap grids', () => {
  it('leave no empty panel where the count allows: 8 → 4 columns, 9 → 3, 6 → 3, 10 → 5, up to 4 in one row', () => {
    expect([1, 2, 3, 4, 6, 8, 9, 10, 12].map(gridColumns)).toEqual([1, 2, 3, 4, 3, 4, 3, 5, 4]);
    for (const n of [2, 3, 4, 6, 8, 9, 10, 12, 15, 16]) expect(n % gridColumns(n), `n = ${n}`).toBe(0);
  });
});

describe('a log axis', () => {
  it('leaves out a mean it cannot place (0: a spread of the spread from one-step windows), and keeps a finite domain', () => {
    const rows = [
      { lr: 0.1, mean: 0, lo: 0, hi: 0 },
      { lr: 0.01, mean: 2e-3, lo: 1e-3, hi: 3e-3 },
    ];
    const fit = fitDomain(rows, true);
    expect(fit.rows.map((r) => r.lr)).toEqual([0.01]);
    expect(fit.domain.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    expect(fitDomain([{ lr: 1, mean: 0, lo: 0, hi: 0 }], true)).toEqual({ rows: [], domain: [1e-6, 1] });
    expect(fitDomain(rows, false).rows).toHaveLength(2); // a linear axis draws 0
  });
});

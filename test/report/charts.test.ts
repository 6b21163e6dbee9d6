import { describe, expect, it } from 'vitest';
import { gridColumns } from '../../src/report/histogramCharts.js';

describe('heatmap grids', () => {
  it('leave no empty panel where the count allows: 8 → 4 columns, 9 → 3, 6 → 3, 10 → 5, up to 4 in one row', () => {
    expect([1, 2, 3, 4, 6, 8, 9, 10, 12].map(gridColumns)).toEqual([1, 2, 3, 4, 3, 4, 3, 5, 4]);
    for (const n of [2, 3, 4, 6, 8, 9, 10, 12, 15, 16]) expect(n % gridColumns(n), `n = ${n}`).toBe(0);
  });
});

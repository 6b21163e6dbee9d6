import { describe, expect, it } from 'vitest';
import { fluctuationBins, histogramRows } from '../../src/studies/paper/paperFluctuationHistogram.js';

describe('per-neuron fluctuation histogram bins', () => {
  it('span at most six decades below the largest value (padded ×1.15): a dead unit at 1e-40 does not stretch them', () => {
    const edges = fluctuationBins([1e-40, 1e-3, 1e-2], 6);
    expect(edges).toHaveLength(7);
    expect(edges[6]).toBeCloseTo(1.15e-2, 15);
    expect(edges[0] / 1.15e-8).toBeCloseTo(1, 12);
    expect(edges[1] / edges[0]).toBeCloseTo(10, 10);
  });

  it('count below-range values (0 included) in the first bin and above-range ones in the last: fractions sum to 1', () => {
    const rows = histogramRows([0, 0.5, 1, 50, 100, 1000], [1, 10, 100]);
    expect(rows).toEqual([
      { x0: 1, x1: 10, fraction: 0.5 },
      { x0: 10, x1: 100, fraction: 0.5 },
    ]);
  });
});

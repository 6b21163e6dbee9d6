import { describe, expect, it } from 'vitest';
import {
  binOf,
  binRanges,
  BIN_COUNT,
  histogram,
  MAGNITUDE_BINS,
  magnitudeEdges,
  mergeCounts,
  MIN_EXP,
  ZERO_BIN,
} from '../../../src/engine/recording/histogram.js';
import { Rng } from '../../../src/engine/rng.js';

// Index of the positive bin starting at 2^e·m_q.
const pos = (e: number, q: number) => ZERO_BIN + 1 + (e - MIN_EXP) * 4 + q;

describe('histogram bins', () => {
  it('bins hand-picked values', () => {
    expect(binOf(0)).toBe(ZERO_BIN);
    expect(binOf(-0)).toBe(ZERO_BIN);
    expect(binOf(1e-13)).toBe(ZERO_BIN); // below 2^-40 ≈ 9.09e-13
    expect(binOf(1)).toBe(pos(0, 0));
    expect(binOf(1.18)).toBe(pos(0, 0)); // below the edge 1.1875
    expect(binOf(1.1875)).toBe(pos(0, 1)); // an edge belongs to the bin above it
    expect(binOf(3)).toBe(pos(1, 2)); // 3 = 2·1.5, 1.4140625 ≤ 1.5 < 1.6796875
    expect(binOf(0.001)).toBe(pos(-10, 0)); // 0.001 = 2^-10·1.024
    expect(binOf(-1)).toBe(MAGNITUDE_BINS - (0 - MIN_EXP) * 4); // mirror of pos(0,0)
    expect(binOf(15.99)).toBe(BIN_COUNT - 2);
    expect(binOf(16)).toBe(BIN_COUNT - 1);
    expect(binOf(-16)).toBe(0);
    expect(binOf(Infinity)).toBe(BIN_COUNT - 1);
    expect(binOf(-Infinity)).toBe(0);
    expect(binOf(NaN)).toBe(BIN_COUNT - 1);
  });

  it('has log-spaced edges, four per octave, from 2^-40 to 16', () => {
    const e = magnitudeEdges();
    expect(e.length).toBe(MAGNITUDE_BINS + 1);
    expect(e[0]).toBe(2 ** -40);
    expect(e[e.length - 1]).toBe(16);
    for (let k = 4; k < e.length; k++) expect(e[k] / e[k - 4]).toBe(2);
    for (let k = 1; k < e.length; k++) expect(e[k] / e[k - 1]).toBeCloseTo(2 ** 0.25, 2);
  });

  it('puts every value inside its bin range (magnitude in [lo, hi) on its side)', () => {
    const ranges = binRanges();
    expect(ranges.length).toBe(BIN_COUNT);
    const r = new Rng(9);
    for (let i = 0; i < 5000; i++) {
      const v = Math.fround((r.uniform() - 0.5) * 2 ** (r.int(50) - 42));
      const { lo, hi } = ranges[binOf(v)];
      if (v >= 0) expect(v >= Math.max(lo, 0) && v < hi).toBe(true);
      else expect(v > lo && v <= hi).toBe(true);
    }
  });

  it('merging two histograms equals the histogram of the concatenated data', () => {
    const r = new Rng(2);
    const a = Array.from({ length: 3000 }, () => (r.uniform() - 0.5) * 1e-3);
    const b = Array.from({ length: 2000 }, () => (r.uniform() - 0.5) * 10);
    expect(mergeCounts(histogram(a), histogram(b))).toEqual(histogram([...a, ...b]));
  });

  it('refuses to merge histograms of different layouts', () => {
    expect(() => mergeCounts([1, 2], [1, 2, 3])).toThrow(/different bin counts/);
  });
});

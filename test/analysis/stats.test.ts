/** Hand-computed checks of the aggregate's statistics: t-intervals, average ranks, Spearman ρ and its p-values. */
import { describe, expect, it } from 'vitest';
import { averageRanks, meanInterval, spearman, studentQuantile, studentTwoSidedP } from '../../src/analysis/stats.js';

describe('Student t', () => {
  it('reproduces the textbook 97.5% quantiles', () => {
    // Standard t-table values (two-sided 95%).
    expect(studentQuantile(0.95, 1)).toBeCloseTo(12.706, 3);
    expect(studentQuantile(0.95, 2)).toBeCloseTo(4.303, 3);
    expect(studentQuantile(0.95, 4)).toBeCloseTo(2.776, 3);
    expect(studentQuantile(0.95, 10)).toBeCloseTo(2.228, 3);
    expect(studentQuantile(0.95, 30)).toBeCloseTo(2.042, 3);
  });

  it('gives the two-sided tail of the Cauchy distribution for one degree of freedom', () => {
    // df = 1 is Cauchy: P(|T| ≥ 1) = 1 − (2/π)·atan(1) = 0.5 exactly.
    expect(studentTwoSidedP(1, 1)).toBeCloseTo(0.5, 12);
    expect(studentTwoSidedP(0, 7)).toBeCloseTo(1, 12);
  });
});

describe('meanInterval', () => {
  it('is x̄ ± t·s/√n over seeds', () => {
    // x = 1, 2, 3: mean 2, s = 1, t_{0.975,2} = 4.302653 → half-width 4.302653/√3 = 2.484138.
    const iv = meanInterval([1, 2, 3])!;
    expect(iv.mean).toBe(2);
    expect(iv.hi - iv.mean).toBeCloseTo(2.484138, 5);
    expect(iv.mean - iv.lo).toBeCloseTo(2.484138, 5);
    expect(iv.n).toBe(3);
  });

  it('with one seed is the value itself (no interval can be estimated)', () => {
    expect(meanInterval([0.93])).toEqual({ mean: 0.93, lo: 0.93, hi: 0.93, n: 1 });
    expect(meanInterval([])).toBeNull();
  });
});

describe('averageRanks', () => {
  it('gives tied values the mean of the ranks they span', () => {
    expect(averageRanks([10, 30, 20])).toEqual([1, 3, 2]);
    expect(averageRanks([2, 1, 2, 4, 5])).toEqual([2.5, 1, 2.5, 4, 5]);
    expect(averageRanks([7, 7, 7])).toEqual([2, 2, 2]);
  });
});

describe('spearman', () => {
  it('matches a hand-computed example with a tie in y', () => {
    // ranks x = 1…5, ranks y = 2.5, 1, 2.5, 4, 5; deviations from 3: dx = −2,−1,0,1,2; dy = −0.5,−2,−0.5,1,2
    // Σdx·dy = 8, Σdx² = 10, Σdy² = 9.5 → ρ = 8/√95 = 0.8207827
    const r = spearman([1, 2, 3, 4, 5], [2, 1, 2, 4, 5]);
    expect(r.rho).toBeCloseTo(0.8207827, 6);
    expect(r.method).toBe('exact-permutation');
    expect(r.n).toBe(5);
  });

  it('matches a hand-computed example with ties on both sides, p-value included', () => {
    // x = 1,1,2,3 → ranks 1.5,1.5,3,4; y = 1,2,2,3 → ranks 1,2.5,2.5,4 (both mean 2.5)
    // dx = −1,−1,.5,1.5; dy = −1.5,0,0,1.5; Σdx·dy = 3.75; Σdx² = Σdy² = 4.5 → ρ = 5/6.
    // Exact p: only where dy's ±1.5 land matters (the zeros add nothing): |S| = 1.5·|dx_a − dx_b| ≥ 3.75 needs
    // {a, b} = {a −1 slot, the 1.5 slot}: 2 slots × 2 signs = 4 placements, × 2 orders of the zeros = 8 of 24 → p = 1/3.
    const r = spearman([1, 1, 2, 3], [1, 2, 2, 3]);
    expect(r.rho).toBeCloseTo(5 / 6, 12);
    expect(r.p).toBeCloseTo(1 / 3, 12);
  });

  it('gives the exact permutation p-value of a perfect ordering', () => {
    // Of n! orderings only the identity and its reverse reach |ρ| = 1: p = 2/n!.
    expect(spearman([1, 2, 3], [10, 20, 30]).p).toBeCloseTo(2 / 6, 12);
    expect(spearman([4, 3, 2, 1], [1, 2, 3, 4])).toMatchObject({ rho: -1, p: 2 / 24 });
    expect(spearman([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8]).p).toBeCloseTo(2 / 40320, 15);
  });

  it('switches to the t-approximation above 8 pairs', () => {
    // n = 10, ρ = 1 − 6Σd²/(n(n²−1)) with d = (1,−1,0,…): 1 − 12/990 = 0.987879; t = ρ√(8/(1−ρ²)), df = 8.
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const y = [2, 1, 3, 4, 5, 6, 7, 8, 9, 10];
    const r = spearman(x, y);
    expect(r.method).toBe('t-approximation');
    expect(r.rho).toBeCloseTo(1 - 12 / 990, 12);
    const t = r.rho! * Math.sqrt(8 / (1 - r.rho! ** 2));
    expect(r.p).toBeCloseTo(studentTwoSidedP(t, 8), 15);
    // Cross-check of the t tail itself: t_{0.975,8} = 2.306 has two-sided p = 0.05.
    expect(studentTwoSidedP(2.306004, 8)).toBeCloseTo(0.05, 6);
  });

  it('is undefined (null) for fewer than 3 pairs or a constant side', () => {
    expect(spearman([1, 2], [2, 1]).rho).toBeNull();
    expect(spearman([1, 2, 3], [5, 5, 5])).toMatchObject({ rho: null, p: null });
  });
});

/** Hand-computed checks of the tests beyond η: partial Spearman, the pooled within-group ρ and the regression on log η. */
import { describe, expect, it } from 'vitest';
import { correlationP, partialSpearman, regressOnLogLr, withinGroupSpearman } from '../../src/analysis/separation.js';
import { studentTwoSidedP } from '../../src/analysis/stats.js';

describe('partialSpearman', () => {
  it('is (r_xy − r_xz·r_yz) / √((1 − r_xz²)(1 − r_yz²)) on average ranks, df = n − 3', () => {
    // x ranks 1…6, y ranks 1,3,2,5,4,6 (Σd² = 4: r_xy = 1 − 6·4/(6·35) = 31/35), z = 1,2,1,2,1,2 → ranks 2,5,2,5,2,5.
    // dz = ∓1.5, dx = −2.5…2.5: Σdx·dz = 1.5·(2.5 − 1.5 + 0.5 + 0.5 − 1.5 + 2.5) = 4.5 → r_xz = 4.5/√(17.5·13.5) = 0.292770;
    // dy = −2.5, −0.5, −1.5, 1.5, 0.5, 2.5: Σdy·dz = 1.5·(2.5 − 0.5 + 1.5 + 1.5 − 0.5 + 2.5) = 10.5 → r_yz = 10.5/√(17.5·13.5) = 0.683130.
    // ρ = (0.885714 − 0.292770·0.683130) / √((1 − 0.085714)(1 − 0.466667)) = 0.685714 / 0.698297 = 0.981981
    const r = partialSpearman([1, 2, 3, 4, 5, 6], [1, 3, 2, 5, 4, 6], [1, 2, 1, 2, 1, 2]);
    expect(r.rho).toBeCloseTo(0.981981, 5);
    expect(r.df).toBe(3);
    expect(r.p).toBeCloseTo(studentTwoSidedP(0.981981 * Math.sqrt(3 / (1 - 0.981981 ** 2)), 3), 4);
  });

  it('is null when x is ordered exactly as z (nothing left beyond it), and the plain ρ when z is constant', () => {
    expect(partialSpearman([1, 2, 3, 4], [1, 3, 2, 4], [10, 20, 30, 40]).rho).toBeNull();
    const one = partialSpearman([1, 2, 3, 4], [1, 3, 2, 4], [5, 5, 5, 5]);
    expect(one.rho).toBeCloseTo(0.8, 12); // Σd² = 2: 1 − 6·2/(4·15)
    expect(one.df).toBe(2);
  });
});

describe('withinGroupSpearman', () => {
  it('ranks within each group, centres on the group mean rank and correlates the pooled deviations, df = N − G − 1', () => {
    // group 1: x ranks 1,2,3 → dx −1,0,1; y 3,1,2 → ranks 3,1,2 → dy 1,−1,0. group 2: x 1,2,3 → dx −1,0,1; y 1,2,3 → dy −1,0,1.
    // Σdx·dy = (−1 + 0 + 0) + (1 + 0 + 1) = 1; Σdx² = 4, Σdy² = 4 → ρ_w = 1/4; df = 6 − 2 − 1 = 3.
    const r = withinGroupSpearman([1, 2, 3, 10, 20, 30], [0.9, 0.7, 0.8, 0.1, 0.2, 0.3], [0.1, 0.1, 0.1, 1, 1, 1]);
    expect(r.rho).toBeCloseTo(0.25, 12);
    expect(r).toMatchObject({ n: 6, df: 3, groups: 2 });
    expect(r.p).toBeCloseTo(correlationP(0.25, 3), 12);
  });

  it('leaves out groups of fewer than 3 runs, and is null without any', () => {
    const r = withinGroupSpearman([1, 2, 3, 4, 5, 6, 7], [3, 2, 1, 6, 5, 4, 0], [1, 1, 1, 2, 2, 2, 3]);
    expect(r).toMatchObject({ rho: -1, n: 6, groups: 2 });
    expect(withinGroupSpearman([1, 2, 3, 4], [1, 2, 3, 4], [1, 1, 2, 2]).rho).toBeNull();
  });
});

describe('regressOnLogLr', () => {
  it('recovers an exact plane y = 1 + 2z + 3x with a zero-width interval', () => {
    const z = [0, 0.5, 1, 1.5, 2];
    const x = [1, 2, 1, 3, 0];
    const y = z.map((zi, i) => 1 + 2 * zi + 3 * x[i]);
    const r = regressOnLogLr(y, z, x)!;
    expect(r.coef).toBeCloseTo(3, 12);
    expect(r.hi - r.lo).toBeLessThan(1e-9);
    expect(r).toMatchObject({ df: 2, control: 'log-lr' });
  });

  it('holds η fixed with one mean per learning rate where seeds repeat it (numpy lstsq with dummies, df = 7 − 3 − 1)', () => {
    const y = [0.9, 0.92, 0.95, 0.91, 0.96, 0.97, 0.93];
    const z = [0.01, 0.01, 0.1, 0.1, 0.1, 1, 1].map(Math.log);
    const x = [1, 2, 4, 3, 5, 6, 4];
    // numpy: b_x = 0.0222222, se = 0.00362887, t(0.975, 3) = 3.182446 → 0.0106735 to 0.0337709
    const r = regressOnLogLr(y, z, x)!;
    expect(r).toMatchObject({ control: 'lr-groups', df: 3, n: 7 });
    expect(r.coef).toBeCloseTo(0.0222222, 6);
    expect(r.lo).toBeCloseTo(0.0106735, 6);
    expect(r.hi).toBeCloseTo(0.0337709, 6);
  });

  it('fits a line in log η when every run has its own η (numpy lstsq, df = 7 − 3)', () => {
    const y = [0.9, 0.92, 0.95, 0.91, 0.96, 0.97, 0.93];
    const z = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1].map(Math.log);
    const x = [1, 2, 4, 3, 5, 6, 4];
    // numpy: b = [0.843199, −0.00781366, 0.0204666], se(b_x) = 0.00303478, t(0.975, 4) = 2.776445
    const r = regressOnLogLr(y, z, x)!;
    expect(r).toMatchObject({ control: 'log-lr', df: 4 });
    expect(r.coef).toBeCloseTo(0.0204666, 6);
    expect(r.lo).toBeCloseTo(0.0120407, 6);
    expect(r.hi).toBeCloseTo(0.0288924, 6);
  });

  it('is null for a measure that is a line in log η, and drops log η when there is one η', () => {
    expect(regressOnLogLr([1, 2, 3, 5], [0, 1, 2, 3], [1, 3, 5, 7])).toBeNull();
    const r = regressOnLogLr([1, 3, 2, 4], [0, 0, 0, 0], [1, 2, 3, 4])!;
    expect(r.coef).toBeCloseTo(0.8, 12); // S_xy = 4, S_xx = 5
    expect(r.df).toBe(2);
  });
});

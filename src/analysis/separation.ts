/**
 * Statistics that separate a measure's association with the outcome from the learning rate's (issue 25). Under SGD
 * every size of Δ grows with η, so a raw correlation of a fluctuation measure with accuracy can be η restated. Three
 * tests ask what the measure adds beyond η; pure functions over plain arrays, checked by hand in separation.test.ts:
 *
 * - `partialSpearman(x, y, z)`: Spearman's partial correlation of x and y given z (z = log η; its ranks are η's);
 * - `withinGroupSpearman(x, y, g)`: Spearman's ρ inside each group (one learning rate's seeds), pooled over groups;
 * - `regressOnLogLr(y, z, x)`: least squares of y on η (one mean per learning rate where seeds repeat it, else a line
 *   in log η) and x, with b_x's 95% interval.
 *
 * p-values use Student's t with the test's degrees of freedom (an approximation for rank correlations, rough below
 * about 10 runs). Each test runs at 5%, not corrected for the number of measures a report shows.
 *
 *     partialSpearman([1, 2, 3, 4], [1, 3, 2, 4], [1, 2, 3, 4]) // { rho: null, … }: x is ordered as z, nothing left
 */
import { averageRanks, pearson, studentQuantile, studentTwoSidedP } from './stats.js';

/** A correlation with its two-sided p-value from t = r·√(df/(1−r²)) with df degrees of freedom. */
export interface TestedCorrelation {
  /** null when the test cannot be made: too few runs, a constant side, or x ordered exactly as η */
  rho: number | null;
  p: number | null;
  /** runs the test is over */
  n: number;
  df: number;
}

/** p of a correlation r on df degrees of freedom: P(|T| ≥ |r|·√(df/(1−r²))). */
export function correlationP(r: number, df: number): number {
  if (Math.abs(r) >= 1) return 0;
  return studentTwoSidedP(r * Math.sqrt(df / (1 - r * r)), df);
}

const tested = (rho: number | null, n: number, df: number): TestedCorrelation =>
  rho === null || df < 1 ? { rho: null, p: null, n, df } : { rho, p: correlationP(rho, df), n, df };

/**
 * Spearman's partial correlation of x and y given z: with r the Pearson correlations of the average ranks,
 *
 *     ρ_xy·z = (r_xy − r_xz·r_yz) / √((1 − r_xz²)(1 − r_yz²)),  df = n − 3.
 *
 * When z takes one value it controls nothing, and this is Spearman's ρ of x and y (df = n − 2). rho is null when x or y
 * is constant, or ordered exactly as z (|r_xz| = 1: the measure is η in disguise, nothing is left to correlate).
 */
export function partialSpearman(x: readonly number[], y: readonly number[], z: readonly number[]): TestedCorrelation {
  const n = x.length;
  if (n < 3) return { rho: null, p: null, n, df: 0 };
  const [rx, ry, rz] = [averageRanks(x), averageRanks(y), averageRanks(z)];
  const rxy = pearson(rx, ry);
  if (rxy === null) return { rho: null, p: null, n, df: n - 3 };
  if (rz.every((r) => r === rz[0])) return tested(rxy, n, n - 2);
  const rxz = pearson(rx, rz)!;
  const ryz = pearson(ry, rz)!;
  const denominator = (1 - rxz * rxz) * (1 - ryz * ryz);
  if (!(denominator > 1e-12)) return { rho: null, p: null, n, df: n - 3 };
  return tested(Math.max(-1, Math.min(1, (rxy - rxz * ryz) / Math.sqrt(denominator))), n, n - 3);
}

/** Ranks of x within each group of g, minus their group's mean rank. */
function centeredGroupRanks(x: readonly number[], groups: Map<number, number[]>): number[] {
  const out = new Array<number>(x.length).fill(0);
  for (const members of groups.values()) {
    const ranks = averageRanks(members.map((i) => x[i]));
    const mean = (members.length + 1) / 2;
    members.forEach((i, k) => {
      out[i] = ranks[k] - mean;
    });
  }
  return out;
}

/**
 * Across-seed correlation at fixed η, pooled over η: within each group of g (a learning rate) with at least
 * `minGroup` runs, x and y are ranked and centred on the group's mean rank; ρ_w is the Pearson correlation of these
 * centred ranks over all such runs,
 *
 *     ρ_w = Σ_g Σ_i dx_gi·dy_gi / √(Σ dx² · Σ dy²),  df = N − G − 1
 *
 * (N runs in G groups; each group's mean takes one degree of freedom, as in an analysis of covariance). It asks: does
 * a run that fluctuates more than its siblings at the same η end better? Groups below `minGroup` are left out.
 *
 *     withinGroupSpearman([1, 2, 3, 7, 8, 9], [3, 2, 1, 6, 5, 4], [1, 1, 1, 2, 2, 2]) // ρ_w = −1
 */
export function withinGroupSpearman(
  x: readonly number[],
  y: readonly number[],
  g: readonly number[],
  minGroup = 3,
): TestedCorrelation & { groups: number } {
  const all = new Map<number, number[]>();
  g.forEach((v, i) => {
    all.set(v, [...(all.get(v) ?? []), i]);
  });
  const groups = new Map([...all].filter(([, members]) => members.length >= minGroup));
  const n = [...groups.values()].reduce((a, m) => a + m.length, 0);
  const df = n - groups.size - 1;
  if (groups.size === 0 || df < 1) return { rho: null, p: null, n, df: Math.max(0, df), groups: groups.size };
  const dx = centeredGroupRanks(x, groups);
  const dy = centeredGroupRanks(y, groups);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const members of groups.values())
    for (const i of members) {
      sxy += dx[i] * dy[i];
      sxx += dx[i] * dx[i];
      syy += dy[i] * dy[i];
    }
  const rho = sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
  return { ...tested(rho, n, df), groups: groups.size };
}

/** The measure's coefficient in a regression of the outcome on η and the measure. */
export interface MeasureCoefficient {
  /** b_x: the outcome's change per unit of the measure at fixed η, and its 95% interval */
  coef: number;
  lo: number;
  hi: number;
  /** the measure's spread at fixed η: √(Σ x̃² / (n − k)), x̃ the measure less its fit on η (k = G groups, or 2 for a line) */
  sd: number;
  n: number;
  df: number;
  /** how η was held fixed: one mean per learning rate ('lr-groups'), or a line in log η ('log-lr') */
  control: 'lr-groups' | 'log-lr';
}

/**
 * Least squares of the outcome y on η and the measure x, b_x with its 95% interval b_x ± t(0.975, df)·se. η is held
 * fixed as flexibly as the runs allow:
 *
 * - when some η repeats (seeds) and df = n − G − 1 ≥ 1 (G distinct η): one mean per learning rate,
 *   y = α_η + b_x·x. With x̃, ỹ centred on their learning rate's mean: b_x = Σx̃ỹ / Σx̃², se² = σ̂² / Σx̃²,
 *   σ̂² = Σ(ỹ − b_x·x̃)² / df. This makes no assumption about how the outcome depends on η;
 * - otherwise a line in z = log η, y = b₀ + b_z·z + b_x·x: with S the centred sums of products,
 *   b_x = (S_zz·S_xy − S_zx·S_zy) / D, D = S_zz·S_xx − S_zx², se² = σ̂²·S_zz / D, σ̂² = Σ residual² / (n − 3). A measure
 *   that grows with η (every size of Δ does) can then stand in for a curve of the outcome in log η, so this form's
 *   coefficient is a size, not evidence on its own.
 *
 * null with too few runs (df < 1), a measure constant at fixed η, or (line form) a measure that is a line in log η
 * (D ≤ 10⁻¹²·S_zz·S_xx).
 */
export function regressOnLogLr(
  y: readonly number[],
  z: readonly number[],
  x: readonly number[],
): MeasureCoefficient | null {
  const n = y.length;
  const groups = new Map<number, number[]>();
  z.forEach((v, i) => {
    groups.set(v, [...(groups.get(v) ?? []), i]);
  });
  if (groups.size < n && n - groups.size - 1 >= 1) return withinLrFit(y, x, groups);
  return logLrFit(y, z, x);
}

/** The fit with one mean per learning rate (see regressOnLogLr). */
function withinLrFit(
  y: readonly number[],
  x: readonly number[],
  groups: Map<number, number[]>,
): MeasureCoefficient | null {
  const n = y.length;
  const df = n - groups.size - 1;
  const dx = new Array<number>(n);
  const dy = new Array<number>(n);
  for (const members of groups.values()) {
    const mx = members.reduce((a, i) => a + x[i], 0) / members.length;
    const my = members.reduce((a, i) => a + y[i], 0) / members.length;
    for (const i of members) {
      dx[i] = x[i] - mx;
      dy[i] = y[i] - my;
    }
  }
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += dx[i] * dx[i];
    sxy += dx[i] * dy[i];
  }
  if (!(sxx > 0)) return null;
  const b = sxy / sxx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (dy[i] - b * dx[i]) ** 2;
  const half = studentQuantile(0.95, df) * Math.sqrt(rss / df / sxx);
  const sd = Math.sqrt(sxx / (n - groups.size));
  return { coef: b, lo: b - half, hi: b + half, sd, n, df, control: 'lr-groups' };
}

/** The fit with a line in log η (see regressOnLogLr); with one η, z drops out. */
function logLrFit(y: readonly number[], z: readonly number[], x: readonly number[]): MeasureCoefficient | null {
  const n = y.length;
  const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / n;
  const [my, mz, mx] = [mean(y), mean(z), mean(x)];
  let szz = 0;
  let sxx = 0;
  let szx = 0;
  let szy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const [dy, dz, dx] = [y[i] - my, z[i] - mz, x[i] - mx];
    szz += dz * dz;
    sxx += dx * dx;
    szx += dz * dx;
    szy += dz * dy;
    sxy += dx * dy;
  }
  const withZ = szz > 0;
  const df = n - (withZ ? 3 : 2);
  if (df < 1 || !(sxx > 0)) return null;
  const d = withZ ? szz * sxx - szx * szx : sxx;
  if (withZ && !(d > 1e-12 * szz * sxx)) return null;
  const bx = withZ ? (szz * sxy - szx * szy) / d : sxy / sxx;
  const bz = withZ ? (sxx * szy - szx * sxy) / d : 0;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i] - my - bz * (z[i] - mz) - bx * (x[i] - mx)) ** 2;
  const se = Math.sqrt(((rss / df) * (withZ ? szz : 1)) / d);
  const half = studentQuantile(0.95, df) * se;
  const sd = Math.sqrt(Math.max(0, sxx - (withZ ? (szx * szx) / szz : 0)) / (n - 2));
  return { coef: bx, lo: bx - half, hi: bx + half, sd, n, df, control: 'log-lr' };
}

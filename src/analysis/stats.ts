/**
 * Small statistics for the aggregate: mean with a 95% Student-t interval over
 * seeds, ranks with ties, Spearman's rank correlation and its p-value. Pure
 * functions over plain arrays; every formula is checked against hand-computed
 * values in stats.test.ts.
 *
 *     meanInterval([0.91, 0.93, 0.92]) // { mean: 0.92, lo: 0.895…, hi: 0.944…, n: 3 }
 *     spearman([1, 2, 3, 4, 5], [2, 1, 2, 4, 5]) // { rho: 0.8208, p: …, method: 'exact-permutation' }
 */

/** A mean and its two-sided 95% interval. With one value the interval is the value itself (lo = hi = mean). */
export interface Interval {
  mean: number;
  lo: number;
  hi: number;
  /** number of values the mean is over */
  n: number;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; about 15 significant digits). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz; Numerical Recipes' betacf). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularized incomplete beta function I_x(a, b), x in [0, 1]. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges fast for x < (a+1)/(a+b+2); use the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) otherwise.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Two-sided tail probability P(|T| ≥ |t|) of Student's t with df degrees of freedom: I_{df/(df+t²)}(df/2, 1/2). */
export function studentTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** The t with P(|T| ≥ t) = 1 − level (level 0.95 → the 97.5% quantile), by bisection on studentTwoSidedP. */
export function studentQuantile(level: number, df: number): number {
  let lo = 0;
  let hi = 1;
  while (studentTwoSidedP(hi, df) > 1 - level) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTwoSidedP(mid, df) > 1 - level) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Mean and 95% t-interval x̄ ± t_{0.975,n−1}·s/√n (s: sample std, n−1 in the denominator); null for no values. One
 * value: lo = hi = the value (no interval can be estimated from one seed).
 *
 *     meanInterval([0.9, 0.92, 0.94]) // { mean: 0.92, lo: 0.8703…, hi: 0.9697…, n: 3 }
 */
export function meanInterval(values: readonly number[]): Interval | null {
  const n = values.length;
  if (n === 0) return null;
  const m = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean: m, lo: m, hi: m, n };
  const s = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (n - 1));
  const half = (studentQuantile(0.95, n - 1) * s) / Math.sqrt(n);
  return { mean: m, lo: m - half, hi: m + half, n };
}

/** Ranks 1…n in increasing order; tied values share the average of the ranks they span. */
export function averageRanks(x: readonly number[]): number[] {
  const idx = x.map((_, i) => i).sort((a, b) => x[a] - x[b]);
  const ranks = new Array<number>(x.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && x[idx[j + 1]] === x[idx[i]]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[idx[k]] = r;
    i = j + 1;
  }
  return ranks;
}

/** Pearson correlation Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)² Σ(y−ȳ)²); null when either side is constant. */
export function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}

/** How a Spearman p-value was computed. */
export type PValueMethod = 'exact-permutation' | 't-approximation';

/** Spearman's rank correlation with its two-sided p-value. */
export interface RankCorrelation {
  /** Pearson correlation of the average ranks; null when fewer than 3 pairs or one side is constant */
  rho: number | null;
  /** two-sided p-value for "no monotone association"; null with rho */
  p: number | null;
  n: number;
  method: PValueMethod;
}

/** Largest n for which the p-value is an exact permutation test (8! = 40320 orderings). */
export const EXACT_PERMUTATION_MAX_N = 8;

/**
 * Spearman's ρ (Pearson correlation of average ranks, so ties are handled exactly) and its two-sided p-value:
 * for n ≤ 8 the exact permutation test (the fraction of all n! orderings of y's ranks with |ρ| ≥ the observed |ρ|;
 * permuting the tied ranks keeps the ties), else the t-approximation t = ρ·√((n−2)/(1−ρ²)) with n−2 degrees of freedom.
 *
 *     spearman([1, 2, 3, 4], [10, 20, 30, 40]) // { rho: 1, p: 0.0833… (2 of 24 orderings), n: 4, method: 'exact-permutation' }
 */
export function spearman(x: readonly number[], y: readonly number[]): RankCorrelation {
  if (x.length !== y.length) throw new Error(`spearman: ${x.length} x values but ${y.length} y values`);
  const n = x.length;
  const method: PValueMethod = n <= EXACT_PERMUTATION_MAX_N ? 'exact-permutation' : 't-approximation';
  if (n < 3) return { rho: null, p: null, n, method };
  const rx = averageRanks(x);
  const ry = averageRanks(y);
  const rho = pearson(rx, ry);
  if (rho === null) return { rho: null, p: null, n, method };
  if (method === 'exact-permutation') return { rho, p: permutationP(rx, ry), n, method };
  const t = Math.abs(rho) >= 1 ? Infinity : rho * Math.sqrt((n - 2) / (1 - rho * rho));
  return { rho, p: studentTwoSidedP(t, n - 2), n, method };
}

/** Fraction of the n! orderings of ry (Heap's algorithm) whose |Σ dx·dy| reaches the observed one. */
function permutationP(rx: number[], ry: number[]): number {
  const n = rx.length;
  const m = (n + 1) / 2; // mean of ranks 1…n, with or without ties
  const dx = rx.map((r) => r - m);
  const dy = ry.map((r) => r - m);
  const observed = Math.abs(dx.reduce((a, v, i) => a + v * dy[i], 0));
  // Tolerance: the sums are of quarter-integers (average ranks are multiples of 1/2), so 1e-9 separates equal from larger.
  const threshold = observed - 1e-9;
  const c = new Array<number>(n).fill(0);
  const p = dy.slice();
  const dot = () => {
    let s = 0;
    for (let i = 0; i < n; i++) s += dx[i] * p[i];
    return Math.abs(s);
  };
  let hits = dot() >= threshold ? 1 : 0;
  let total = 1;
  for (let i = 0; i < n; ) {
    if (c[i] < i) {
      const j = i % 2 === 0 ? 0 : c[i];
      [p[j], p[i]] = [p[i], p[j]];
      if (dot() >= threshold) hits++;
      total++;
      c[i]++;
      i = 0;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return hits / total;
}

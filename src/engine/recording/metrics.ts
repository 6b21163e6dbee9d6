/**
 * The fluctuation metrics of DESIGN.md as small pure functions over plain
 * arrays. Each formula is in its doc comment and checked by a hand-computed
 * case in metrics.test.ts.
 */

/** Arithmetic mean; 0 for an empty array. */
export function mean(x: ArrayLike<number>): number {
  if (x.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Population standard deviation sqrt(Σ(x−x̄)²/n); 0 for fewer than two values. */
export function populationStd(x: ArrayLike<number>): number {
  if (x.length < 2) return 0;
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return Math.sqrt(s / x.length);
}

/** Spread of the spread S = std_j(s_j) and its coefficient of variation S / mean_j(s_j) (0 when the mean is 0). */
export function spreadOfSpread(spread: ArrayLike<number>): { S: number; cv: number } {
  const S = populationStd(spread);
  const m = mean(spread);
  return { S, cv: m > 0 ? S / m : 0 };
}

/**
 * Participating neurons: #{j : f_j ≥ τ · mean_k f_k}; 0 when no neuron moved at all. A record's `neuronFluctuation`
 * is f, so a count at another τ than the sweep's is one call.
 *
 *     participatingCount([0.1, 0.5, 1, 0.02], 0.1) // 3 (mean 0.405: 0.02 is below 0.0405)
 */
export function participatingCount(f: ArrayLike<number>, tau: number): number {
  const m = mean(f);
  if (!(m > 0)) return 0;
  let n = 0;
  for (let i = 0; i < f.length; i++) if (f[i] >= tau * m) n++;
  return n;
}

/**
 * Participation ratio PR = (Σ f_j)² / (N · Σ f_j²), in [1/N, 1]; 0 when no neuron moved. N·PR is the effective number
 * of participating neurons.
 *
 *     participationRatio([1, 1, 1, 1]) // 1: every neuron moves alike
 *     participationRatio([1, 0, 0, 0]) // 0.25: one neuron of four
 */
export function participationRatio(f: ArrayLike<number>): number {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < f.length; i++) {
    s += f[i];
    s2 += f[i] * f[i];
  }
  return s2 > 0 ? (s * s) / (f.length * s2) : 0;
}

/** Standard deviation over T steps from running sums Σc and Σc² (population form, clamped at 0 against rounding). */
export function stdFromSums(sum: number, sumSq: number, steps: number): number {
  if (steps < 2) return 0;
  const m = sum / steps;
  return Math.sqrt(Math.max(0, sumSq / steps - m * m));
}

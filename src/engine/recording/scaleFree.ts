/**
 * Measures free of η's scale, per tensor and window. Under SGD a step is Δ_t = −η_t·g_t, so every size of Δ grows
 * with η by construction; these say what Δ alone cannot (docs/metrics.md, "Measures free of η's scale"):
 *
 * - the effective step RMS, Δ measured in units of the learning rate in force at its step:
 *   effRms = √( Σ_{t∈E} ‖Δ_t‖² / η_t²  /  (|E| · n) ), E = the window's steps with η_t > 0, n = rows · cols;
 * - the weight norm ‖W‖ = √(Σ_ij W_T[i,j]²) of the tensor at the window's last step T;
 * - the update-to-weight ratio, the RMS over the window's steps of the per-step norm over that norm:
 *   ρ = √( (1/T) Σ_t ‖Δ_t‖² ) / ‖W_T‖, and per neuron ρ_j = √( (1/T) Σ_t Σ_i Δ_t[i,j]² ) / ‖W_T[·,j]‖.
 *
 * The recorder's pass already forms every step's per-column Σ_i Δ² (both paths, the same bits); the effective sum adds
 * their total over η_t² once per step, and the norms read θ once when the window closes. All sums run in index order
 * in float64, so both recorder paths, Node and browsers give the same bits.
 *
 *     effectiveRms(8, 2, 4)          // √(8 / (2·4)) = 1
 *     updateRatio(36, 4, 9)          // √(36/4) / √9 = 1
 */

/** Σ_j x[j] for j = 0 … cols−1 in index order (a step's Σ Δ² from its per-column sums; a norm² from its columns). */
export function columnTotal(x: ArrayLike<number>, cols: number): number {
  let s = 0;
  for (let j = 0; j < cols; j++) s += x[j];
  return s;
}

/**
 * Per column j of the rows × cols row-major tensor at element `offset` of θ: ‖W[·,j]‖² = Σ_i W[i,j]², summed over
 * rows i = 0, 1, … in float64.
 *
 *     columnNormsSq(new Float32Array([1, 2, 3, 4]), 0, 2, 2) // [1 + 9, 4 + 16] = [10, 20]
 */
export function columnNormsSq(theta: ArrayLike<number>, offset: number, rows: number, cols: number): Float64Array {
  const out = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const base = offset + i * cols;
    for (let j = 0; j < cols; j++) out[j] += theta[base + j] * theta[base + j];
  }
  return out;
}

/**
 * Effective step RMS √(effSq / (steps · n)) from effSq = Σ_{t∈E} ‖Δ_t‖²/η_t² over `steps` = |E| steps of a tensor of
 * n values; null when no step of the window had a learning rate above 0.
 */
export function effectiveRms(effSq: number, steps: number, n: number): number | null {
  return steps > 0 && n > 0 ? Math.sqrt(effSq / (steps * n)) : null;
}

/**
 * Update-to-weight ratio √(sumSq / steps) / √normSq: the RMS over `steps` steps of the per-step norm ‖Δ_t‖
 * (sumSq = Σ_t ‖Δ_t‖²) over the norm of the weights (normSq = ‖W_T‖²); null when there were no steps or ‖W_T‖ = 0.
 */
export function updateRatio(sumSq: number, steps: number, normSq: number): number | null {
  return steps > 0 && normSq > 0 ? Math.sqrt(sumSq / steps) / Math.sqrt(normSq) : null;
}

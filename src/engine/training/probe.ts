/**
 * What the network does on the fixed probe batch when a recording window
 * closes: dead units and per-neuron mean activations of every hidden layer,
 * and the L2 norm of each layer's gradient of the mean loss (weights and
 * biases separately). One forward and one backward pass per window (the
 * activations are the forward's of the gradient), off the per-step hot path.
 *
 * Why the probe gradient at the window's end rather than the RMS of the
 * per-step gradients: it needs nothing from the training steps (the step loop
 * stays as fast as before), it is deterministic for a given θ, and it measures
 * the same quantity for every learning rate (the optimizer's own statistics,
 * such as Adam's, would not).
 *
 *     const s = probeStats(net, probe, probeTarget); // s.layers[l].gradientNorm.weights …
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Network } from './network.js';
import { heapView } from '../kernels/tfjsWasm.js';
import type { LayerLayout } from '../../contract/windowRecord.js';

/** One layer on the probe batch. Activation fields are null for the output layer. */
export interface ProbeLayer {
  /** units whose activation is 0 on every probe example */
  deadUnits: number | null;
  /** per unit, the mean activation over the probe examples */
  meanActivation: number[] | null;
  /** L2 norms of this layer's part of ∇θ (mean probe loss); null when not finite */
  gradientNorm: { weights: number; biases: number } | null;
}

/** √(Σ x²) of `count` values from `from`, summed in float64 in order. */
function norm(x: ArrayLike<number>, from: number, count: number): number {
  let s = 0;
  for (let i = from; i < from + count; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** Per-layer L2 norms ‖∇W‖₂ and ‖∇b‖₂ of a flat gradient laid out as `layout`, summed in float64. */
export function layerGradientNorms(
  grad: ArrayLike<number>,
  layout: readonly LayerLayout[],
): { weights: number; biases: number }[] {
  return layout.map((l) => ({
    weights: norm(grad, l.wOffset, l.fanIn * l.units),
    biases: norm(grad, l.bOffset, l.units),
  }));
}

/**
 * Per-column sums of activation rows and of their magnitudes, added chunk by chunk in row order (the bits of one
 * pass). A column is all zero exactly when its Σ|a| is 0: a nonzero float32 adds at least 2⁻¹⁴⁹ to a float64 sum of
 * magnitudes, which then stays positive (or turns Infinity or NaN, both "alive"), and −0 adds 0 as `v !== 0` says.
 * Summing |a| instead of testing each value keeps the loop free of a branch that ReLU's zeros make unpredictable.
 */
export class ActivationTally {
  private readonly sum: Float64Array;
  private readonly mag: Float64Array;
  private rows = 0;

  constructor(readonly units: number) {
    this.sum = new Float64Array(units);
    this.mag = new Float64Array(units);
  }

  /** Adds `rows` rows of a row-major rows × units matrix. */
  add(a: ArrayLike<number>, rows: number): void {
    const { units, sum, mag } = this;
    for (let r = 0, k = 0; r < rows; r++) {
      for (let j = 0; j < units; j++, k++) {
        const v = a[k];
        sum[j] += v;
        mag[j] += Math.abs(v);
      }
    }
    this.rows += rows;
  }

  /** Per-column mean, and the units whose column is all zero. */
  result(): { meanActivation: number[]; deadUnits: number } {
    let dead = 0;
    for (let j = 0; j < this.units; j++) if (this.mag[j] === 0) dead++;
    return { meanActivation: Array.from(this.sum, (s) => (this.rows > 0 ? s / this.rows : 0)), deadUnits: dead };
  }
}

/** Per-column mean and dead count of a rows × units activation matrix (row-major); a unit is dead when its column is all zero. */
export function activationStats(
  a: ArrayLike<number>,
  rows: number,
  units: number,
): { meanActivation: number[]; deadUnits: number } {
  const t = new ActivationTally(units);
  t.add(a, rows);
  return t.result();
}

/**
 * Runs the probe batch forward and backward (target: the probe images for an autoencoder, one-hot labels for a
 * classifier), `chunkRows` examples at a time: a chunk's receptive fields and activations are freed before the next,
 * and the statistics and the gradient of the whole batch's mean loss have the bits of one pass (tested).
 */
export function probeStats(
  net: Network,
  probe: tf.Tensor2D,
  target: tf.Tensor2D,
  chunkRows = probe.shape[0],
): ProbeLayer[] {
  const n = probe.shape[0];
  const hiddenLayers = net.layout.length - 1;
  const tallies = net.layout.slice(0, hiddenLayers).map((l) => new ActivationTally(l.units));
  let parts: tf.Tensor1D[] | null = null;
  for (let start = 0; start < n; start += chunkRows) {
    const size = Math.min(chunkRows, n - start);
    const from: tf.Tensor1D[] | null = parts;
    // Tensors leave the tidy and are read after it: tidy walks every element of a returned typed array (≈90 ms here).
    const out: { hidden: tf.Tensor2D[]; parts: tf.Tensor1D[] } = tf.tidy(() => {
      const x = size === n ? probe : tf.slice(probe, [start, 0], [size, -1]);
      const t = size === n ? target : tf.slice(target, [start, 0], [size, -1]);
      return net.activationsAndGradientParts(x, t, n, from);
    });
    if (from) tf.dispose(from);
    parts = out.parts;
    // read in place on the heap (no copy; no tf op runs while a view is read)
    out.hidden.forEach((h, i) => {
      tallies[i].add(heapView(h), h.shape[0]);
    });
    tf.dispose(out.hidden);
  }
  // each layer's part is its weights then its biases (θ's layout): the norms read it in place on the heap, the sums
  // those of layerGradientNorms on the flat gradient
  const norms = parts!.map((p, i) => {
    const part = heapView(p);
    const w = net.layout[i].fanIn * net.layout[i].units;
    return { weights: norm(part, 0, w), biases: norm(part, w, net.layout[i].units) };
  });
  tf.dispose(parts!);
  return net.layout.map((_l, i) => {
    const norm = norms[i];
    const gradientNorm = Number.isFinite(norm.weights) && Number.isFinite(norm.biases) ? norm : null;
    if (i >= hiddenLayers) return { deadUnits: null, meanActivation: null, gradientNorm };
    return { ...tallies[i].result(), gradientNorm };
  });
}

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
import type { LayerLayout } from '../analysis/recorder.js';

/** One layer on the probe batch. Activation fields are null for the output layer. */
export interface ProbeLayer {
  /** units whose activation is 0 on every probe example */
  deadUnits: number | null;
  /** per unit, the mean activation over the probe examples */
  meanActivation: number[] | null;
  /** L2 norms of this layer's part of ∇θ (mean probe loss); null when not finite */
  gradientNorm: { weights: number; biases: number } | null;
}

/** Per-layer L2 norms ‖∇W‖₂ and ‖∇b‖₂ of a flat gradient laid out as `layout`, summed in float64. */
export function layerGradientNorms(grad: ArrayLike<number>, layout: readonly LayerLayout[]): { weights: number; biases: number }[] {
  const norm = (from: number, count: number) => {
    let s = 0;
    for (let i = from; i < from + count; i++) s += grad[i] * grad[i];
    return Math.sqrt(s);
  };
  return layout.map((l) => ({ weights: norm(l.wOffset, l.fanIn * l.units), biases: norm(l.bOffset, l.units) }));
}

/** Per-column mean and dead count of a rows × units activation matrix (row-major); a unit is dead when its column is all zero. */
export function activationStats(a: ArrayLike<number>, rows: number, units: number): { meanActivation: number[]; deadUnits: number } {
  const sum = new Float64Array(units);
  const alive = new Uint8Array(units);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < units; j++) {
      const v = a[r * units + j];
      sum[j] += v;
      if (v !== 0) alive[j] = 1;
    }
  }
  let dead = 0;
  for (let j = 0; j < units; j++) if (!alive[j]) dead++;
  return { meanActivation: Array.from(sum, (s) => (rows > 0 ? s / rows : 0)), deadUnits: dead };
}

/** Runs the probe batch forward and backward (target: the probe images for an autoencoder, one-hot labels for a classifier). */
export function probeStats(net: Network, probe: tf.Tensor2D, target: tf.Tensor2D): ProbeLayer[] {
  // Tensors leave the tidy and are read after it: tidy walks every element of a returned typed array (≈90 ms here).
  const tensors = tf.tidy(() => {
    const { hidden, gradient } = net.activationsAndGradient(probe, target);
    return [...hidden, gradient.grad];
  });
  const read = tensors.map((t) => t.dataSync() as Float32Array);
  tf.dispose(tensors);
  const acts = read.slice(0, -1);
  const grad = read[read.length - 1];
  const norms = layerGradientNorms(grad, net.layout);
  return net.layout.map((l, i) => {
    const n = norms[i];
    const gradientNorm = Number.isFinite(n.weights) && Number.isFinite(n.biases) ? n : null;
    if (i >= acts.length) return { deadUnits: null, meanActivation: null, gradientNorm };
    const s = activationStats(acts[i], acts[i].length / l.units, l.units);
    return { deadUnits: s.deadUnits, meanActivation: s.meanActivation, gradientNorm };
  });
}

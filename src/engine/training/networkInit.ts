/**
 * What a network starts from: θ's layout for a dense stack (`layerLayout`) and its size (`parameterCount`), the
 * Glorot-uniform initial parameters drawn from our own generator (`glorotInit`), and the training set's channel
 * statistics spread over an image's features for the input's standardization (`perFeature`). network.ts builds a
 * Network from them; the recorder's tests and bench lay out a dense stack with `layerLayout`.
 *
 *     const layout = layerLayout([784, 128, 10]);          // dense1 (784 → 128), dense2 (128 → 10)
 *     const theta = glorotInit(layout, plan.initLimits, rng); // parameterCount(layout) values
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerLayout } from '../../contract/windowRecord.js';
import type { ChannelStats } from '../../contract/record.js';
import type { Rng } from '../rng.js';

/** The layout of a dense stack of these sizes (input, hidden…, output): dense1, dense2, … (the recorder's tests and bench use it). */
export function layerLayout(sizes: readonly number[]): LayerLayout[] {
  const layout: LayerLayout[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    layout.push({
      name: `dense${l + 1}`,
      fanIn: sizes[l],
      units: sizes[l + 1],
      wOffset: offset,
      bOffset: offset + sizes[l] * sizes[l + 1],
    });
    offset += sizes[l] * sizes[l + 1] + sizes[l + 1];
  }
  return layout;
}

/** Total number of parameters of a layout. */
export function parameterCount(layout: readonly LayerLayout[]): number {
  const last = layout[layout.length - 1];
  return last.bOffset + last.units;
}

/**
 * Glorot-uniform weights, U(−limit, +limit) with limit √(6/(fan-in + fan-out)) per layer (a conv layer's fans count
 * its kernel positions, as Keras does), and zero biases, drawn from our own generator so that a seed means the same
 * network everywhere.
 */
export function glorotInit(layout: readonly LayerLayout[], limits: readonly number[], rng: Rng): Float32Array {
  const theta = new Float32Array(parameterCount(layout));
  layout.forEach((l, i) => {
    for (let j = 0; j < l.fanIn * l.units; j++) theta[l.wOffset + j] = (2 * rng.uniform() - 1) * limits[i];
  });
  return theta;
}

/** Channel statistics spread over the features of an image (channels last), as float32 vectors broadcast over rows. */
export function perFeature(stats: ChannelStats, pixels: number): { mean: tf.Tensor1D; std: tf.Tensor1D } {
  const c = stats.mean.length;
  const mean = new Float32Array(pixels * c);
  const std = new Float32Array(pixels * c);
  for (let i = 0; i < mean.length; i++) {
    mean[i] = stats.mean[i % c];
    std[i] = stats.std[i % c];
  }
  return { mean: tf.keep(tf.tensor1d(mean)), std: tf.keep(tf.tensor1d(std)) };
}

/**
 * The activations' forward and backward passes on tensors, for network.ts. ReLU's gradient is one kernel of ours
 * (convKernels.ts `reluGrad`) where tfjs would run Step then Multiply; the others are tfjs-wasm's elementwise ops
 * (the same WebAssembly in Node and in a browser, so the same bits).
 *
 *     const a = activate(z, 'gelu');
 *     const dz = activationGrad(da, 'gelu', a, z);
 */
import * as tf from '@tensorflow/tfjs-core';
import { reluGrad } from '../kernels/convKernels.js';
import type { Activation } from '../../contract/modelSpec.js';

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** a = act(z). */
export function activate(z: tf.Tensor, act: Activation): tf.Tensor {
  switch (act) {
    case 'relu':
      return tf.relu(z);
    case 'tanh':
      return tf.tanh(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'gelu':
      return tf.mul(tf.mul(z, 0.5), tf.add(tf.erf(tf.mul(z, SQRT1_2)), 1));
  }
}

/** dL/dz from dL/da for a = act(z) (`z` is read by gelu only). */
export function activationGrad(g: tf.Tensor, act: Activation, a: tf.Tensor, z: tf.Tensor | null): tf.Tensor {
  switch (act) {
    case 'relu':
      return reluGrad(g, a);
    case 'tanh':
      return tf.mul(g, tf.sub(1, tf.square(a)));
    case 'sigmoid':
      return tf.mul(g, tf.mul(a, tf.sub(1, a)));
    case 'gelu': {
      // d/dz [z Φ(z)] = Φ(z) + z φ(z)
      const phi = tf.mul(tf.add(tf.erf(tf.mul(z!, SQRT1_2)), 1), 0.5);
      const density = tf.mul(tf.exp(tf.mul(tf.square(z!), -0.5)), INV_SQRT_2PI);
      return tf.mul(g, tf.add(phi, tf.mul(z!, density)));
    }
  }
}

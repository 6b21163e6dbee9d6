/**
 * Optimizers that return the update Δ instead of applying it, so that the
 * exact Δ the network receives is also what the recorder sees (no snapshot
 * copies, no subtraction error).
 */
import * as tf from '@tensorflow/tfjs-core';

export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** Computes the update for a flat gradient. */
export interface Optimizer {
  /** Δ for this step's gradient; the caller applies θ ← θ + Δ. Call inside tf.tidy. */
  delta(grad: tf.Tensor1D): tf.Tensor1D;
  dispose(): void;
}

/** Hyper-parameters beyond the learning rate (fixed, documented in the README). */
export const MOMENTUM = 0.9;
export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** Builds an optimizer for a parameter vector of `size` elements. */
export function createOptimizer(name: OptimizerName, lr: number, size: number): Optimizer {
  if (name === 'sgd') return { delta: (g) => tf.mul(g, -lr), dispose: () => {} };
  if (name === 'momentum') {
    // PyTorch's form: v ← μv + g, Δ = −lr·v
    const v = tf.variable(tf.zeros([size]), false);
    return {
      delta(g) {
        const next = tf.add(tf.mul(v, MOMENTUM), g) as tf.Tensor1D;
        v.assign(next);
        return tf.mul(next, -lr);
      },
      dispose: () => v.dispose(),
    };
  }
  const m = tf.variable(tf.zeros([size]), false);
  const v = tf.variable(tf.zeros([size]), false);
  let t = 0;
  return {
    delta(g) {
      t++;
      const { beta1, beta2, epsilon } = ADAM;
      const mNext = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)) as tf.Tensor1D;
      const vNext = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)) as tf.Tensor1D;
      m.assign(mNext);
      v.assign(vNext);
      // Bias correction folded into the step size and ε, as in Kingma & Ba §2.
      const c2 = Math.sqrt(1 - beta2 ** t);
      const stepSize = (lr * c2) / (1 - beta1 ** t);
      return tf.mul(tf.div(mNext, tf.add(tf.sqrt(vNext), epsilon * c2)), -stepSize);
    },
    dispose: () => {
      m.dispose();
      v.dispose();
    },
  };
}

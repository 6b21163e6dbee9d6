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
  /** Δ for this step's gradient at learning rate `lr` (the schedule's value now) and parameters θ; the caller applies θ ← θ + Δ. Call inside tf.tidy. */
  delta(grad: tf.Tensor1D, lr: number, theta: tf.Tensor1D): tf.Tensor1D;
  dispose(): void;
}

/** Hyper-parameters beyond the learning rate (fixed, documented in the README). */
export const MOMENTUM = 0.9;
export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/**
 * Builds an optimizer for a parameter vector of `size` elements. `weightDecay` w is PyTorch's: for sgd and momentum
 * the gradient becomes g + w·θ (L2), for adam the step gains −lr·w·θ outside the moment estimates (AdamW, Loshchilov
 * & Hutter); it applies to every parameter, biases included. With w = 0 no op is added, so the bits are those of an
 * optimizer without it.
 */
export function createOptimizer(name: OptimizerName, size: number, weightDecay = 0): Optimizer {
  const l2 = (g: tf.Tensor1D, theta: tf.Tensor1D): tf.Tensor1D => (weightDecay > 0 ? tf.add(g, tf.mul(theta, weightDecay)) : g);
  if (name === 'sgd') return { delta: (g, lr, theta) => tf.mul(l2(g, theta), -lr), dispose: () => {} };
  if (name === 'momentum') {
    // PyTorch's form: v ← μv + g, Δ = −lr·v
    const v = tf.variable(tf.zeros([size]), false);
    return {
      delta(g, lr, theta) {
        const next = tf.add(tf.mul(v, MOMENTUM), l2(g, theta)) as tf.Tensor1D;
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
    delta(g, lr, theta) {
      t++;
      const { beta1, beta2, epsilon } = ADAM;
      const mNext = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)) as tf.Tensor1D;
      const vNext = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)) as tf.Tensor1D;
      m.assign(mNext);
      v.assign(vNext);
      // Bias correction folded into the step size and ε, as in Kingma & Ba §2.
      const c2 = Math.sqrt(1 - beta2 ** t);
      const stepSize = (lr * c2) / (1 - beta1 ** t);
      const step = tf.mul(tf.div(mNext, tf.add(tf.sqrt(vNext), epsilon * c2)), -stepSize) as tf.Tensor1D;
      return weightDecay > 0 ? tf.sub(step, tf.mul(theta, lr * weightDecay)) : step;
    },
    dispose: () => {
      m.dispose();
      v.dispose();
    },
  };
}

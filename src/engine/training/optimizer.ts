/**
 * Optimizers that return the update Δ instead of applying it, so that the
 * exact Δ the network receives is also what the recorder sees (no snapshot
 * copies, no subtraction error).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SweepConfig } from '../../contract/config.js';
import { UsageError } from '../../contract/errors.js';
import { adamStep } from '../kernels/adamStep.js';

/** Computes the update for a flat gradient. */
export interface Optimizer {
  /**
   * Δ for this step's gradient at learning rate `lr` (the schedule's value now) and parameters θ; the caller applies
   * θ ← θ + Δ. A fused group passes one rate per run. Call inside tf.tidy.
   */
  delta(grad: tf.Tensor1D, lr: number | readonly number[], theta: tf.Tensor1D): tf.Tensor1D;
  /** Keeps the state of the runs at `indices` only (a run left the group). */
  keepRuns(indices: readonly number[]): void;
  dispose(): void;
}

/** Hyper-parameters beyond the learning rate (fixed, documented in the README). */
export const MOMENTUM = 0.9;
export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/**
 * x·f with one factor per run (x holds the runs' vectors one after another). One run multiplies by the scalar; a group
 * by a column of factors broadcast along each run's vector: the same float32 product per element either way.
 */
function perRun(x: tf.Tensor1D, f: readonly number[]): tf.Tensor1D {
  if (f.length === 1) return tf.mul(x, f[0]);
  return tf.reshape(
    tf.mul(tf.reshape(x, [f.length, -1]), tf.tensor2d(f as number[], [f.length, 1])),
    [-1],
  ) as tf.Tensor1D;
}

/** A state vector (moments) of the runs' optimizer, all zero at first; `keep` copies out the kept runs' parts. */
class RunState {
  v: tf.Variable;
  constructor(
    size: number,
    private runs: number,
  ) {
    this.v = tf.variable(tf.zeros([size]), false);
  }
  keep(indices: readonly number[]): void {
    const kept = tf.tidy(() => tf.reshape(tf.gather(tf.reshape(this.v, [this.runs, -1]), indices), [-1]));
    this.v.dispose();
    this.v = tf.variable(kept, false);
    kept.dispose();
    this.runs = indices.length;
  }
}

/**
 * Builds an optimizer for `runs` parameter vectors of `size` elements each. `weightDecay` w is PyTorch's: for sgd and
 * momentum the gradient becomes g + w·θ (L2), for adam the step gains −lr·w·θ outside the moment estimates (AdamW,
 * Loshchilov & Hutter); it applies to every parameter, biases included. With w = 0 no op is added, so the bits are
 * those of an optimizer without it.
 */
export function createOptimizer(name: SweepConfig['optimizer'], size: number, weightDecay = 0, runs = 1): Optimizer {
  // a record of a user's tfjs model names tfjs's optimizer: its config describes a training fluctlab cannot repeat
  if (name.startsWith('tfjs:'))
    throw new UsageError(
      `optimizer ${name} is TensorFlow.js's, from a record of a user's model: train it with fluctlab/tfjs`,
    );
  const l2 = (g: tf.Tensor1D, theta: tf.Tensor1D): tf.Tensor1D =>
    weightDecay > 0 ? tf.add(g, tf.mul(theta, weightDecay)) : g;
  const rates = (lr: number | readonly number[]): readonly number[] => (typeof lr === 'number' ? [lr] : lr);
  const neg = (lr: number | readonly number[]) => rates(lr).map((r) => -r);
  if (name === 'sgd')
    return { delta: (g, lr, theta) => perRun(l2(g, theta), neg(lr)), keepRuns: () => {}, dispose: () => {} };
  if (name === 'momentum') {
    // PyTorch's form: v ← μv + g, Δ = −lr·v
    const v = new RunState(size * runs, runs);
    return {
      delta(g, lr, theta) {
        const next = tf.add(tf.mul(v.v, MOMENTUM), l2(g, theta)) as tf.Tensor1D;
        v.v.assign(next);
        return perRun(next, neg(lr));
      },
      keepRuns: (indices) => v.keep(indices),
      dispose: () => v.v.dispose(),
    };
  }
  const m = new RunState(size * runs, runs);
  const v = new RunState(size * runs, runs);
  let t = 0;
  return {
    delta(g, lr, theta) {
      t++;
      const { beta1, beta2, epsilon } = ADAM;
      // Bias correction folded into the step size and ε, as in Kingma & Ba §2; one kernel for the moments and Δ
      // (adamStep.ts: the bits of m·β1 + g·(1−β1), v·β2 + g²·(1−β2), m/(√v + ε)·step as tf ops)
      const c2 = Math.sqrt(1 - beta2 ** t);
      const [delta, mNext, vNext] = adamStep(g, m.v as tf.Tensor1D, v.v as tf.Tensor1D, theta, {
        beta1,
        beta2,
        epsilon: epsilon * c2,
        steps: rates(lr).map((r) => -(r * c2) / (1 - beta1 ** t)),
        decays: weightDecay > 0 ? rates(lr).map((r) => r * weightDecay) : null,
      });
      m.v.assign(mNext);
      v.v.assign(vNext);
      return delta;
    },
    keepRuns(indices) {
      m.keep(indices);
      v.keep(indices);
    },
    dispose: () => {
      m.v.dispose();
      v.v.dispose();
    },
  };
}

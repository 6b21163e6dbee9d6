/**
 * Optimizers that return the update Δ with the new θ = θ + Δ, so that the exact Δ the network receives is also what
 * the recorder sees (no snapshot copies, no subtraction error).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SweepConfig } from '../../contract/config.js';
import { UsageError } from '../../contract/errors.js';
import { optimizerStep, type StepConstants } from '../kernels/optimizerStep.js';

/** Computes the update for the gradient and applies it. */
export interface Optimizer {
  /**
   * One step: Δ for this step's gradient (the layers' parts, network.ts's `gradientParts`) at learning rate `lr` (the
   * schedule's value now) and parameters θ, and θ' = θ + Δ. A fused group passes one rate per run. Call inside tf.tidy.
   */
  step(
    parts: readonly tf.Tensor[],
    lr: number | readonly number[],
    theta: tf.Tensor1D,
  ): { delta: tf.Tensor1D; theta: tf.Tensor1D };
  /** Keeps the state of the runs at `indices` only (a run left the group). */
  keepRuns(indices: readonly number[]): void;
  dispose(): void;
}

/** Hyper-parameters beyond the learning rate (fixed, documented in the README). */
export const MOMENTUM = 0.9;
export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

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
 * Loshchilov & Hutter); it applies to every parameter, biases included. With w = 0 nothing is added, so the bits are
 * those of an optimizer without it. Every step is one kernel (optimizerStep.ts) with the bits of the tfjs ops
 * PyTorch's formulas read as: sgd Δ = −lr·g; momentum u ← μu + g, Δ = −lr·u; adam as Kingma & Ba §2, the bias
 * correction folded into the step size and ε.
 */
export function createOptimizer(name: SweepConfig['optimizer'], size: number, weightDecay = 0, runs = 1): Optimizer {
  // a record of a user's tfjs model names tfjs's optimizer: its config describes a training fluctlab cannot repeat
  if (name.startsWith('tfjs:'))
    throw new UsageError(
      `optimizer ${name} is TensorFlow.js's, from a record of a user's model: train it with fluctlab/tfjs`,
    );
  const rates = (lr: number | readonly number[]): readonly number[] => (typeof lr === 'number' ? [lr] : lr);
  const states = Array.from(
    { length: name === 'adam' ? 2 : name === 'momentum' ? 1 : 0 },
    () => new RunState(size * runs, runs),
  );
  let t = 0;
  const constants = (lr: readonly number[]): StepConstants => {
    if (name === 'sgd' || name === 'momentum') {
      const common = { rates: lr.map((r) => -r), decays: weightDecay > 0 ? lr.map(() => weightDecay) : null };
      return name === 'sgd' ? { kind: 'sgd', ...common } : { kind: 'momentum', mu: MOMENTUM, ...common };
    }
    const { beta1, beta2, epsilon } = ADAM;
    const c2 = Math.sqrt(1 - beta2 ** t);
    return {
      kind: 'adam',
      beta1,
      beta2,
      epsilon: epsilon * c2,
      rates: lr.map((r) => -(r * c2) / (1 - beta1 ** t)),
      decays: weightDecay > 0 ? lr.map((r) => r * weightDecay) : null,
    };
  };
  const step: Optimizer['step'] = (parts, lr, theta) => {
    t++;
    const out = optimizerStep(
      parts,
      theta,
      states.map((s) => s.v),
      constants(rates(lr)),
    );
    states.forEach((s, i) => {
      s.v.assign(out.state[i]);
    });
    return { delta: out.delta, theta: out.theta };
  };
  return {
    step,
    keepRuns(indices) {
      for (const s of states) s.keep(indices);
    },
    dispose() {
      for (const s of states) s.v.dispose();
    },
  };
}

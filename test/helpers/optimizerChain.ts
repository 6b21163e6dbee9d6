/**
 * The tfjs op chains the optimizers' step kernel replaced (optimizer.ts before it), the reference its WebAssembly and
 * its JS loops are held to, and a test case of inputs that reach zeros of both signs, tiny and large moments and
 * lengths that leave a scalar tail.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { StepConstants } from '../../src/engine/kernels/optimizerStep.js';
import { Rng } from '../../src/engine/rng.js';

/** The op chains optimizer.ts ran before the kernel, as tf ops: [Δ, θ', ...state']. */
export function optimizerOpChain(
  g: tf.Tensor1D,
  theta: tf.Tensor1D,
  state: tf.Tensor1D[],
  c: StepConstants,
  runs: number,
) {
  const perRun = (x: tf.Tensor, f: readonly number[]) =>
    runs === 1
      ? tf.mul(x, f[0])
      : tf.reshape(tf.mul(tf.reshape(x, [runs, -1]), tf.tensor2d(f as number[], [runs, 1])), [-1]);
  let d: tf.Tensor;
  let next: tf.Tensor[] = [];
  if (c.kind === 'adam') {
    const m2 = tf.add(tf.mul(state[0], c.beta1), tf.mul(g, 1 - c.beta1));
    const v2 = tf.add(tf.mul(state[1], c.beta2), tf.mul(tf.square(g), 1 - c.beta2));
    const step = perRun(tf.div(m2, tf.add(tf.sqrt(v2), c.epsilon)), c.rates);
    d = c.decays ? tf.sub(step, perRun(theta, c.decays)) : step;
    next = [m2, v2];
  } else {
    // one weight decay for every run (optimizer.ts's L2)
    const gg = c.decays ? tf.add(g, tf.mul(theta, c.decays[0])) : g;
    const u = c.kind === 'momentum' ? tf.add(tf.mul(state[0], c.mu), gg) : gg;
    d = perRun(u, c.rates);
    next = c.kind === 'momentum' ? [u] : [];
  }
  return [d, tf.add(theta, d), ...next].map((t) => t.dataSync() as Float32Array);
}

/** Inputs for one case: the flat gradient (run by run, each run's parts in turn), θ, the state, the constants and the layers' parts as network.ts makes them (part l holds every run's l-th stretch). */
export function optimizerCase(kind: StepConstants['kind'], runs: number, decay: boolean) {
  const rng = new Rng(runs * 7 + (decay ? 1 : 0) + kind.length);
  const lengths = [4 * 12 + 3, 9, 4 * 5];
  const size = lengths.reduce((a, b) => a + b, 0);
  const total = size * runs;
  const theta = new Float32Array(total).map(() => rng.uniform() - 0.5);
  const g = new Float32Array(total).map((_, i) =>
    i % 17 === 0 ? (i % 2 ? -0 : 0) : (rng.uniform() - 0.5) * 10 ** (3 - (i % 9)),
  );
  const states = Array.from({ length: kind === 'adam' ? 2 : kind === 'momentum' ? 1 : 0 }, (_, s) =>
    new Float32Array(total).map((_, i) => (i % 11 === 0 ? 0 : (rng.uniform() - s * 0.5) * 10 ** -(i % 12))),
  );
  const rates = [0.001, 0.0003, 0.1].slice(0, runs);
  const decays = decay ? rates.map(() => 0.01) : null;
  const c: StepConstants =
    kind === 'adam'
      ? { kind, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 * 0.3, rates: rates.map((r) => -r * 0.7), decays }
      : kind === 'momentum'
        ? { kind, mu: 0.9, rates: rates.map((r) => -r), decays }
        : { kind, rates: rates.map((r) => -r), decays };
  const offsets = lengths.map((_, l) => lengths.slice(0, l).reduce((a, b) => a + b, 0));
  const parts = lengths.map((n, l) => {
    const p = new Float32Array(n * runs);
    for (let r = 0; r < runs; r++) p.set(g.subarray(r * size + offsets[l], r * size + offsets[l] + n), r * n);
    return p;
  });
  return { g, theta, states, c, parts, size, total };
}

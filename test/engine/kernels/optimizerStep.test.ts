/**
 * The optimizers' steps in one kernel (engine/kernels/optimizerStep.ts) against the tfjs op chains they replace (the
 * concat of the layers' gradient parts, mul, add, square, sqrt, div, sub with float32 scalars, and θ + Δ), and the JS
 * loops against both: the same bits, for sgd, momentum and adam, one run and a fused group of runs with their own
 * rates, with and without weight decay, the gradient in one part and in three, over values that reach zeros of both
 * signs, tiny and large moments, and lengths that leave a scalar tail after the vector loop.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileWat, MODULES } from '../../../scripts/build-wasm.js';
import {
  optimizerStep,
  optimizerStepInto,
  type StepConstants,
  stepScalars,
} from '../../../src/engine/kernels/optimizerStep.js';
import { initBackend, tf } from '../../../src/engine/kernels/tf.js';
import { OPTIMIZER_WASM, OPTIMIZER_WASM_SHARED } from '../../../src/engine/kernels/wasm/optimizerWasm.js';
import { Rng } from '../../../src/engine/rng.js';

beforeAll(async () => {
  await initBackend();
});

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** The op chains optimizer.ts ran before the kernel, as tf ops: [Δ, θ', ...state']. */
function opChain(g: tf.Tensor1D, theta: tf.Tensor1D, state: tf.Tensor1D[], c: StepConstants, runs: number) {
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

const KINDS = ['sgd', 'momentum', 'adam'] as const;

describe("the optimizers' steps in one kernel", () => {
  for (const kind of KINDS)
    for (const runs of [1, 3])
      for (const decay of [false, true])
        it(`gives the bits of the tfjs ops and of the JS loops: ${kind}, ${runs} run${runs > 1 ? 's' : ''}${decay ? ', weight decay' : ''}`, () => {
          const rng = new Rng(runs * 7 + (decay ? 1 : 0) + kind.length);
          const lengths = [4 * 12 + 3, 9, 4 * 5]; // the layers' parts, per run
          const size = lengths.reduce((a, b) => a + b, 0);
          const total = size * runs;
          const theta = new Float32Array(total).map(() => rng.uniform() - 0.5);
          // the flat gradient, run by run, each run's parts in turn
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
          // the layers' parts as network.ts makes them: part l holds every run's l-th stretch
          const offsets = lengths.map((_, l) => lengths.slice(0, l).reduce((a, b) => a + b, 0));
          const partData = lengths.map((n, l) => {
            const p = new Float32Array(n * runs);
            for (let r = 0; r < runs; r++) p.set(g.subarray(r * size + offsets[l], r * size + offsets[l] + n), r * n);
            return p;
          });
          const [gt, tt] = [tf.tensor1d(g), tf.tensor1d(theta)];
          const st = states.map((x) => tf.tensor1d(x));
          const parts = partData.map((p) => tf.tensor1d(p));
          const want = tf.tidy(() => opChain(gt, tt, st, c, runs));
          for (const split of [[gt], parts]) {
            const got = tf.tidy(() => {
              const o = optimizerStep(split, tt, st, c);
              return [o.delta, o.theta, ...o.state].map((x) => x.dataSync() as Float32Array);
            });
            expect(got.length).toBe(want.length);
            got.forEach((x, k) => {
              expect(bits(x), `output ${k}, ${split.length} part(s)`).toEqual(bits(want[k]));
            });
          }
          const js = {
            d: new Float32Array(total),
            theta: new Float32Array(total),
            state: states.map(() => new Float32Array(total)),
          };
          for (let r = 0; r < runs; r++)
            optimizerStepInto(kind, { g, theta, state: states }, js, stepScalars(c, r), r * size, r * size, size);
          [js.d, js.theta, ...js.state].forEach((x, k) => {
            expect(bits(x), `JS output ${k}`).toEqual(bits(want[k]));
          });
          expect(want[0].some((x) => x !== 0)).toBe(true);
          tf.dispose([gt, tt, ...st, ...parts]);
        });

  it('is exactly the compile of optimizer.wat, in both builds', async () => {
    const module = MODULES.find((m) => m.name === 'OPTIMIZER_WASM')!;
    const fresh = await compileWat(module.wat);
    expect(Array.from(OPTIMIZER_WASM)).toEqual(Array.from(fresh.plain));
    expect(Array.from(OPTIMIZER_WASM_SHARED)).toEqual(Array.from(fresh.shared));
  });
});

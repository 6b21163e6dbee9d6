/**
 * Adam's step in one kernel (engine/kernels/adamStep.ts) against the tfjs op chain it replaces (mul, add, square,
 * sqrt, div, sub with float32 scalars), and its JS loop against both: the same bits, for one run and a fused group of
 * runs with their own step sizes, with and without weight decay, over values that reach zeros of both signs, tiny
 * and large moments, and a length that leaves a scalar tail after the vector loop.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileWat, MODULES } from '../../../scripts/build-wasm.js';
import { ADAM_WASM, ADAM_WASM_SHARED } from '../../../src/engine/kernels/wasm/adamWasm.js';
import { type AdamConstants, adamScalars, adamStep, adamStepInto } from '../../../src/engine/kernels/adamStep.js';
import { initBackend, tf } from '../../../src/engine/kernels/tf.js';
import { Rng } from '../../../src/engine/rng.js';

beforeAll(async () => {
  await initBackend();
});

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** The op chain optimizer.ts ran before the kernel, as tf ops. */
function opChain(g: tf.Tensor1D, m: tf.Tensor1D, v: tf.Tensor1D, theta: tf.Tensor1D, c: AdamConstants, runs: number) {
  const perRun = (x: tf.Tensor, f: readonly number[]) =>
    runs === 1
      ? tf.mul(x, f[0])
      : tf.reshape(tf.mul(tf.reshape(x, [runs, -1]), tf.tensor2d(f as number[], [runs, 1])), [-1]);
  const m2 = tf.add(tf.mul(m, c.beta1), tf.mul(g, 1 - c.beta1));
  const v2 = tf.add(tf.mul(v, c.beta2), tf.mul(tf.square(g), 1 - c.beta2));
  const step = perRun(tf.div(m2, tf.add(tf.sqrt(v2), c.epsilon)), c.steps);
  const d = c.decays ? tf.sub(step, perRun(theta, c.decays)) : step;
  return [d, m2, v2].map((t) => t.dataSync() as Float32Array);
}

describe("Adam's step in one kernel", () => {
  for (const [runs, decay] of [
    [1, false],
    [1, true],
    [3, false],
    [3, true],
  ] as const) {
    it(`gives the bits of the tfjs ops and of the JS loop: ${runs} run${runs > 1 ? 's' : ''}${decay ? ', weight decay' : ''}`, () => {
      const rng = new Rng(runs * 2 + (decay ? 1 : 0));
      const per = 4 * 25 + 3; // a vector loop and a scalar tail per run
      const size = per * runs;
      const g = new Float32Array(size).map((_, i) =>
        i % 17 === 0 ? (i % 2 ? -0 : 0) : (rng.uniform() - 0.5) * 10 ** (3 - (i % 9)),
      );
      const m = new Float32Array(size).map((_, i) => (i % 13 === 0 ? 0 : (rng.uniform() - 0.5) * 1e-3));
      const v = new Float32Array(size).map((_, i) => (i % 11 === 0 ? 0 : rng.uniform() * 10 ** -(i % 12)));
      const theta = new Float32Array(size).map(() => rng.uniform() - 0.5);
      const t = 7;
      const c2 = Math.sqrt(1 - 0.999 ** t);
      const rates = [0.001, 0.0003, 0.1].slice(0, runs);
      const c: AdamConstants = {
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-8 * c2,
        steps: rates.map((r) => -(r * c2) / (1 - 0.9 ** t)),
        decays: decay ? rates.map((r) => r * 0.01) : null,
      };
      const tensors = [g, m, v, theta].map((x) => tf.tensor1d(x)) as tf.Tensor1D[];
      const want = tf.tidy(() => opChain(tensors[0], tensors[1], tensors[2], tensors[3], c, runs));
      const got = tf.tidy(() =>
        adamStep(tensors[0], tensors[1], tensors[2], tensors[3], c).map((x) => x.dataSync() as Float32Array),
      );
      const js = { d: new Float32Array(size), m: new Float32Array(size), v: new Float32Array(size) };
      for (let r = 0; r < runs; r++) {
        adamStepInto({ g, m, v, theta: decay ? theta : null }, js, adamScalars(c, r), r * per, (r + 1) * per);
      }
      for (let k = 0; k < 3; k++) {
        expect(bits(got[k]), ['Δ', "m'", "v'"][k]).toEqual(bits(want[k]));
        expect(bits([js.d, js.m, js.v][k])).toEqual(bits(want[k]));
      }
      expect(want[0].some((x) => x !== 0)).toBe(true);
      tf.dispose(tensors);
    });
  }

  it('is exactly the compile of adam.wat, in both builds', async () => {
    const module = MODULES.find((m) => m.name === 'ADAM_WASM')!;
    const fresh = await compileWat(module.wat);
    expect(Array.from(ADAM_WASM)).toEqual(Array.from(fresh.plain));
    expect(Array.from(ADAM_WASM_SHARED)).toEqual(Array.from(fresh.shared));
  });
});

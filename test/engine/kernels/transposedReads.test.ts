/**
 * Whether a product reads its row-major A through a transposed copy is the engine's speed, never its bits: the dense
 * forward product, the input gradient and a conv layer's input gradient give the same bits either way, in both
 * arithmetics, for a batch of 64 rows, a fused group of 2 runs and a conv layer's dz (many rows, 8 units).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineFusesMultiplyAdd } from '../../../src/engine/kernels/arithmetic.js';
import { convInputGrad } from '../../../src/engine/kernels/convInputGrad.js';
import { dense, inputGrad } from '../../../src/engine/kernels/gemm.js';
import { setTransposedReads } from '../../../src/engine/kernels/gemmCalls.js';
import { initBackend, tf } from '../../../src/engine/kernels/tf.js';
import { Rng } from '../../../src/engine/rng.js';

beforeAll(async () => {
  await initBackend();
});
afterAll(() => setTransposedReads(undefined));

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** The same computation with the transposed reads off and on. */
function bothWays(f: () => tf.Tensor): [number[], number[]] {
  const run = (on: boolean) => {
    setTransposedReads(on);
    return bits(tf.tidy(() => f().dataSync() as Float32Array));
  };
  return [run(false), run(true)];
}

describe('reading A through a transposed copy', () => {
  for (const fma of [false, true])
    it.skipIf(fma && !engineFusesMultiplyAdd())(`changes no bit${fma ? ', fma' : ''}`, () => {
      const rng = new Rng(fma ? 2 : 1);
      const runs = 2;
      const l = { wOffset: 3, bOffset: 3 + 37 * 19, fanIn: 37, units: 19 };
      const stride = 3 + 37 * 19 + 19 + 2;
      const theta = tf.tensor1d(new Float32Array(stride * runs).map(() => rng.uniform() - 0.5));
      const x = tf.tensor2d(
        new Float32Array(64 * 37).map(() => rng.uniform()),
        [64, 37],
      );
      const xs = tf.tensor2d(
        new Float32Array(2 * 64 * 37).map(() => rng.uniform()),
        [128, 37],
      );
      const dz = tf.tensor2d(
        new Float32Array(128 * 19).map(() => rng.uniform() - 0.5),
        [128, 19],
      );
      const solo = { runs: 1, stride: 0, fma };
      const group = { runs, stride, fma };
      for (const [what, f] of [
        ['forward, one run', () => dense(x, theta, l, true, solo)],
        ['forward, a group sharing the batch', () => dense(x, theta, l, true, group, true)],
        ['forward, a group of its own rows', () => dense(xs, theta, l, false, group)],
        ['input gradient, a group', () => inputGrad(dz, theta, l, group)],
      ] as [string, () => tf.Tensor][]) {
        const [off, on] = bothWays(f);
        expect(on, what).toEqual(off);
      }
      // a conv layer's dz: 5 images of 6 × 6 outputs (180 rows) with 8 units, 3 × 3 windows on 2 channels
      const g = { kh: 3, kw: 3, stride: 1, padTop: 1, padLeft: 1, inH: 6, inW: 6, inC: 2, outH: 6, outW: 6 };
      const cl = { wOffset: 0, bOffset: 18 * 8, fanIn: 18, units: 8 };
      const ct = tf.tensor1d(new Float32Array(18 * 8 + 8).map(() => rng.uniform() - 0.5));
      const cdz = tf.tensor2d(
        new Float32Array(180 * 8).map(() => rng.uniform() - 0.5),
        [180, 8],
      );
      const [off, on] = bothWays(() => convInputGrad(cdz, ct, cl, g, 5, solo));
      expect(on, 'conv input gradient').toEqual(off);
      tf.dispose([theta, x, xs, dz, ct, cdz]);
    });
});

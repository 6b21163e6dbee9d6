/**
 * Whether a product reads its row-major A through a transposed copy is the engine's speed, never its bits: the dense
 * forward product, the input gradient and a conv layer's input gradient give the same bits either way, in both
 * arithmetics, through gemm.wat (checked linked): one run and fused groups (sharing the batch or with rows of their
 * own), row counts of 1, 21 and 64 (not all multiples of 4), an inner dimension of 700 (taken in blocks), and a conv
 * layer's dz over several chunks of images.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineFusesMultiplyAdd } from '../../../src/engine/kernels/arithmetic.js';
import { convInputGrad } from '../../../src/engine/kernels/convInputGrad.js';
import { dense, inputGrad } from '../../../src/engine/kernels/gemm.js';
import { setTransposedReads } from '../../../src/engine/kernels/gemmCalls.js';
import { linkGemm } from '../../../src/engine/kernels/gemmHeapKernels.js';
import { initBackend, tf } from '../../../src/engine/kernels/tf.js';
import { asWasmBackend } from '../../../src/engine/kernels/tfjsWasm.js';
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
      expect(linkGemm(asWasmBackend(tf.backend()), fma)).not.toBeNull();
      const rng = new Rng(fma ? 2 : 1);
      const solo = { runs: 1, stride: 0, fma };
      for (const [fanIn, units, rows, runs] of [
        [37, 19, 64, 2],
        [700, 12, 21, 3],
        [9, 8, 1, 2],
      ]) {
        const l = { wOffset: 3, bOffset: 3 + fanIn * units, fanIn, units };
        const stride = 3 + fanIn * units + units + 2;
        const group = { runs, stride, fma };
        const theta = tf.tensor1d(new Float32Array(stride * runs).map(() => rng.uniform() - 0.5));
        const x = tf.tensor2d(
          new Float32Array(rows * fanIn).map(() => rng.uniform()),
          [rows, fanIn],
        );
        const xs = tf.tensor2d(
          new Float32Array(runs * rows * fanIn).map(() => rng.uniform()),
          [runs * rows, fanIn],
        );
        const dz = tf.tensor2d(
          new Float32Array(runs * rows * units).map(() => rng.uniform() - 0.5),
          [runs * rows, units],
        );
        for (const [what, f] of [
          ['forward, one run', () => dense(x, theta, l, true, solo)],
          ['forward, a group sharing the batch', () => dense(x, theta, l, true, group, true)],
          ['forward, a group of its own rows', () => dense(xs, theta, l, false, group)],
          ['input gradient, a group', () => inputGrad(dz, theta, l, group)],
        ] as [string, () => tf.Tensor][]) {
          const [off, on] = bothWays(f);
          expect(on, `${what}: ${rows} rows of ${fanIn} × ${units}, ${runs} runs`).toEqual(off);
        }
        tf.dispose([theta, x, xs, dz]);
      }
      // a conv layer's dz: 5 images of 10 × 10 outputs with 16 units, 5 × 5 windows on 6 channels (60 KB of fields
      // an image: two chunks of images)
      const g = { kh: 5, kw: 5, stride: 1, padTop: 0, padLeft: 0, inH: 14, inW: 14, inC: 6, outH: 10, outW: 10 };
      const cl = { wOffset: 0, bOffset: 150 * 16, fanIn: 150, units: 16 };
      const ct = tf.tensor1d(new Float32Array(150 * 16 + 16).map(() => rng.uniform() - 0.5));
      const cdz = tf.tensor2d(
        new Float32Array(500 * 16).map(() => rng.uniform() - 0.5),
        [500, 16],
      );
      const [off, on] = bothWays(() => convInputGrad(cdz, ct, cl, g, 5, solo));
      expect(on, 'conv input gradient').toEqual(off);
      tf.dispose([ct, cdz]);
    });
});

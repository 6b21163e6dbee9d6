/**
 * A conv layer's products read straight from its padded input (engine/kernels/convImplicit.ts) against the products
 * on its receptive fields they replace (im2col, then dense / denseGrad): the same bits, in both arithmetics, over same
 * and valid padding, stride 2, one and several input channels, rows of output pixels that are not a multiple of 4,
 * units of 6, 8, 14 and 16, with and without the ReLU,
 * and a weight gradient taken in two chunks of images going on from the first; and which layers take the path.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { engineFusesMultiplyAdd } from '../../../src/engine/kernels/arithmetic.js';
import { convForward, convReadsInput, convWeightGrad, padForConv } from '../../../src/engine/kernels/convImplicit.js';
import { im2col, type Window2d } from '../../../src/engine/kernels/convKernels.js';
import { dense, denseGrad } from '../../../src/engine/kernels/gemm.js';
import { initBackend, tf } from '../../../src/engine/kernels/tf.js';
import { Rng } from '../../../src/engine/rng.js';

beforeAll(async () => {
  await initBackend();
});

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** TensorFlow's `same` rule (pad after, then before) or `valid`. */
function window(h: number, w: number, c: number, k: number, stride: number, same: boolean): Window2d {
  const [outH, outW] = [h, w].map((size) => (same ? Math.ceil(size / stride) : Math.floor((size - k) / stride) + 1));
  const pad = (size: number, out: number) => (same ? Math.max((out - 1) * stride + k - size, 0) : 0);
  return {
    kh: k,
    kw: k,
    stride,
    padTop: pad(h, outH) >> 1,
    padLeft: pad(w, outW) >> 1,
    inH: h,
    inW: w,
    inC: c,
    outH,
    outW,
  };
}

const CASES: [string, Window2d, number, number][] = [
  ["LeNet's first layer (28×28, 5×5 same, 6 units)", window(28, 28, 1, 5, 1, true), 6, 5],
  ['valid 5×5 on 3 channels, 16 units, 7 pixels a row', window(11, 11, 3, 5, 1, false), 16, 4],
  ["LeNet's second layer (14×14×6, 5×5 valid, 16 units)", window(14, 14, 6, 5, 1, false), 16, 3],
  ['stride 2, same, 14 units', window(9, 15, 2, 3, 2, true), 14, 3],
  ['2×2 valid, 8 units', window(6, 5, 4, 2, 1, false), 8, 3],
  ['75 output pixels (the last 3 alone), 6 units', window(7, 7, 2, 3, 1, false), 6, 3],
  ['valid, stride 2, a last row and column no window reads (no copy)', window(28, 28, 1, 5, 2, false), 6, 2],
];

describe("a conv layer's products read from its input", () => {
  for (const fma of [false, true])
    for (const [what, g, units, n] of CASES)
      it.skipIf(fma && !engineFusesMultiplyAdd())(
        `give the fields products' bits: ${what}${fma ? ', fma' : ''}`,
        () => {
          expect(convReadsInput(units)).toBe(true);
          const rng = new Rng(units * 3 + n);
          const fanIn = g.kh * g.kw * g.inC;
          const layer = { wOffset: 7, bOffset: 7 + fanIn * units, fanIn, units };
          const theta = tf.tensor1d(new Float32Array(7 + fanIn * units + units + 3).map(() => rng.uniform() - 0.5));
          const x = tf.tensor4d(
            new Float32Array(n * g.inH * g.inW * g.inC).map(() => rng.uniform() * 2 - 1),
            [n, g.inH, g.inW, g.inC],
          );
          const dz = tf.tensor2d(
            new Float32Array(n * g.outH * g.outW * units).map(() => (rng.uniform() - 0.5) * 1e-2),
            [n * g.outH * g.outW, units],
          );
          const group = { runs: 1, stride: 0, fma };
          tf.tidy(() => {
            const cols = im2col(x, g);
            const xp = padForConv(x, g);
            for (const relu of [false, true]) {
              const want = dense(cols, theta, layer, relu, group).dataSync() as Float32Array;
              const got = convForward(xp, theta, layer, g, relu, fma).dataSync() as Float32Array;
              expect(bits(got), `forward, relu ${relu}`).toEqual(bits(want));
            }
            const want = denseGrad(cols, dz, layer, group).dataSync() as Float32Array;
            expect(bits(convWeightGrad(xp, dz, layer, g, fma).dataSync() as Float32Array), 'weight gradient').toEqual(
              bits(want),
            );
            // two chunks of images, the second going on from the first: the bits of one pass
            const rows = g.outH * g.outW;
            const first = convWeightGrad(tf.slice(xp, 0, 1), tf.slice(dz, 0, rows), layer, g, fma);
            const both = convWeightGrad(
              tf.slice(xp, 1, n - 1),
              tf.slice(dz, rows, (n - 1) * rows),
              layer,
              g,
              fma,
              first,
            );
            expect(bits(both.dataSync() as Float32Array), 'in chunks').toEqual(bits(want));
          });
          tf.dispose([theta, x, dz]);
        },
      );

  it('are taken where the tiles fit: units in eights with a last 0 or 6', () => {
    expect([6, 8, 14, 16, 22].map(convReadsInput)).toEqual([true, true, true, true, true]);
    expect([1, 4, 7, 10, 12].map(convReadsInput)).toEqual([false, false, false, false, false]);
  });
});

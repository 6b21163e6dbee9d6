/**
 * A conv layer's input gradient in one kernel, a few images at a time (engine/kernels/convInputGrad.ts), against the
 * two kernels it replaces, col2im(dz·Wᵀ), and against the JS loops: the same bits, in both arithmetics, over shapes
 * that take one chunk and several (the last one short), with same and valid padding and stride 2.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { col2im, col2imInto, type Window2d } from '../../../src/engine/kernels/convKernels.js';
import { convInputGrad } from '../../../src/engine/kernels/convInputGrad.js';
import { gemmLoops, inputGrad } from '../../../src/engine/kernels/gemm.js';
import { initBackend, tf } from '../../../src/engine/kernels/tf.js';
import { engineFusesMultiplyAdd } from '../../../src/engine/kernels/arithmetic.js';
import { Rng } from '../../../src/engine/rng.js';

beforeAll(async () => {
  await initBackend();
});

/** A conv layer's geometry: `same` pads by TensorFlow's rule (after, then before), `valid` does not. */
function window(size: number, inC: number, k: number, stride: number, same: boolean): Window2d {
  const out = same ? Math.ceil(size / stride) : Math.floor((size - k) / stride) + 1;
  const pad = same ? Math.max((out - 1) * stride + k - size, 0) : 0;
  return { kh: k, kw: k, stride, padTop: pad >> 1, padLeft: pad >> 1, inH: size, inW: size, inC, outH: out, outW: out };
}

const CASES: [string, number, Window2d, number][] = [
  // name, images, geometry, units
  ['one chunk, same padding', 3, window(8, 2, 3, 1, true), 5],
  ['37 images in chunks of 16 (the last of 5), same padding', 37, window(12, 3, 3, 1, true), 8],
  ['stride 2, valid', 21, window(13, 4, 3, 2, false), 6],
  ["LeNet's second layer", 64, window(14, 6, 5, 1, false), 16],
];

describe("a conv layer's input gradient in one kernel", () => {
  for (const fma of [false, true]) {
    for (const [what, n, g, units] of CASES) {
      it.skipIf(fma && !engineFusesMultiplyAdd())(
        `gives the bits of col2im(dz·Wᵀ) and of the JS loops: ${what}${fma ? ', fma' : ''}`,
        () => {
          const rng = new Rng(n * 7 + units);
          const fanIn = g.kh * g.kw * g.inC;
          const l = { wOffset: 3, bOffset: 3 + fanIn * units, fanIn, units };
          const theta = new Float32Array(l.bOffset + units).map(() => rng.uniform() - 0.5);
          const rows = n * g.outH * g.outW;
          const dzValues = new Float32Array(rows * units).map(() => rng.uniform() - 0.5);
          const group = { runs: 1, stride: theta.length, fma };
          const [one, two] = tf.tidy(() => {
            const dz = tf.tensor2d(dzValues, [rows, units]);
            const t = tf.tensor1d(theta);
            return [
              convInputGrad(dz, t, l, g, n, group).dataSync().slice(),
              col2im(inputGrad(dz, t, l, group), g, n)
                .dataSync()
                .slice(),
            ];
          });
          const cols = new Float32Array(rows * fanIn);
          gemmLoops.inputGrad(dzValues, theta, cols, rows, l, fma);
          const loops = new Float32Array(n * g.inH * g.inW * g.inC);
          col2imInto(cols, loops, g, n);
          expect(one.length).toBe(loops.length);
          expect(Array.from(one)).toEqual(Array.from(two));
          expect(Array.from(one)).toEqual(Array.from(loops));
          expect(one.some((v) => v !== 0)).toBe(true);
        },
      );
    }
  }
});

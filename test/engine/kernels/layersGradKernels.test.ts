/**
 * Conv2DBackpropFilter on the WASM backend (layersGradKernels.ts), the kernel a tfjs-layers Conv2D's kernel gradient
 * calls: against the sum it stands for, dW[ky, kx, c, o] = Σ_{n, y, x} X[n, y·s + ky − pt, x·s + kx − pl, c] ·
 * dY[n, y, x, o], written out as loops, for valid and same padding and strides 1 and 2.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeEnvironment } from '../../../src/sweep/nodeBackend.js';

beforeAll(async () => {
  await nodeEnvironment();
});

function reference(x: tf.Tensor4D, dy: tf.Tensor4D, kh: number, kw: number, stride: number, pt: number, pl: number) {
  const [n, h, w, c] = x.shape;
  const [, oh, ow, co] = dy.shape;
  const xs = x.dataSync();
  const ds = dy.dataSync();
  const out = new Float64Array(kh * kw * c * co);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < oh; y++)
      for (let xx = 0; xx < ow; xx++)
        for (let ky = 0; ky < kh; ky++)
          for (let kx = 0; kx < kw; kx++) {
            const iy = y * stride + ky - pt;
            const ix = xx * stride + kx - pl;
            if (iy < 0 || ix < 0 || iy >= h || ix >= w) continue;
            for (let ci = 0; ci < c; ci++)
              for (let o = 0; o < co; o++)
                out[((ky * kw + kx) * c + ci) * co + o] +=
                  xs[((b * h + iy) * w + ix) * c + ci] * ds[((b * oh + y) * ow + xx) * co + o];
          }
  return out;
}

describe('Conv2DBackpropFilter on wasm', () => {
  for (const [pad, stride] of [
    ['valid', 1],
    ['same', 1],
    ['valid', 2],
    ['same', 2],
  ] as const)
    it(`is the sum over positions of input times output gradient (${pad}, stride ${stride})`, () => {
      const x = tf.randomNormal([2, 7, 6, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
      const filterShape: [number, number, number, number] = [3, 2, 3, 4];
      const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, stride, 1, pad);
      const dy = tf.randomNormal([2, info.outHeight, info.outWidth, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
      // as tfjs's Conv2D gradient calls it (tfjs-core/src/gradients/Conv2D_grad.ts)
      const attrs = { strides: stride, pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape };
      const dW = tf
        .engine()
        .runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
      expect(dW.shape).toEqual(filterShape);
      const want = reference(x, dy, 3, 2, stride, info.padInfo.top, info.padInfo.left);
      const got = dW.dataSync();
      for (const [i, v] of want.entries()) expect(Math.abs(got[i] - v)).toBeLessThan(1e-4 * (1 + Math.abs(v)));
    });
});

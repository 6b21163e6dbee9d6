import { describe, expect, it } from 'vitest';
import { col2imInto, im2colInto, maxPoolGradInto } from '../../../src/engine/kernels/convKernels.js';
import type { Window2d } from '../../../src/engine/kernels/convKernels.js';

// one 3×3 image with one channel, values 1…9; a 2×2 kernel with same padding (TensorFlow pads after: bottom and right)
const image = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
const same: Window2d = { kh: 2, kw: 2, stride: 1, padTop: 0, padLeft: 0, inH: 3, inW: 3, inC: 1, outH: 3, outW: 3 };

describe('convolution kernels', () => {
  it('im2col writes each receptive field as a row, zero where it leaves the image', () => {
    const cols = new Float32Array(9 * 4);
    im2colInto(image, cols, same, 1);
    expect(Array.from(cols.subarray(0, 8))).toEqual([1, 2, 4, 5, 2, 3, 5, 6]);
    expect(Array.from(cols.subarray(28, 36))).toEqual([8, 9, 0, 0, 9, 0, 0, 0]);
  });

  it('col2im adds every row back where it was read: the adjoint of im2col', () => {
    const ones = new Float32Array(36).fill(1);
    const back = new Float32Array(9);
    col2imInto(ones, back, same, 1);
    // how many receptive fields read each pixel: 1 at the top left, 4 where all four 2×2 windows overlap
    expect(Array.from(back)).toEqual([1, 2, 2, 2, 4, 4, 2, 4, 4]);
  });

  it('routes the max-pool gradient to the first largest value of each window, negative windows included', () => {
    const x = new Float32Array([-5, -2, 3, 1, -7, -2, 3, 0]); // 2×4, one channel: windows [-5 -2 / -7 -2] and [3 1 / 3 0]
    const g: Window2d = { kh: 2, kw: 2, stride: 2, padTop: 0, padLeft: 0, inH: 2, inW: 4, inC: 1, outH: 1, outW: 2 };
    const dx = new Float32Array(8);
    maxPoolGradInto(x, new Float32Array([10, 20]), dx, g, 1);
    expect(Array.from(dx)).toEqual([0, 10, 20, 0, 0, 0, 0, 0]);
  });
});

/**
 * The kernels convolutions and pools need beyond a matrix product, which tfjs-wasm 4.22 lacks or runs slowly: im2col
 * (each output position's receptive field as one row, so a conv layer is a dense layer on those rows: forward, weight
 * gradient and input gradient are gemm.ts's products, and tfjs-wasm has no Conv2DBackpropFilter), col2im (the input
 * gradient: rows of dY·Wᵀ added back onto the input, where tfjs-wasm's own Conv2DBackpropInput takes 20 ms for
 * LeNet's second layer), and the max-pool gradient (tfjs-wasm 4.22's MaxPoolGrad routes the gradient wrongly where
 * the window's values are negative, and takes 5 ms for LeNet's first pool). Rows are (image, out y, out x); columns
 * are (ky, kx, channel), the order of a [kh, kw, c_in, c_out] filter flattened to [kh·kw·c_in, c_out]. Padding reads
 * zero.
 *
 * The loops are plain float32 copies and adds in a fixed order, so every engine gives the same bits. The backend
 * registers them (convHeapKernels.ts) as tf kernels that run on the tfjs heap, as WebAssembly (wasm/conv.wat, the
 * same loops) where it links and as these loops elsewhere; `im2col`, `col2im` and `maxPoolGrad` call them. `reluGrad`
 * is here too: every ReLU layer's gradient, in one pass where tfjs takes two scalar ones (Step, Multiply), which
 * LeNet's first conv output (301,056 values a step) made the largest elementwise op of a step.
 *
 *     const cols = im2col(x, geom);              // [n·outH·outW, kh·kw·c]
 *     const y = dense(cols, theta, layer, true);  // relu(cols·W + b)
 *     const dX = col2im(inputGrad(dY2d, theta, layer), geom, n);
 */
import * as tf from '@tensorflow/tfjs-core';

/** Where a convolution or pool reads: kernel, stride, the padding before the first row and column, and the output size. */
export interface Window2d {
  kh: number;
  kw: number;
  stride: number;
  padTop: number;
  padLeft: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
}

export const IM2COL = 'FluctlabIm2Col';
export const COL2IM = 'FluctlabCol2Im';
export const MAXPOOL_GRAD = 'FluctlabMaxPoolGrad';
export const MAXPOOL_2X2 = 'FluctlabMaxPool2x2';
export const RELU_GRAD = 'FluctlabReluGrad';

/** `src` (n × inH × inW × inC) as rows of receptive fields into `dst` ([n·outH·outW, kh·kw·inC]). */
export function im2colInto(src: Float32Array, dst: Float32Array, g: Window2d, n: number): void {
  const { kh, kw, stride, padTop, padLeft, inH, inW, inC, outH, outW } = g;
  let o = 0;
  for (let b = 0; b < n; b++) {
    const image = b * inH * inW * inC;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        for (let ky = 0; ky < kh; ky++) {
          const y = oy * stride + ky - padTop;
          const rowInside = y >= 0 && y < inH;
          for (let kx = 0; kx < kw; kx++) {
            const x = ox * stride + kx - padLeft;
            if (rowInside && x >= 0 && x < inW) {
              const at = image + (y * inW + x) * inC;
              for (let c = 0; c < inC; c++) dst[o++] = src[at + c];
            } else for (let c = 0; c < inC; c++) dst[o++] = 0;
          }
        }
      }
    }
  }
}

/** Adds each row of `cols` ([n·outH·outW, kh·kw·inC]) back onto the input positions it was read from, into `dst` (n × inH × inW × inC, zeroed here). */
export function col2imInto(cols: Float32Array, dst: Float32Array, g: Window2d, n: number): void {
  const { kh, kw, stride, padTop, padLeft, inH, inW, inC, outH, outW } = g;
  dst.fill(0);
  let o = 0;
  for (let b = 0; b < n; b++) {
    const image = b * inH * inW * inC;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        for (let ky = 0; ky < kh; ky++) {
          const y = oy * stride + ky - padTop;
          for (let kx = 0; kx < kw; kx++, o += inC) {
            const x = ox * stride + kx - padLeft;
            if (y < 0 || y >= inH || x < 0 || x >= inW) continue;
            const at = image + (y * inW + x) * inC;
            for (let c = 0; c < inC; c++) dst[at + c] += cols[o + c];
          }
        }
      }
    }
  }
}

/** Routes each of `dy` (n × outH × outW × c) to the first largest input of its window (in ky, kx order) in `src`, summed into `dst` (the input's shape, zeroed here). */
export function maxPoolGradInto(src: Float32Array, dy: Float32Array, dst: Float32Array, g: Window2d, n: number): void {
  const { kh, kw, stride, inH, inW, inC, outH, outW } = g;
  dst.fill(0);
  let o = 0;
  for (let b = 0; b < n; b++) {
    const image = b * inH * inW * inC;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        for (let c = 0; c < inC; c++, o++) {
          let best = image + (oy * stride * inW + ox * stride) * inC + c;
          let max = src[best];
          for (let ky = 0; ky < kh; ky++) {
            const line = image + ((oy * stride + ky) * inW + ox * stride) * inC + c;
            for (let kx = 0; kx < kw; kx++) {
              const at = line + kx * inC;
              // NaN never wins, so a window with a NaN routes to its first finite maximum (or its first element)
              if (src[at] > max) {
                max = src[at];
                best = at;
              }
            }
          }
          dst[best] += dy[o];
        }
      }
    }
  }
}

/** A 2×2, stride-2 max-pool of `src` (n × 2·outH × 2·outW × c) into `dst`: each window's first largest value in (ky, kx) order, NaN never winning (the element maxPoolGradInto routes the gradient to). */
export function maxPool2x2Into(src: Float32Array, dst: Float32Array, g: Window2d, n: number): void {
  const { inW, inC, outH, outW } = g;
  let o = 0;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++)
        for (let c = 0; c < inC; c++) {
          const first = ((b * g.inH + 2 * oy) * inW + 2 * ox) * inC + c;
          let max = src[first];
          if (src[first + inC] > max) max = src[first + inC];
          if (src[first + inW * inC] > max) max = src[first + inW * inC];
          if (src[first + (inW + 1) * inC] > max) max = src[first + (inW + 1) * inC];
          dst[o++] = max;
        }
}

/** `dst` = g · step(a) for a = relu(z): g where a > 0, g · 0 (±0) where a = 0, g · a (NaN) where a is NaN: tf.mul(g, tf.step(a)) bit for bit. */
export function reluGradInto(g: Float32Array, a: Float32Array, dst: Float32Array): void {
  for (let i = 0; i < dst.length; i++) {
    const x = a[i];
    dst[i] = g[i] * (x > 0 ? 1 : Number.isNaN(x) ? x : 0);
  }
}

/** dL/dz from dL/da `g` for a = relu(z), `a` the layer's output (any shape, the same for both). */
export function reluGrad(g: tf.Tensor, a: tf.Tensor): tf.Tensor {
  return tf.engine().runKernel(RELU_GRAD, { dy: g, y: a }, {}) as tf.Tensor;
}

/**
 * The gradient of a valid max-pool: dL/d(input) from dL/d(output) `dy` and the pool's input `x`. With `relu`, `x` is a
 * ReLU's output and the result is that ReLU's gradient too, reluGrad(maxPoolGrad(dy, x), x) bit for bit: one pass
 * where 2×2 windows tile the input (LeNet's first pool and ReLU: 0.51 → 0.22 ms), the two kernels elsewhere.
 */
export function maxPoolGrad(dy: tf.Tensor4D, x: tf.Tensor4D, g: Window2d, relu = false): tf.Tensor4D {
  return tf
    .engine()
    .runKernel(MAXPOOL_GRAD, { x, dy }, { ...attrs(g), relu } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/** A valid max-pool of `x`: our kernel where 2×2 windows tile the input (the values tfjs's MaxPool gives, twice as fast), tfjs's elsewhere. */
export function maxPool(x: tf.Tensor4D, g: Window2d): tf.Tensor4D {
  if (pool2x2Tiles(g)) return tf.engine().runKernel(MAXPOOL_2X2, { x }, attrs(g)) as tf.Tensor4D;
  return tf.maxPool(x, [g.kh, g.kw], g.stride, 'valid');
}

/** Whether the pool is 2×2 of stride 2 with every input element in exactly one window (maxPoolGrad's one-pass case). */
export function pool2x2Tiles(g: Window2d): boolean {
  const two = g.kh === 2 && g.kw === 2 && g.stride === 2;
  return two && g.padTop === 0 && g.padLeft === 0 && g.outH * 2 === g.inH && g.outW * 2 === g.inW;
}

const attrs = (g: Window2d) => ({ ...g }) as unknown as tf.NamedAttrMap;

/** The receptive fields of `x` (n × inH × inW × inC) as rows: [n·outH·outW, kh·kw·inC]. */
export function im2col(x: tf.Tensor4D, g: Window2d): tf.Tensor2D {
  return tf.engine().runKernel(IM2COL, { x }, attrs(g)) as tf.Tensor2D;
}

/** The input gradient from the gradient of the receptive fields: [n·outH·outW, kh·kw·inC] → n × inH × inW × inC. */
export function col2im(cols: tf.Tensor2D, g: Window2d, n: number): tf.Tensor4D {
  return tf.engine().runKernel(COL2IM, { x: cols }, { ...attrs(g), n } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/** The output shape of each kernel, for the backend that registers them. */
export function convKernelShape(
  kernel: typeof IM2COL | typeof COL2IM | typeof MAXPOOL_GRAD | typeof MAXPOOL_2X2,
  g: Window2d,
  n: number,
): number[] {
  if (kernel === MAXPOOL_2X2) return [n, g.outH, g.outW, g.inC];
  return kernel === IM2COL ? [n * g.outH * g.outW, g.kh * g.kw * g.inC] : [n, g.inH, g.inW, g.inC];
}

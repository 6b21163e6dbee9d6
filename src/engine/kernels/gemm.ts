/**
 * The matrix products of every dense layer, as three tf kernels that read a layer's weights and bias straight out of
 * the flat parameter vector θ (no slices):
 *
 *   dense       y  = act(x·W + b)               forward (act: relu or linear)
 *   denseGrad   [dW | db] = [xᵀ·dz | Σ_rows dz]  the layer's part of the flat gradient, in θ's layout
 *   inputGrad   dx = dz·Wᵀ                      the gradient passed to the layer below
 *
 * Conv layers use them too, on their receptive fields (network.ts). The weight gradient of a conv layer sums over
 * every receptive field of the batch (50,176 for LeNet's first layer): the backend takes such a long sum in blocks
 * that stay in cache, each going on from the last one's partial sums, which leaves the bits as they were.
 *
 * Why our own: tfjs-wasm 4.22 packs a fresh XNNPACK operator for every new right-hand tensor (a layer's weights are a
 * new tensor every step) and runs transposed products in a scalar loop. The backend (gemmHeapKernels.ts) runs these as
 * wasm/gemm.wat inside the tfjs heap and as the loops below where that module cannot link; both give the same
 * bits, because the bits are fixed by the formula: every element starts at its bias (or +0) and adds its products in
 * order as float32 (a multiply, then an add; `Math.fround` of each double result is exactly that), then max(·, 0) for
 * relu. So a result does not depend on the tiling, on the batch size, or on the engine. Under the `fma` arithmetic
 * (Runs.fma; engine/kernels/arithmetic.ts) each product is added with one rounding instead (gemmFmaWasm.ts, and
 * `fmaf` here), by the same rule otherwise.
 *
 *     const h = dense(x, theta, layout[0], true);
 *     const g = denseGrad(x, dz, layout[0]);   // layout[0]'s weights then biases
 *     const dx = inputGrad(dz, theta, layout[1]);
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerLayout } from '../../contract/windowRecord.js';
import { fmaf } from './arithmetic.js';

export const DENSE = 'FluctlabDense';
export const DENSE_GRAD = 'FluctlabDenseGrad';
export const INPUT_GRAD = 'FluctlabInputGrad';

/** Where a matrix lies in a flat array: element (i, j) is at `offset + i·rowStride + j·colStride`. */
export interface Strided {
  data: Float32Array;
  offset: number;
  rowStride: number;
  colStride: number;
}

const f = Math.fround;

/**
 * C (m × n, row-major from `c0`) = act(bias + A·B) with A m × p and B p × n (B row-major: B(k, j) at b.offset + k·b.rowStride + j).
 * `bias` is read from `biasAt` (null: start at +0); `fromC` starts each element at its value in C instead (the sum goes on).
 */
export function gemmInto(
  a: Strided,
  b: Strided,
  bias: Float32Array | null,
  biasAt: number,
  c: Float32Array,
  c0: number,
  m: number,
  p: number,
  n: number,
  relu: boolean,
  fromC = false,
  fused = false,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = fromC ? c[c0 + i * n + j] : bias ? bias[biasAt + j] : 0;
      let pa = a.offset + i * a.rowStride;
      let pb = b.offset + j;
      if (fused) for (let k = 0; k < p; k++, pa += a.colStride, pb += b.rowStride) s = fmaf(a.data[pa], b.data[pb], s);
      else for (let k = 0; k < p; k++, pa += a.colStride, pb += b.rowStride) s = f(s + f(a.data[pa] * b.data[pb]));
      c[c0 + i * n + j] = relu ? Math.max(s, 0) : s;
    }
  }
}

/** dst (cols × rows, from `d0`) = srcᵀ of the row-major rows × cols matrix at `s0`. */
export function transposeInto(
  src: Float32Array,
  s0: number,
  dst: Float32Array,
  d0: number,
  rows: number,
  cols: number,
): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) dst[d0 + c * rows + r] = src[s0 + r * cols + c];
}

/** dst[d0 + j] = Σ_r src[r, j] in row order, from +0 (or from dst[d0 + j] when `fromDst`: the sum goes on). */
export function colSumInto(
  src: Float32Array,
  dst: Float32Array,
  d0: number,
  rows: number,
  cols: number,
  fromDst = false,
): void {
  for (let j = 0; j < cols; j++) {
    let s = fromDst ? dst[d0 + j] : 0;
    for (let r = 0; r < rows; r++) s = f(s + src[r * cols + j]);
    dst[d0 + j] = s;
  }
}

type Layer = Pick<LayerLayout, 'wOffset' | 'bOffset' | 'fanIn' | 'units'>;

/**
 * Runs trained side by side as one program (a fused group): `runs` parameter vectors of `stride` elements each, one
 * after another in θ, and activations with run r's rows after run r−1's. Each run's product is the same product as
 * when it trains alone, so its bits are too.
 */
export interface Runs {
  runs: number;
  stride: number;
  /** the `fma` arithmetic: each product added with one rounding (else `exact`: a multiply, then an add) */
  fma: boolean;
}

/** One run on its own, in the exact arithmetic. */
export const SOLO: Runs = { runs: 1, stride: 0, fma: false };

const attrs = (l: Layer, g: Runs, relu = false, shared = false) =>
  ({
    wOffset: l.wOffset,
    bOffset: l.bOffset,
    fanIn: l.fanIn,
    units: l.units,
    relu,
    runs: g.runs,
    stride: g.stride,
    fma: g.fma,
    shared,
  }) as unknown as tf.NamedAttrMap;

/** act(x·W + b) for the layer `l` of θ: x is rows × fanIn per run, or once for every run when `shared` (the batch). */
export function dense(
  x: tf.Tensor2D,
  theta: tf.Tensor1D,
  l: Layer,
  relu: boolean,
  g: Runs = SOLO,
  shared = false,
): tf.Tensor2D {
  return tf.engine().runKernel(DENSE, { x, theta }, attrs(l, g, relu, shared)) as tf.Tensor2D;
}

/**
 * The layer's part of the flat gradient per run, weights (xᵀ·dz, fanIn × units) then biases (column sums of dz); x may
 * be shared. With `from`, the sums go on from that gradient of earlier rows: a batch taken in chunks of rows gives the
 * bits of one pass.
 */
export function denseGrad(x: tf.Tensor2D, dz: tf.Tensor2D, l: Layer, g: Runs = SOLO, from?: tf.Tensor1D): tf.Tensor1D {
  return tf.engine().runKernel(DENSE_GRAD, from ? { x, dz, from } : { x, dz }, attrs(l, g)) as tf.Tensor1D;
}

/** dz·Wᵀ for the layer `l` of θ: rows × fanIn per run. */
export function inputGrad(dz: tf.Tensor2D, theta: tf.Tensor1D, l: Layer, g: Runs = SOLO): tf.Tensor2D {
  return tf.engine().runKernel(INPUT_GRAD, { dz, theta }, attrs(l, g)) as tf.Tensor2D;
}

/** The JS loops of the three kernels on arrays (the fallback, and the reference the WebAssembly is tested against). */
export const gemmLoops = {
  dense(
    x: Float32Array,
    theta: Float32Array,
    out: Float32Array,
    rows: number,
    l: Layer,
    relu: boolean,
    fused = false,
  ): void {
    gemmInto(
      { data: x, offset: 0, rowStride: l.fanIn, colStride: 1 },
      { data: theta, offset: l.wOffset, rowStride: l.units, colStride: 1 },
      theta,
      l.bOffset,
      out,
      0,
      rows,
      l.fanIn,
      l.units,
      relu,
      false,
      fused,
    );
  },
  /** `goOn`: `out` holds the gradient of earlier rows, and the sums go on from it. */
  denseGrad(
    x: Float32Array,
    dz: Float32Array,
    out: Float32Array,
    rows: number,
    fanIn: number,
    units: number,
    goOn = false,
    fused = false,
  ): void {
    gemmInto(
      { data: x, offset: 0, rowStride: 1, colStride: fanIn },
      { data: dz, offset: 0, rowStride: units, colStride: 1 },
      null,
      0,
      out,
      0,
      fanIn,
      rows,
      units,
      false,
      goOn,
      fused,
    );
    colSumInto(dz, out, fanIn * units, rows, units, goOn);
  },
  inputGrad(dz: Float32Array, theta: Float32Array, out: Float32Array, rows: number, l: Layer, fused = false): void {
    const wT = new Float32Array(l.units * l.fanIn);
    transposeInto(theta, l.wOffset, wT, 0, l.fanIn, l.units);
    gemmInto(
      { data: dz, offset: 0, rowStride: l.units, colStride: 1 },
      { data: wT, offset: 0, rowStride: l.fanIn, colStride: 1 },
      null,
      0,
      out,
      0,
      rows,
      l.units,
      l.fanIn,
      false,
      false,
      fused,
    );
  },
};

/**
 * A conv layer's forward product and weight gradient read straight from its input, in place of products on its
 * receptive fields (im2col): gemm.wat's convForward and convWeightGrad, with each element's sum the fields product's
 * in the same order, so the bits are those of im2col then dense / denseGrad (tested). Why: LeNet's first layer wrote
 * its 50,176 × 25 fields (5 MB) out every step and read them twice; read from the 32 × 32 padded images instead, its
 * forward pass and weight gradient took 745 µs against 1150. Where the kernels do not link, the JS loops run on the
 * fields (the same bits).
 *
 * The input is taken zero-padded where the windows cross its border (`padForConv`), and kept for the backward pass.
 * The tiles want units in eights with a last six: `convReadsInput` says where they fit.
 *
 *     const xp = padForConv(a, geom);                       // n × pH × pW × c (a itself where no padding is needed)
 *     const z = convForward(xp, theta, layer, geom, true, fma); // relu(fields · W + b), [n·outH·outW, units]
 *     const g = convWeightGrad(xp, dz, layer, geom, fma);   // [dW | db]
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerLayout } from '../../contract/windowRecord.js';
import { linkConv } from './convHeapKernels.js';
import { im2colInto, type Window2d } from './convKernels.js';
import { gemmLoops } from './gemm.js';
import { linkGemm } from './gemmHeapKernels.js';
import { asWasmBackend, heapAddress, type WasmBackend } from './tfjsWasm.js';

export const CONV_FORWARD = 'FluctlabConvForward';
export const CONV_WEIGHT_GRAD = 'FluctlabConvWeightGrad';
export const PAD = 'FluctlabPad';

type Layer = Pick<LayerLayout, 'wOffset' | 'bOffset' | 'fanIn' | 'units'>;
type Attrs = Window2d & Layer & { relu: boolean; fma: boolean };

/** Whether the layer's products can read its input: the tiles take units in eights with a last 0 or 6. */
export function convReadsInput(units: number): boolean {
  return units % 8 === 0 || units % 8 === 6;
}

/** The padded input's window: the same windows, no padding. */
export function paddedWindow(g: Window2d): Window2d {
  return {
    ...g,
    inH: (g.outH - 1) * g.stride + g.kh,
    inW: (g.outW - 1) * g.stride + g.kw,
    padTop: 0,
    padLeft: 0,
  };
}

/** Whether the windows cross the input's border (padding), so that the products need a zero-padded copy. */
export function padForConvNeeded(g: Window2d): boolean {
  const p = paddedWindow(g);
  return g.padTop > 0 || g.padLeft > 0 || p.inH > g.inH || p.inW > g.inW;
}

/**
 * `x` zero-padded as the windows read it (n × pH × pW × c), or `x` itself where they stay inside it (the products take
 * the input's own height and width from its shape, so rows and columns no window reads need no copy either).
 */
export function padForConv(x: tf.Tensor4D, g: Window2d): tf.Tensor4D {
  if (!padForConvNeeded(g)) return x;
  return tf.engine().runKernel(PAD, { x }, { ...g } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

const attrs = (l: Layer, g: Window2d, relu: boolean, fma: boolean) =>
  ({
    ...paddedWindow(g),
    wOffset: l.wOffset,
    bOffset: l.bOffset,
    fanIn: l.fanIn,
    units: l.units,
    relu,
    fma,
  }) as unknown as tf.NamedAttrMap;

/** act(fields · W + b) of the layer `l` of θ on the padded input `xp`: [n·outH·outW, units]. */
export function convForward(
  xp: tf.Tensor4D,
  theta: tf.Tensor1D,
  l: Layer,
  g: Window2d,
  relu: boolean,
  fma: boolean,
): tf.Tensor2D {
  return tf.engine().runKernel(CONV_FORWARD, { x: xp, theta }, attrs(l, g, relu, fma)) as tf.Tensor2D;
}

/** The layer's part of the gradient, [fieldsᵀ·dz | Σ dz] (weights then biases), going on from `from` when given. */
export function convWeightGrad(
  xp: tf.Tensor4D,
  dz: tf.Tensor2D,
  l: Layer,
  g: Window2d,
  fma: boolean,
  from?: tf.Tensor1D,
): tf.Tensor1D {
  const inputs: tf.NamedTensorMap = from ? { x: xp, dz, from } : { x: xp, dz };
  return tf.engine().runKernel(CONV_WEIGHT_GRAD, inputs, attrs(l, g, false, fma)) as tf.Tensor1D;
}

const heap = (backend: WasmBackend, t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;

/** The JS path: the fields as im2col writes them (from `x`'s own height and width: the padded copy's, or the input's). */
function fieldsOf(backend: WasmBackend, x: tf.TensorInfo, a: Attrs): Float32Array {
  const n = x.shape[0];
  const cols = new Float32Array(n * a.outH * a.outW * a.fanIn);
  im2colInto(heap(backend, x), cols, { ...a, inH: x.shape[1], inW: x.shape[2] }, n);
  return cols;
}

function forwardKernel(backend: WasmBackend, x: tf.TensorInfo, theta: tf.TensorInfo, a: Attrs): tf.TensorInfo {
  const n = x.shape[0];
  const rows = n * a.outH * a.outW;
  const out = backend.makeOutput([rows, a.units], 'float32');
  const w = linkGemm(backend, a.fma);
  if (!w) {
    gemmLoops.dense(fieldsOf(backend, x, a), heap(backend, theta), heap(backend, out), rows, a, a.relu, a.fma);
    return out;
  }
  const [xa, t, o] = [x, theta, out].map((v) => heapAddress(backend, v));
  const flags = a.relu ? 3 : 1;
  w.convForward(
    xa,
    n,
    x.shape[1],
    x.shape[2],
    a.inC,
    a.kh,
    a.kw,
    a.stride,
    a.outH,
    a.outW,
    t + a.wOffset * 4,
    a.units,
    t + a.bOffset * 4,
    o,
    flags,
  );
  return out;
}

function weightGradKernel(
  backend: WasmBackend,
  x: tf.TensorInfo,
  dz: tf.TensorInfo,
  from: tf.TensorInfo | undefined,
  a: Attrs,
): tf.TensorInfo {
  const n = x.shape[0];
  const rows = n * a.outH * a.outW;
  const out = backend.makeOutput([a.fanIn * a.units + a.units], 'float32');
  if (from) heap(backend, out).set(heap(backend, from));
  const w = linkGemm(backend, a.fma);
  if (!w) {
    gemmLoops.denseGrad(
      fieldsOf(backend, x, a),
      heap(backend, dz),
      heap(backend, out),
      rows,
      a.fanIn,
      a.units,
      from !== undefined,
      a.fma,
    );
    return out;
  }
  const [xa, d, o] = [x, dz, out].map((v) => heapAddress(backend, v));
  const goOn = from ? 1 : 0;
  w.convWeightGrad(xa, n, x.shape[1], x.shape[2], a.inC, a.kh, a.kw, a.stride, a.outH, a.outW, d, a.units, o, goOn);
  w.colsum(d, o + a.fanIn * a.units * 4, rows, a.units, goOn);
  return out;
}

function padKernel(backend: WasmBackend, x: tf.TensorInfo, g: Window2d): tf.TensorInfo {
  const n = x.shape[0];
  const p = paddedWindow(g);
  const out = backend.makeOutput([n, p.inH, p.inW, g.inC], 'float32');
  const c = linkConv(backend);
  if (c) {
    c.pad(
      heapAddress(backend, x),
      heapAddress(backend, out),
      n,
      g.inH,
      g.inW,
      g.inC,
      p.inH,
      p.inW,
      g.padTop,
      g.padLeft,
    );
    return out;
  }
  const [src, dst] = [heap(backend, x), heap(backend, out)];
  dst.fill(0);
  const row = g.inW * g.inC;
  for (let b = 0; b < n; b++)
    for (let y = 0; y < g.inH && y + g.padTop < p.inH; y++) {
      const from = (b * g.inH + y) * row;
      const width = Math.min(g.inW, p.inW - g.padLeft) * g.inC;
      dst.set(src.subarray(from, from + width), ((b * p.inH + y + g.padTop) * p.inW + g.padLeft) * g.inC);
    }
  return out;
}

/** Registers the kernels on the 'wasm' backend (kernels.ts installs them with the others). */
export function registerConvImplicit(): void {
  const register = (kernelName: string, kernelFunc: tf.KernelFunc) => {
    if (!tf.getKernel(kernelName, 'wasm')) tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  };
  register(CONV_FORWARD, ({ inputs, backend, attrs: a }) =>
    forwardKernel(
      asWasmBackend(backend),
      inputs.x as tf.TensorInfo,
      inputs.theta as tf.TensorInfo,
      a as unknown as Attrs,
    ),
  );
  register(CONV_WEIGHT_GRAD, ({ inputs, backend, attrs: a }) =>
    weightGradKernel(
      asWasmBackend(backend),
      inputs.x as tf.TensorInfo,
      inputs.dz as tf.TensorInfo,
      inputs.from as tf.TensorInfo | undefined,
      a as unknown as Attrs,
    ),
  );
  register(PAD, ({ inputs, backend, attrs: a }) =>
    padKernel(asWasmBackend(backend), inputs.x as tf.TensorInfo, a as unknown as Window2d),
  );
}

/**
 * The dense products of gemm.ts (dense, denseGrad, inputGrad) registered as tfjs-wasm kernels on the tfjs heap:
 * gemm.wat where it links on that heap, taking a long sum in blocks that stay in cache, and gemm.ts's JS loops (the
 * same bits) elsewhere. kernels.ts installs them with its kernel fixes.
 *
 *     registerGemmKernels(); // once the 'wasm' backend is active (installKernelFixes calls it)
 */
import * as tf from '@tensorflow/tfjs-core';
import { DENSE, DENSE_GRAD, gemmLoops, INPUT_GRAD } from './gemm.js';
import { GEMM_FMA_WASM, GEMM_FMA_WASM_SHARED } from './wasm/gemmFmaWasm.js';
import { GEMM_WASM, GEMM_WASM_SHARED } from './wasm/gemmWasm.js';
import { type GemmModule, gemmInBlocks, readTransposed } from './gemmCalls.js';
import { asWasmBackend, heapAddress, linkModule, type WasmBackend } from './tfjsWasm.js';

interface LayerAttrs {
  wOffset: number;
  bOffset: number;
  fanIn: number;
  units: number;
  relu: boolean;
  /** runs trained side by side (a fused group); run r's parameters start at r·stride in θ, its rows follow run r−1's */
  runs: number;
  stride: number;
  /** the `fma` arithmetic: gemmFmaWasm.ts (or the loops' fused twin) instead of gemmWasm.ts */
  fma: boolean;
  /** the input has no run dimension (the shared batch of the first layer) */
  shared: boolean;
}

// per arithmetic: the exact build, and the fused one (which links only where relaxed SIMD compiles)
const modules: { exact?: GemmModule | null; fma?: GemmModule | null } = {};

/** gemm.wat linked on the tfjs heap, in the build of the arithmetic (once per realm), or null where it cannot link. */
export function linkGemm(backend: WasmBackend, fma: boolean): GemmModule | null {
  const arithmetic = fma ? 'fma' : 'exact';
  if (modules[arithmetic] === undefined)
    modules[arithmetic] = fma
      ? linkModule<GemmModule>(backend, GEMM_FMA_WASM, GEMM_FMA_WASM_SHARED)
      : linkModule<GemmModule>(backend, GEMM_WASM, GEMM_WASM_SHARED);
  return modules[arithmetic];
}

/**
 * The products of gemm.ts as wasm kernels on the tfjs heap: gemm.wat where it links (its FMA build under the fma
 * arithmetic), its JS loops elsewhere. A fused group's runs are one dispatch: the kernel calls the same product once per run on that run's
 * rows and parameters (an input without a run dimension, the shared batch, is read by every run).
 */
export function registerGemmKernels(): void {
  const register = (
    kernelName: string,
    kernelFunc: (backend: WasmBackend, inputs: Record<string, tf.TensorInfo>, l: LayerAttrs) => tf.TensorInfo,
  ): void => {
    if (tf.getKernel(kernelName, 'wasm')) return;
    tf.registerKernel({
      kernelName,
      backendName: 'wasm',
      kernelFunc: (args) =>
        kernelFunc(
          asWasmBackend(args.backend),
          args.inputs as Record<string, tf.TensorInfo>,
          args.attrs as unknown as LayerAttrs,
        ),
    });
  };
  const heap = (backend: WasmBackend, t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;

  register(DENSE, (backend, { x, theta }, l) => {
    const rows = l.shared ? x.shape[0] : x.shape[0] / l.runs;
    const out = backend.makeOutput([rows * l.runs, l.units], 'float32');
    const w = linkGemm(backend, l.fma);
    const xStep = l.shared ? 0 : rows * l.fanIn;
    if (!w) {
      const [xs, ts, os] = [heap(backend, x), heap(backend, theta), heap(backend, out)];
      for (let r = 0; r < l.runs; r++)
        gemmLoops.dense(
          xs.subarray(r * xStep),
          ts.subarray(r * l.stride),
          os.subarray(r * rows * l.units),
          rows,
          l,
          l.relu,
          l.fma,
        );
      return out;
    }
    // the batch read through a transposed copy where that pays (readTransposed)
    const xRows = x.shape[0];
    const transposed = readTransposed(backend, w, l.fma, xRows, l.fanIn)
      ? backend.makeOutput([l.fanIn, xRows], 'float32')
      : null;
    const [xa, t, o] = [heapAddress(backend, x), heapAddress(backend, theta), heapAddress(backend, out)];
    const xt = transposed ? heapAddress(backend, transposed) : 0;
    if (transposed) w.transpose(xa, xt, xRows, l.fanIn);
    for (let r = 0; r < l.runs; r++) {
      const tr = t + r * l.stride * 4;
      gemmInBlocks(
        w,
        transposed ? xt + (l.shared ? 0 : r * rows * 4) : xa + r * xStep * 4,
        transposed ? 4 : l.fanIn * 4,
        transposed ? xRows * 4 : 4,
        tr + l.wOffset * 4,
        l.units * 4,
        tr + l.bOffset * 4,
        o + r * rows * l.units * 4,
        rows,
        l.fanIn,
        l.units,
        l.relu ? 3 : 1,
      );
    }
    if (transposed) backend.disposeData(transposed.dataId);
    return out;
  });

  // `from`, when given, is the gradient of earlier rows: the output starts as a copy of it and the sums go on.
  register(DENSE_GRAD, (backend, { x, dz, from }, l) => {
    const fanIn = x.shape[1];
    const units = dz.shape[1];
    const rows = dz.shape[0] / l.runs;
    const xStep = x.shape[0] === rows ? 0 : rows * fanIn;
    const size = fanIn * units + units;
    const out = backend.makeOutput([l.runs * size], 'float32');
    if (from) heap(backend, out).set(heap(backend, from));
    const goOn = from !== undefined;
    const w = linkGemm(backend, l.fma);
    if (!w) {
      const [xs, ds, os] = [heap(backend, x), heap(backend, dz), heap(backend, out)];
      for (let r = 0; r < l.runs; r++)
        gemmLoops.denseGrad(
          xs.subarray(r * xStep),
          ds.subarray(r * rows * units),
          os.subarray(r * size),
          rows,
          fanIn,
          units,
          goOn,
          l.fma,
        );
      return out;
    }
    const [xa, ga, oa] = [heapAddress(backend, x), heapAddress(backend, dz), heapAddress(backend, out)];
    for (let r = 0; r < l.runs; r++) {
      const o = oa + r * size * 4;
      const g = ga + r * rows * units * 4;
      // xᵀ·dz reads x through its strides: A(i, k) = x[k, i]
      gemmInBlocks(w, xa + r * xStep * 4, 4, fanIn * 4, g, units * 4, 0, o, fanIn, rows, units, goOn ? 4 : 0);
      w.colsum(g, o + fanIn * units * 4, rows, units, goOn ? 1 : 0);
    }
    return out;
  });

  register(INPUT_GRAD, (backend, { dz, theta }, l) => {
    const rows = dz.shape[0] / l.runs;
    const out = backend.makeOutput([rows * l.runs, l.fanIn], 'float32');
    const w = linkGemm(backend, l.fma);
    if (!w) {
      const [ds, ts, os] = [heap(backend, dz), heap(backend, theta), heap(backend, out)];
      for (let r = 0; r < l.runs; r++)
        gemmLoops.inputGrad(
          ds.subarray(r * rows * l.units),
          ts.subarray(r * l.stride),
          os.subarray(r * rows * l.fanIn),
          rows,
          l,
          l.fma,
        );
      return out;
    }
    // Wᵀ (units × fanIn) in a scratch buffer, so the product is a plain one; dz read through a transposed copy
    // (readTransposed: LeNet's 64 × 120 by 120 × 400 148 -> 105 us, the same bits)
    const wT = backend.makeOutput([l.units, l.fanIn], 'float32');
    const dzRows = rows * l.runs;
    const dzT = readTransposed(backend, w, l.fma, dzRows, l.units)
      ? backend.makeOutput([l.units, dzRows], 'float32')
      : null;
    const [da, t, oa, wa] = [
      heapAddress(backend, dz),
      heapAddress(backend, theta),
      heapAddress(backend, out),
      heapAddress(backend, wT),
    ];
    const dt = dzT ? heapAddress(backend, dzT) : 0;
    if (dzT) w.transpose(da, dt, dzRows, l.units);
    for (let r = 0; r < l.runs; r++) {
      w.transpose(t + (r * l.stride + l.wOffset) * 4, wa, l.fanIn, l.units);
      gemmInBlocks(
        w,
        dzT ? dt + r * rows * 4 : da + r * rows * l.units * 4,
        dzT ? 4 : l.units * 4,
        dzT ? dzRows * 4 : 4,
        wa,
        l.fanIn * 4,
        0,
        oa + r * rows * l.fanIn * 4,
        rows,
        l.units,
        l.fanIn,
        0,
      );
    }
    backend.disposeData(wT.dataId);
    if (dzT) backend.disposeData(dzT.dataId);
    return out;
  });
}

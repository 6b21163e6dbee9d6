/**
 * Kernel fixes for the tfjs WASM backend, installed once by `installKernelFixes`, and our own kernels registered on
 * it: the convolution helpers (im2col, col2im, the max-pool gradient: convKernels.ts)
 * and the dense products (gemm.ts). They run as conv.wat and gemm.wat inside the tfjs heap where those
 * link, and as the JS loops (the same bits) elsewhere; the heap is reached through tfjsWasm.ts.
 *
 * Slice: tfjs-wasm 4.22's Slice kernel calls `readSync` on its input, which
 * copies the *whole* input out of the WASM heap before taking the slice. For a
 * 109k-parameter flat vector sliced into six layer tensors that was six 436 KB
 * copies per step. The replacement copies only the slice, straight from a heap
 * view, for the contiguous case, and defers to the original kernel otherwise.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  col2imInto,
  COL2IM,
  convKernelShape,
  IM2COL,
  im2colInto,
  MAXPOOL_GRAD,
  maxPoolGradInto,
  RELU_GRAD,
  reluGradInto,
} from './convKernels.js';
import type { Window2d } from './convKernels.js';
import { DENSE, DENSE_GRAD, gemmLoops, INPUT_GRAD } from './gemm.js';
import { CONV_WASM, CONV_WASM_SHARED } from './wasm/convWasm.js';
import { GEMM_WASM, GEMM_WASM_SHARED } from './wasm/gemmWasm.js';
import { asWasmBackend, heapAddress, heapMemory, instantiateOnHeap, type WasmBackend } from './tfjsWasm.js';

type ConvFn = (
  src: number,
  dst: number,
  n: number,
  inH: number,
  inW: number,
  inC: number,
  kh: number,
  kw: number,
  stride: number,
  padTop: number,
  padLeft: number,
  outH: number,
  outW: number,
) => void;
type PoolGradFn = (
  src: number,
  dy: number,
  dst: number,
  n: number,
  inH: number,
  inW: number,
  inC: number,
  kh: number,
  kw: number,
  stride: number,
  outH: number,
  outW: number,
) => void;
type PadFn = (
  src: number,
  dst: number,
  n: number,
  inH: number,
  inW: number,
  inC: number,
  pH: number,
  pW: number,
  pt: number,
  pl: number,
) => void;
type ConvModule = Record<'im2col' | 'col2im', ConvFn> & {
  maxPoolGrad: PoolGradFn;
  pad: PadFn;
  reluGrad(g: number, a: number, dst: number, count: number): void;
};

type GemmFn = (
  a: number,
  sai: number,
  sap: number,
  b: number,
  ldb: number,
  bias: number,
  c: number,
  m: number,
  p: number,
  n: number,
  flags: number,
) => void;
interface GemmModule {
  gemm: GemmFn;
  transpose(src: number, dst: number, rows: number, cols: number): void;
  colsum(src: number, dst: number, rows: number, cols: number, from: number): void;
}

/**
 * Bytes a product's blocks of P keep in cache: the B rows, and the A values every row block reads (all of A's row when
 * A is read transposed, the weight gradient Xᵀ·dY; a 4-row strip when not). 128 KiB measured best of 32 KiB–1 MiB on
 * LeNet's weight gradients (1.3–2.0 → 0.9–1.3 ms against one pass). The default MLP's first-layer forward product
 * (P = 784) now runs in 4 blocks, with no measured change (22.0k against 22.0k samples/s in one pair).
 */
const BLOCK_BYTES = 128 * 1024;

/**
 * `gemm` with a long P taken in blocks that stay in cache: the weight gradient of a conv layer sums over every
 * receptive field of the batch (50,176 for LeNet's first layer), and one pass streams those operands from memory once
 * per output tile. Each block goes on from the last one's C (flag 4), so the bits are those of one pass.
 */
function gemmInBlocks(
  w: GemmModule,
  a: number,
  sai: number,
  sap: number,
  b: number,
  ldb: number,
  bias: number,
  c: number,
  m: number,
  p: number,
  n: number,
  flags: number,
): void {
  const perK = n * 4 + (sai === 4 ? m * 4 : 16);
  const block = Math.max(64, Math.floor(BLOCK_BYTES / perK));
  if (p <= block) {
    w.gemm(a, sai, sap, b, ldb, bias, c, m, p, n, flags);
    return;
  }
  for (let k = 0; k < p; k += block) {
    const last = k + block >= p;
    const blockFlags = (k === 0 ? flags & 5 : 4) | (last ? flags & 2 : 0);
    w.gemm(a + k * sap, sai, sap, b + k * ldb, ldb, bias, c, m, Math.min(block, p - k), n, blockFlags);
  }
}

/** A module of ours bound to the backend's heap, or null where it cannot run (the JS loops then give the same bits). */
function linkModule<T>(
  backend: WasmBackend,
  plain: Uint8Array<ArrayBuffer>,
  shared: Uint8Array<ArrayBuffer>,
): T | null {
  const memory = heapMemory(backend);
  if (!memory) return null;
  try {
    return instantiateOnHeap(memory, plain, shared) as unknown as T;
  } catch {
    return null;
  }
}

let installed = false;

/** Replaces slow WASM kernels with copy-free versions; safe to call more than once. */
export function installKernelFixes(): void {
  if (installed || tf.getBackend() !== 'wasm') return;
  const original = tf.getKernel('Slice', 'wasm');
  if (!original) return;
  const originalFunc = original.kernelFunc;
  tf.unregisterKernel('Slice', 'wasm');
  tf.registerKernel({
    kernelName: 'Slice',
    backendName: 'wasm',
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      const { begin, size } = args.attrs as unknown as { begin: number[]; size: number[] };
      const [b, s] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, begin, size);
      if (x.dtype === 'string' || !tf.slice_util.isSliceContinous(x.shape, b, s)) return originalFunc(args);
      const backend = asWasmBackend(args.backend);
      const out = backend.makeOutput(s, x.dtype);
      const offset = tf.slice_util.computeFlatOffset(b, tf.util.computeStrides(x.shape));
      const length = tf.util.sizeFromShape(s);
      // Views are taken after makeOutput, which may grow (and detach) the heap.
      backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(x).subarray(offset, offset + length));
      return out;
    },
  });
  registerConvKernels();
  registerGemmKernels();
  installed = true;
}

/** The convolution helpers of convKernels.ts as wasm kernels reading and writing the tfjs heap (no copies out). */
function registerConvKernels(): void {
  let wasm: ConvModule | null | undefined;
  for (const name of [IM2COL, COL2IM, MAXPOOL_GRAD] as const) {
    if (tf.getKernel(name, 'wasm')) continue;
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      kernelFunc: (args) => {
        const x = args.inputs.x as tf.TensorInfo;
        const g = args.attrs as unknown as Window2d & { n?: number };
        const n = name === COL2IM ? g.n! : x.shape[0];
        const backend = asWasmBackend(args.backend);
        const out = backend.makeOutput(convKernelShape(name, g, n), 'float32');
        wasm ??= linkModule<ConvModule>(backend, CONV_WASM, CONV_WASM_SHARED);
        if (wasm && name === MAXPOOL_GRAD) {
          wasm.maxPoolGrad(
            heapAddress(backend, x),
            heapAddress(backend, args.inputs.dy as tf.TensorInfo),
            heapAddress(backend, out),
            n,
            g.inH,
            g.inW,
            g.inC,
            g.kh,
            g.kw,
            g.stride,
            g.outH,
            g.outW,
          );
          return out;
        }
        if (wasm && name === IM2COL) {
          im2colPadded(wasm, backend, x, out, g, n);
          return out;
        }
        if (wasm) {
          wasm.col2im(
            heapAddress(backend, x),
            heapAddress(backend, out),
            n,
            g.inH,
            g.inW,
            g.inC,
            g.kh,
            g.kw,
            g.stride,
            g.padTop,
            g.padLeft,
            g.outH,
            g.outW,
          );
          return out;
        }
        // Views are taken after makeOutput, which may grow (and detach) the heap.
        const src = backend.typedArrayFromHeap(x) as Float32Array;
        const dst = backend.typedArrayFromHeap(out) as Float32Array;
        if (name === COL2IM) col2imInto(src, dst, g, n);
        else if (name === MAXPOOL_GRAD)
          maxPoolGradInto(src, backend.typedArrayFromHeap(args.inputs.dy as tf.TensorInfo) as Float32Array, dst, g, n);
        else im2colInto(src, dst, g, n);
        return out;
      },
    });
  }
  if (!tf.getKernel(RELU_GRAD, 'wasm')) {
    tf.registerKernel({
      kernelName: RELU_GRAD,
      backendName: 'wasm',
      kernelFunc: (args) => {
        const { dy, y } = args.inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
        const backend = asWasmBackend(args.backend);
        const out = backend.makeOutput(dy.shape, 'float32');
        wasm ??= linkModule<ConvModule>(backend, CONV_WASM, CONV_WASM_SHARED);
        if (wasm)
          wasm.reluGrad(
            heapAddress(backend, dy),
            heapAddress(backend, y),
            heapAddress(backend, out),
            tf.util.sizeFromShape(dy.shape),
          );
        else
          reluGradInto(
            backend.typedArrayFromHeap(dy) as Float32Array,
            backend.typedArrayFromHeap(y) as Float32Array,
            backend.typedArrayFromHeap(out) as Float32Array,
          );
        return out;
      },
    });
  }
}

/**
 * im2col through a zero-padded copy of the input where the windows cross its border ('same' padding), so that every
 * window is a run of whole rows, the fast path of conv.wat's im2col (LeNet's first layer: 3.2 → 0.5 ms). The padded
 * copy holds the zeros im2col would write, so the columns are the same.
 */
function im2colPadded(
  wasm: ConvModule,
  backend: WasmBackend,
  x: tf.TensorInfo,
  out: tf.TensorInfo,
  g: Window2d,
  n: number,
): void {
  const pH = (g.outH - 1) * g.stride + g.kh;
  const pW = (g.outW - 1) * g.stride + g.kw;
  if (g.padTop === 0 && g.padLeft === 0 && pH <= g.inH && pW <= g.inW) {
    wasm.im2col(
      heapAddress(backend, x),
      heapAddress(backend, out),
      n,
      g.inH,
      g.inW,
      g.inC,
      g.kh,
      g.kw,
      g.stride,
      0,
      0,
      g.outH,
      g.outW,
    );
    return;
  }
  const padded = backend.makeOutput([n, pH, pW, g.inC], 'float32');
  wasm.pad(heapAddress(backend, x), heapAddress(backend, padded), n, g.inH, g.inW, g.inC, pH, pW, g.padTop, g.padLeft);
  wasm.im2col(
    heapAddress(backend, padded),
    heapAddress(backend, out),
    n,
    pH,
    pW,
    g.inC,
    g.kh,
    g.kw,
    g.stride,
    0,
    0,
    g.outH,
    g.outW,
  );
  backend.disposeData(padded.dataId);
}

interface LayerAttrs {
  wOffset: number;
  bOffset: number;
  fanIn: number;
  units: number;
  relu: boolean;
  /** runs trained side by side (a fused group); run r's parameters start at r·stride in θ, its rows follow run r−1's */
  runs: number;
  stride: number;
  /** the input has no run dimension (the shared batch of the first layer) */
  shared: boolean;
}

/**
 * The products of gemm.ts as wasm kernels on the tfjs heap: gemm.wat where it links, its JS loops
 * elsewhere. A fused group's runs are one dispatch: the kernel calls the same product once per run on that run's
 * rows and parameters (an input without a run dimension, the shared batch, is read by every run).
 */
function registerGemmKernels(): void {
  let wasm: GemmModule | null | undefined;
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
  const link = (backend: WasmBackend) => {
    wasm ??= linkModule<GemmModule>(backend, GEMM_WASM, GEMM_WASM_SHARED);
    return wasm;
  };
  const heap = (backend: WasmBackend, t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;

  register(DENSE, (backend, { x, theta }, l) => {
    const rows = l.shared ? x.shape[0] : x.shape[0] / l.runs;
    const out = backend.makeOutput([rows * l.runs, l.units], 'float32');
    const w = link(backend);
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
        );
      return out;
    }
    const [xa, t, o] = [heapAddress(backend, x), heapAddress(backend, theta), heapAddress(backend, out)];
    for (let r = 0; r < l.runs; r++) {
      const tr = t + r * l.stride * 4;
      gemmInBlocks(
        w,
        xa + r * xStep * 4,
        l.fanIn * 4,
        4,
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
    const w = link(backend);
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
    const w = link(backend);
    if (!w) {
      const [ds, ts, os] = [heap(backend, dz), heap(backend, theta), heap(backend, out)];
      for (let r = 0; r < l.runs; r++)
        gemmLoops.inputGrad(
          ds.subarray(r * rows * l.units),
          ts.subarray(r * l.stride),
          os.subarray(r * rows * l.fanIn),
          rows,
          l,
        );
      return out;
    }
    // Wᵀ (units × fanIn) in a scratch buffer, so the product is a plain one
    const wT = backend.makeOutput([l.units, l.fanIn], 'float32');
    const [da, t, oa, wa] = [
      heapAddress(backend, dz),
      heapAddress(backend, theta),
      heapAddress(backend, out),
      heapAddress(backend, wT),
    ];
    for (let r = 0; r < l.runs; r++) {
      w.transpose(t + (r * l.stride + l.wOffset) * 4, wa, l.fanIn, l.units);
      gemmInBlocks(
        w,
        da + r * rows * l.units * 4,
        l.units * 4,
        4,
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
    return out;
  });
}

/**
 * The convolution helpers of convKernels.ts (im2col, col2im, the max-pool gradient, the ReLU gradient) registered as
 * tfjs-wasm kernels that read and write the tfjs heap, no copies out: conv.wat where it links on that heap, the JS
 * loops of convKernels.ts (the same bits) elsewhere. kernels.ts installs them with its kernel fixes.
 *
 *     registerConvKernels(); // once the 'wasm' backend is active (installKernelFixes calls it)
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  col2imInto,
  COL2IM,
  convKernelShape,
  IM2COL,
  im2colInto,
  MAXPOOL_2X2,
  MAXPOOL_GRAD,
  maxPool2x2Into,
  maxPoolGradInto,
  pool2x2Tiles,
  RELU_GRAD,
  reluGradInto,
} from './convKernels.js';
import type { Window2d } from './convKernels.js';
import { CONV_WASM, CONV_WASM_SHARED } from './wasm/convWasm.js';
import { asWasmBackend, heapAddress, linkModule, type WasmBackend } from './tfjsWasm.js';

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
/** conv.wat's exports. */
export type ConvModule = Record<'im2col' | 'col2im', ConvFn> & {
  maxPoolGrad: PoolGradFn;
  maxPool2x2(
    src: number,
    dst: number,
    n: number,
    inH: number,
    inW: number,
    inC: number,
    outH: number,
    outW: number,
  ): void;
  maxPoolGrad2x2(
    src: number,
    dy: number,
    dst: number,
    n: number,
    inH: number,
    inW: number,
    inC: number,
    outH: number,
    outW: number,
    relu: number,
  ): void;
  pad: PadFn;
  reluGrad(g: number, a: number, dst: number, count: number): void;
};

let conv: ConvModule | null | undefined;

/** conv.wat linked on the tfjs heap (once per realm), or null where it cannot link. */
export function linkConv(backend: WasmBackend): ConvModule | null {
  // linked once per realm; null (no WASM SIMD here) is kept too, so the JS loops run without a retry each call
  if (conv === undefined) conv = linkModule<ConvModule>(backend, CONV_WASM, CONV_WASM_SHARED);
  return conv;
}

/** The convolution helpers of convKernels.ts as wasm kernels reading and writing the tfjs heap (no copies out). */
export function registerConvKernels(): void {
  for (const name of [IM2COL, COL2IM, MAXPOOL_GRAD, MAXPOOL_2X2] as const) {
    if (tf.getKernel(name, 'wasm')) continue;
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      kernelFunc: (args) => {
        const x = args.inputs.x as tf.TensorInfo;
        const g = args.attrs as unknown as Window2d & { n?: number; relu?: boolean };
        const n = name === COL2IM ? g.n! : x.shape[0];
        const backend = asWasmBackend(args.backend);
        const out = backend.makeOutput(convKernelShape(name, g, n), 'float32');
        const wasm = linkConv(backend);
        if (wasm && name === MAXPOOL_2X2) {
          wasm.maxPool2x2(heapAddress(backend, x), heapAddress(backend, out), n, g.inH, g.inW, g.inC, g.outH, g.outW);
          return out;
        }
        if (wasm && name === MAXPOOL_GRAD && pool2x2Tiles(g)) {
          const [src, dy, dst] = [x, args.inputs.dy as tf.TensorInfo, out].map((t) => heapAddress(backend, t));
          wasm.maxPoolGrad2x2(src, dy, dst, n, g.inH, g.inW, g.inC, g.outH, g.outW, g.relu ? 1 : 0);
          return out;
        }
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
          if (g.relu) {
            const [src, dst] = [heapAddress(backend, x), heapAddress(backend, out)];
            wasm.reluGrad(dst, src, dst, tf.util.sizeFromShape(out.shape));
          }
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
        else if (name === MAXPOOL_2X2) maxPool2x2Into(src, dst, g, n);
        else if (name === MAXPOOL_GRAD) {
          maxPoolGradInto(src, backend.typedArrayFromHeap(args.inputs.dy as tf.TensorInfo) as Float32Array, dst, g, n);
          if (g.relu) reluGradInto(dst, src, dst);
        } else im2colInto(src, dst, g, n);
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
        const wasm = linkConv(backend);
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
  const inside = g.padTop === 0 && g.padLeft === 0 && pH <= g.inH && pW <= g.inW;
  const padded = inside ? null : backend.makeOutput([n, pH, pW, g.inC], 'float32');
  if (padded)
    wasm.pad(
      heapAddress(backend, x),
      heapAddress(backend, padded),
      n,
      g.inH,
      g.inW,
      g.inC,
      pH,
      pW,
      g.padTop,
      g.padLeft,
    );
  const [src, h, w] = padded ? [heapAddress(backend, padded), pH, pW] : [heapAddress(backend, x), g.inH, g.inW];
  wasm.im2col(src, heapAddress(backend, out), n, h, w, g.inC, g.kh, g.kw, g.stride, 0, 0, g.outH, g.outW);
  if (padded) backend.disposeData(padded.dataId);
}

/**
 * Kernel fixes for the tfjs WASM backend, installed once by `installKernelFixes`, and the convolution helpers
 * (im2col, its transpose, col2im, the max-pool gradient: core/training/convKernels.ts) registered as wasm kernels; they
 * run as conv.wat inside the tfjs heap where it links (same bits as the JS loops, which are the fallback).
 *
 * Slice: tfjs-wasm 4.22's Slice kernel calls `readSync` on its input, which
 * copies the *whole* input out of the WASM heap before taking the slice. For a
 * 109k-parameter flat vector sliced into six layer tensors that was six 436 KB
 * copies per step. The replacement copies only the slice, straight from a heap
 * view, for the contiguous case, and defers to the original kernel otherwise.
 */
import * as tf from '@tensorflow/tfjs-core';
import { col2imInto, COL2IM, convKernelShape, IM2COL, IM2COL_T, im2colInto, MAXPOOL_GRAD, maxPoolGradInto } from '../core/training/convKernels.js';
import type { Window2d } from '../core/training/modelPlan.js';
import { CONV_WASM, CONV_WASM_SHARED } from './wasm/convWasm.js';

interface HeapBackend {
  makeOutput(shape: number[], dtype: string): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  dataIdMap: { get(id: object): { memoryOffset: number } | undefined };
  wasm: { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };
}

type ConvFn = (src: number, dst: number, n: number, inH: number, inW: number, inC: number, kh: number, kw: number, stride: number, padTop: number, padLeft: number, outH: number, outW: number) => void;
type PoolGradFn = (src: number, dy: number, dst: number, n: number, inH: number, inW: number, inC: number, kh: number, kw: number, stride: number, outH: number, outW: number) => void;
type ConvModule = Record<'im2col' | 'im2colT' | 'col2im', ConvFn> & { maxPoolGrad: PoolGradFn };

/** conv.wat bound to the backend's heap, or null where it cannot run (the JS loops then give the same bits). */
function convModule(backend: HeapBackend): ConvModule | null {
  const memory = backend.wasm?.asm?.memory ?? backend.wasm?.wasmMemory;
  if (!memory) return null;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(shared ? CONV_WASM_SHARED : CONV_WASM), { env: { memory } });
    return instance.exports as unknown as ConvModule;
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
      const backend = args.backend as unknown as HeapBackend;
      const out = backend.makeOutput(s, x.dtype);
      const offset = tf.slice_util.computeFlatOffset(b, tf.util.computeStrides(x.shape));
      const length = tf.util.sizeFromShape(s);
      // Views are taken after makeOutput, which may grow (and detach) the heap.
      backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(x).subarray(offset, offset + length));
      return out;
    },
  });
  registerConvKernels();
  installed = true;
}

/** The convolution helpers of core/training/convKernels.ts as wasm kernels reading and writing the tfjs heap (no copies out). */
function registerConvKernels(): void {
  let wasm: ReturnType<typeof convModule> | undefined;
  for (const name of [IM2COL, IM2COL_T, COL2IM, MAXPOOL_GRAD] as const) {
    if (tf.getKernel(name, 'wasm')) continue;
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      kernelFunc: (args) => {
        const x = args.inputs.x as tf.TensorInfo;
        const g = args.attrs as unknown as Window2d & { n?: number };
        const n = name === COL2IM ? g.n! : x.shape[0];
        const backend = args.backend as unknown as HeapBackend;
        const out = backend.makeOutput(convKernelShape(name, g, n), 'float32');
        wasm ??= convModule(backend);
        const address = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
        if (wasm && name === MAXPOOL_GRAD) {
          wasm.maxPoolGrad(address(x), address(args.inputs.dy as tf.TensorInfo), address(out), n, g.inH, g.inW, g.inC, g.kh, g.kw, g.stride, g.outH, g.outW);
          return out;
        }
        if (wasm) {
          const fn = name === IM2COL ? wasm.im2col : name === IM2COL_T ? wasm.im2colT : wasm.col2im;
          fn(address(x), address(out), n, g.inH, g.inW, g.inC, g.kh, g.kw, g.stride, g.padTop, g.padLeft, g.outH, g.outW);
          return out;
        }
        // Views are taken after makeOutput, which may grow (and detach) the heap.
        const src = backend.typedArrayFromHeap(x) as Float32Array;
        const dst = backend.typedArrayFromHeap(out) as Float32Array;
        if (name === COL2IM) col2imInto(src, dst, g, n);
        else if (name === MAXPOOL_GRAD) maxPoolGradInto(src, backend.typedArrayFromHeap(args.inputs.dy as tf.TensorInfo) as Float32Array, dst, g, n);
        else im2colInto(src, dst, g, n, name === IM2COL_T);
        return out;
      },
    });
  }
}

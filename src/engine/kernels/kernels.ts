/**
 * Kernel fixes for the tfjs WASM backend, installed once by `installKernelFixes`, and our own kernels registered on
 * it: the convolution helpers (im2col, col2im, the max-pool gradient: convKernels.ts, registered by
 * convHeapKernels.ts), the dense products (gemm.ts, registered by gemmHeapKernels.ts) and the gradient kernel
 * tfjs-layers models need and tfjs-wasm lacks (layersGradKernels.ts), the optimizers' steps in one pass (optimizerStep.ts) and the batches' pixels (pixelBatch.ts). They
 * run as conv.wat, gemm.wat and optimizer.wat inside the tfjs heap where those link, and as the JS loops (the same bits) elsewhere; the heap is reached
 * through tfjsWasm.ts.
 *
 * Slice: tfjs-wasm 4.22's Slice kernel calls `readSync` on its input, which
 * copies the *whole* input out of the WASM heap before taking the slice. For a
 * 109k-parameter flat vector sliced into six layer tensors that was six 436 KB
 * copies per step. The replacement copies only the slice, straight from a heap
 * view, for the contiguous case, and defers to the original kernel otherwise.
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerOptimizerKernel } from './optimizerStep.js';
import { registerPixelBatch } from './pixelBatch.js';
import { registerConvKernels } from './convHeapKernels.js';
import { registerConvImplicit } from './convImplicit.js';
import { registerConvInputGrad } from './convInputGrad.js';
import { registerGemmKernels } from './gemmHeapKernels.js';
import { registerLayersGradKernels } from './layersGradKernels.js';
import { asWasmBackend } from './tfjsWasm.js';

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
  registerConvInputGrad();
  registerConvImplicit();
  registerLayersGradKernels();
  registerOptimizerKernel();
  registerPixelBatch();
  installed = true;
}

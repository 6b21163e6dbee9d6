/**
 * A batch of uint8 images as the network's float32 input, pixel · PIXEL_SCALE, made on the tfjs heap in one kernel:
 * the examples' rows are copied as bytes into a heap scratch and wasm/batch.wat converts and scales them in one SIMD
 * pass. The floats are those of tfjs's tensor2d of the raw values times the float32 scalar (each uint8 is exact in
 * float32, then one rounded multiply); where batch.wat cannot link, the JS loop below gives them.
 *
 *     const x = pixelBatch(d.trainImages, 784, order, s * 64, 64); // [64, 784] float32 in [0, 1]
 */
import * as tf from '@tensorflow/tfjs-core';
import { BATCH_WASM, BATCH_WASM_SHARED } from './wasm/batchWasm.js';
import { asWasmBackend, heapAddress, heapMemory, linkModule, type WasmBackend } from './tfjsWasm.js';

export const PIXEL_BATCH = 'FluctlabPixelBatch';
/** The network's input is pixel / 255 as float32: pixel · fround(1/255). */
export const PIXEL_SCALE = 1 / 255;

/** Which rows: examples `indices[start … start+count)`, or `start … start+count` themselves without `indices`. */
interface Rows {
  images: Uint8Array;
  features: number;
  indices: ArrayLike<number> | null;
  start: number;
  count: number;
}

/** The scaled float32 batch [count, features] of the rows of `images` chosen by `indices` (or consecutive from `start`). */
export function pixelBatch(
  images: Uint8Array,
  features: number,
  indices: ArrayLike<number> | null,
  start: number,
  count: number,
): tf.Tensor2D {
  const rows: Rows = { images, features, indices, start, count };
  return tf.engine().runKernel(PIXEL_BATCH, {}, { rows } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}

/** Copies the chosen rows' bytes (as they are) to `out`, one row of `features` after another. */
function gather(r: Rows, out: Uint8Array | Float32Array): void {
  for (let b = 0; b < r.count; b++) {
    const src = (r.indices ? r.indices[r.start + b] : r.start + b) * r.features;
    out.set(r.images.subarray(src, src + r.features), b * r.features);
  }
}

interface BatchModule {
  pixels(src: number, dst: number, count: number, scale: number): void;
}
let batch: BatchModule | null | undefined;

function pixelKernel(backend: WasmBackend, r: Rows): tf.TensorInfo {
  const n = r.count * r.features;
  const out = backend.makeOutput([r.count, r.features], 'float32');
  // linked once per realm; null (no WASM SIMD here) is kept too, so the JS loops run without a retry each call
  if (batch === undefined) batch = linkModule<BatchModule>(backend, BATCH_WASM, BATCH_WASM_SHARED);
  if (!batch) {
    const x = backend.typedArrayFromHeap(out) as Float32Array;
    gather(r, x);
    const scale = Math.fround(PIXEL_SCALE);
    for (let i = 0; i < n; i++) x[i] = Math.fround(x[i] * scale);
    return out;
  }
  const scratch = backend.makeOutput([Math.ceil(n / 4)], 'float32'); // n bytes
  // addresses and the view after the last makeOutput, which may grow the heap
  const [s, o] = [heapAddress(backend, scratch), heapAddress(backend, out)];
  gather(r, new Uint8Array(heapMemory(backend)!.buffer, s, n));
  batch.pixels(s, o, n, PIXEL_SCALE);
  backend.disposeData(scratch.dataId);
  return out;
}

/** Registers the kernel on the 'wasm' backend (kernels.ts installs it with the others). */
export function registerPixelBatch(): void {
  if (tf.getKernel(PIXEL_BATCH, 'wasm')) return;
  tf.registerKernel({
    kernelName: PIXEL_BATCH,
    backendName: 'wasm',
    kernelFunc: (args) => pixelKernel(asWasmBackend(args.backend), (args.attrs as unknown as { rows: Rows }).rows),
  });
}

/**
 * Reading tensors without copies on the WASM backend.
 */
import * as tf from '@tensorflow/tfjs-core';

interface WasmBackendInternals {
  dataIdMap: { get(id: object): { memoryOffset: number } | undefined };
  wasm: { HEAPU8: Uint8Array };
}

/**
 * Zero-copy float32 view of a tensor's data inside the WASM heap. `dataSync`
 * copies (≈170 µs for the MLP's 109k parameters here, most of a recorder's
 * budget); this does not. The view is valid only until the next tf operation
 * (the heap may grow and detach it), so consume it at once. Falls back to a
 * copy on other backends.
 */
export function heapView(t: tf.Tensor): Float32Array {
  if (t.dtype !== 'float32') throw new Error(`heapView needs a float32 tensor, got ${t.dtype}`);
  const b = tf.backend() as unknown as Partial<WasmBackendInternals>;
  const entry = b.dataIdMap?.get(t.dataId);
  if (!entry || !b.wasm) return t.dataSync() as Float32Array;
  return new Float32Array(b.wasm.HEAPU8.buffer, entry.memoryOffset, t.size);
}

/**
 * The only way into tfjs-backend-wasm's internals, as onnxruntime-web's wasm-factory `getInstance()` is the only way
 * into its module: where a tensor lives in the backend's heap, a copy-free view of it, the heap's memory and allocator,
 * the calls our kernels make on the backend, and linking a module of ours into that heap. tfjs exports none of this as
 * API (these are fields of tfjs-wasm 4.22's BackendWasm and of the Emscripten module under it), so every one is typed
 * here once: a tfjs upgrade that moves one breaks this file and no other.
 *
 *     const delta = heapView(t);                        // the tensor's float32 data, in place
 *     const heap = activeHeap();                        // memory, malloc, free of the active 'wasm' backend, or null
 *     const out = asWasmBackend(args.backend).makeOutput(shape, 'float32'); // inside a kernelFunc
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The Emscripten module under the backend: the heap's memory (asm.memory in tfjs 4.22's builds, wasmMemory in others), its byte view and allocator. */
interface EmscriptenModule {
  HEAPU8: Uint8Array;
  asm?: { memory?: WebAssembly.Memory };
  wasmMemory?: WebAssembly.Memory;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
}

/** The backend's fields we read: each tensor's place in the heap, and the module. */
interface BackendInternals {
  dataIdMap: { get(id: object): { memoryOffset: number } | undefined };
  wasm: EmscriptenModule;
}

/** What our kernels call on the backend a kernelFunc is given (typed by tfjs-wasm itself). */
export type WasmBackend = Pick<BackendWasm, 'makeOutput' | 'typedArrayFromHeap' | 'disposeData'>;

/** The backend a kernel registered for 'wasm' is given. */
export const asWasmBackend = (backend: object): WasmBackend => backend as WasmBackend;

const internals = (backend: object): Partial<BackendInternals> => backend as Partial<BackendInternals>;

/** A tensor's byte address in the backend's heap. */
export const heapAddress = (backend: WasmBackend, t: tf.TensorInfo): number =>
  internals(backend).dataIdMap!.get(t.dataId)!.memoryOffset;

/** The memory of the backend's heap, or null where it is not found. */
export function heapMemory(backend: object): WebAssembly.Memory | null {
  const wasm = internals(backend).wasm;
  return wasm?.asm?.memory ?? wasm?.wasmMemory ?? null;
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
  const b = internals(tf.backend());
  const entry = b.dataIdMap?.get(t.dataId);
  if (!entry || !b.wasm) return t.dataSync() as Float32Array;
  return new Float32Array(b.wasm.HEAPU8.buffer, entry.memoryOffset, t.size);
}

/** The tfjs heap as a module of ours uses it: its memory, and tfjs's allocator. */
export interface TfjsHeap {
  readonly memory: WebAssembly.Memory;
  malloc(bytes: number): number;
  free(ptr: number): void;
}

/** The heap of the active 'wasm' backend; null when another backend is active or its memory is not found. */
export function activeHeap(): TfjsHeap | null {
  // getBackend() only reads a field; tf.findBackend('wasm') would start initialising a registered but idle backend.
  if (tf.getBackend() !== 'wasm') return null;
  const backend = tf.backend();
  const wasm = internals(backend).wasm;
  const memory = heapMemory(backend);
  if (!wasm || !memory) return null;
  return { memory, malloc: (bytes) => wasm._malloc(bytes), free: (ptr) => wasm._free(ptr) };
}

/** Compiled modules of ours, by their bytes. */
const compiled = new WeakMap<Uint8Array, WebAssembly.Module>();

/**
 * A module of ours instantiated on the heap's memory: the build that imports a shared memory where the heap is one
 * (tfjs's threaded build, in cross-origin-isolated pages), else the plain build. Compiled once per build,
 * synchronously. Throws where it cannot be compiled or linked (no WASM SIMD here).
 */
export function instantiateOnHeap(
  memory: WebAssembly.Memory,
  plain: Uint8Array<ArrayBuffer>,
  shared: Uint8Array<ArrayBuffer>,
): WebAssembly.Exports {
  const bytes = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer ? shared : plain;
  let module = compiled.get(bytes);
  if (!module) {
    module = new WebAssembly.Module(bytes);
    compiled.set(bytes, module);
  }
  return new WebAssembly.Instance(module, { env: { memory } }).exports;
}

/** A module of ours bound to the backend's heap, or null where it cannot run (the JS loops then give the same bits). */
export function linkModule<T>(
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

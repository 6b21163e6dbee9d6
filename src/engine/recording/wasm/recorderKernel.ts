/**
 * The recorder's WebAssembly kernel (recorder.wat), instantiated inside the
 * tfjs WASM backend's own memory so that it reads Δ where the optimizer wrote
 * it. One kernel per tfjs heap, found from the buffer a Δ view lives in:
 *
 *     const k = kernelForBuffer(delta.buffer); // null: not a tfjs heap, or no WASM SIMD here
 *     const state = k.malloc(stateBytes(cols));
 *     k.accumulate(delta.byteOffset, rows, cols, state);
 *
 * The kernel is null (and callers use the JS path, which gives the same bits)
 * when the buffer is not the heap of an initialised tfjs 'wasm' backend or WASM
 * SIMD is missing. tfjs's threaded build (cross-origin-isolated pages) has a
 * shared memory: it gets the build of the module that imports a shared memory.
 * tfjs's threads only run inside its kernels, so the pass, which runs between
 * tf ops on the calling thread, never races them.
 */
import { activeHeap, instantiateOnHeap, type TfjsHeap } from '../../kernels/tfjsWasm.js';
import { BIN_COUNT, BIN_LUT } from '../histogram.js';
import { RECORDER_WASM, RECORDER_WASM_SHARED } from './recorderWasm.js';

/** Byte offsets in a tensor's state (see recorder.wat): max |Δ| bits (i32), Σ Δ (f64), min and max keys of Δ (i32 each). */
export const STATE_MAX_BITS = 8;
export const STATE_SUM = 16;
export const STATE_MIN_KEY = 24;
export const STATE_MAX_KEY = 28;
/** Byte offset of the histogram counters in a tensor's state (see recorder.wat). */
export const STATE_HIST = 64;
/** Histogram copies (one per SIMD lane) and the bytes between them: 512 u32 counters each. */
export const HIST_COPIES = 4;
export const HIST_COPY_BYTES = 2048;
/** Byte offset of the float64 per-column arrays in a tensor's state: four window sums, then three of step scratch. */
export const STATE_COLUMNS = STATE_HIST + HIST_COPIES * HIST_COPY_BYTES;

/** The column array (of STATE_COLUMNS' seven) where a call leaves its step's per-column Σ Δ² (scratch, read after each call). */
export const STEP_SQ_COLUMN = 4;

/** Bytes of window state for a tensor with `cols` columns (neurons). */
export function stateBytes(cols: number): number {
  return STATE_COLUMNS + 7 * 8 * cols;
}

type Accumulate = (src: number, rows: number, cols: number, state: number, lut: number) => number;

/** The kernel bound to one tfjs heap: the compiled pass plus tfjs's allocator. */
export class RecorderKernel {
  /** The heap's memory, where the window states live. */
  readonly memory: WebAssembly.Memory;

  private constructor(
    private readonly heap: TfjsHeap,
    private readonly run: Accumulate,
    private readonly lut: number,
  ) {
    this.memory = heap.memory;
  }

  /** Binds the kernel to a heap; throws if the module cannot be compiled or linked here. */
  static create(heap: TfjsHeap): RecorderKernel {
    // Synchronous compile: allowed on a browser's main thread for modules under 4 KB (this one is ~1.2 KB).
    const run = instantiateOnHeap(heap.memory, RECORDER_WASM, RECORDER_WASM_SHARED).accumulate as Accumulate;
    if (BIN_COUNT * 4 > HIST_COPY_BYTES)
      throw new Error(`${BIN_COUNT} histogram bins do not fit the kernel's ${HIST_COPY_BYTES / 4}-bin counters`);
    // The bin table, as byte offsets 4·bin, lives in the heap for the life of the heap.
    const lut = heap.malloc(BIN_LUT.length * 2);
    if (!lut) throw new Error('tfjs heap allocation failed');
    const table = new Uint16Array(heap.memory.buffer, lut, BIN_LUT.length);
    for (let k = 0; k < BIN_LUT.length; k++) table[k] = BIN_LUT[k] * 4;
    return new RecorderKernel(heap, run, lut);
  }

  /** Adds one step of a rows × cols row-major float32 tensor at byte address `src` to the window state at `state`. Returns false once the window saw a non-finite Δ. */
  accumulate(src: number, rows: number, cols: number, state: number): boolean {
    return this.run(src, rows, cols, state, this.lut) !== 0;
  }

  /** Allocates `bytes` in the heap (8-byte aligned), zeroed. */
  malloc(bytes: number): number {
    const ptr = this.heap.malloc(bytes);
    if (!ptr || ptr % 8 !== 0) throw new Error(`tfjs heap allocation of ${bytes} bytes failed`);
    new Uint8Array(this.memory.buffer, ptr, bytes).fill(0);
    return ptr;
  }

  /** Frees memory from `malloc`. */
  free(ptr: number): void {
    this.heap.free(ptr);
  }
}

/** Kernels per heap; null records that this heap cannot run the module. */
const kernels = new WeakMap<WebAssembly.Memory, RecorderKernel | null>();

/** The kernel for the tfjs 'wasm' heap that owns `buffer`, or null when there is none or the module cannot run. */
export function kernelForBuffer(buffer: ArrayBufferLike): RecorderKernel | null {
  const heap = activeHeap();
  if (!heap || heap.memory.buffer !== buffer) return null;
  let kernel = kernels.get(heap.memory);
  if (kernel === undefined) {
    try {
      kernel = RecorderKernel.create(heap);
    } catch {
      kernel = null; // no WASM SIMD, or a shared (threaded) heap: the JS path computes the same numbers
    }
    kernels.set(heap.memory, kernel);
  }
  return kernel;
}

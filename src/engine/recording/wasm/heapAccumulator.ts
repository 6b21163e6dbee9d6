/**
 * One tensor's window state kept inside the tfjs heap and advanced by the
 * WebAssembly kernel: the fast path of the recorder. Its numbers are
 * bit-identical to the JS path's (recorder.ts JsTensorAccumulator).
 *
 *     const acc = new HeapTensorAccumulator(kernel, layer.wOffset, layer.fanIn, layer.units);
 *     acc.add(delta.byteOffset);   // every step, delta a view into the tfjs heap
 *     const sums = acc.sums();     // at the window's end, then acc.reset()
 */
import { BIN_COUNT } from '../histogram.js';
import { columnTotal } from '../scaleFree.js';
import { floatOfKey, KEY_NONE_MAX, KEY_NONE_MIN, type TensorSums } from '../tensorSums.js';
import {
  HIST_COPIES,
  HIST_COPY_BYTES,
  STATE_COLUMNS,
  STATE_HIST,
  STATE_MAX_BITS,
  STATE_MAX_KEY,
  STATE_MIN_KEY,
  STATE_SUM,
  STEP_SQ_COLUMN,
  stateBytes,
  type RecorderKernel,
} from './recorderKernel.js';

const U32_MAX = 0xffffffff;

/** Window sums of one rows × cols tensor at element `offset` of the flat Δ, in the tfjs heap. */
export class HeapTensorAccumulator {
  private readonly state: number;
  /** Histogram counts flushed out of the kernel's u32 counters. */
  private readonly hist = new Float64Array(BIN_COUNT);
  private stepsSinceFlush = 0;
  /** View of the kernel's scratch of the last step's per-column Σ Δ² (re-taken when the heap grows). */
  private stepSq: Float64Array | null = null;

  /**
   * `flushSteps`: steps after which the u32 counters are added into float64.
   * No counter gains more than rows·cols per step, so the default keeps every
   * counter below 2^32 (≈ 39,000 steps for the default MLP's first layer);
   * tests pass a small value to exercise the flush.
   */
  constructor(
    private readonly kernel: RecorderKernel,
    readonly offset: number,
    readonly rows: number,
    readonly cols: number,
    private readonly flushSteps = Math.floor(U32_MAX / (rows * cols)),
  ) {
    if (rows < 1 || cols < 1)
      throw new Error(`a recorded tensor needs at least one row and column, got ${rows} × ${cols}`);
    this.state = kernel.malloc(stateBytes(cols));
    this.reset();
  }

  /** Adds one step; `deltaAddress` is the heap byte address of the flat Δ. Returns false once the window saw a non-finite Δ. */
  add(deltaAddress: number): boolean {
    if (this.stepsSinceFlush >= this.flushSteps) this.flush();
    this.stepsSinceFlush++;
    return this.kernel.accumulate(deltaAddress + 4 * this.offset, this.rows, this.cols, this.state);
  }

  /** The last step's Σ Δ²: the kernel's per-column sums of the step (left in its scratch) added in index order, as the JS path does. */
  stepSquares(): number {
    const buf = this.kernel.memory.buffer;
    if (this.stepSq?.buffer !== buf)
      this.stepSq = new Float64Array(buf, this.state + STATE_COLUMNS + 8 * STEP_SQ_COLUMN * this.cols, this.cols);
    return columnTotal(this.stepSq, this.cols);
  }

  /** Moves the u32 histogram counters into the float64 counts. */
  private flush(): void {
    const stride = HIST_COPY_BYTES / 4;
    const counts = new Uint32Array(this.kernel.memory.buffer, this.state + STATE_HIST, HIST_COPIES * stride);
    for (let c = 0; c < HIST_COPIES; c++) for (let b = 0; b < BIN_COUNT; b++) this.hist[b] += counts[c * stride + b];
    counts.fill(0);
    this.stepsSinceFlush = 0;
  }

  /** The window's sums so far (copies, valid after the heap grows). */
  sums(): TensorSums {
    this.flush();
    const buf = this.kernel.memory.buffer;
    const column = (k: number): Float64Array =>
      new Float64Array(buf, this.state + STATE_COLUMNS + 8 * k * this.cols, this.cols).slice();
    return {
      sumAbs: new Float64Array(buf, this.state, 1)[0],
      sum: new Float64Array(buf, this.state + STATE_SUM, 1)[0],
      min: floatOfKey(new Int32Array(buf, this.state + STATE_MIN_KEY, 1)[0]),
      max: floatOfKey(new Int32Array(buf, this.state + STATE_MAX_KEY, 1)[0]),
      maxBits: new Int32Array(buf, this.state + STATE_MAX_BITS, 1)[0],
      neuronSq: column(0),
      positionSum: column(2),
      positionSumSq: column(3),
      hist: this.hist.slice(),
    };
  }

  /** Zeroes the window state for the next window. */
  reset(): void {
    new Uint8Array(this.kernel.memory.buffer, this.state, stateBytes(this.cols)).fill(0);
    const view = new DataView(this.kernel.memory.buffer, this.state);
    view.setInt32(STATE_MIN_KEY, KEY_NONE_MIN, true);
    view.setInt32(STATE_MAX_KEY, KEY_NONE_MAX, true);
    this.hist.fill(0);
    this.stepsSinceFlush = 0;
  }

  /** Frees the state in the heap. */
  dispose(): void {
    this.kernel.free(this.state);
  }
}

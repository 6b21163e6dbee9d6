/**
 * The fluctuation recorder: fed the exact update Δ_t = θ_t − θ_{t−1} that the
 * optimizer applied at every step, it keeps per-window running sums for every
 * layer's weights and biases and turns them into fluctuation statistics when a
 * window closes.
 *
 * Δ arrives as one flat float32 array over all parameters (the layout of
 * ParamLayout), so the whole recorder is one pass over the array per step: no
 * per-tensor backend ops, no snapshots. When Δ is a view into the tfjs WASM heap
 * (run.ts passes heapView(delta)) that pass is a SIMD WebAssembly kernel reading
 * Δ in place (wasm/recorder.wat, ~0.1 ms a step for 109k parameters against
 * ~0.8 ms in JS); otherwise the JS loop below computes the same bits.
 *
 *     const rec = new Recorder(layout, { tau: 0.1 });
 *     rec.step(delta);            // after every optimizer step
 *     const w = rec.closeWindow(); // per epoch, or every K steps
 */
import { BIN_COUNT, BIN_LUT } from './histogram.js';
import { mean, participatingCount, participationRatio, spreadOfSpread, stdFromSums } from './metrics.js';
import { HeapTensorAccumulator } from './wasm/heapAccumulator.js';
import { kernelForBuffer, type RecorderKernel } from './wasm/recorderKernel.js';

/** One dense layer's place in the flat parameter vector: W is fanIn × units (row-major), then b (units). */
export interface LayerLayout {
  name: string;
  fanIn: number;
  units: number;
  wOffset: number;
  bOffset: number;
}

/** Statistics of one parameter tensor (a layer's weights or its biases) over one window. */
export interface TensorFluctuation {
  /** mean over steps and elements of |Δ| */
  meanAbs: number;
  /** sqrt(mean over steps and elements of Δ²) */
  rms: number;
  /** max over steps and elements of |Δ| */
  maxAbs: number;
  /** smallest and largest Δ (signed), Σ Δ and Σ Δ² over steps and elements: a histogram's exact moments (absent in older records) */
  min?: number;
  max?: number;
  sum?: number;
  sumSquares?: number;
  /** f_j = sqrt(mean over steps and neuron j's fan-in of Δ²); for biases the fan-in is the bias itself */
  neuronFluctuation: number[];
  /** s_j = std over the window's steps of neuron j's mean fan-in parameter after each step */
  neuronSpread: number[];
  /** S = std_j(s_j) */
  spreadOfSpread: number;
  /** S / mean_j(s_j) */
  spreadCv: number;
  /** #{j : f_j ≥ τ·mean f} */
  participating: number;
  /** (Σf)² / (N Σf²) */
  participationRatio: number;
  /** N · participationRatio */
  effectiveNeurons: number;
  /** counts of Δ on the shared bins (histogram.ts) */
  histogram: number[];
}

/** One layer over one window. `deadUnits` is filled by the trainer (null for the output layer). */
export interface LayerWindow {
  layer: string;
  units: number;
  weights: TensorFluctuation;
  biases: TensorFluctuation;
  deadUnits: number | null;
  /** per-unit mean activation on the probe batch at the window's end, set by the trainer (probe.ts; null for the output layer; absent in older records) */
  meanActivation?: number[] | null;
  /** L2 norms of this layer's gradient of the mean probe-batch loss at the window's end, set by the trainer (probe.ts; absent in older records) */
  gradientNorm?: { weights: number; biases: number } | null;
}

/** All layers over one window of steps [startStep, endStep). */
export interface WindowRecord {
  index: number;
  startStep: number;
  endStep: number;
  /** mean training loss over the window's steps, set by the trainer (absent in records made before it was added) */
  trainLoss?: number | null;
  /** the learning rate in force at the window's last step, and its mean over the window's steps, set by the trainer (absent in older records) */
  lr?: number;
  lrMean?: number;
  layers: LayerWindow[];
}

/**
 * One tensor's sums over a window so far, from either path (WASM kernel or JS),
 * which `finish` turns into statistics. Σ Δ² is Σ_j neuronSq[j].
 */
export interface TensorSums {
  /** Σ |Δ| */
  sumAbs: number;
  /** Σ Δ */
  sum: number;
  /** smallest and largest Δ (float32, IEEE total order: NaN can be either once one was seen) */
  min: number;
  max: number;
  /** max over the window of (float32 bits of Δ) & 0x7fffffff: the bits of max |Δ|, ≥ 0x7f800000 after a non-finite Δ */
  maxBits: number;
  /** per column j: Σ_t Σ_i Δ² */
  neuronSq: Float64Array;
  /** per column j: Σ_t c_j(t) and Σ_t c_j(t)², c_j(t) = Σ_{t' ≤ t} mean_i Δ_t'[i, j] */
  positionSum: Float64Array;
  positionSumSq: Float64Array;
  /** counts on the shared bins */
  hist: Float64Array;
}

/**
 * key(bits) = bits ^ ((bits >> 31) & 0x7fffffff) orders float32 bit patterns as int32s in IEEE total order (−0 < +0,
 * NaNs beyond ±Infinity), so a window's min and max Δ are exact and independent of summation order. The kernel keeps
 * keys; these are the starting values of an empty window.
 */
export const KEY_NONE_MIN = 0x7fffffff;
export const KEY_NONE_MAX = -0x80000000;

const keyBits = new Int32Array(1);
const keyFloat = new Float32Array(keyBits.buffer);

/** The float32 a key stands for (key is its own inverse). */
export function floatOfKey(key: number): number {
  keyBits[0] = key ^ ((key >> 31) & 0x7fffffff);
  return keyFloat[0];
}

/** Bit patterns ≥ this (|Δ| bits) are ±Infinity or NaN. */
const NON_FINITE_BITS = 0x7f800000;

/**
 * The pure-JS path: used when Δ is not a view into the tfjs WASM heap (tests,
 * other backends) or the kernel cannot run. It sums in exactly the order of
 * recorder.wat (per column over rows, then columns in blocks of four), so both
 * paths give bit-identical windows.
 */
class JsTensorAccumulator {
  sumAbs = 0;
  sum = 0;
  minKey = KEY_NONE_MIN;
  maxKey = KEY_NONE_MAX;
  maxBits = 0;
  readonly neuronSq: Float64Array;
  /** c_j: Σ over the window so far of mean fan-in Δ (the trajectory relative to the window start) */
  readonly position: Float64Array;
  readonly positionSum: Float64Array;
  readonly positionSumSq: Float64Array;
  readonly hist = new Float64Array(BIN_COUNT);
  /** This step's per-column Σ Δ², Σ Δ, Σ |Δ|. */
  private readonly colSq: Float64Array;
  private readonly colSum: Float64Array;
  private readonly colAbs: Float64Array;

  constructor(readonly offset: number, readonly rows: number, readonly cols: number) {
    this.neuronSq = new Float64Array(cols);
    this.position = new Float64Array(cols);
    this.positionSum = new Float64Array(cols);
    this.positionSumSq = new Float64Array(cols);
    this.colSq = new Float64Array(cols);
    this.colSum = new Float64Array(cols);
    this.colAbs = new Float64Array(cols);
  }

  /** Adds one step (row-major pass; each column still sums its rows in order). Returns false once the window saw a non-finite Δ. */
  add(f: Float32Array, bits: Int32Array): boolean {
    const { rows, cols, colSq, colSum, colAbs, hist } = this;
    const lut = BIN_LUT;
    let maxBits = this.maxBits;
    let mn = this.minKey;
    let mx = this.maxKey;
    colSq.fill(0);
    colSum.fill(0);
    colAbs.fill(0);
    for (let i = 0; i < rows; i++) {
      const base = this.offset + i * cols;
      for (let j = 0; j < cols; j++) {
        const d = f[base + j];
        const b = bits[base + j];
        colSq[j] += d * d;
        colSum[j] += d;
        colAbs[j] += Math.abs(d);
        const m = b & 0x7fffffff;
        if (m > maxBits) maxBits = m;
        const k = b ^ ((b >> 31) & 0x7fffffff);
        if (k < mn) mn = k;
        if (k > mx) mx = k;
        hist[lut[b >>> 16]]++;
      }
    }
    this.maxBits = maxBits;
    this.minKey = mn;
    this.maxKey = mx;
    // Σ|Δ| of the step in the kernel's order: two f64x2 lanes over blocks of four columns, then the tail.
    const blocked = cols - (cols % 4);
    let t0 = 0;
    let t1 = 0;
    let u0 = 0;
    let u1 = 0;
    for (let j = 0; j < blocked; j += 4) {
      t0 = t0 + colAbs[j] + colAbs[j + 2];
      t1 = t1 + colAbs[j + 1] + colAbs[j + 3];
      u0 = u0 + colSum[j] + colSum[j + 2];
      u1 = u1 + colSum[j + 1] + colSum[j + 3];
    }
    let stepAbs = t0 + t1;
    let stepSum = u0 + u1;
    for (let j = blocked; j < cols; j++) {
      stepAbs += colAbs[j];
      stepSum += colSum[j];
    }
    this.sumAbs += stepAbs;
    this.sum += stepSum;
    const { neuronSq, position, positionSum, positionSumSq } = this;
    for (let j = 0; j < cols; j++) {
      neuronSq[j] += colSq[j];
      const p = position[j] + colSum[j] / rows;
      position[j] = p;
      positionSum[j] += p;
      positionSumSq[j] += p * p;
    }
    return maxBits < NON_FINITE_BITS;
  }

  /** The window's sums so far. */
  sums(): TensorSums {
    return {
      sumAbs: this.sumAbs, sum: this.sum, min: floatOfKey(this.minKey), max: floatOfKey(this.maxKey), maxBits: this.maxBits, neuronSq: this.neuronSq.slice(),
      positionSum: this.positionSum.slice(), positionSumSq: this.positionSumSq.slice(), hist: this.hist.slice(),
    };
  }

  /** Zeroes the window state for the next window. */
  reset(): void {
    this.sumAbs = 0;
    this.sum = 0;
    this.minKey = KEY_NONE_MIN;
    this.maxKey = KEY_NONE_MAX;
    this.maxBits = 0;
    for (const a of [this.neuronSq, this.position, this.positionSum, this.positionSumSq, this.hist]) a.fill(0);
  }
}

const bitsOut = new Int32Array(1);
const floatOut = new Float32Array(bitsOut.buffer);

/** Statistics of one tensor (rows × cols, column j = neuron j) from its window sums over `steps` steps. */
function finish(s: TensorSums, rows: number, cols: number, steps: number, tau: number): TensorFluctuation {
  const n = steps * rows * cols;
  let sumSq = 0;
  for (let j = 0; j < cols; j++) sumSq += s.neuronSq[j];
  const f: number[] = [];
  const sp: number[] = [];
  for (let j = 0; j < cols; j++) {
    f.push(steps > 0 ? Math.sqrt(s.neuronSq[j] / (steps * rows)) : 0);
    sp.push(stdFromSums(s.positionSum[j], s.positionSumSq[j], steps));
  }
  bitsOut[0] = s.maxBits;
  const sos = spreadOfSpread(sp);
  const pr = participationRatio(f);
  return {
    meanAbs: n > 0 ? s.sumAbs / n : 0,
    rms: n > 0 ? Math.sqrt(sumSq / n) : 0,
    maxAbs: floatOut[0],
    min: s.min,
    max: s.max,
    sum: s.sum,
    sumSquares: sumSq,
    neuronFluctuation: f,
    neuronSpread: sp,
    spreadOfSpread: sos.S,
    spreadCv: sos.cv,
    participating: participatingCount(f, tau),
    participationRatio: pr,
    effectiveNeurons: pr * cols,
    histogram: Array.from(s.hist),
  };
}

/** Options of the recorder. */
export interface RecorderOptions {
  /** participation threshold τ (fraction of the layer's mean fluctuation) */
  tau: number;
}

/** A layer's two tensors on one path. */
interface Pair<A> {
  w: A;
  b: A;
}

/** The WASM path's accumulators, bound to one tfjs heap, plus a staging area for Δ arrays from outside it. */
interface HeapPath {
  kernel: RecorderKernel;
  acc: Pair<HeapTensorAccumulator>[];
  staging: number;
}

/**
 * Accumulates fluctuation statistics step by step and emits them per window.
 *
 * Each window runs on one of two paths, chosen at its first step: the
 * WebAssembly kernel when Δ is a view into the tfjs WASM heap (run.ts passes
 * `heapView(delta)`), reading Δ in place; otherwise plain JS. Both give
 * bit-identical numbers. Call `dispose()` when done to free the heap state.
 */
export class Recorder {
  private readonly js: Pair<JsTensorAccumulator>[];
  private heap: HeapPath | null = null;
  private onHeap = false;
  private readonly size: number;
  private steps = 0;
  private startStep = 0;
  private windows = 0;

  constructor(readonly layout: readonly LayerLayout[], readonly options: RecorderOptions) {
    for (const l of layout) {
      if (l.fanIn < 1 || l.units < 1) throw new Error(`layer ${l.name} has no parameters (${l.fanIn} × ${l.units})`);
    }
    this.js = layout.map((l) => ({ w: new JsTensorAccumulator(l.wOffset, l.fanIn, l.units), b: new JsTensorAccumulator(l.bOffset, 1, l.units) }));
    this.size = Math.max(0, ...layout.map((l) => Math.max(l.wOffset + l.fanIn * l.units, l.bOffset + l.units)));
  }

  /** Number of steps recorded in the open window. */
  get windowSteps(): number {
    return this.steps;
  }

  /** The path the open window runs on ('wasm': the kernel in the tfjs heap), or null before its first step. */
  get path(): 'wasm' | 'js' | null {
    return this.steps === 0 ? null : this.onHeap ? 'wasm' : 'js';
  }

  /** Records one step's update Δ (flat, all parameters). Returns false if Δ held a non-finite value (in this window so far). */
  step(delta: Float32Array): boolean {
    if (delta.length < this.size) throw new Error(`Δ has ${delta.length} values but the layout needs ${this.size}`);
    if (this.steps === 0) this.onHeap = this.bindHeap(delta);
    this.steps++;
    let finite = true;
    if (this.onHeap) {
      const h = this.heap!;
      let address = delta.byteOffset;
      if (delta.buffer !== h.kernel.memory.buffer) {
        // Δ from outside the heap in a window that started on it: stage a copy (rare; run.ts never does this).
        new Float32Array(h.kernel.memory.buffer, h.staging, this.size).set(delta.subarray(0, this.size));
        address = h.staging;
      }
      for (const a of h.acc) finite = a.w.add(address) && a.b.add(address) && finite;
    } else {
      const bits = new Int32Array(delta.buffer, delta.byteOffset, delta.length);
      for (const a of this.js) finite = a.w.add(delta, bits) && a.b.add(delta, bits) && finite;
    }
    return finite;
  }

  /** Chooses the window's path: true (WASM kernel) when Δ lives in a tfjs heap the kernel can run in. */
  private bindHeap(delta: Float32Array): boolean {
    if (this.heap && delta.buffer === this.heap.kernel.memory.buffer) return true;
    const kernel = kernelForBuffer(delta.buffer);
    if (!kernel) return false;
    if (this.heap?.kernel !== kernel) {
      this.dispose();
      this.heap = {
        kernel,
        acc: this.layout.map((l) => ({
          w: new HeapTensorAccumulator(kernel, l.wOffset, l.fanIn, l.units),
          b: new HeapTensorAccumulator(kernel, l.bOffset, 1, l.units),
        })),
        staging: kernel.malloc(4 * this.size),
      };
    }
    return true;
  }

  /** Closes the open window, returns its statistics and starts a new one. `deadUnits[l]` is per layer (null when not measured). */
  closeWindow(deadUnits: readonly (number | null)[] = []): WindowRecord {
    const acc: Pair<JsTensorAccumulator | HeapTensorAccumulator>[] = this.onHeap ? this.heap!.acc : this.js;
    const steps = this.steps;
    const w: WindowRecord = {
      index: this.windows++,
      startStep: this.startStep,
      endStep: this.startStep + steps,
      layers: this.layout.map((l, i) => ({
        layer: l.name,
        units: l.units,
        weights: finish(acc[i].w.sums(), l.fanIn, l.units, steps, this.options.tau),
        biases: finish(acc[i].b.sums(), 1, l.units, steps, this.options.tau),
        deadUnits: deadUnits[i] ?? null,
      })),
    };
    for (const a of acc) {
      a.w.reset();
      a.b.reset();
    }
    this.steps = 0;
    this.startStep = w.endStep;
    this.onHeap = false;
    return w;
  }

  /** Frees the recorder's state in the tfjs heap (the open window's WASM-path sums are lost); the recorder stays usable. */
  dispose(): void {
    if (!this.heap) return;
    for (const a of this.heap.acc) {
      a.w.dispose();
      a.b.dispose();
    }
    this.heap.kernel.free(this.heap.staging);
    this.heap = null;
    if (this.onHeap) {
      this.onHeap = false;
      this.steps = 0;
    }
  }
}

/** Mean fluctuation of a layer's neurons, a convenience for summaries. */
export function meanNeuronFluctuation(t: TensorFluctuation): number {
  return mean(t.neuronFluctuation);
}

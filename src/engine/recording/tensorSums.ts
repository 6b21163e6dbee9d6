/**
 * One tensor's running sums over a recording window and the statistics they give when it closes: the sums both
 * recorder paths keep (TensorSums), the JS path's accumulator (the WASM path's is wasm/heapAccumulator.ts, the same
 * bits), and `finish`, which turns either's sums into a TensorFluctuation.
 */
import { BIN_COUNT, BIN_LUT } from './histogram.js';
import { participatingCount, participationRatio, spreadOfSpread, stdFromSums } from './metrics.js';
import { columnTotal } from './scaleFree.js';
import type { TensorFluctuation } from '../../contract/windowRecord.js';

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
export class JsTensorAccumulator {
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

  constructor(
    readonly offset: number,
    readonly rows: number,
    readonly cols: number,
  ) {
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

  /** The last step's Σ Δ² (its per-column sums added in index order; the WASM path's stepSquares gives the same bits). */
  stepSquares(): number {
    return columnTotal(this.colSq, this.cols);
  }

  /** The window's sums so far. */
  sums(): TensorSums {
    return {
      sumAbs: this.sumAbs,
      sum: this.sum,
      min: floatOfKey(this.minKey),
      max: floatOfKey(this.maxKey),
      maxBits: this.maxBits,
      neuronSq: this.neuronSq.slice(),
      positionSum: this.positionSum.slice(),
      positionSumSq: this.positionSumSq.slice(),
      hist: this.hist.slice(),
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
export function finish(s: TensorSums, rows: number, cols: number, steps: number, tau: number): TensorFluctuation {
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
  // s_j and S are standard deviations over the window's steps: a window of fewer than 2 steps defines neither
  const spread = steps >= 2;
  const sos = spread ? spreadOfSpread(sp) : { S: null, cv: null };
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
    neuronSpread: spread ? sp : sp.map(() => null),
    spreadOfSpread: sos.S,
    spreadCv: sos.cv,
    participating: participatingCount(f, tau),
    participationRatio: pr,
    effectiveNeurons: pr * cols,
    histogram: Array.from(s.hist),
  };
}

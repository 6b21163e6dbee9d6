/**
 * The fluctuation recorder: fed the exact update Δ_t = θ_t − θ_{t−1} that the
 * optimizer applied at every step, it keeps per-window running sums for every
 * layer's weights and biases and turns them into fluctuation statistics when a
 * window closes.
 *
 * Δ arrives as one flat float32 array over all parameters (the layout of
 * ParamLayout), so the whole recorder is one pass over the array per step: no
 * per-tensor backend ops, no snapshots.
 *
 *     const rec = new Recorder(layout, { tau: 0.1 });
 *     rec.step(delta);            // after every optimizer step
 *     const w = rec.closeWindow(); // per epoch, or every K steps
 */
import { BIN_COUNT, BIN_LUT } from './histogram.js';
import { mean, participatingCount, participationRatio, spreadOfSpread, stdFromSums } from './metrics.js';

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
  layers: LayerWindow[];
}

class TensorAccumulator {
  sumAbs = 0;
  sumSq = 0;
  maxAbs = 0;
  readonly neuronSq: Float64Array;
  /** c_j: Σ over the window so far of mean fan-in Δ (the trajectory relative to the window start) */
  readonly position: Float64Array;
  readonly positionSum: Float64Array;
  readonly positionSumSq: Float64Array;
  readonly stepSum: Float64Array;
  readonly hist = new Float64Array(BIN_COUNT);

  constructor(readonly offset: number, readonly rows: number, readonly cols: number) {
    this.neuronSq = new Float64Array(cols);
    this.position = new Float64Array(cols);
    this.positionSum = new Float64Array(cols);
    this.positionSumSq = new Float64Array(cols);
    this.stepSum = new Float64Array(cols);
  }

  /** Adds one step. Hot path: one pass, no allocation, no branches but the max. */
  add(f: Float32Array, bits: Int32Array): void {
    const { rows, cols, neuronSq, stepSum, hist } = this;
    const lut = BIN_LUT;
    let sumAbs = 0;
    let sumSq = 0;
    let maxAbs = this.maxAbs;
    stepSum.fill(0);
    for (let i = 0; i < rows; i++) {
      const base = this.offset + i * cols;
      for (let j = 0; j < cols; j++) {
        const d = f[base + j];
        const a = Math.abs(d);
        const sq = d * d;
        sumAbs += a;
        sumSq += sq;
        if (a > maxAbs) maxAbs = a;
        neuronSq[j] += sq;
        stepSum[j] += d;
        hist[lut[bits[base + j] >>> 16]]++;
      }
    }
    this.sumAbs += sumAbs;
    this.sumSq += sumSq;
    this.maxAbs = maxAbs;
    const { position, positionSum, positionSumSq } = this;
    for (let j = 0; j < cols; j++) {
      const p = position[j] + stepSum[j] / rows;
      position[j] = p;
      positionSum[j] += p;
      positionSumSq[j] += p * p;
    }
  }

  finish(steps: number, tau: number): TensorFluctuation {
    const n = steps * this.rows * this.cols;
    const f: number[] = [];
    const s: number[] = [];
    for (let j = 0; j < this.cols; j++) {
      f.push(steps > 0 ? Math.sqrt(this.neuronSq[j] / (steps * this.rows)) : 0);
      s.push(stdFromSums(this.positionSum[j], this.positionSumSq[j], steps));
    }
    const sos = spreadOfSpread(s);
    const pr = participationRatio(f);
    return {
      meanAbs: n > 0 ? this.sumAbs / n : 0,
      rms: n > 0 ? Math.sqrt(this.sumSq / n) : 0,
      maxAbs: this.maxAbs,
      neuronFluctuation: f,
      neuronSpread: s,
      spreadOfSpread: sos.S,
      spreadCv: sos.cv,
      participating: participatingCount(f, tau),
      participationRatio: pr,
      effectiveNeurons: pr * this.cols,
      histogram: Array.from(this.hist),
    };
  }
}

/** Options of the recorder. */
export interface RecorderOptions {
  /** participation threshold τ (fraction of the layer's mean fluctuation) */
  tau: number;
}

/** Accumulates fluctuation statistics step by step and emits them per window. */
export class Recorder {
  private acc: { w: TensorAccumulator; b: TensorAccumulator }[] = [];
  private steps = 0;
  private startStep = 0;
  private windows = 0;

  constructor(readonly layout: readonly LayerLayout[], readonly options: RecorderOptions) {
    this.reset(0);
  }

  private reset(startStep: number): void {
    this.acc = this.layout.map((l) => ({
      w: new TensorAccumulator(l.wOffset, l.fanIn, l.units),
      b: new TensorAccumulator(l.bOffset, 1, l.units),
    }));
    this.steps = 0;
    this.startStep = startStep;
  }

  /** Number of steps recorded in the open window. */
  get windowSteps(): number {
    return this.steps;
  }

  /** Records one step's update Δ (flat, all parameters). Returns false if Δ held a non-finite value. */
  step(delta: Float32Array): boolean {
    const bits = new Int32Array(delta.buffer, delta.byteOffset, delta.length);
    for (const a of this.acc) {
      a.w.add(delta, bits);
      a.b.add(delta, bits);
    }
    this.steps++;
    // NaN and ±Infinity propagate into the sums, so one check per window-to-date covers every element.
    for (const a of this.acc) if (!Number.isFinite(a.w.sumSq + a.b.sumSq)) return false;
    return true;
  }

  /** Closes the open window, returns its statistics and starts a new one. `deadUnits[l]` is per layer (null when not measured). */
  closeWindow(deadUnits: readonly (number | null)[] = []): WindowRecord {
    const w: WindowRecord = {
      index: this.windows++,
      startStep: this.startStep,
      endStep: this.startStep + this.steps,
      layers: this.layout.map((l, i) => ({
        layer: l.name,
        units: l.units,
        weights: this.acc[i].w.finish(this.steps, this.options.tau),
        biases: this.acc[i].b.finish(this.steps, this.options.tau),
        deadUnits: deadUnits[i] ?? null,
      })),
    };
    this.reset(w.endStep);
    return w;
  }
}

/** Mean fluctuation of a layer's neurons, a convenience for summaries. */
export function meanNeuronFluctuation(t: TensorFluctuation): number {
  return mean(t.neuronFluctuation);
}

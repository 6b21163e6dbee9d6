/**
 * The fluctuation recorder: fed the exact update Δ_t = θ_t − θ_{t−1} that the
 * optimizer applied at every step, it keeps per-window running sums for every
 * layer's weights and biases and turns them into fluctuation statistics when a
 * window closes.
 *
 * Δ arrives as one flat float32 array over all parameters (the layout of
 * LayerLayout, windowRecord.ts), so the whole recorder is one pass over the array per step: no
 * per-tensor backend ops, no snapshots. When Δ is a view into the tfjs WASM heap
 * (run.ts passes heapView(delta)) that pass is a SIMD WebAssembly kernel reading
 * Δ in place (wasm/recorder.wat, ~0.1 ms a step for 109k parameters against
 * ~0.8 ms in JS); otherwise the JS loop of tensorSums.ts computes the same bits.
 *
 * With the learning rate of each step and θ at each window's end it also gives the measures free of η's scale
 * (scaleFree.ts): the effective step RMS Δ/η_t, the weight norm and the update-to-weight ratio.
 *
 *     const rec = new Recorder(layout, { tau: 0.1 });
 *     rec.step(delta, lr);                 // after every optimizer step, with the η_t it used
 *     const w = rec.closeWindow([], theta); // per epoch, or every K steps
 */
import { mean } from './metrics.js';
import { columnNormsSq, columnTotal, effectiveRms, updateRatio } from './scaleFree.js';
import { finish, JsTensorAccumulator, type TensorSums } from './tensorSums.js';
import { HeapTensorAccumulator } from './wasm/heapAccumulator.js';
import { kernelForBuffer, type RecorderKernel } from './wasm/recorderKernel.js';
import type { LayerLayout, TensorFluctuation, WindowRecord } from '../../contract/windowRecord.js';

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
  /** per tensor (layer l: 2l weights, 2l + 1 biases): Σ over the window's steps with η_t > 0 of Σ Δ_t² / η_t² */
  private readonly effSq: Float64Array;
  /** the window's steps with η_t > 0 */
  private effSteps = 0;
  private startStep = 0;
  private windows = 0;

  constructor(
    readonly layout: readonly LayerLayout[],
    readonly options: RecorderOptions,
  ) {
    for (const l of layout) {
      if (l.fanIn < 1 || l.units < 1) throw new Error(`layer ${l.name} has no parameters (${l.fanIn} × ${l.units})`);
    }
    this.js = layout.map((l) => ({
      w: new JsTensorAccumulator(l.wOffset, l.fanIn, l.units),
      b: new JsTensorAccumulator(l.bOffset, 1, l.units),
    }));
    this.effSq = new Float64Array(2 * layout.length);
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

  /**
   * Records one step's update Δ (flat, all parameters) made at learning rate `lr` (η_t; without it, or at η_t ≤ 0, the
   * step is left out of the effective step RMS). Returns false if Δ held a non-finite value (in this window so far).
   */
  step(delta: Float32Array, lr?: number): boolean {
    if (delta.length < this.size) throw new Error(`Δ has ${delta.length} values but the layout needs ${this.size}`);
    if (this.steps === 0) {
      const { byteOffset, length } = delta;
      this.onHeap = this.bindHeap(delta);
      // binding allocates the sums in the heap (Δ is a view into it on this path), which may grow its memory and
      // detach that view: take Δ's view of the grown memory again
      const memory = this.heap?.kernel.memory;
      if (this.onHeap && memory && delta.buffer !== memory.buffer)
        delta = new Float32Array(memory.buffer, byteOffset, length);
    }
    this.steps++;
    let finite = true;
    let acc: Pair<JsTensorAccumulator | HeapTensorAccumulator>[];
    if (this.onHeap) {
      const h = this.heap!;
      acc = h.acc;
      let address = delta.byteOffset;
      if (delta.buffer !== h.kernel.memory.buffer) {
        // Δ from outside the heap in a window that started on it: stage a copy (rare; run.ts never does this).
        new Float32Array(h.kernel.memory.buffer, h.staging, this.size).set(delta.subarray(0, this.size));
        address = h.staging;
      }
      for (const a of h.acc) finite = a.w.add(address) && a.b.add(address) && finite;
    } else {
      acc = this.js;
      const bits = new Int32Array(delta.buffer, delta.byteOffset, delta.length);
      for (const a of this.js) finite = a.w.add(delta, bits) && a.b.add(delta, bits) && finite;
    }
    // Σ Δ²/η_t² from the step's per-column sums the pass just formed (both paths hold the same bits); no second pass.
    if (finite && lr !== undefined && lr > 0 && Number.isFinite(lr)) {
      const lr2 = lr * lr;
      acc.forEach((a, l) => {
        this.effSq[2 * l] += a.w.stepSquares() / lr2;
        this.effSq[2 * l + 1] += a.b.stepSquares() / lr2;
      });
      this.effSteps++;
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

  /**
   * Closes the open window, returns its statistics and starts a new one. `deadUnits[l]` is per layer (null when not
   * measured); `theta`, the flat parameters after the window's last step (the layout of Δ), gives each tensor's weight
   * norm and update-to-weight ratios (left out without it).
   */
  closeWindow(deadUnits: readonly (number | null)[] = [], theta?: ArrayLike<number>): WindowRecord {
    const acc: Pair<JsTensorAccumulator | HeapTensorAccumulator>[] = this.onHeap ? this.heap!.acc : this.js;
    const steps = this.steps;
    const tensor = (sums: TensorSums, k: number, offset: number, rows: number, cols: number, weights: boolean) => {
      const t = finish(sums, rows, cols, steps, this.options.tau);
      t.effectiveRms = effectiveRms(this.effSq[k], this.effSteps, rows * cols);
      if (theta) {
        const normSq = columnNormsSq(theta, offset, rows, cols);
        const total = columnTotal(normSq, cols);
        t.weightNorm = Math.sqrt(total);
        t.updateRatio = updateRatio(t.sumSquares!, steps, total);
        // per neuron for weights only: a bias is one value per neuron (and starts at 0), so its ratio says little
        if (weights) t.neuronUpdateRatio = Array.from(normSq, (n, j) => updateRatio(sums.neuronSq[j], steps, n));
      }
      return t;
    };
    const w: WindowRecord = {
      index: this.windows++,
      startStep: this.startStep,
      endStep: this.startStep + steps,
      layers: this.layout.map((l, i) => ({
        layer: l.name,
        units: l.units,
        weights: tensor(acc[i].w.sums(), 2 * i, l.wOffset, l.fanIn, l.units, true),
        biases: tensor(acc[i].b.sums(), 2 * i + 1, l.bOffset, 1, l.units, false),
        deadUnits: deadUnits[i] ?? null,
      })),
    };
    for (const a of acc) {
      a.w.reset();
      a.b.reset();
    }
    this.effSq.fill(0);
    this.effSteps = 0;
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
      this.effSq.fill(0);
      this.effSteps = 0;
    }
  }
}

/** Mean fluctuation of a layer's neurons, a convenience for summaries. */
export function meanNeuronFluctuation(t: TensorFluctuation): number {
  return mean(t.neuronFluctuation);
}

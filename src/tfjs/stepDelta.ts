/**
 * The step's Δ of a model's trainable weights, read from their memory: θ_{t−1} is kept in a flat vector of the
 * recorder's layout (weightLayout.ts), and after step t each weight's values are read in place (on the WASM backend a
 * view into tfjs's heap, tfjsWasm.ts: no copy to JavaScript; elsewhere `dataSync`), Δ_t = θ_t − θ_{t−1} is written
 * beside θ, and θ_t replaces θ_{t−1}. That is exactly the change the optimizer made, whatever the optimizer: float32
 * subtraction of the values before and after, as `tf.sub(after, before)` would give it.
 *
 * On the WASM backend both vectors live in tfjs's heap too, so the recorder's SIMD kernel reads Δ where it lies.
 *
 *     const reader = new StepDelta(variables, plan);
 *     reader.snapshot();                 // at the start of training
 *     const { delta, theta } = reader.step(); // after every optimizer step: views valid until the next tf op
 */
import type * as tf from '@tensorflow/tfjs-core';
import { activeHeap, heapView, type TfjsHeap } from '../engine/kernels/tfjsWasm.js';
import type { WeightPlan } from './weightLayout.js';

/** A weight as the reader needs it: its current value (tfjs-layers' LayerVariable.read()). */
export interface WeightSource {
  read(): tf.Tensor;
}

/** Keeps θ_{t−1} and forms each step's Δ. */
export class StepDelta {
  private heap: TfjsHeap | null = null;
  private thetaPtr = 0;
  private deltaPtr = 0;
  private js: { theta: Float32Array; delta: Float32Array } | null = null;

  constructor(
    private readonly weights: readonly WeightSource[],
    private readonly plan: WeightPlan,
  ) {}

  /** The two vectors (θ, Δ) as views: in the heap of the active WASM backend, else JS arrays of their own. */
  private buffers(): { theta: Float32Array; delta: Float32Array } {
    const heap = activeHeap();
    if (heap && heap.memory !== this.heap?.memory) {
      this.dispose();
      const bytes = 4 * this.plan.size;
      this.thetaPtr = heap.malloc(bytes);
      this.deltaPtr = heap.malloc(bytes);
      // the zero stretch (biases that never move) and θ start at 0
      new Uint8Array(heap.memory.buffer, this.thetaPtr, bytes).fill(0);
      new Uint8Array(heap.memory.buffer, this.deltaPtr, bytes).fill(0);
      this.heap = heap;
    }
    if (heap) {
      const buffer = heap.memory.buffer;
      return {
        theta: new Float32Array(buffer, this.thetaPtr, this.plan.size),
        delta: new Float32Array(buffer, this.deltaPtr, this.plan.size),
      };
    }
    if (this.heap) this.dispose();
    this.js ??= { theta: new Float32Array(this.plan.size), delta: new Float32Array(this.plan.size) };
    return this.js;
  }

  /** Reads every weight into θ (the start of training, or after weights were set outside a step). */
  snapshot(): void {
    const { theta } = this.buffers();
    for (const [i, w] of this.weights.entries()) theta.set(heapView(w.read()), this.plan.places[i]);
  }

  /** Forms Δ_t from the weights now and θ_{t−1}, and keeps θ_t. The views hold until the next tf operation. */
  step(): { delta: Float32Array; theta: Float32Array } {
    // the views are taken once: reading a weight's view (heapView) allocates nothing, so the heap cannot grow under them
    const views = this.buffers();
    const { theta, delta } = views;
    this.weights.forEach((w, i) => {
      const now = heapView(w.read());
      const at = this.plan.places[i];
      for (let k = 0; k < now.length; k++) {
        const v = now[k];
        delta[at + k] = v - theta[at + k];
        theta[at + k] = v;
      }
    });
    return views;
  }

  /** θ after the last step, as a view valid until the next tf operation. */
  theta(): Float32Array {
    return this.buffers().theta;
  }

  /** Frees the vectors in the heap (a later step allocates them again). */
  dispose(): void {
    if (this.heap) {
      this.heap.free(this.thetaPtr);
      this.heap.free(this.deltaPtr);
      this.heap = null;
    }
  }
}

/**
 * Dead units of a tfjs-layers model on a probe batch the user passes: per dense or convolution layer (a record layer
 * with neurons, weightLayout.ts), the units whose output, its activation included, is 0 on every example of the batch
 * (and, for a convolution, at every position). The output layer's are null, as in fluctlab's own records: a softmax
 * unit is never 0. The outputs come from one model over the same inputs whose outputs are those layers'.
 */
import * as tf from '@tensorflow/tfjs-core';
import { model as functionalModel, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { WeightPlan } from './weightLayout.js';

/** Counts dead units on `probe` at a window's end. */
export class DeadUnitProbe {
  private readonly outputs: LayersModel | null;
  /** per record layer: its index among the probe model's outputs, or −1 (no neurons, or the output layer) */
  private readonly slot: number[];

  constructor(
    model: LayersModel,
    plan: WeightPlan,
    private readonly probe: tf.Tensor,
  ) {
    const last = model.layers.length - 1;
    const wanted: SymbolicTensor[] = [];
    this.slot = plan.layout.map((_, i) => {
      const layer = model.layers[plan.source[i]];
      if (!plan.neurons[i] || plan.source[i] === last) return -1;
      wanted.push(layer.output as SymbolicTensor);
      return wanted.length - 1;
    });
    this.outputs = wanted.length > 0 ? functionalModel({ inputs: model.inputs, outputs: wanted }) : null;
  }

  /** Per record layer: its dead units on the probe batch now, or null where they are not counted. */
  count(): (number | null)[] {
    if (!this.outputs) return this.slot.map(() => null);
    const counts = tf.tidy(() => {
      const out = this.outputs!.predict(this.probe);
      const list = Array.isArray(out) ? out : [out];
      return list.map((t) => {
        const units = t.shape.at(-1)!;
        const peak = tf.max(tf.abs(tf.reshape(t, [-1, units])), 0);
        return tf.sum(tf.cast(tf.equal(peak, 0), 'int32'));
      });
    });
    const values = counts.map((c) => c.dataSync()[0]);
    tf.dispose(counts);
    return this.slot.map((s) => (s < 0 ? null : values[s]));
  }
}

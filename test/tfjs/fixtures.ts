/**
 * Test fixtures for fluctlab/tfjs: a tiny tfjs-layers CNN with every kind of weight the recorder lays out (a
 * convolution's channels, a normalisation's tensors without neurons, a dense layer without bias, a dense output), its
 * seeded data, and a callback that reads every trainable weight before and after each step.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { nodeEnvironment } from '../../src/sweep/nodeBackend.js';

export { tf, tfl };

/** The WASM backend of this thread, as fluctlab's own runs use it. */
export const wasmBackend = () => nodeEnvironment();

const seeded = (seed: number) => tfl.initializers.glorotUniform({ seed });

/** conv 3×3×3 (relu) → batch norm → flatten → dense 4 without bias (relu) → dense 3 (softmax); SGD at `lr`. */
export function tinyCnn(lr = 0.1, seed = 1): tfl.LayersModel {
  const model = tfl.sequential({ name: 'tiny' });
  model.add(
    tfl.layers.conv2d({
      name: 'conv',
      inputShape: [6, 6, 1],
      filters: 3,
      kernelSize: 3,
      activation: 'relu',
      kernelInitializer: seeded(seed),
    }),
  );
  model.add(tfl.layers.batchNormalization({ name: 'norm' }));
  model.add(tfl.layers.flatten());
  model.add(
    tfl.layers.dense({
      name: 'hidden',
      units: 4,
      activation: 'relu',
      useBias: false,
      kernelInitializer: seeded(seed + 1),
    }),
  );
  model.add(tfl.layers.dense({ name: 'out', units: 3, activation: 'softmax', kernelInitializer: seeded(seed + 2) }));
  model.compile({ optimizer: tf.train.sgd(lr), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** 16 seeded 6×6 images in 3 classes. */
export function tinyData(): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const x = tf.randomUniform([16, 6, 6, 1], 0, 1, 'float32', 7) as tf.Tensor4D;
  const labels = tf.tensor1d(
    Array.from({ length: 16 }, (_, i) => i % 3),
    'int32',
  );
  return { x, y: tf.oneHot(labels, 3) as tf.Tensor2D };
}

/** Reads every trainable weight (by its tfjs name) before and after each step, and each step's loss. */
export class StepReader extends tfl.Callback {
  readonly before: Map<string, Float32Array>[] = [];
  readonly after: Map<string, Float32Array>[] = [];
  readonly losses: number[] = [];

  private read(): Map<string, Float32Array> {
    const m = (this.model as tfl.LayersModel).trainableWeights;
    return new Map(m.map((w) => [w.name, w.read().dataSync().slice() as Float32Array]));
  }

  override async onBatchBegin(): Promise<void> {
    this.before.push(this.read());
  }

  override async onBatchEnd(_batch: number, logs?: Record<string, unknown>): Promise<void> {
    this.after.push(this.read());
    const loss = logs?.loss as number | tf.Scalar;
    this.losses.push(typeof loss === 'number' ? loss : loss.dataSync()[0]);
  }

  /** Step `s`'s Δ of the weight named `name` (after − before, in float32). */
  delta(s: number, name: string): Float32Array {
    const a = this.after[s].get(name)!;
    const b = this.before[s].get(name)!;
    return Float32Array.from(a, (v, i) => v - b[i]);
  }
}

/** The tfjs name of a layer's weight (`conv/kernel` is stored as e.g. `conv/kernel`). */
export function weightName(model: tfl.LayersModel, layer: string, weight: string): string {
  return model.getLayer(layer).trainableWeights.find((w) => w.name.split('/').pop()!.startsWith(weight))!.name;
}

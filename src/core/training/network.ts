/**
 * A dense network (MLP or MLP autoencoder) whose parameters live in one flat
 * tfjs variable and whose backward pass is written out by hand.
 *
 * Why by hand: tfjs-wasm sends transposed matmuls (Xᵀ·dY, dY·Wᵀ, used by every
 * dense layer's gradient) to a slow scalar path (5.4 ms for the first layer
 * here) while an explicit transpose followed by a plain matmul goes to XNNPACK
 * (0.6 ms). Owning the gradient fixes that once for every model built from
 * this class, and the flat layout lets the optimizer and the recorder see the
 * whole update Δ as one array.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerLayout } from '../analysis/recorder.js';
import { Rng } from '../rng.js';

/** Output head: softmax with cross-entropy (classifier) or sigmoid with mean squared error (autoencoder). */
export type OutputKind = 'softmax' | 'sigmoid';

/** Layer sizes from input to output, e.g. [784, 128, 64, 10], and the output head. */
export interface NetworkShape {
  sizes: number[];
  output: OutputKind;
}

/** Layer names used in records: dense1, dense2, … */
export function layerLayout(sizes: readonly number[]): LayerLayout[] {
  const layout: LayerLayout[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l];
    const units = sizes[l + 1];
    layout.push({ name: `dense${l + 1}`, fanIn, units, wOffset: offset, bOffset: offset + fanIn * units });
    offset += fanIn * units + units;
  }
  return layout;
}

/** Total number of parameters of a layout. */
export function parameterCount(layout: readonly LayerLayout[]): number {
  const last = layout[layout.length - 1];
  return last.bOffset + last.units;
}

/**
 * Glorot-uniform weights, U(−√(6/(fanIn+fanOut)), +√(6/(fanIn+fanOut))), and zero
 * biases, drawn from our own generator so that a seed means the same network
 * everywhere. The limit keeps activation variance roughly equal across layers.
 */
export function glorotInit(layout: readonly LayerLayout[], rng: Rng): Float32Array {
  const theta = new Float32Array(parameterCount(layout));
  for (const l of layout) {
    const limit = Math.sqrt(6 / (l.fanIn + l.units));
    for (let i = 0; i < l.fanIn * l.units; i++) theta[l.wOffset + i] = (2 * rng.uniform() - 1) * limit;
  }
  return theta;
}

/** Result of one forward/backward pass. */
export interface Gradient {
  /** flat gradient of the mean loss, in the layout's order */
  grad: tf.Tensor1D;
  /** network output before the head's nonlinearity (logits), or after it (sigmoid reconstruction) */
  output: tf.Tensor2D;
  /** mean loss of the batch as a scalar tensor (sigmoid head only; the softmax loss is computed from the logits on the CPU) */
  loss: tf.Scalar | null;
}

/** A dense ReLU network with a flat parameter vector and a hand-written backward pass. */
export class DenseNetwork {
  readonly layout: LayerLayout[];
  readonly paramCount: number;
  readonly theta: tf.Variable<tf.Rank.R1>;

  constructor(readonly shape: NetworkShape, rng: Rng) {
    this.layout = layerLayout(shape.sizes);
    this.paramCount = parameterCount(this.layout);
    this.theta = tf.variable(tf.tensor1d(glorotInit(this.layout, rng)), false, undefined, 'float32') as tf.Variable<tf.Rank.R1>;
  }

  /** Per-layer weight and bias tensors sliced out of θ (call inside tf.tidy). */
  params(): { W: tf.Tensor2D; b: tf.Tensor1D }[] {
    return this.layout.map((l) => ({
      W: tf.reshape(tf.slice(this.theta, l.wOffset, l.fanIn * l.units), [l.fanIn, l.units]) as tf.Tensor2D,
      b: tf.slice(this.theta, l.bOffset, l.units),
    }));
  }

  /** Forward pass: returns every layer's activation, the last one before the head's nonlinearity (call inside tf.tidy). */
  forward(x: tf.Tensor2D, params = this.params()): tf.Tensor2D[] {
    const acts: tf.Tensor2D[] = [];
    let a = x;
    params.forEach((p, l) => {
      const hidden = l < params.length - 1;
      a = tf.fused.matMul({ a, b: p.W, bias: p.b, activation: hidden ? 'relu' : 'linear' }) as tf.Tensor2D;
      acts.push(a);
    });
    return acts;
  }

  /**
   * Gradient of the mean batch loss. `xT` is the batch already transposed
   * (features × batch), so the first layer's weight gradient is a plain matmul.
   * `target` is one-hot labels (softmax) or the target images (sigmoid).
   */
  gradient(x: tf.Tensor2D, xT: tf.Tensor2D, target: tf.Tensor2D): Gradient {
    const params = this.params();
    const acts = this.forward(x, params);
    const z = acts[acts.length - 1];
    const n = x.shape[0];
    let dz: tf.Tensor2D;
    let output = z;
    let loss: tf.Scalar | null = null;
    if (this.shape.output === 'softmax') {
      dz = tf.mul(tf.sub(tf.softmax(z), target), 1 / n);
    } else {
      output = tf.sigmoid(z);
      const diff = tf.sub(output, target);
      const count = n * z.shape[1];
      loss = tf.mul(tf.sum(tf.square(diff)), 1 / count) as tf.Scalar;
      // d/dz of mean((σ(z)−t)²) = 2(σ−t)·σ(1−σ)/count
      dz = tf.mul(tf.mul(diff, tf.mul(output, tf.sub(1, output))), 2 / count);
    }
    const grads: tf.Tensor1D[] = new Array(this.layout.length * 2);
    for (let l = this.layout.length - 1; l >= 0; l--) {
      const inputT = l === 0 ? xT : tf.transpose(acts[l - 1]);
      grads[2 * l] = tf.reshape(tf.matMul(inputT, dz), [-1]);
      grads[2 * l + 1] = tf.sum(dz, 0);
      if (l > 0) {
        const da = tf.matMul(dz, tf.transpose(params[l].W));
        dz = tf.mul(da, tf.step(acts[l - 1]));
      }
    }
    return { grad: tf.concat(grads), output, loss };
  }

  /** Hidden activations on a batch, for dead-unit counts (call inside tf.tidy). */
  hiddenActivations(x: tf.Tensor2D): tf.Tensor2D[] {
    return this.forward(x).slice(0, -1);
  }

  /** Frees the parameter variable. */
  dispose(): void {
    this.theta.dispose();
  }
}

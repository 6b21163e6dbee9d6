/**
 * A network compiled from a model spec (modelPlan.ts) whose parameters live in one flat tfjs variable (their initial
 * values and the input's standardization: networkInit.ts) and whose backward pass is written out by hand, layer by
 * layer: dense, conv2d, max and average pools, flatten and the activations.
 *
 * Why by hand: tfjs-wasm sends transposed matmuls (Xᵀ·dY, dY·Wᵀ, used by every layer's gradient) to a slow scalar
 * path, packs a fresh XNNPACK operator for every product whose weights are new (every step), has no
 * Conv2DBackpropFilter, and runs Conv2DBackpropInput in a scalar loop. Here every dense product, forward and
 * backward, is one of gemm.ts's kernels reading the layer straight out of θ, and a conv layer is a dense layer on its
 * receptive fields (convLayer.ts: read from the padded input where the tiles fit, else written out by im2col; the
 * weight gradient reads them again; col2im takes the input gradient back: convKernels.ts). The flat
 * layout lets the optimizer and the recorder see the whole update Δ as one array, and each layer's gradient (weights,
 * then biases) is already its part of that layout.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LayerLayout } from '../../contract/windowRecord.js';
import type { ChannelStats } from '../../contract/record.js';
import type { Arithmetic } from '../../contract/config.js';
import type { Rng } from '../rng.js';
import { activate, activationGrad } from './activations.js';
import { maxPool, maxPoolGrad } from '../kernels/convKernels.js';
import { convInputGrad } from '../kernels/convInputGrad.js';
import { type ConvKept, convLayerForward, convLayerGrad } from './convLayer.js';
import { dense, denseGrad, inputGrad, type Runs } from '../kernels/gemm.js';
import type { Activation } from '../../contract/modelSpec.js';
import { type ModelPlan, type Op, poolTakesRelu } from './modelPlan.js';
import type { Window2d } from '../kernels/convKernels.js';
import { glorotInit, perFeature } from './networkInit.js';

/** Result of one forward/backward pass. */
export interface Gradient {
  /** flat gradient of the mean loss, in the layout's order */
  grad: tf.Tensor1D;
  /** network output before the head's nonlinearity (logits), or after it (sigmoid reconstruction) */
  output: tf.Tensor2D;
  /** mean loss of the batch (sigmoid head only; the softmax loss is computed from the logits on the CPU): a scalar, or one per run of a group */
  loss: tf.Tensor | null;
}

/** What the forward pass keeps of one op for the backward pass. */
interface Trace {
  input: tf.Tensor;
  /** the activated output (for relu, tanh, sigmoid derivatives and pools) */
  output: tf.Tensor;
  /** before the activation (gelu's derivative needs it) */
  pre: tf.Tensor | null;
  /** what a conv layer's weight gradient reads again: its receptive fields or its padded input (convLayer.ts) */
  kept?: ConvKept;
}

const poolAttrs = (g: Window2d) =>
  ({ filterSize: [g.kh, g.kw], strides: [g.stride, g.stride], pad: 'valid' }) as unknown as tf.NamedAttrMap;

/**
 * A network with a flat parameter vector and a hand-written backward pass. With `runs` > 1 it is a fused group: that
 * many copies of the same initial parameters, one after another in θ, trained on the same batch with their own
 * learning rates; every op computes each run's elements exactly as a network of one run would (the products run per
 * run in one kernel, the elementwise ops and row-wise softmax see each element or row alone), so each run's bits are
 * those of training it alone.
 */
export class Network {
  readonly layout: LayerLayout[];
  readonly paramCount: number;
  theta: tf.Variable<tf.Rank.R1>;
  private group: Runs;
  /** per input feature, the training set's channel mean and std (a plan that standardizes) */
  private readonly norm: { mean: tf.Tensor1D; std: tf.Tensor1D } | null;

  /** `inputStats`: the training set's channel statistics, which a plan that starts with `standardize` needs. */
  constructor(
    readonly plan: ModelPlan,
    rng: Rng,
    runs = 1,
    readonly inputStats: ChannelStats | null = null,
    readonly arithmetic: Arithmetic = 'exact',
  ) {
    if (runs > 1 && !plan.fusable)
      throw new Error('only dense models train fused: conv and pool layers run one run at a time');
    if (plan.standardize && inputStats?.mean.length !== plan.input.channels)
      throw new Error(
        `this model standardizes its input: give the network the training set's channelStats of its ${plan.input.channels} channels`,
      );
    this.layout = plan.layout;
    this.paramCount = plan.paramCount;
    const init = glorotInit(this.layout, plan.initLimits, rng);
    const theta = new Float32Array(init.length * runs);
    for (let r = 0; r < runs; r++) theta.set(init, r * init.length);
    this.theta = tf.variable(tf.tensor1d(theta), false, undefined, 'float32') as tf.Variable<tf.Rank.R1>;
    this.group = { runs, stride: this.paramCount, fma: arithmetic === 'fma' };
    this.norm = plan.standardize && inputStats ? perFeature(inputStats, plan.input.rows * plan.input.cols) : null;
  }

  /** Runs trained side by side (1: a network of its own). */
  get runs(): number {
    return this.group.runs;
  }

  /** Keeps only the runs at `indices` (a run that diverged leaves the group); their parameters are copied unchanged. */
  keepRuns(indices: readonly number[]): void {
    const kept = tf.tidy(() =>
      tf.reshape(tf.gather(tf.reshape(this.theta, [this.runs, this.paramCount]), indices), [-1]),
    );
    this.theta.dispose();
    this.theta = tf.variable(kept, false, undefined, 'float32') as tf.Variable<tf.Rank.R1>;
    kept.dispose();
    this.group = { ...this.group, runs: indices.length };
  }

  /** Runs every op; `traces` are kept for the backward pass, the last output is the network's (before the head). */
  private run(pixels: tf.Tensor2D): Trace[] {
    const traces: Trace[] = [];
    const { rows, cols, channels } = this.plan.input;
    const spatial = this.plan.ops[0]?.kind !== 'dense';
    // the same input for every run of a group, standardized or not (dense() reads a shared input once per run)
    const x = this.norm ? (tf.div(tf.sub(pixels, this.norm.mean), this.norm.std) as tf.Tensor2D) : pixels;
    let a: tf.Tensor = spatial ? tf.reshape(x, [x.shape[0], rows, cols, channels]) : x;
    for (const op of this.plan.ops) {
      const input = a;
      let pre: tf.Tensor | null = null;
      let kept: ConvKept | undefined;
      if (op.kind === 'dense' || op.kind === 'conv') {
        const l = this.layout[op.param];
        const fuse = op.act === 'relu' || op.act === 'linear';
        let z: tf.Tensor;
        if (op.kind === 'dense') {
          const lhs = op.flattens ? (tf.reshape(a, [a.shape[0], op.fanIn]) as tf.Tensor2D) : (a as tf.Tensor2D);
          z = dense(lhs, this.theta, l, op.act === 'relu', this.group, input === x);
        } else {
          const conv = convLayerForward(a as tf.Tensor4D, this.theta, l, op, op.act === 'relu', this.group);
          z = conv.z;
          kept = conv.kept;
        }
        if (!fuse) pre = z;
        a = fuse ? z : activate(z, op.act as Activation);
      } else if (op.kind === 'maxpool') a = maxPool(a as tf.Tensor4D, op.geom);
      else if (op.kind === 'avgpool')
        a = tf.avgPool(a as tf.Tensor4D, [op.geom.kh, op.geom.kw], op.geom.stride, 'valid');
      else if (op.kind === 'flatten') a = tf.reshape(a, [a.shape[0], -1]);
      else if (op.kind === 'act') {
        pre = op.act === 'gelu' ? a : null;
        a = activate(a, op.act);
      }
      traces.push({ input, output: a, pre, kept });
    }
    return traces;
  }

  /** Forward pass: every dense and conv layer's activated output, the last one before the head's nonlinearity (call inside tf.tidy). */
  forward(x: tf.Tensor2D): tf.Tensor[] {
    return this.layerOutputs(this.run(x));
  }

  private layerOutputs(traces: Trace[]): tf.Tensor[] {
    return this.plan.ops.flatMap((op, i) => (op.kind === 'dense' || op.kind === 'conv' ? [traces[i].output] : []));
  }

  /** Gradient of the mean batch loss as one flat vector in θ's layout; `target` is one-hot labels (softmax) or the target images (sigmoid). */
  gradient(x: tf.Tensor2D, target: tf.Tensor2D): Gradient {
    const { parts, output, loss } = this.gradientParts(x, target);
    const { runs } = this;
    // per run: each layer's weights and biases in turn (a group's kernels give each layer's part run by run)
    const grad =
      runs === 1
        ? tf.concat(parts)
        : (tf.reshape(
            tf.concat(
              parts.map((p) => tf.reshape(p, [runs, -1])),
              1,
            ),
            [-1],
          ) as tf.Tensor1D);
    return { grad, output, loss };
  }

  /** The gradient as each layer's part ([runs × its weights and biases]), which the optimizer's step reads in place. */
  gradientParts(x: tf.Tensor2D, target: tf.Tensor2D): Omit<Gradient, 'grad'> & { parts: tf.Tensor1D[] } {
    const parts: tf.Tensor1D[] = new Array(this.layout.length);
    const { output, loss } = this.backwardPass(x, this.run(x), target, parts, x.shape[0], null);
    return { parts, output, loss };
  }

  /**
   * `hiddenActivations` and each layer's part of the gradient (weights then biases) for `x`, a chunk of rows of a batch
   * of `total` rows, from one forward pass (the probe's). The gradient is that of the whole batch's mean loss: with
   * `from`, the parts of the chunks before this one, its sums go on from theirs, so a batch taken in chunks gives the
   * bits of one pass while holding one chunk's receptive fields at a time. For a network of one run (call inside tf.tidy).
   */
  activationsAndGradientParts(
    x: tf.Tensor2D,
    target: tf.Tensor2D,
    total = x.shape[0],
    from: readonly tf.Tensor1D[] | null = null,
  ): { hidden: tf.Tensor2D[]; parts: tf.Tensor1D[] } {
    if (this.runs > 1) throw new Error('the probe pass is for a network of one run: use Trainer.runNetwork(r)');
    const traces = this.run(x);
    const parts: tf.Tensor1D[] = new Array(this.layout.length);
    this.backwardPass(x, traces, target, parts, total, from);
    return { hidden: this.hiddenOf(this.layerOutputs(traces)), parts };
  }

  /** Fills `grads` (per layer its weights and then biases, θ's layout) for the mean loss over `total` rows, going on from `from`; returns the output and loss of `x`'s rows. */
  private backwardPass(
    x: tf.Tensor2D,
    traces: Trace[],
    target: tf.Tensor2D,
    grads: tf.Tensor1D[],
    total: number,
    from: readonly tf.Tensor1D[] | null,
  ): Pick<Gradient, 'output' | 'loss'> {
    const z = traces[traces.length - 1].output as tf.Tensor2D;
    const n = x.shape[0];
    let g: tf.Tensor;
    let output = z;
    let loss: tf.Tensor | null = null;
    const { runs } = this;
    // a group's rows minus the shared target: the target broadcast over the runs (the same subtraction per element)
    const minusTarget = (y: tf.Tensor2D): tf.Tensor =>
      runs === 1 ? tf.sub(y, target) : tf.reshape(tf.sub(tf.reshape(y, [runs, n, y.shape[1]]), target), y.shape);
    if (this.plan.output === 'softmax') {
      g = tf.mul(minusTarget(tf.softmax(z)), 1 / total);
    } else {
      output = tf.sigmoid(z);
      const diff = minusTarget(output);
      const count = n * z.shape[1];
      // one sum per run, each over its own rows in order
      const squares = tf.square(diff);
      loss = tf.mul(runs === 1 ? tf.sum(squares) : tf.sum(tf.reshape(squares, [runs, -1]), 1), 1 / count);
      // d/dz of mean((σ(z)−t)²) = 2(σ−t)·σ(1−σ)/count, count over all `total` rows
      g = tf.mul(tf.mul(diff, tf.mul(output, tf.sub(1, output))), 2 / (total * z.shape[1]));
    }
    const { ops } = this.plan;
    for (let i = ops.length - 1; i >= 0; i--)
      g = this.backward(ops[i], traces[i], g, grads, i > 0, from, poolTakesRelu(ops, i), poolTakesRelu(ops, i + 1));
    return { output, loss };
  }

  /** One op's backward pass: fills its parameter gradients (going on from `from`) and returns dL/d(input) (or the unused `g` for the first op); `reluIn`/`reluDone`: poolTakesRelu of this op and of the next. */
  private backward(
    op: Op,
    t: Trace,
    g: tf.Tensor,
    grads: tf.Tensor1D[],
    needInput: boolean,
    from: readonly tf.Tensor1D[] | null,
    reluIn: boolean,
    reluDone: boolean,
  ): tf.Tensor {
    switch (op.kind) {
      case 'dense':
      case 'conv': {
        let dz = op.act === 'linear' || reluDone ? g : activationGrad(g, op.act, t.output, t.pre);
        if (op.kind === 'conv') dz = tf.reshape(dz, [-1, op.units]);
        const l = this.layout[op.param];
        if (op.kind === 'conv') {
          // a dense layer on the receptive fields: [dW | db] = [colsᵀ·dz | Σ dz], and dz·Wᵀ back through col2im (one
          // kernel, a few images at a time, so the fields' gradient stays in cache)
          grads[op.param] = convLayerGrad(t.kept!, dz as tf.Tensor2D, l, op, this.group, from?.[op.param]);
          if (!needInput) return g;
          return convInputGrad(dz as tf.Tensor2D, this.theta, l, op.geom, t.input.shape[0], this.group);
        }
        const input = op.flattens
          ? (tf.reshape(t.input, [t.input.shape[0], op.fanIn]) as tf.Tensor2D)
          : (t.input as tf.Tensor2D);
        grads[op.param] = denseGrad(input, dz as tf.Tensor2D, l, this.group, from?.[op.param]);
        if (!needInput) return g;
        const dIn = inputGrad(dz as tf.Tensor2D, this.theta, l, this.group);
        return op.flattens ? tf.reshape(dIn, t.input.shape) : dIn;
      }
      case 'maxpool':
        return maxPoolGrad(g as tf.Tensor4D, t.input as tf.Tensor4D, op.geom, reluIn);
      case 'avgpool':
        return tf.engine().runKernel('AvgPoolGrad', { dy: g, input: t.input }, poolAttrs(op.geom)) as tf.Tensor;
      case 'flatten':
        return tf.reshape(g, t.input.shape);
      case 'act':
        return reluDone ? g : activationGrad(g, op.act, t.output, t.pre ?? t.input);
    }
  }

  /** Hidden activations on a batch as rows × units (a conv layer's rows are every image position), for dead-unit counts (call inside tf.tidy). */
  hiddenActivations(x: tf.Tensor2D): tf.Tensor2D[] {
    return this.hiddenOf(this.forward(x));
  }

  private hiddenOf(outputs: tf.Tensor[]): tf.Tensor2D[] {
    return outputs.slice(0, -1).map((a, i) => tf.reshape(a, [-1, this.layout[i].units]) as tf.Tensor2D);
  }

  /** Frees the parameter variable (and the standardization's vectors). */
  dispose(): void {
    this.theta.dispose();
    if (this.norm) tf.dispose([this.norm.mean, this.norm.std]);
  }
}

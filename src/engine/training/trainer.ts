/**
 * The parts of training that a sweep run and an LR range test share: the
 * seeded network and optimizer, the seeded batch order, one optimizer step at a
 * given learning rate (its Δ applied and fed to the recorder), and the closing
 * of a recording window on the fixed probe batch. `trainRun` (run.ts) and
 * `lrFind` (lrFind.ts) drive it; neither repeats a step of it. With `runs` > 1 it trains a fused group: runs of one
 * seed (so one initialisation and one batch order) side by side on one batch, each with its own learning rate and
 * recorder (network.ts says why each run's bits are its solo bits).
 *
 *     const t = new Trainer(data, config, seed);
 *     t.shuffle();
 *     const s = t.step(0.1, 0);   // { loss, correct, finite }
 *     const w = t.closeWindow();  // statistics of the steps since the last window
 *     t.dispose();
 */
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy, fillOneHot } from './batch.js';
import { pixelBatch } from '../kernels/pixelBatch.js';
import { isAutoencoder, type SweepConfig } from '../../contract/config.js';
import { modelPlan } from './modelPlan.js';
import { channelStats } from '../data/channelStats.js';
import { featureCount, limitTrain, trainCount, type Dataset } from '../data/dataset.js';
import { heapView } from '../kernels/tfjsWasm.js';
import { resolveArithmetic } from '../kernels/arithmetic.js';
import { chunkExamples } from './modelPlan.js';
import { Network } from './network.js';
import { createOptimizer, type Optimizer } from './optimizer.js';
import { probeStats } from './probe.js';
import { Recorder } from '../recording/recorder.js';
import type { WindowRecord } from '../../contract/windowRecord.js';
import { Rng } from '../rng.js';

/** One optimizer step's outcome. */
export interface StepResult {
  /** mean training loss of the batch (before the update) */
  loss: number;
  /** correctly classified examples of the batch (0 for autoencoders) */
  correct: number;
  /** false when Δ held a non-finite value (this window so far) */
  finite: boolean;
}

/** Marks the end of each part of a step, for the step profile (scripts/profile-step.ts); absent in training. */
export interface StepClock {
  mark(part: 'labels' | 'tf ops' | 'recorder' | 'loss'): void;
}

/** A network in training on one data set, with its recorder (one per run of a group). */
export class Trainer {
  readonly data: Dataset;
  readonly net: Network;
  private recorders: Recorder[];
  readonly ae: boolean;
  readonly features: number;
  readonly classes: number;
  readonly batch: number;
  /** optimizer steps per epoch (the last partial batch is dropped) */
  readonly stepsPerEpoch: number;
  private readonly optimizer: Optimizer;
  private readonly order: Rng;
  private readonly indices: Uint32Array;
  private readonly yBuf: Float32Array;
  private readonly probe: tf.Tensor2D;
  private readonly probeTarget: tf.Tensor2D;
  /** a group's run in a network of its own, for what is measured one run at a time (probe, test set) */
  private view: Network | null = null;

  constructor(
    data: Dataset,
    config: SweepConfig,
    seed: number,
    private readonly record = true,
    runs = 1,
  ) {
    const d = config.trainLimit ? limitTrain(data, config.trainLimit) : data;
    this.data = d;
    this.features = featureCount(d);
    this.ae = isAutoencoder(config.model);
    this.classes = d.numClasses;
    const n = trainCount(d);
    this.batch = config.batch;
    this.stepsPerEpoch = Math.floor(n / this.batch);
    if (this.stepsPerEpoch < 1)
      throw new Error(
        `batch size ${this.batch} is larger than the ${n} training examples: lower the batch size or use more training examples`,
      );
    const plan = modelPlan(config, d);
    this.net = new Network(
      plan,
      new Rng(seed, 0),
      runs,
      plan.standardize ? channelStats(d.trainImages, d.channels) : null,
      resolveArithmetic(config.arithmetic),
    );
    this.optimizer = createOptimizer(config.optimizer, this.net.paramCount, config.weightDecay, runs);
    this.order = new Rng(seed, 1);
    this.recorders = Array.from({ length: runs }, () => new Recorder(this.net.layout, { tau: config.tau }));
    const probeCount = Math.min(config.probeSize, n);
    this.probe = pixelBatch(d.trainImages, this.features, null, 0, probeCount);
    this.probeTarget = this.ae ? this.probe : probeOneHot(d.trainLabels, this.classes, probeCount);
    this.indices = new Uint32Array(n).map((_, i) => i);
    this.yBuf = new Float32Array(this.batch * this.classes);
  }

  /** Shuffles the batch order for the next epoch (seeded). */
  shuffle(): void {
    this.order.shuffle(this.indices);
  }

  /** The recorder (of run `r` of a group). */
  recorder(r = 0): Recorder {
    return this.recorders[r];
  }

  /** One optimizer step on batch `s` of the epoch at learning rate `lr`: Δ is computed once, applied, and recorded. */
  step(lr: number, s: number, clock?: StepClock): StepResult {
    return this.stepRuns([lr], s, clock)[0];
  }

  /** One step of every run of the group, run r at `lrs[r]`, on batch `s` of the epoch; results in run order. */
  stepRuns(lrs: readonly number[], s: number, clock?: StepClock): StepResult[] {
    const { batch, features, classes, ae, net } = this;
    const runs = net.runs;
    if (lrs.length !== runs) throw new Error(`${lrs.length} learning rates for ${runs} runs`);
    if (!ae) fillOneHot(this.data.trainLabels, classes, this.indices, s * batch, batch, this.yBuf);
    clock?.mark('labels');
    const out = tf.tidy(() => {
      const x = pixelBatch(this.data.trainImages, features, this.indices, s * batch, batch);
      const target = ae ? x : tf.tensor2d(this.yBuf, [batch, classes]);
      const g = net.gradientParts(x, target);
      const { delta, theta } = this.optimizer.step(g.parts, runs === 1 ? lrs[0] : lrs, net.theta);
      net.theta.assign(theta);
      return g.loss ? { delta, output: g.output, loss: g.loss } : { delta, output: g.output };
    });
    clock?.mark('tf ops');
    // The heap views are read before any other tf op runs (see heapView).
    const size = net.paramCount;
    const finite = this.recorders.map((rec, r) =>
      this.record ? rec.step(heapView(out.delta).subarray(r * size, (r + 1) * size), lrs[r]) : true,
    );
    clock?.mark('recorder');
    const losses = ae ? out.loss!.dataSync() : null;
    const results = finite.map((f, r): StepResult => {
      if (losses) return { loss: losses[r], correct: 0, finite: f };
      const rows = batch * classes;
      const ce = crossEntropy(
        heapView(out.output).subarray(r * rows, (r + 1) * rows),
        classes,
        this.data.trainLabels,
        this.indices,
        s * batch,
        batch,
      );
      return { loss: ce.loss, correct: ce.correct, finite: f };
    });
    tf.dispose(out);
    clock?.mark('loss');
    return results;
  }

  /** The network of run `r` alone: the trained network itself, or for a group a copy of that run's parameters. */
  runNetwork(r = 0): Network {
    if (this.net.runs === 1) return this.net;
    this.view ??= new Network(this.net.plan, new Rng(0, 0), 1, this.net.inputStats, this.net.arithmetic);
    const theta = tf.slice(this.net.theta, r * this.net.paramCount, this.net.paramCount);
    this.view.theta.assign(theta);
    theta.dispose();
    return this.view;
  }

  /** Keeps only the runs at `indices` of the group, in that order (a run that ended leaves; the others go on). */
  keepRuns(indices: readonly number[]): void {
    this.recorders.forEach((rec, r) => {
      if (!indices.includes(r)) rec.dispose();
    });
    this.recorders = indices.map((r) => this.recorders[r]);
    this.net.keepRuns(indices);
    this.optimizer.keepRuns(indices);
  }

  /** Closes the recording window: the recorder's statistics (with θ for its weight norms) plus dead units, mean activations and gradient norms on the probe batch. */
  closeWindow(r = 0): WindowRecord {
    const net = this.runNetwork(r);
    const stats = probeStats(net, this.probe, this.probeTarget, chunkExamples(this.net.plan, this.probe.shape[0]));
    // θ after the window's last step, for the weight norms and update-to-weight ratios (once per window)
    const w = this.recorders[r].closeWindow(
      stats.map((s) => s.deadUnits),
      net.theta.dataSync(),
    );
    w.layers.forEach((l, i) => {
      l.meanActivation = stats[i].meanActivation;
      l.gradientNorm = stats[i].gradientNorm;
    });
    return w;
  }

  /** Frees the network, optimizer state, probe batch and the recorder's heap state. */
  dispose(): void {
    for (const rec of this.recorders) rec.dispose();
    this.view?.dispose();
    if (this.probeTarget !== this.probe) this.probeTarget.dispose();
    this.probe.dispose();
    this.optimizer.dispose();
    this.net.dispose();
  }
}

/** One-hot labels of the first `count` training examples: the probe batch's classifier target. */
function probeOneHot(labels: Uint8Array, classes: number, count: number): tf.Tensor2D {
  const y = new Float32Array(count * classes);
  fillOneHot(
    labels,
    classes,
    new Uint32Array(count).map((_, i) => i),
    0,
    count,
    y,
  );
  return tf.tensor2d(y, [count, classes]);
}

/**
 * One training run: a (learning rate, seed) pair of a sweep, from seeded
 * initialisation to the RunRecord. Pure core: the data set arrives as arrays,
 * the environment description as a value, time through an injected clock.
 *
 *     const record = await trainRun(dataset, config, { lr: 0.1, seed: 1 }, env);
 */
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy, fillImages, fillOneHot, PIXEL_SCALE, scalePixels } from './batch.js';
import { isAutoencoder, parseModel, runId, type RunSpec, type SweepConfig } from './config.js';
import { featureCount, limitTrain, trainCount, type Dataset } from './dataset.js';
import { heapView } from './heap.js';
import { BIN_SPEC } from './histogram.js';
import { DenseNetwork } from './network.js';
import { createOptimizer } from './optimizer.js';
import { probeStats } from './probe.js';
import { reconstructSample } from './reconstruction.js';
import { Recorder, type WindowRecord } from './recorder.js';
import { Rng } from './rng.js';
import { parseSchedule, scheduledLr } from './schedule.js';
import { exploded, SmoothedLoss } from './smoothedLoss.js';
import { SCHEMA_VERSION, type EpochRecord, type Environment, type RunRecord } from './schema.js';

/** Live progress of a run, sent at most every `progressMs`. */
export interface RunProgress {
  id: string;
  lr: number;
  seed: number;
  step: number;
  totalSteps: number;
  epoch: number;
  /** mean training loss over the steps since the previous progress event */
  loss: number;
  samplesPerSecond: number;
  /** estimated seconds to the end of the run */
  etaSeconds: number;
  /** latest window's mean weight RMS Δ over layers, when a window closed since the last event */
  fluctuation: number | null;
}

/** Optional hooks; `now` is injected so timing logic is testable. */
export interface RunHooks {
  onProgress?: (p: RunProgress) => void;
  progressMs?: number;
  now?: () => number;
  /** checked every step; when it returns true the run stops with a CancelledError */
  cancelled?: () => boolean;
  /** record fluctuations (default true); off only to measure the recorder's cost */
  record?: boolean;
}

/** Thrown when a run is cancelled through its hooks. */
export class CancelledError extends Error {
  override name = 'CancelledError';
}

/** Evaluation chunk: bounds memory without slowing the test pass. */
const EVAL_CHUNK = 1000;

/** Trains one run and returns its record. Diverging runs end early with status 'diverged'. */
export async function trainRun(data: Dataset, config: SweepConfig, spec: RunSpec, environment: Environment, hooks: RunHooks = {}): Promise<RunRecord> {
  const now = hooks.now ?? (() => performance.now());
  const record = hooks.record ?? true;
  const d = config.trainLimit ? limitTrain(data, config.trainLimit) : data;
  const features = featureCount(d);
  const ae = isAutoencoder(config.model);
  const classes = d.numClasses;
  const shape = parseModel(config.model, features, classes);
  const n = trainCount(d);
  const batch = config.batch;
  const stepsPerEpoch = Math.floor(n / batch);
  if (stepsPerEpoch < 1) throw new Error(`batch size ${batch} is larger than the ${n} training examples: lower --batch or raise --train-limit`);
  const totalSteps = stepsPerEpoch * config.epochs;

  const net = new DenseNetwork(shape, new Rng(spec.seed, 0));
  const optimizer = createOptimizer(config.optimizer, net.paramCount, config.weightDecay);
  const schedule = parseSchedule(config.schedule);
  const smoothed = new SmoothedLoss();
  const order = new Rng(spec.seed, 1);
  const recorder = new Recorder(net.layout, { tau: config.tau });
  const probeCount = Math.min(config.probeSize, n);
  const probe = scalePixels(imagesOf(d.trainImages, features, 0, probeCount), probeCount, features);
  const probeTarget = ae ? probe : probeOneHot(d.trainLabels, classes, probeCount);
  const indices = new Uint32Array(n).map((_, i) => i);
  const xBuf = new Float32Array(batch * features);
  const yBuf = new Float32Array(batch * classes);

  const windows: WindowRecord[] = [];
  const epochs: EpochRecord[] = [];
  let step = 0;
  let divergedAtStep: number | null = null;
  let divergedBy: RunRecord['divergedBy'] = null;
  let trainMs = 0;
  let lastEvent = now();
  let lossSinceEvent = 0;
  let stepsSinceEvent = 0;
  let latestFluctuation: number | null = null;
  let reconstructions: RunRecord['reconstructions'] = null;

  let windowLoss = 0;
  let windowLossSteps = 0;
  let windowLrSum = 0;
  let lr = spec.lr;
  const closeWindow = (): void => {
    const stats = probeStats(net, probe, probeTarget);
    const w = recorder.closeWindow(stats.map((s) => s.deadUnits));
    w.layers.forEach((l, i) => {
      l.meanActivation = stats[i].meanActivation;
      l.gradientNorm = stats[i].gradientNorm;
    });
    w.trainLoss = windowLossSteps > 0 ? windowLoss / windowLossSteps : null; // for loss curves finer than an epoch
    w.lr = lr; // in force at the window's last step
    w.lrMean = windowLrSum / (w.endStep - w.startStep);
    windowLoss = 0;
    windowLossSteps = 0;
    windowLrSum = 0;
    windows.push(w);
    const ws = w.layers.map((l) => l.weights.rms);
    latestFluctuation = ws.reduce((a, b) => a + b, 0) / ws.length;
  };

  try {
    for (let epoch = 0; epoch < config.epochs && divergedAtStep === null; epoch++) {
      order.shuffle(indices);
      let epochLoss = 0;
      let epochCorrect = 0;
      let epochSteps = 0;
      const t0 = now();
      for (let s = 0; s < stepsPerEpoch; s++) {
        if (hooks.cancelled?.()) throw new CancelledError(`run ${runId(spec)} cancelled`);
        fillImages(d.trainImages, features, indices, s * batch, batch, xBuf);
        if (!ae) fillOneHot(d.trainLabels, classes, indices, s * batch, batch, yBuf);
        lr = scheduledLr(schedule, spec.lr, step, totalSteps);
        windowLrSum += lr;
        const out = tf.tidy(() => {
          const x = scalePixels(xBuf, batch, features);
          const target = ae ? x : tf.tensor2d(yBuf, [batch, classes]);
          const g = net.gradient(x, tf.transpose(x), target);
          const delta = optimizer.delta(g.grad, lr, net.theta);
          net.theta.assign(tf.add(net.theta, delta));
          return g.loss ? { delta, output: g.output, loss: g.loss } : { delta, output: g.output };
        });
        step++;
        // The heap views are read before any other tf op runs (see heapView).
        const finite = record ? recorder.step(heapView(out.delta)) : true;
        let loss: number;
        if (ae) loss = out.loss!.dataSync()[0];
        else {
          const ce = crossEntropy(heapView(out.output), classes, d.trainLabels, indices, s * batch, batch);
          loss = ce.loss;
          epochCorrect += ce.correct;
        }
        tf.dispose(out);
        if (!finite || !Number.isFinite(loss)) {
          divergedAtStep = step;
          divergedBy = 'non-finite';
          break;
        }
        if (config.divergeFactor !== null && exploded(smoothed.add(loss), smoothed.first, config.divergeFactor)) {
          divergedAtStep = step;
          divergedBy = 'explosion';
          // this step's loss still belongs to the window and epoch it ended
          epochLoss += loss;
          epochSteps++;
          windowLoss += loss;
          windowLossSteps++;
          break;
        }
        epochLoss += loss;
        epochSteps++;
        windowLoss += loss;
        windowLossSteps++;
        lossSinceEvent += loss;
        stepsSinceEvent++;
        if (record && config.windowSteps !== null && recorder.windowSteps === config.windowSteps) closeWindow();
        if (hooks.onProgress) {
          const t = now();
          if (t - lastEvent >= (hooks.progressMs ?? 250) || step === totalSteps) {
            const elapsed = trainMs + (t - t0);
            hooks.onProgress({
              id: runId(spec), lr: spec.lr, seed: spec.seed, step, totalSteps, epoch,
              loss: lossSinceEvent / stepsSinceEvent,
              samplesPerSecond: elapsed > 0 ? (step * batch) / (elapsed / 1000) : 0,
              etaSeconds: ((totalSteps - step) * elapsed) / step / 1000,
              fluctuation: latestFluctuation,
            });
            lastEvent = t;
            lossSinceEvent = 0;
            stepsSinceEvent = 0;
          }
        }
      }
      trainMs += now() - t0;
      if (record && recorder.windowSteps > 0 && (config.windowSteps === null || divergedAtStep !== null)) closeWindow();
      const test = divergedAtStep === null ? evaluate(net, d, ae) : null;
      epochs.push({
        epoch: epoch + 1,
        endStep: step,
        trainLoss: epochSteps > 0 ? epochLoss / epochSteps : null,
        trainAccuracy: ae || epochSteps === 0 ? null : epochCorrect / (epochSteps * batch),
        testLoss: test?.loss ?? null,
        testAccuracy: test?.accuracy ?? null,
        testPsnr: test?.psnr ?? null,
      });
      await yieldToEventLoop();
    }
    if (record && recorder.windowSteps > 0) closeWindow();
    if (ae && divergedAtStep === null) reconstructions = reconstructSample(net, d);
  } finally {
    recorder.dispose(); // frees its sums in the tfjs heap
    if (probeTarget !== probe) probeTarget.dispose();
    probe.dispose();
    optimizer.dispose();
    net.dispose();
  }
  const last = epochs[epochs.length - 1];
  return {
    schemaVersion: SCHEMA_VERSION,
    kind: 'fluctlab.run',
    id: runId(spec),
    lr: spec.lr,
    seed: spec.seed,
    config,
    status: divergedAtStep === null ? 'ok' : 'diverged',
    divergedAtStep,
    divergedBy,
    error: null,
    task: ae ? 'reconstruction' : 'classification',
    testAccuracy: last?.testAccuracy ?? null,
    testLoss: last?.testLoss ?? null,
    testPsnr: last?.testPsnr ?? null,
    steps: step,
    parameterCount: net.paramCount,
    epochs,
    bins: BIN_SPEC,
    windows,
    ...(ae ? { reconstructions } : {}),
    environment,
    timing: {
      trainSeconds: trainMs / 1000,
      samplesPerSecond: trainMs > 0 ? (step * batch) / (trainMs / 1000) : 0,
      finishedAt: new Date().toISOString(),
    },
  };
}

/** One-hot labels of the first `count` training examples: the probe batch's classifier target. */
function probeOneHot(labels: Uint8Array, classes: number, count: number): tf.Tensor2D {
  const y = new Float32Array(count * classes);
  fillOneHot(labels, classes, new Uint32Array(count).map((_, i) => i), 0, count, y);
  return tf.tensor2d(y, [count, classes]);
}

/** Test-set loss and accuracy (classifier) or MSE and PSNR (autoencoder), in float64. */
export function evaluate(net: DenseNetwork, d: Dataset, ae: boolean): { loss: number; accuracy: number | null; psnr: number | null } {
  const features = featureCount(d);
  const count = d.testLabels.length;
  let loss = 0;
  let correct = 0;
  for (let start = 0; start < count; start += EVAL_CHUNK) {
    const size = Math.min(EVAL_CHUNK, count - start);
    const xs = imagesOf(d.testImages, features, start, size);
    const out = tf.tidy(() => {
      const z = net.forward(scalePixels(xs, size, features)).pop()!;
      return ae ? tf.sigmoid(z) : z;
    });
    const v = out.dataSync() as Float32Array;
    out.dispose();
    if (ae) {
      for (let i = 0; i < v.length; i++) loss += (v[i] - Math.fround(xs[i] * PIXEL_SCALE)) ** 2;
    } else {
      const ce = crossEntropy(v, d.numClasses, d.testLabels, null, start, size);
      loss += ce.loss * size;
      correct += ce.correct;
    }
  }
  if (ae) {
    const mse = loss / (count * features);
    return { loss: mse, accuracy: null, psnr: mse > 0 ? 10 * Math.log10(1 / mse) : Infinity };
  }
  return { loss: loss / count, accuracy: correct / count, psnr: null };
}

function imagesOf(images: Uint8Array, features: number, start: number, count: number): Float32Array {
  const out = new Float32Array(count * features);
  const range = new Uint32Array(count).map((_, i) => start + i);
  fillImages(images, features, range, 0, count, out);
  return out;
}

/** Lets progress messages and cancellation through between epochs. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

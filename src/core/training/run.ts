/**
 * One training run: a (learning rate, seed) pair of a sweep, from seeded
 * initialisation to the RunRecord. Pure core: the data set arrives as arrays,
 * the environment description as a value, time through an injected clock.
 *
 *     const record = await trainRun(dataset, config, { lr: 0.1, seed: 1 }, env);
 */
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy, PIXEL_SCALE, scalePixels } from './batch.js';
import { runId, type RunSpec, type SweepConfig } from '../config.js';
import { CancelledError } from '../errors.js';
import { featureCount, type Dataset } from '../data/dataset.js';
import { BIN_SPEC } from '../analysis/histogram.js';
import type { Network } from './network.js';
import { reconstructSample } from './reconstruction.js';
import type { WindowRecord } from '../analysis/recorder.js';
import { imagesOf, Trainer } from './trainer.js';
import { parseSchedule, scheduledLr } from './schedule.js';
import { exploded, SmoothedLoss } from './smoothedLoss.js';
import { SCHEMA_VERSION, type EpochRecord, type Environment, type RunRecord } from '../analysis/schema.js';

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

/** Evaluation chunk: bounds memory without slowing the test pass. */
const EVAL_CHUNK = 1000;

/** Trains one run and returns its record. Diverging runs end early with status 'diverged'. */
export async function trainRun(data: Dataset, config: SweepConfig, spec: RunSpec, environment: Environment, hooks: RunHooks = {}): Promise<RunRecord> {
  const now = hooks.now ?? (() => performance.now());
  const record = hooks.record ?? true;
  const trainer = new Trainer(data, config, spec.seed, record);
  const { ae, batch, stepsPerEpoch, net } = trainer;
  const totalSteps = stepsPerEpoch * config.epochs;
  const schedule = parseSchedule(config.schedule);
  const smoothed = new SmoothedLoss();
  const progress = new ProgressMeter(spec, totalSteps, batch, now, hooks);

  const windows: WindowRecord[] = [];
  const epochs: EpochRecord[] = [];
  let step = 0;
  let divergedAtStep: number | null = null;
  let divergedBy: RunRecord['divergedBy'] = null;
  let trainMs = 0;
  let reconstructions: RunRecord['reconstructions'] = null;

  let windowLoss = 0;
  let windowLossSteps = 0;
  let windowLrSum = 0;
  let lr = spec.lr;
  const closeWindow = (): void => {
    const w = trainer.closeWindow();
    w.trainLoss = windowLossSteps > 0 ? windowLoss / windowLossSteps : null; // for loss curves finer than an epoch
    w.lr = lr; // in force at the window's last step
    w.lrMean = windowLrSum / (w.endStep - w.startStep);
    windowLoss = 0;
    windowLossSteps = 0;
    windowLrSum = 0;
    windows.push(w);
    progress.windowClosed(w);
  };

  try {
    for (let epoch = 0; epoch < config.epochs && divergedAtStep === null; epoch++) {
      trainer.shuffle();
      let epochLoss = 0;
      let epochCorrect = 0;
      let epochSteps = 0;
      const t0 = now();
      for (let s = 0; s < stepsPerEpoch; s++) {
        if (hooks.cancelled?.()) throw new CancelledError(`run ${runId(spec)} cancelled`);
        lr = scheduledLr(schedule, spec.lr, step, totalSteps);
        windowLrSum += lr;
        const { loss, correct, finite } = trainer.step(lr, s);
        step++;
        epochCorrect += correct;
        if (!finite || !Number.isFinite(loss)) {
          divergedAtStep = step;
          divergedBy = 'non-finite';
          break;
        }
        // this step's loss belongs to the window and epoch it is in, also when it ends the run
        epochLoss += loss;
        epochSteps++;
        windowLoss += loss;
        windowLossSteps++;
        if (config.divergeFactor !== null && exploded(smoothed.add(loss), smoothed.first, config.divergeFactor)) {
          divergedAtStep = step;
          divergedBy = 'explosion';
          break;
        }
        if (record && config.windowSteps !== null && trainer.recorder.windowSteps === config.windowSteps) closeWindow();
        progress.stepped(step, epoch, loss, trainMs - t0);
      }
      trainMs += now() - t0;
      if (record && trainer.recorder.windowSteps > 0 && (config.windowSteps === null || divergedAtStep !== null)) closeWindow();
      const test = divergedAtStep === null ? evaluate(net, trainer.data, ae) : null;
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
    if (record && trainer.recorder.windowSteps > 0) closeWindow();
    if (ae && divergedAtStep === null) reconstructions = reconstructSample(net, trainer.data);
  } finally {
    trainer.dispose(); // frees the recorder's sums in the tfjs heap, the probe batch, optimizer state and the network
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

/** Throttled progress events of one run: at most one every `progressMs`, and one at the last step. */
class ProgressMeter {
  private lastEvent: number;
  private lossSinceEvent = 0;
  private stepsSinceEvent = 0;
  private latestFluctuation: number | null = null;

  constructor(private readonly spec: RunSpec, private readonly totalSteps: number, private readonly batch: number, private readonly now: () => number, private readonly hooks: RunHooks) {
    this.lastEvent = now();
  }

  /** Notes a closed window's mean weight RMS Δ over layers (the live fluctuation chart's value). */
  windowClosed(w: WindowRecord): void {
    const ws = w.layers.map((l) => l.weights.rms);
    this.latestFluctuation = ws.reduce((a, b) => a + b, 0) / ws.length;
  }

  /** Counts a finished step; sends an event when one is due. Training time so far is now() + `offsetMs` (the clock is read once per step, and only when someone listens). */
  stepped(step: number, epoch: number, loss: number, offsetMs: number): void {
    this.lossSinceEvent += loss;
    this.stepsSinceEvent++;
    if (!this.hooks.onProgress) return;
    const t = this.now();
    const elapsedMs = t + offsetMs;
    if (t - this.lastEvent < (this.hooks.progressMs ?? 250) && step !== this.totalSteps) return;
    const { spec, totalSteps, batch } = this;
    this.hooks.onProgress({
      id: runId(spec), lr: spec.lr, seed: spec.seed, step, totalSteps, epoch,
      loss: this.lossSinceEvent / this.stepsSinceEvent,
      samplesPerSecond: elapsedMs > 0 ? (step * batch) / (elapsedMs / 1000) : 0,
      etaSeconds: ((totalSteps - step) * elapsedMs) / step / 1000,
      fluctuation: this.latestFluctuation,
    });
    this.lastEvent = t;
    this.lossSinceEvent = 0;
    this.stepsSinceEvent = 0;
  }
}

/** Test-set loss and accuracy (classifier) or MSE and PSNR (autoencoder), in float64. */
export function evaluate(net: Network, d: Dataset, ae: boolean): { loss: number; accuracy: number | null; psnr: number | null } {
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

/** Lets progress messages and cancellation through between epochs. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

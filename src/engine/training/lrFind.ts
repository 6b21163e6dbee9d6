/**
 * Smith's LR range test ("Cyclical Learning Rates for Training Neural Networks", 2017; fastai `lr_find`,
 * pytorch-lr-finder) with the fluctuation recorder running along the ramp. One run: the learning rate grows
 * exponentially from `start` to `end` over `steps` optimizer steps, the training loss is smoothed, and the test stops
 * once the smoothed loss exceeds 4 × the best so far, or a loss or Δ is not finite (the ramp, its stop rule and the
 * suggestions: rangeTest.ts). Each recording window (one step by default) keeps per-layer RMS Δ / η (the scale of the
 * gradient the optimizer followed), participating neurons, participation ratio and dead units against η.
 *
 *     const r = await lrFind(data, config, { start: 1e-7, end: 10, steps: 100, windowSteps: 1 }, 1, env);
 *     r.suggestions; // steepest, valley, minimum/10
 */
import { checkLrFindArgs } from './lrFindArgs.js';
import type { Arithmetic, SweepConfig } from '../../contract/config.js';
import type { Dataset } from '../data/dataset.js';
import { CancelledError } from '../../contract/errors.js';
import type { Environment } from '../../contract/record.js';
import {
  type LrFindOptions,
  rangeTest,
  type RangePoint,
  STOP_FACTOR,
  type StopReason,
  suggestLrs,
  type Suggestion,
  validateLrFindOptions,
} from './rangeTest.js';
import { LOSS_SMOOTHING } from './smoothedLoss.js';
import { Trainer } from './trainer.js';

/** One recording window of the ramp, per layer. */
export interface LrFindLayer {
  layer: string;
  units: number;
  /** RMS Δ / η over the window: the gradient's RMS for SGD (the scale of the step per unit of learning rate) */
  weightsGradientScale: number;
  biasesGradientScale: number;
  weightsRms: number;
  biasesRms: number;
  participating: number;
  participationRatio: number;
  deadUnits: number | null;
}

/** One recording window of the ramp: its steps, learning rates, mean training loss, and per layer the fluctuation. */
export interface LrFindWindow {
  startStep: number;
  endStep: number;
  /** η at the window's last step, and the mean over its steps (the divisor of the gradient scale) */
  lr: number;
  lrMean: number;
  trainLoss: number;
  layers: LrFindLayer[];
}

/** The result of one range test (lr-find.json). */
export interface LrFindResult {
  kind: 'fluctlab.lr-find';
  schemaVersion: 1;
  config: SweepConfig;
  seed: number;
  /** how the products added (fma or exact: contract/config.ts ARITHMETICS); absent in results made before fma */
  arithmetic?: Arithmetic;
  options: LrFindOptions & { stopFactor: number; smoothing: number };
  task: 'classification' | 'reconstruction';
  points: RangePoint[];
  stop: { reason: StopReason; step: number };
  suggestions: Suggestion[];
  windows: LrFindWindow[];
  environment: Environment;
  timing: { trainSeconds: number; finishedAt: string };
}

/** Hooks of a range test. */
export interface LrFindHooks {
  onStep?: (p: RangePoint) => void;
  now?: () => number;
  /** polled before every step: once true, the test rejects with a CancelledError */
  cancelled?: () => boolean;
}

/**
 * Runs the LR range test on `config`'s data, model, optimizer, batch and weight decay (its lrs, epochs, schedule and
 * divergence rule are not used), in this thread, and returns what `fluctlab lr-find` writes as lr-find.json.
 *
 *     // Node: the data set and environment from fluctlab/node
 *     const result = await lrFind(loadDataset(config), config, LR_FIND_DEFAULTS, 1, await nodeEnvironment());
 *     for (const s of result.suggestions) console.log(s.name, s.lr); // steepest, valley, minimum/10
 */
export async function lrFind(
  data: Dataset,
  config: SweepConfig,
  options: LrFindOptions,
  seed: number,
  environment: Environment,
  hooks: LrFindHooks = {},
): Promise<LrFindResult> {
  checkLrFindArgs(data, config, options, seed);
  const o = validateLrFindOptions(options);
  const now = hooks.now ?? (() => performance.now());
  const trainer = new Trainer(data, config, seed);
  const windows: LrFindWindow[] = [];
  let lrSum = 0;
  let lossSum = 0;
  let lastLr = o.start;
  const close = () => {
    const w = trainer.closeWindow();
    const steps = w.endStep - w.startStep;
    const lrMean = lrSum / steps;
    windows.push({
      startStep: w.startStep,
      endStep: w.endStep,
      lr: lastLr,
      lrMean,
      trainLoss: lossSum / steps,
      layers: w.layers.map((l) => ({
        layer: l.layer,
        units: l.units,
        weightsGradientScale: l.weights.rms / lrMean,
        biasesGradientScale: l.biases.rms / lrMean,
        weightsRms: l.weights.rms,
        biasesRms: l.biases.rms,
        participating: l.weights.participating,
        participationRatio: l.weights.participationRatio,
        deadUnits: l.deadUnits,
      })),
    });
    lrSum = 0;
    lossSum = 0;
  };
  const t0 = now();
  let test: ReturnType<typeof rangeTest>;
  try {
    test = rangeTest(
      o,
      (lr, t) => {
        if (hooks.cancelled?.()) throw new CancelledError('LR range test cancelled');
        const s = t % trainer.stepsPerEpoch;
        if (s === 0) trainer.shuffle();
        const r = trainer.step(lr, s);
        const loss = r.finite ? r.loss : NaN;
        if (Number.isFinite(loss)) {
          lrSum += lr;
          lossSum += loss;
          lastLr = lr;
          if (trainer.recorder().windowSteps === o.windowSteps) close();
        }
        return loss;
      },
      hooks.onStep,
    );
    // a partial window at the end (a stop mid-window); a non-finite step is left out of the statistics
    if (trainer.recorder().windowSteps > 0 && test.stop !== 'non-finite') close();
  } finally {
    trainer.dispose();
  }
  const last = test.points[test.points.length - 1];
  return {
    kind: 'fluctlab.lr-find',
    schemaVersion: 1,
    config,
    seed,
    arithmetic: trainer.net.arithmetic,
    options: { ...o, stopFactor: STOP_FACTOR, smoothing: LOSS_SMOOTHING },
    task: trainer.ae ? 'reconstruction' : 'classification',
    points: test.points,
    stop: { reason: test.stop, step: test.stop === 'non-finite' ? (last?.step ?? 0) + 1 : (last?.step ?? 0) },
    suggestions: suggestLrs(test.points, o.steps),
    windows,
    environment,
    timing: { trainSeconds: (now() - t0) / 1000, finishedAt: new Date().toISOString() },
  };
}

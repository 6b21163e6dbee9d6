/**
 * Smith's LR range test ("Cyclical Learning Rates for Training Neural
 * Networks", 2017; fastai `lr_find`, pytorch-lr-finder) with the fluctuation
 * recorder running along the ramp. One run: the learning rate grows
 * exponentially from `start` to `end` over `steps` optimizer steps,
 *
 *     η_t = start · (end / start)^(t / (steps − 1)),   t = 0 … steps − 1,
 *
 * the training loss is smoothed (β = 0.98, bias-corrected: smoothedLoss.ts)
 * and the test stops once the smoothed loss exceeds 4 × the best so far, or a
 * loss or Δ is not finite. Each recording window (one step by default) keeps
 * per-layer RMS Δ / η (the scale of the gradient the optimizer followed),
 * participating neurons, participation ratio and dead units against η.
 *
 *     const r = await lrFind(data, config, { start: 1e-7, end: 10, steps: 100, windowSteps: 1 }, 1, env);
 *     r.suggestions; // steepest, valley, minimum/10
 */
import { detLog, detPow } from '../detMath.js';
import type { SweepConfig } from '../../contract/config.js';
import type { Dataset } from '../data/dataset.js';
import { checkLrFindArgs } from './lrFindArgs.js';
import { CancelledError } from '../../contract/errors.js';
import { SettingError } from '../../contract/configure.js';
import type { Environment } from '../../contract/record.js';
import { LOSS_SMOOTHING, SmoothedLoss } from './smoothedLoss.js';
import { Trainer } from './trainer.js';

/** What the ramp does. */
export interface LrFindOptions {
  start: number;
  end: number;
  steps: number;
  /** steps per recording window (1: a window per learning rate) */
  windowSteps: number;
}

/** The ramp `fluctlab lr-find` runs by default: η from 1e-7 to 10, exponentially, over 100 steps, one recording window per step. */
export const LR_FIND_DEFAULTS: LrFindOptions = { start: 1e-7, end: 10, steps: 100, windowSteps: 1 };
/** The test stops when the smoothed loss passes this multiple of its best value (fastai and pytorch-lr-finder use 4 and 5). */
export const STOP_FACTOR = 4;

/** One step of the ramp. */
export interface RangePoint {
  /** 1-based step */
  step: number;
  lr: number;
  loss: number;
  smoothed: number;
}

/** Why the ramp ended. */
export type StopReason = 'exploded' | 'non-finite' | 'end';

/** A suggested learning rate. */
export interface Suggestion {
  name: 'steepest' | 'valley' | 'minimum/10';
  lr: number;
  /** the point it was read at (for minimum/10: the minimum's point) */
  step: number;
  smoothed: number;
  method: string;
}

/** Checks the options; a SettingError names the setting and a fix. */
export function validateLrFindOptions(o: LrFindOptions): LrFindOptions {
  if (!(Number.isFinite(o.start) && o.start > 0))
    throw new SettingError('start', `start ${o.start} must be a positive number: e.g. 1e-7`);
  if (!(Number.isFinite(o.end) && o.end > 0))
    throw new SettingError('end', `end ${o.end} must be a positive number: e.g. 10`);
  if (o.start >= o.end)
    throw new SettingError(
      'end',
      `end ${o.end} must be above start ${o.start}: the ramp goes up, e.g. from 1e-7 to 10`,
    );
  if (!(Number.isInteger(o.steps) && o.steps >= 10))
    throw new SettingError('steps', `steps ${o.steps} is too few: the ramp needs at least 10 steps (default 100)`);
  if (!(Number.isInteger(o.steps) && o.steps <= 100000))
    throw new SettingError('steps', `steps ${o.steps} is too many: use at most 100000`);
  if (!(Number.isInteger(o.windowSteps) && o.windowSteps >= 1 && o.windowSteps <= o.steps)) {
    throw new SettingError(
      'windowSteps',
      `window steps ${o.windowSteps} must be a whole number from 1 to the ramp's ${o.steps} steps`,
    );
  }
  return o;
}

/** The ramp's learning rate at step t (0-based). */
export function rampLr(o: Pick<LrFindOptions, 'start' | 'end' | 'steps'>, t: number): number {
  return o.start * detPow(o.end / o.start, t / (o.steps - 1));
}

/**
 * Runs the ramp over any training step: `step(lr, t)` trains one step at lr and returns its loss. Stops early as
 * described above. Pure driver, so a model whose answer is known (a quadratic) can test it.
 */
export function rangeTest(
  o: Pick<LrFindOptions, 'start' | 'end' | 'steps'>,
  step: (lr: number, t: number) => number,
  onPoint?: (p: RangePoint) => void,
): { points: RangePoint[]; stop: StopReason } {
  const smooth = new SmoothedLoss();
  const points: RangePoint[] = [];
  let best = Infinity;
  for (let t = 0; t < o.steps; t++) {
    const lr = rampLr(o, t);
    const loss = step(lr, t);
    if (!Number.isFinite(loss)) return { points, stop: 'non-finite' };
    const smoothed = smooth.add(loss);
    const point = { step: t + 1, lr, loss, smoothed };
    points.push(point);
    onPoint?.(point);
    if (smoothed > STOP_FACTOR * best) return { points, stop: 'exploded' };
    best = Math.min(best, smoothed);
  }
  return { points, stop: 'end' };
}

/**
 * fastai's three suggestions (fastai.callback.schedule: `minimum`, `steep`, `valley`), on the smoothed losses with
 * fastai's trim: the first steps/10 points and the last 5 are left out (all points when fewer than 8 would remain).
 *   steepest:   the lr where the smoothed loss falls fastest against log lr, (L_{i+1} − L_i) / (ln η_{i+1} − ln η_i) most negative
 *   valley:     the longest run of decreasing loss (longest decreasing subsequence), and a point 1/2 of the way along its middle third
 *   minimum/10: a tenth of the lr at the lowest smoothed loss
 */
export function suggestLrs(points: readonly RangePoint[], steps: number): Suggestion[] {
  let p = points.slice(Math.floor(steps / 10), Math.max(0, points.length - 5));
  if (p.length < 8) p = points.slice();
  if (p.length < 2) return [];
  const L = p.map((x) => x.smoothed);
  const out: Suggestion[] = [];
  let steep = 0;
  let steepest = Infinity;
  for (let i = 0; i + 1 < p.length; i++) {
    const g = (L[i + 1] - L[i]) / (detLog(p[i + 1].lr) - detLog(p[i].lr));
    if (g < steepest) {
      steepest = g;
      steep = i;
    }
  }
  out.push({
    name: 'steepest',
    lr: p[steep].lr,
    step: p[steep].step,
    smoothed: L[steep],
    method: 'the steepest fall of the smoothed loss against log η (fastai steep)',
  });
  // fastai valley, transcribed: lds[i] = length of the longest decreasing run ending at i
  const n = L.length;
  const lds = new Array<number>(n).fill(1);
  let maxStart = 0;
  let maxEnd = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (L[i] < L[j] && lds[i] < lds[j] + 1) lds[i] = lds[j] + 1;
      if (lds[maxEnd] < lds[i]) {
        maxEnd = i;
        maxStart = maxEnd - lds[maxEnd];
      }
    }
  }
  const sections = (maxEnd - maxStart) / 3;
  const v = Math.min(n - 1, Math.max(0, maxStart + Math.floor(sections) + Math.floor(sections / 2)));
  out.push({
    name: 'valley',
    lr: p[v].lr,
    step: p[v].step,
    smoothed: L[v],
    method: 'half-way through the middle third of the longest valley of the smoothed loss (fastai valley, its default)',
  });
  let m = 0;
  for (let i = 1; i < n; i++) if (L[i] < L[m]) m = i;
  out.push({
    name: 'minimum/10',
    lr: p[m].lr / 10,
    step: p[m].step,
    smoothed: L[m],
    method: 'a tenth of the learning rate at the lowest smoothed loss (fastai minimum)',
  });
  return out;
}

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

/**
 * The ramp of Smith's LR range test ("Cyclical Learning Rates for Training Neural Networks", 2017; fastai `lr_find`,
 * pytorch-lr-finder), apart from any network: its options and their checks, the driver, and the suggestions read off
 * its losses. The learning rate grows exponentially from `start` to `end` over `steps` optimizer steps,
 *
 *     η_t = start · (end / start)^(t / (steps − 1)),   t = 0 … steps − 1,
 *
 * the training loss is smoothed (β = 0.98, bias-corrected: smoothedLoss.ts) and the test stops once the smoothed loss
 * exceeds 4 × the best so far, or a loss is not finite. lrFind.ts runs it on a network with the fluctuation recorder.
 *
 *     const { points, stop } = rangeTest(LR_FIND_DEFAULTS, (lr, t) => trainOneStep(lr, t)); // returns the step's loss
 *     suggestLrs(points, LR_FIND_DEFAULTS.steps); // steepest, valley, minimum/10
 */
import { defaultFor, SETTINGS } from '../../contract/settings.js';
import { detLog, detPow } from '../detMath.js';
import { SettingError } from '../../contract/configure.js';
import { SmoothedLoss } from './smoothedLoss.js';

/** What the ramp does. */
export interface LrFindOptions {
  start: number;
  end: number;
  steps: number;
  /** steps per recording window (1: a window per learning rate) */
  windowSteps: number;
}

/**
 * The ramp `fluctlab lr-find` runs by default: η from 1e-7 to 10, exponentially, over 100 steps, one recording window
 * per step (the lr-find defaults of the settings table).
 */
export const LR_FIND_DEFAULTS: LrFindOptions = {
  start: SETTINGS.start.default,
  end: SETTINGS.end.default,
  steps: SETTINGS.steps.default,
  windowSteps: defaultFor(SETTINGS.windowSteps, 'lr-find') ?? 1,
};
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

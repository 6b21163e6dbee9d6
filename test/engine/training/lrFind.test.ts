import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/engine/kernels/tf.js';
import { DEFAULTS } from '../../../src/contract/configure.js';
import type { Dataset } from '../../../src/engine/data/dataset.js';
import { UsageError } from '../../../src/contract/errors.js';
import { lrFind } from '../../../src/engine/training/lrFind.js';
import {
  LR_FIND_DEFAULTS,
  rampLr,
  rangeTest,
  suggestLrs,
  validateLrFindOptions,
  type RangePoint,
} from '../../../src/engine/training/rangeTest.js';
import { loadIdxDataset } from '../../../src/node/mnist.js';
import { TEST_ENVIRONMENT } from '../../helpers/records.js';

const env = TEST_ENVIRONMENT;

describe('the LR range test driver', () => {
  it('ramps exponentially from start to end: η_t = start·(end/start)^(t/(steps−1))', () => {
    const o = { start: 1e-4, end: 1, steps: 5 };
    [1e-4, 1e-3, 1e-2, 1e-1, 1].forEach((v, t) => {
      expect(rampLr(o, t)).toBeCloseTo(v, 12);
    });
  });

  it('on a quadratic ½aθ² (gradient descent stable for η < 2/a) stops only past 2/a, and suggests η below it', () => {
    // θ ← (1 − ηa)θ shrinks the loss for every η < 2/a, so the smoothed loss cannot rise before η passes 2/a;
    // beyond it |1 − ηa| > 1 and the loss grows geometrically: the test must stop soon after.
    for (const a of [0.5, 4, 50]) {
      let theta = 1;
      const { points, stop } = rangeTest({ start: 1e-5, end: 100, steps: 200 }, (lr) => {
        const loss = 0.5 * a * theta * theta;
        theta -= lr * a * theta;
        return loss;
      });
      expect(stop).toBe('exploded');
      const last = points[points.length - 1];
      expect(last.lr).toBeGreaterThan(2 / a);
      // the smoothed loss lags and θ has shrunk by orders of magnitude before the edge: it takes part of a decade to grow back
      expect(last.lr).toBeLessThan((2 / a) * 10);
      for (const p of points) if (p.lr < 2 / a) expect(p.smoothed).toBeLessThanOrEqual(points[0].smoothed);
      for (const s of suggestLrs(points, 200)) expect(s.lr, `${s.name} at a = ${a}`).toBeLessThan(2 / a);
    }
  });

  it('stops at once on a non-finite loss, keeping the points before it', () => {
    const r = rangeTest({ start: 1, end: 10, steps: 20 }, (_lr, t) => (t === 3 ? NaN : 1));
    expect(r.stop).toBe('non-finite');
    expect(r.points.map((p) => p.step)).toEqual([1, 2, 3]);
  });

  it('runs to the end when the loss never explodes', () => {
    expect(rangeTest({ start: 1, end: 10, steps: 12 }, () => 1).stop).toBe('end');
  });
});

describe('suggestions (fastai minimum, steep and valley)', () => {
  // 7 points, equally spaced in log η (so the steepest fall against log η is the largest drop); fewer than 8 remain after
  // fastai's trim, so all are used
  const L = [5, 4, 3, 1.5, 1, 2, 3];
  const points: RangePoint[] = L.map((smoothed, i) => ({ step: i + 1, lr: 10 ** (i - 6), loss: smoothed, smoothed }));
  const by = (name: string) => suggestLrs(points, 7).find((s) => s.name === name)!;

  it('minimum/10: a tenth of η at the lowest smoothed loss (η = 1e-2 there)', () => {
    expect(by('minimum/10').lr).toBeCloseTo(1e-3, 15);
    expect(by('minimum/10').step).toBe(5);
  });

  it('steepest: η at the left end of the largest fall per decade (3 → 1.5, at η = 1e-4)', () => {
    expect(by('steepest').lr).toBeCloseTo(1e-4, 15);
  });

  it('valley: the longest decreasing run 5,4,3,1.5,1 (indices 0…4, fastai start −1): −1 + ⌊5/3⌋ + ⌊5/6⌋ = index 0', () => {
    expect(by('valley').step).toBe(1);
  });

  it('skips the first tenth and the last 5 points when enough remain', () => {
    const long: RangePoint[] = Array.from({ length: 100 }, (_, i) => ({
      step: i + 1,
      lr: 10 ** (i / 10 - 7),
      loss: 0,
      smoothed: i < 3 ? -10 : i > 95 ? -20 : Math.abs(i - 50),
    }));
    const minimum = suggestLrs(long, 100).find((s) => s.name === 'minimum/10')!;
    expect(minimum.step).toBe(51); // not the low values at steps 1–3 or 97–100
  });
});

describe('validating the ramp', () => {
  it.each([
    [{ start: 1, end: 1 }, /end 1 must be above start 1/],
    [{ start: 0 }, /start 0 must be a positive number/],
    [{ steps: 9 }, /steps 9 is too few: the ramp needs at least 10 steps/],
    [{ windowSteps: 0 }, /window steps 0 must be a whole number from 1 to the ramp's 100 steps/],
  ])('refuses %o', (change, message) => {
    expect(() => validateLrFindOptions({ ...LR_FIND_DEFAULTS, ...change })).toThrow(UsageError);
    expect(() => validateLrFindOptions({ ...LR_FIND_DEFAULTS, ...change })).toThrow(message);
  });
});

describe('lr-find on MNIST (mlp:128,64, SGD, batch 64)', () => {
  let data: Dataset;
  beforeAll(async () => {
    await initBackend();
    data = loadIdxDataset('mnist');
  });
  const config = { ...DEFAULTS, trainLimit: 6400, probeSize: 200 };

  it('stops when the loss explodes, suggests η where SGD trains this network (0.001–1), and records every window', async () => {
    const r = await lrFind(data, config, LR_FIND_DEFAULTS, 1, env);
    expect(r.stop.reason).toBe('exploded');
    expect(r.points[r.points.length - 1].lr).toBeGreaterThan(0.5);
    for (const s of r.suggestions) {
      expect(s.lr, s.name).toBeGreaterThan(1e-3);
      expect(s.lr, s.name).toBeLessThan(1);
    }
    expect(r.windows.length).toBe(r.points.length);
    expect(r.windows[0].layers.map((l) => l.layer)).toEqual(['dense1', 'dense2', 'dense3']);
    // SGD: RMS Δ / η is the gradient's RMS, flat while η is small
    const early = r.windows.slice(5, 40).map((w) => w.layers[0].weightsGradientScale);
    expect(Math.max(...early) / Math.min(...early)).toBeLessThan(2);
    expect(r.windows[r.windows.length - 1].layers[0].weightsGradientScale).toBeGreaterThan(5 * Math.max(...early));
  });

  it('is deterministic: the same seed gives the same result apart from timing and environment', async () => {
    const o = { ...LR_FIND_DEFAULTS, steps: 30, windowSteps: 5 };
    const strip = (r: Awaited<ReturnType<typeof lrFind>>) => JSON.stringify({ ...r, timing: null, environment: null });
    const a = await lrFind(data, config, o, 3, env);
    const b = await lrFind(data, config, o, 3, { ...env, runtime: 'other' });
    expect(strip(a)).toBe(strip(b));
    expect(a.windows.map((w) => [w.startStep, w.endStep])).toEqual([
      [0, 5],
      [5, 10],
      [10, 15],
      [15, 20],
      [20, 25],
      [25, 30],
    ]);
    const c = await lrFind(data, config, o, 4, env);
    expect(strip(c)).not.toBe(strip(a));
  });

  it('works for an autoencoder with adam', async () => {
    const r = await lrFind(
      data,
      { ...config, model: 'ae:32,8', optimizer: 'adam' },
      { ...LR_FIND_DEFAULTS, start: 1e-5, end: 1, steps: 40 },
      1,
      env,
    );
    expect(r.task).toBe('reconstruction');
    expect(r.points.length).toBeGreaterThan(20);
    expect(r.suggestions.map((s) => s.name)).toEqual(['steepest', 'valley', 'minimum/10']);
  });
});

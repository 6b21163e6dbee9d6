/**
 * Done-when tests of issue 25: the correlations say what a measure adds beyond the learning rate. Sweeps of 4 learning
 * rates × 4 seeds, built by hand: in one the outcome depends on η only (the raw ρ of RMS Δ is large, and must not be
 * read as "fluctuation predicts accuracy"); in the other an η-free measure carries signal at fixed η.
 */
import { describe, expect, it } from 'vitest';
import { correlations, type MeasureCorrelation } from '../../src/analysis/correlations.js';
import type { TensorFluctuation } from '../../src/contract/windowRecord.js';
import { runRecord } from '../helpers/records.js';

const LRS = [0.001, 0.01, 0.1, 1];
/** accuracy by learning rate: rising, then falling at the largest (not monotone in η) */
const BY_LR = [0.8, 0.9, 0.95, 0.85];

/** 16 runs; `make(lrIndex, seedIndex)` gives a run's accuracy and dense1 weight measures. */
function sweep(make: (i: number, s: number) => { acc: number; weights: Partial<TensorFluctuation> }) {
  return LRS.flatMap((lr, i) =>
    [0, 1, 2, 3].map((s) => {
      const { acc, weights } = make(i, s);
      return runRecord(lr, s + 1, acc, weights);
    }),
  );
}

const find = (cs: MeasureCorrelation[], measure: string) =>
  cs.find((c) => c.measure === measure && c.tensor === 'weights')!;

describe('an outcome that depends on η only', () => {
  // seed noise in accuracy (+ − + −) and in the measures (+ + − −) are orthogonal within every learning rate
  const records = sweep((i, s) => ({
    acc: BY_LR[i] + 0.002 * [1, -1, 1, -1][s],
    weights: { rms: LRS[i] * (1 + 0.1 * [1, 1, -1, -1][s]), effectiveRms: 0.5 + 0.05 * [1, 1, -1, -1][s] },
  }));
  const cs = correlations(records, 'testAccuracy');

  it('RMS Δ: a raw ρ that follows η, partial and within-η ρ near 0, and "no association beyond η"', () => {
    const rms = find(cs, 'rms');
    expect(Math.abs(rms.rho!)).toBeGreaterThan(0.3);
    expect(Math.abs(rms.partial!.rho!)).toBeLessThan(0.1);
    expect(Math.abs(rms.withinLr!.rho!)).toBeLessThan(0.1);
    expect(rms.withinLr).toMatchObject({ n: 16, groups: 4, df: 11 });
    expect(rms.claim).toMatch(/^No association beyond η for dense1 RMS Δ of weights/);
  });

  it('an η-free measure with no signal: no association beyond η either', () => {
    const eff = find(cs, 'effectiveRms');
    expect(Math.abs(eff.partial!.rho!)).toBeLessThan(0.1);
    expect(Math.abs(eff.withinLr!.rho!)).toBeLessThan(0.1);
    expect(eff.claim).toMatch(/^No association beyond η/);
  });
});

describe('a measure that carries signal beyond η', () => {
  // at every learning rate the seed with the larger effective step RMS ends better (the order rotates with η)
  const d = (i: number, s: number) => [-0.15, -0.05, 0.05, 0.15][(s + i) % 4];
  const records = sweep((i, s) => ({
    acc: BY_LR[i] + 0.02 * d(i, s) + 0.0005 * [1, -1, -1, 1][s],
    weights: { rms: LRS[i] * (1 + 0.1 * [1, 1, -1, -1][s]), effectiveRms: 0.5 + d(i, s) },
  }));
  const cs = correlations(records, 'testAccuracy');

  it('is found at fixed η, beyond η, and sized by the regression', () => {
    const eff = find(cs, 'effectiveRms');
    expect(eff.withinLr!.rho!).toBeGreaterThan(0.9);
    expect(eff.withinLr!.p!).toBeLessThan(0.001);
    // the outcome is not monotone in η, so ranks partialled on log η keep part of η's effect: weaker, still positive
    expect(eff.partial!.rho!).toBeGreaterThan(0.2);
    expect(eff.regression!.control).toBe('lr-groups');
    expect(eff.regression!.coef).toBeCloseTo(0.02, 2);
    expect(eff.regression!.lo).toBeGreaterThan(0);
    expect(eff.claim).toMatch(
      /^At fixed η, runs with higher dense1 effective step RMS Δ\/η of weights than their siblings ended better \(within-η ρ = (0\.9\d|1\.00), p < 0\.0001; 16 runs at 4 learning rates\); a run 0\.13 higher \(one spread at fixed η\) ended \+0\.26 pp \(95% interval 0\.2\d to 0\.\d+\)\.$/,
    );
  });

  it('while RMS Δ, whose seed pattern is unrelated, still shows no association beyond η', () => {
    expect(find(cs, 'rms').claim).toMatch(/^No association beyond η/);
  });
});

describe('too few runs, or a measure that does not vary', () => {
  it('says so instead of claiming', () => {
    const rms = (lr: number) => ({ rms: lr });
    const cs = correlations(
      [runRecord(0.1, 1, 0.9, rms(0.1)), runRecord(0.01, 1, 0.8, rms(0.01)), runRecord(0.001, 1, 0.7, rms(0.001))],
      'testAccuracy',
    );
    expect(find(cs, 'rms').claim).toBe('Too few runs to separate dense1 RMS Δ of weights from η.');
    expect(find(cs, 'participationRatio').claim).toBe(
      'dense1 participation ratio PR is the same in every run: nothing to correlate.',
    );
  });

  it('says a measure ordered exactly as η leaves nothing to test', () => {
    const cs = correlations(
      [0.001, 0.01, 0.1, 1].map((lr, i) => runRecord(lr, 1, [0.8, 0.9, 0.85, 0.7][i], { rms: lr })),
      'testAccuracy',
    );
    expect(find(cs, 'rms').claim).toMatch(/^dense1 RMS Δ of weights is ordered as η itself: nothing is left to test/);
  });
});

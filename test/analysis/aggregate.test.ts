/** The aggregate on tiny hand-made RunRecords: exact histogram merges, intervals, correlations, the band, bad records. */
import { describe, expect, it } from 'vitest';
import { aggregate } from '../../src/analysis/aggregate.js';
import type { SweepConfig } from '../../src/contract/config.js';
import { DEFAULTS } from '../../src/contract/configure.js';
import { UsageError } from '../../src/contract/errors.js';
import { BIN_SPEC, histogram } from '../../src/engine/recording/histogram.js';
import type { TensorFluctuation, WindowRecord } from '../../src/contract/windowRecord.js';
import { SCHEMA_VERSION, type RunRecord, type RunStatus } from '../../src/contract/record.js';
import { meanInterval } from '../../src/analysis/stats.js';
import { buildSweepResult } from '../../src/analysis/sweepResult.js';

function tensor(rms: number, deltas: number[]): TensorFluctuation {
  return {
    meanAbs: rms,
    rms,
    maxAbs: rms,
    neuronFluctuation: [rms],
    neuronSpread: [0],
    spreadOfSpread: rms / 10,
    spreadCv: 0.5,
    participating: 1,
    participationRatio: 1,
    effectiveNeurons: 1,
    histogram: histogram(deltas),
  };
}

/** A record with one layer whose windows carry the given Δ samples (weights) and weight RMS in the last window. */
function record(
  lr: number,
  seed: number,
  opts: { acc?: number | null; rms?: number; windows?: number[][]; status?: RunStatus } = {},
): RunRecord {
  const deltas = opts.windows ?? [[0.01, -0.02]];
  const windows: WindowRecord[] = deltas.map((d, i) => ({
    index: i,
    startStep: i * 10,
    endStep: (i + 1) * 10,
    trainLoss: 1 / (i + 1),
    layers: [
      { layer: 'dense1', units: 1, weights: tensor(opts.rms ?? 0.01, d), biases: tensor(0.001, [0.001]), deadUnits: 0 },
    ],
  }));
  const status = opts.status ?? 'ok';
  return {
    schemaVersion: SCHEMA_VERSION,
    kind: 'fluctlab.run',
    id: `lr${lr}-seed${seed}`,
    lr,
    seed,
    config: DEFAULTS,
    status,
    divergedAtStep: status === 'diverged' ? 7 : null,
    error: status === 'failed' ? 'worker died' : null,
    task: 'classification',
    testAccuracy: status === 'ok' ? (opts.acc ?? 0.9) : null,
    testLoss: status === 'ok' ? 0.3 : null,
    testPsnr: null,
    steps: 10 * deltas.length,
    parameterCount: 2,
    epochs: [
      { epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8, testLoss: 0.3, testAccuracy: opts.acc ?? 0.9, testPsnr: null },
    ],
    bins: BIN_SPEC,
    windows: status === 'failed' ? [] : windows,
    environment: { runtime: 'test', backend: 'wasm', simd: true, threads: 1, tfjsVersion: '0', fluctlabVersion: '0' },
    timing: { trainSeconds: 1, samplesPerSecond: 1, finishedAt: '' },
  };
}

const config = (lrs: number[], seeds: number[]): SweepConfig => ({ ...DEFAULTS, lrs, seeds });

describe('aggregate: histograms', () => {
  it('merging two runs equals the histogram of their concatenated Δ, per window and in total', () => {
    const a1 = [1e-3, -2e-3, 0, 5e-7, 3.5];
    const a2 = [0.02, 0.02, -1e-9];
    const b1 = [1e-3, 0.7, -0.7, 1e-30, 20];
    const b2 = [-4e-5];
    const agg = aggregate(config([0.1], [1, 2]), [
      record(0.1, 1, { windows: [a1, a2] }),
      record(0.1, 2, { windows: [b1, b2] }),
    ]);
    const h = agg.lrs[0].layers[0].histogram.weights;
    expect(h.windows[0]).toEqual(histogram([...a1, ...b1]));
    expect(h.windows[1]).toEqual(histogram([...a2, ...b2]));
    expect(h.total).toEqual(histogram([...a1, ...a2, ...b1, ...b2]));
    expect(h.total.reduce((s, c) => s + c, 0)).toBe(14);
  });

  it('refuses records whose histogram edges differ, naming the run', () => {
    const other = { ...record(0.1, 2), bins: { ...BIN_SPEC, minExp: -30 } };
    expect(() => aggregate(config([0.1], [1, 2]), [record(0.1, 1), other])).toThrow(UsageError);
    expect(() => aggregate(config([0.1], [1, 2]), [record(0.1, 1), other])).toThrow(
      /run lr0.1-seed2 has histogram edges .* cannot be merged/,
    );
  });

  it('refuses a histogram whose length does not match its bin spec', () => {
    const r = record(0.1, 1);
    r.windows[0].layers[0].weights.histogram.pop();
    expect(() => aggregate(config([0.1], [1]), [r])).toThrow(
      /records\[0\] is not a run record: windows\[0\]\.layers\[0\]\.weights\.histogram does not hold \d+ counts/,
    );
  });
});

describe('aggregate: statistics over seeds', () => {
  it("is the mean and t-interval of the seeds' last-window values", () => {
    const recs = [
      record(0.1, 1, { rms: 1, acc: 0.9 }),
      record(0.1, 2, { rms: 2, acc: 0.92 }),
      record(0.1, 3, { rms: 3, acc: 0.94 }),
    ];
    const agg = aggregate(config([0.1], [1, 2, 3]), recs);
    expect(agg.lrs[0].layers[0].weights.rms).toEqual(meanInterval([1, 2, 3]));
    // t(0.975, 2) = 4.302653; s = 1 → half-width 2.484138
    expect(agg.lrs[0].layers[0].weights.rms!.hi).toBeCloseTo(2 + 2.484138, 5);
    expect(agg.lrs[0].outcome!.mean).toBeCloseTo(0.92, 12);
    expect(agg.lrs[0].windows[0].trainLoss!.mean).toBe(1);
  });

  it('with one seed reports the value itself as the interval', () => {
    const agg = aggregate(config([0.1], [1]), [record(0.1, 1, { acc: 0.93 })]);
    expect(agg.lrs[0].outcome).toEqual({ mean: 0.93, lo: 0.93, hi: 0.93, n: 1 });
    expect(agg.method.interval).toMatch(/one seed/);
  });

  it('lists diverged and failed runs with their status, and leaves them out of means', () => {
    const recs = [record(1, 1, { status: 'diverged' }), record(1, 2, { acc: 0.5 }), record(1, 3, { status: 'failed' })];
    const agg = aggregate(config([1], [1, 2, 3]), recs);
    const lr = agg.lrs[0];
    expect(lr.counts).toEqual({ ok: 1, diverged: 1, failed: 1 });
    expect(lr.runs.map((r) => [r.status, r.divergedAtStep, r.error])).toEqual([
      ['diverged', 7, null],
      ['ok', null, null],
      ['failed', null, 'worker died'],
    ]);
    expect(lr.outcome).toEqual({ mean: 0.5, lo: 0.5, hi: 0.5, n: 1 });
  });
});

describe('aggregate: correlations and band', () => {
  it('gives Spearman ρ of weight RMS Δ against accuracy with tied accuracies (hand-computed)', () => {
    // rms 1,2,3,4 → ranks 1..4; acc .9,.8,.8,.7 → ranks 4,2.5,2.5,1. dx = −1.5,−.5,.5,1.5; dy = 1.5,0,0,−1.5;
    // Σdx·dy = −4.5, Σdx² = 5, Σdy² = 4.5 → ρ = −4.5/√22.5 = −0.9486833.
    // Exact p: |S| = 1.5·|dx_a − dx_b| ≥ 4.5 only for {a,b} = {first, last}: 2 × 2 orders of the zeros = 4 of 24 → 1/6.
    const recs = [
      record(0.4, 1, { rms: 1, acc: 0.9 }),
      record(0.3, 1, { rms: 2, acc: 0.8 }),
      record(0.2, 1, { rms: 3, acc: 0.8 }),
      record(0.1, 1, { rms: 4, acc: 0.7 }),
    ];
    const agg = aggregate(config([0.4, 0.3, 0.2, 0.1], [1]), recs);
    const c = agg.correlations.find((x) => x.layer === 'dense1' && x.tensor === 'weights' && x.measure === 'rms')!;
    expect(c.rho).toBeCloseTo(-0.9486833, 6);
    expect(c.p).toBeCloseTo(1 / 6, 12);
    expect(c).toMatchObject({ n: 4, method: 'exact-permutation' });
  });

  it('recommends the learning rates within one interval of the best, skipping ones where a seed diverged', () => {
    // lr 0.1: acc .90,.92 → mean .91, s = .014142, t(.975,1) = 12.7062 → lo = .91 − 12.7062·.01 = .782938
    // lr 0.03: .80,.82 → mean .81 ≥ .7829 (in); lr 0.01: .70,.72 → .71 (out); lr 0.3: a diverged seed (out).
    const recs = [
      record(0.3, 1, { acc: 0.99 }),
      record(0.3, 2, { status: 'diverged' }),
      record(0.1, 1, { acc: 0.9 }),
      record(0.1, 2, { acc: 0.92 }),
      record(0.03, 1, { acc: 0.8 }),
      record(0.03, 2, { acc: 0.82 }),
      record(0.01, 1, { acc: 0.7 }),
      record(0.01, 2, { acc: 0.72 }),
    ];
    const agg = aggregate(config([0.3, 0.1, 0.03, 0.01], [1, 2]), recs);
    expect(agg.band).toMatchObject({ best: 0.1, lrs: [0.03, 0.1], min: 0.03, max: 0.1 });
    expect(agg.band!.threshold).toBeCloseTo(0.91 - 12.7062047 * 0.01, 6);
  });

  it('is part of the SweepResult', () => {
    const result = buildSweepResult(config([0.1], [1]), [record(0.1, 1)]);
    expect(result.aggregate.lrs[0].lr).toBe(0.1);
    expect(result.aggregate.outcome.field).toBe('testAccuracy');
  });
});

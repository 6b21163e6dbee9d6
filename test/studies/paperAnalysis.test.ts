import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/contract/configure.js';
import { activeUnits, analyseLr, analyseStudy } from '../../src/studies/paper/paperAnalysis.js';
import { equalProgress, paperClaims } from '../../src/studies/paper/paperClaims.js';
import {
  equalProgressArms,
  equalProgressEpochs,
  mainConfig,
  PAPER_DEFAULTS,
  windowStepsFor,
} from '../../src/studies/paper/paperStudy.js';
import type { LayerWindow, TensorFluctuation } from '../../src/contract/windowRecord.js';
import type { RunRecord } from '../../src/contract/record.js';

function tensor(f: number[], S: number, participating: number, pr = 1): TensorFluctuation {
  return {
    meanAbs: 0,
    rms: 0,
    maxAbs: 0,
    neuronFluctuation: f,
    neuronSpread: [],
    spreadOfSpread: S,
    spreadCv: 0,
    participating,
    participationRatio: pr,
    effectiveNeurons: pr * f.length,
    histogram: [],
  };
}

/** A two-layer autoencoder-like record: hidden layer of 4 units with the given mean activations, output layer of 2. */
function record(
  lr: number,
  seed: number,
  mse: number,
  act: number[],
  losses: number[],
  hiddenF = [1, 1, 1, 1],
): RunRecord {
  const hidden: LayerWindow = {
    layer: 'dense1',
    units: 4,
    weights: tensor(hiddenF, 0.2, 4),
    biases: tensor([0, 0, 0, 0], 0, 0),
    deadUnits: act.filter((a) => a === 0).length,
    meanActivation: act,
    gradientNorm: { weights: 2, biases: 1 },
  };
  const out: LayerWindow = {
    layer: 'dense2',
    units: 2,
    weights: tensor([3, 5], 0.4, 2),
    biases: tensor([0, 0], 0, 0),
    deadUnits: null,
    meanActivation: null,
    gradientNorm: { weights: 4, biases: 1 },
  };
  return {
    schemaVersion: 1,
    kind: 'fluctlab.run',
    id: `lr${lr}-seed${seed}`,
    lr,
    seed,
    config: { ...DEFAULTS, epochs: losses.length },
    status: 'ok',
    divergedAtStep: null,
    error: null,
    task: 'reconstruction',
    testAccuracy: null,
    testLoss: mse,
    testPsnr: 10 * Math.log10(1 / mse),
    steps: 10 * losses.length,
    parameterCount: 0,
    epochs: losses.map((l, e) => ({
      epoch: e + 1,
      trainLoss: l,
      trainAccuracy: null,
      testLoss: l,
      testAccuracy: null,
      testPsnr: null,
    })),
    bins: { minExp: 0, maxExp: 0, perOctave: 4 } as unknown as RunRecord['bins'],
    windows: [{ index: 0, startStep: 0, endStep: 10 * losses.length, layers: [hidden, out] }],
    environment: { runtime: '', backend: '', simd: true, threads: 1, tfjsVersion: '', fluctlabVersion: '' },
    timing: { trainSeconds: 0, samplesPerSecond: 0, finishedAt: '' },
  };
}

const T1 = 12.706204736174705; // t_{0.975, 1}: the 95% interval of two values is mean ± T1·|a−b|/2

describe('active units', () => {
  it('counts units whose mean activation reaches τ × the layer mean: [0, 0.1, 2, 5.9] with τ = 0.1 → mean 2, threshold 0.2 → 2', () => {
    expect(activeUnits([0, 0.1, 2, 5.9], 0.1)).toBe(2);
    expect(activeUnits([0, 0, 0], 0.1)).toBe(0);
    expect(activeUnits(undefined, 0.1)).toBeNull();
  });
});

describe('analyseLr over two seeds', () => {
  const a = analyseLr(
    0.01,
    [record(0.01, 2, 0.03, [0, 0, 1, 3], [0.2, 0.05]), record(0.01, 1, 0.01, [0, 1, 1, 2], [0.1, 0.03])],
    0.1,
  );

  it('means and t-intervals of the outcome and the neuron counts', () => {
    expect(a.mse!.mean).toBeCloseTo(0.02, 15);
    expect(a.mse!.hi - a.mse!.mean).toBeCloseTo(T1 * 0.01, 12);
    // active: seed 2 → mean 1, threshold 0.1 → 2 units; seed 1 → mean 1 → 3 units
    expect(a.active!.mean).toBe(2.5);
    expect(a.inactive!.mean).toBe(1.5);
    expect(a.dead!.mean).toBe(1.5);
    expect(a.participating!.mean).toBe(4);
    expect(a.hiddenUnits).toBe(4);
  });

  it('spread of the spread and mean fluctuation average over all layers', () => {
    expect(a.spreadOfSpread!.mean).toBeCloseTo(0.3, 15); // (0.2 + 0.4) / 2
    expect(a.meanFluctuation!.mean).toBe(2.5); // (mean[1,1,1,1] + mean[3,5]) / 2
    expect(a.layers.map((l) => [l.layer, l.hidden, l.neuronFluctuation.length])).toEqual([
      ['dense1', true, 8],
      ['dense2', false, 4],
    ]);
    expect(a.layers[0].gradientNorm).toEqual([{ endStep: 20, weights: 2, biases: 1 }]);
  });

  it('loss curve: per epoch mean over seeds, runs sorted by seed', () => {
    expect(a.lossCurve.map((p) => p.mean)).toEqual([0.15000000000000002, 0.04]);
    expect(a.perRun.map((p) => p.seed)).toEqual([1, 2]);
  });
});

describe('the paper claims, decided from the numbers', () => {
  const study = (highMse: number, lowMse: number, highAct: number[], lowAct: number[]) =>
    analyseStudy(
      [
        record(0.01, 1, highMse, highAct, [highMse]),
        record(0.01, 2, highMse * 1.01, highAct, [highMse]),
        record(0.001, 1, 0.05, [1, 1, 1, 1], [0.05]),
        record(0.001, 2, 0.051, [1, 1, 1, 1], [0.05]),
        record(0.0001, 1, lowMse, lowAct, [lowMse]),
        record(0.0001, 2, lowMse * 1.01, lowAct, [lowMse]),
      ],
      0.1,
    );

  it('both hold when η = 0.01 reconstructs best with fewer active units and 0.0001 engages more but reconstructs worse', () => {
    const c = paperClaims(study(0.01, 0.09, [0, 0, 0, 4], [1, 1, 1, 1]));
    expect([c.high, c.low]).toEqual([0.01, 0.0001]);
    expect(c.claim1.holds).toBe(true);
    expect(c.claim1.separated).toBe(true);
    expect(c.claim2.holds).toBe(true);
  });

  it('claim 1 fails when the largest rate does not reconstruct best; claim 2 fails when the smallest engages fewer units', () => {
    const c = paperClaims(study(0.06, 0.09, [1, 1, 1, 1], [0, 0, 0, 4]));
    expect(c.claim1.holds).toBe(false);
    expect(c.claim1.parts['better than 0.001'].holds).toBe(false);
    expect(c.claim2.holds).toBe(false);
    expect(c.claim2.parts['worse outcome'].holds).toBe(true);
  });
});

describe('equal progress', () => {
  it('epochs scale as η_min/η, the smallest rate reuses the main arm', () => {
    expect(equalProgressEpochs(1000, 0.01, 0.0001)).toBe(10);
    expect(equalProgressEpochs(6, 0.01, 0.0001)).toBe(1);
    const main = mainConfig(PAPER_DEFAULTS, 8, 25);
    expect(main.windowSteps).toBe(320);
    expect(windowStepsFor(10, 8, 25)).toBe(8);
    const arms = equalProgressArms(main, 8, 25);
    expect(arms.map((a) => [a.lr, a.dir, a.config.epochs, a.config.windowSteps])).toEqual([
      [0.01, 'equal-progress/lr0.01', 10, 8],
      [0.001, 'equal-progress/lr0.001', 100, 32],
      [0.0001, null, 1000, 320],
    ]);
  });

  it('epochs to target from the mean loss curve, and whether the small rate catches up', () => {
    const hi = analyseLr(0.01, [record(0.01, 1, 0.02, [1, 1, 1, 1], [0.1, 0.02])], 0.1);
    const lo = analyseLr(0.0001, [record(0.0001, 1, 0.021, [1, 1, 1, 1], [0.3, 0.1, 0.05, 0.021])], 0.1);
    const ep = equalProgress([lo, hi], null);
    expect(ep.targetLoss).toBeCloseTo(0.022, 15);
    expect(ep.rows.map((r) => [r.lr, r.epochsToTarget, r.lrStepsToTarget])).toEqual([
      [0.01, 2, 0.2],
      [0.0001, 4, 0.004],
    ]);
    expect(ep.lowCatchesUp).toBe(false);
    expect(ep.lowClearlyWorse).toBe(true); // one seed: point intervals, so any difference separates
    expect(equalProgress([lo, hi], 0.01).rows.map((r) => r.epochsToTarget)).toEqual([null, null]);
  });
});

describe('a study whose largest learning rate failed on every seed', () => {
  it('leaves the claims undecided and still builds the charts, the text and the page', async () => {
    const { paperCharts } = await import('../../src/studies/paper/paperCharts.js');
    const { claimsParagraph } = await import('../../src/studies/paper/paperText.js');
    const { paperReportHtml } = await import('../../src/studies/paper/paperHtml.js');
    const failed = {
      ...record(0.01, 1, 0.02, [1, 1, 1, 1], [0.1]),
      status: 'failed' as const,
      error: 'worker died',
      windows: [],
      epochs: [],
      testLoss: null,
      testPsnr: null,
    };
    const a = analyseStudy([failed, record(0.0001, 1, 0.05, [1, 1, 1, 1], [0.05])], 0.1);
    expect(a.lrs.map((s) => [s.lr, s.ok, s.failed])).toEqual([
      [0.01, 0, 1],
      [0.0001, 1, 0],
    ]);
    const c = paperClaims(a);
    expect([c.claim1.holds, c.claim2.holds]).toEqual([null, null]);
    expect(claimsParagraph(a, c)).toContain(
      'Claim 1 (η = 0.01 reconstructs best but leaves many neurons nearly inactive) is undecided (a number is missing',
    );
    expect(paperCharts(a).map((ch) => ch.id)).toHaveLength(5);
    const plan = {
      kind: 'fluctlab.reproduce' as const,
      schemaVersion: 1 as const,
      windows: 1,
      main: { ...PAPER_DEFAULTS, lrs: [0.01, 0.0001] },
      equalProgress: null,
      mnist: null,
      createdAt: '',
    };
    const html = paperReportHtml({
      plan,
      main: a,
      claims: c,
      equalProgress: null,
      mnist: null,
      figures: [],
      grid: null,
      generatedAt: '',
      fluctlabVersion: 'test',
    });
    expect(html).toContain('0/1 ok, 1 failed');
  });
});

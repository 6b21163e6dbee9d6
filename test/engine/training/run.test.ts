import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/engine/kernels/tf.js';
import type { SweepConfig } from '../../../src/contract/config.js';
import { DEFAULTS } from '../../../src/contract/configure.js';
import type { Dataset } from '../../../src/engine/data/dataset.js';
import { CancelledError } from '../../../src/contract/errors.js';
import { evaluate, trainRun, type RunProgress } from '../../../src/engine/training/run.js';
import { parseModelSpec } from '../../../src/contract/modelSpec.js';
import { chunkExamples, compileModel, valuesPerExample } from '../../../src/engine/training/modelPlan.js';
import { Network } from '../../../src/engine/training/network.js';
import { Rng } from '../../../src/engine/rng.js';
import { generateShapes } from '../../../src/engine/data/shapes.js';
import { parseShapesSpec } from '../../../src/contract/shapesSpec.js';
import { deterministicPart } from '../../../src/contract/record.js';
import { loadIdxDataset } from '../../../src/node/mnist.js';
import { TEST_ENVIRONMENT } from '../../helpers/records.js';

let data: Dataset;
const env = TEST_ENVIRONMENT;
const small: SweepConfig = { ...DEFAULTS, trainLimit: 3200, lrs: [0.1] };

beforeAll(async () => {
  await initBackend();
  data = loadIdxDataset('mnist');
});

describe('a training run on real MNIST', () => {
  it('reaches ≥ 92% test accuracy after one epoch at lr 0.1 (SGD, batch 64, mlp:128,64)', async () => {
    const r = await trainRun(data, { ...DEFAULTS, lrs: [0.1] }, { lr: 0.1, seed: 1 }, env);
    expect(r.status).toBe('ok');
    expect(r.steps).toBe(937);
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.92);
    expect(r.epochs).toHaveLength(1);
    expect(r.windows).toHaveLength(1);
    expect(r.windows[0].layers.map((l) => l.layer)).toEqual(['dense1', 'dense2', 'dense3']);
    const hist = r.windows[0].layers[0].weights.histogram;
    expect(hist.reduce((a, b) => a + b, 0)).toBe(937 * 784 * 128);
  });

  it('is deterministic: the same config and seed give the same record apart from timing and environment', async () => {
    const a = await trainRun(data, small, { lr: 0.1, seed: 3 }, env);
    const b = await trainRun(data, small, { lr: 0.1, seed: 3 }, { ...env, runtime: 'other' });
    expect(JSON.stringify(deterministicPart(a))).toBe(JSON.stringify(deterministicPart(b)));
    const c = await trainRun(data, small, { lr: 0.1, seed: 4 }, env);
    expect(c.testLoss).not.toBe(a.testLoss);
  });

  it('ends a run that blows up as diverged, with the step it happened at', async () => {
    const r = await trainRun(data, small, { lr: 1e6, seed: 1 }, env);
    expect(r.status).toBe('diverged');
    expect(r.divergedAtStep).toBeGreaterThan(0);
    expect(r.divergedAtStep).toBeLessThan(10);
    expect(r.steps).toBe(r.divergedAtStep);
    expect(r.testAccuracy).toBeNull();
    expect(r.windows.length).toBe(1);
  });

  it('emits one window per --window-steps steps', async () => {
    const r = await trainRun(data, { ...small, windowSteps: 10 }, { lr: 0.1, seed: 1 }, env);
    expect(r.windows.map((w) => [w.startStep, w.endStep])).toEqual([
      [0, 10],
      [10, 20],
      [20, 30],
      [30, 40],
      [40, 50],
    ]);
  });

  it('trains an autoencoder and reports reconstruction MSE and PSNR', async () => {
    const r = await trainRun(data, { ...small, model: 'ae:32,8', optimizer: 'adam' }, { lr: 0.001, seed: 1 }, env);
    expect(r.task).toBe('reconstruction');
    expect(r.testAccuracy).toBeNull();
    expect(r.testLoss).toBeGreaterThan(0);
    expect(r.testLoss).toBeLessThan(0.2);
    expect(r.testPsnr).toBeCloseTo(10 * Math.log10(1 / r.testLoss!), 10);
    expect(r.windows[0].layers.map((l) => l.units)).toEqual([32, 8, 32, 784]);
  });

  it('reports progress through the injected clock and can be cancelled', async () => {
    let t = 0;
    const events: RunProgress[] = [];
    const run = trainRun(data, small, { lr: 0.1, seed: 1 }, env, {
      now: () => (t += 100),
      progressMs: 1000,
      onProgress: (p) => events.push(p),
      cancelled: () => events.length >= 2,
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(events.length).toBe(2);
    expect(events[0].step).toBeGreaterThan(0);
    expect(events[1].step).toBeGreaterThan(events[0].step);
    expect(events[0].totalSteps).toBe(50);
  });
});

describe('schedules, weight decay and exploding runs in a real run', () => {
  it('records the learning rate in force per window (the schedule peaks at the sweep lr)', async () => {
    const r = await trainRun(data, { ...small, schedule: 'step:20,0.5', windowSteps: 10 }, { lr: 0.1, seed: 1 }, env);
    expect(r.windows.map((w) => w.lr)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    [0.1, 0.1, 0.05, 0.05, 0.025].forEach((v, i) => {
      expect(r.windows[i].lrMean).toBeCloseTo(v, 14);
    });
  });

  it('a decaying schedule shrinks the steps: the last window of a cosine run moves less than a constant run', async () => {
    const c = await trainRun(data, { ...small, windowSteps: 10 }, { lr: 0.1, seed: 1 }, env);
    const cos = await trainRun(data, { ...small, schedule: 'cosine', windowSteps: 10 }, { lr: 0.1, seed: 1 }, env);
    expect(cos.windows[0].layers[0].weights.rms).toBeCloseTo(c.windows[0].layers[0].weights.rms, 2);
    expect(cos.windows[4].layers[0].weights.rms).toBeLessThan(0.3 * c.windows[4].layers[0].weights.rms);
    expect(cos.windows[4].lr).toBeCloseTo(0.05 * (1 + Math.cos((Math.PI * 49) / 50)), 12);
  });

  it('weight decay adds −lr·w·θ to every step: a run with decay moves its weights more and ends elsewhere', async () => {
    const plain = await trainRun(data, { ...small, windowSteps: 50 }, { lr: 0.1, seed: 1 }, env);
    const decayed = await trainRun(data, { ...small, windowSteps: 50, weightDecay: 0.5 }, { lr: 0.1, seed: 1 }, env);
    expect(decayed.testLoss).not.toBe(plain.testLoss);
    // −lr·w·θ per step moves every weight: more RMS Δ than the gradient alone gives
    expect(decayed.windows[0].layers[0].weights.rms).toBeGreaterThan(plain.windows[0].layers[0].weights.rms);
  });

  it('ends a run whose smoothed loss passes 4 × its initial loss as diverged by explosion (lr 30)', async () => {
    const r = await trainRun(data, small, { lr: 30, seed: 1 }, env);
    expect(r.status).toBe('diverged');
    expect(r.divergedBy).toBe('explosion');
    expect(r.steps).toBe(r.divergedAtStep);
    expect(r.testAccuracy).toBeNull();
  });

  it('with --diverge-factor off only a non-finite loss ends a run early, as before', async () => {
    const r = await trainRun(data, { ...small, divergeFactor: null }, { lr: 30, seed: 1 }, env);
    expect(r.divergedBy === 'explosion').toBe(false);
    expect(r.steps).toBeGreaterThan(10);
  });
});

describe('the test pass in chunks', () => {
  const shapes = generateShapes(parseShapesSpec('shapes:size=12,train=64,test=40'));
  for (const spec of ['mlp:8', 'layers:conv3x3x2:same,relu,maxpool2,dense6,relu', 'ae:8,3']) {
    it(`gives every bit of the loss and accuracy whatever the chunk (1000, 7, 1): ${spec}`, () => {
      const net = new Network(
        compileModel(parseModelSpec(spec), { rows: 12, cols: 12, channels: 1 }, shapes.numClasses),
        new Rng(2),
      );
      const ae = spec.startsWith('ae:');
      const whole = evaluate(net, shapes, ae, 1000);
      expect(whole.loss).toBeGreaterThan(0);
      for (const chunk of [7, 1]) expect(evaluate(net, shapes, ae, chunk)).toEqual(whole);
      net.dispose();
    });
  }

  it('sizes chunks by the activations one example holds: 250 values by hand for a small conv net, 32 MiB a chunk', () => {
    // 4×4×1 input 16; conv 3×3×2 same: receptive fields 16·9 = 144, output 16·2 twice = 64; maxpool2: 2·2·2 twice = 16;
    // dense 3 twice = 6; the output layer's 2 twice = 4
    const plan = compileModel(
      parseModelSpec('layers:conv3x3x2:same,relu,maxpool2,dense3'),
      { rows: 4, cols: 4, channels: 1 },
      2,
    );
    expect(valuesPerExample(plan)).toBe(250);
    expect(chunkExamples(plan, 1e9)).toBe(Math.floor((32 * 2 ** 20) / 1000));
    expect(chunkExamples(plan, 1000)).toBe(1000);
    // where the products read the input: a padded copy (6·6 instead of 144 fields), or nothing (valid: the input)
    const read = compileModel(
      parseModelSpec('layers:conv3x3x6:same,relu,maxpool2,dense3'),
      { rows: 4, cols: 4, channels: 1 },
      2,
    );
    expect(valuesPerExample(read)).toBe(16 + 36 + 16 * 6 * 2 + 4 * 6 * 2 + 3 * 2 + 2 * 2);
    const valid = compileModel(parseModelSpec('layers:conv3x3x8,relu,dense2'), { rows: 4, cols: 4, channels: 1 }, 2);
    expect(valuesPerExample(valid)).toBe(16 + 4 * 8 * 2 + 2 * 2 + 2 * 2);
    const lenet = compileModel(parseModelSpec('lenet'), { rows: 28, cols: 28, channels: 1 }, 10);
    const maps = 28 * 28 * 6 + 14 * 14 * 6 + 10 * 10 * 16 + 5 * 5 * 16 + 120 + 84 + 10;
    expect(valuesPerExample(lenet)).toBe(784 + 32 * 32 + 2 * maps);
    expect(chunkExamples(lenet, 1000)).toBe(466);
  });
});

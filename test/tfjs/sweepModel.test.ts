/**
 * sweepModel in Node: a 3-learning-rate sweep of a user's module on 2 worker threads, aggregated into a SweepResult
 * with its report; and what is reproducible: the same sweep again gives the same records, timing and environment
 * aside (seeded initialisers through the builder's seed, fluctlab's seeded batch order, one backend).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { deterministicPart } from '../../src/contract/record.js';
import { DEFAULTS, validateStoredConfig } from '../../src/contract/configure.js';
import type { FitModelTask } from '../../src/sweep/messages.js';
import { fitTask } from '../../src/tfjs/fitTask.js';
import { sweepModel } from '../../src/tfjs/index.js';
import { tmp } from '../helpers/cli.js';
import { tf, tinyData, wasmBackend } from './fixtures.js';

const MODULE = pathToFileURL(join(__dirname, 'fixtures', 'tinyModel.mjs')).href;

beforeAll(async () => {
  await wasmBackend();
});

const sweep = (out?: string) => {
  const { x, y } = tinyData();
  return sweepModel({
    model: MODULE,
    data: { x, y, validation: { x, y } },
    lrs: [0.1, 0.03, 0.01],
    epochs: 2,
    batchSize: 4,
    windowSteps: 3,
    probe: 4,
    workers: 2,
    dataName: 'tiny',
    ...(out ? { out } : {}),
  });
};

describe('a fit task (one run, as a worker runs it)', () => {
  const ADAM = pathToFileURL(join(__dirname, 'fixtures', 'adamModel.mjs')).href;
  const task = (y: tf.Tensor): FitModelTask => {
    const x = tf.randomUniform([8, 4], 0, 1, 'float32', 3);
    const data = (t: tf.Tensor) => ({ values: t.dataSync() as Float32Array, shape: t.shape.slice() });
    const config = validateStoredConfig({ ...DEFAULTS, lrs: [0.01], seeds: [1], epochs: 2, batch: 4 });
    return { module: ADAM, lr: 0.01, seed: 1, config, x: data(x), y: data(y), validation: null, probe: 0 };
  };

  it('leaves no tensor behind: the optimizer instance the builder passed, and a fit that throws', async () => {
    const environment = await wasmBackend();
    const labels = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32'), 2);
    const ok = task(labels);
    // labels of 3 classes for a model of 2 outputs: fit throws, after the epoch's shuffled copies are made
    const bad = task(tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3));
    const before = tf.memory().numTensors;
    expect((await fitTask(ok, environment)).steps).toBe(4);
    expect(tf.memory().numTensors).toBe(before);
    await expect(fitTask(bad, environment)).rejects.toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('sweepModel in Node', () => {
  it('fits a user module at 3 learning rates on 2 workers and reports the sweep', async () => {
    const dir = join(tmp(), 'sweep');
    const { records, result } = await sweep(dir);
    expect(records.map((r) => [r.id, r.status, r.steps])).toEqual([
      ['lr0.1-seed1', 'ok', 8],
      ['lr0.03-seed1', 'ok', 8],
      ['lr0.01-seed1', 'ok', 8],
    ]);
    // windows of 3 over the 8 steps of two one-epoch fits: the windows run across the epochs' fits
    expect(records[0].windows.map((w) => [w.startStep, w.endStep])).toEqual([
      [0, 3],
      [3, 6],
      [6, 8],
    ]);
    expect(records[0].config).toMatchObject({ model: 'tfjs:tinyModel', data: 'tfjs:tiny', optimizer: 'tfjs:SGD' });
    expect(records.map((r) => r.arithmetic)).toEqual(['exact', 'exact', 'exact']);
    expect(records[0].windows[0].layers.map((l) => l.layer)).toEqual(['conv2d1', 'dense1']);
    expect(result.aggregate.lrs.map((l) => l.lr)).toEqual([0.1, 0.03, 0.01]);
    for (const f of ['manifest.json', 'sweep.json', 'report.html', 'runs/lr0.03-seed1.json'])
      expect(existsSync(join(dir, f))).toBe(true);
  });

  it('gives the same records for the same sweep, timing and environment aside', async () => {
    const a = await sweep();
    const b = await sweep();
    expect(b.records.map((r) => JSON.stringify(deterministicPart(r)))).toEqual(
      a.records.map((r) => JSON.stringify(deterministicPart(r))),
    );
  });
});

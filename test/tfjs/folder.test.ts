/**
 * A tfjs-layers model recorded with `out`: the folder is a result folder like a sweep's, which `fluctlab report`,
 * `export --npy`, `merge` and `export --tensorboard` read (the TensorBoard export read back by TensorBoard's own
 * reader, in the Python venv that .ci/run creates).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/contract/record.js';
import { fluctuationCallback } from '../../src/tfjs/index.js';
import { cli, tmp } from '../helpers/cli.js';
import { pythonWith } from '../helpers/python.js';
import { tf, tinyCnn, tinyData, wasmBackend } from './fixtures.js';

const READER = join(__dirname, '..', 'python', 'read_tensorboard.py');
let dir: string;
let record: RunRecord;

beforeAll(async () => {
  await wasmBackend();
  dir = join(tmp(), 'tiny');
  const model = tinyCnn(0.02);
  const { x, y } = tinyData();
  const cb = fluctuationCallback({ windowSteps: 2, out: dir, seed: 1, data: 'tiny', probe: tf.slice(x, 0, 4) });
  await model.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, validationData: [x, y], callbacks: [cb] });
  expect(await cb.folder()).toBe(dir);
  record = JSON.parse(readFileSync(join(dir, 'runs', 'lr0.02-seed1.json'), 'utf8'));
});

describe('a recorded tfjs-layers model written with out', () => {
  it('is a record of the fit: validation metrics as the test columns, the model and optimizer by their tfjs names', () => {
    expect(record.config).toMatchObject({ data: 'tfjs:tiny', optimizer: 'tfjs:SGD', lrs: [0.02], seeds: [1] });
    expect(record.windows).toHaveLength(4);
    expect(record.testAccuracy).toBe(record.epochs[1].testAccuracy);
    expect(record.epochs[1].testLoss).toBeTypeOf('number');
    expect(existsSync(join(dir, 'sweep.json'))).toBe(true);
  });

  it('is reported by fluctlab report, exported as npy, and merged', () => {
    const r = cli(['report', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('tfjs:tiny');
    expect(cli(['export', dir, '--npy']).code).toBe(0);
    expect(existsSync(join(dir, 'npy', 'lr0.02-seed1', 'conv_weights_stats.npy'))).toBe(true);
    const merged = join(tmp(), 'merged');
    expect(cli(['merge', dir, '--out', merged]).code).toBe(0);
    expect(JSON.parse(readFileSync(join(merged, 'runs', 'lr0.02-seed1.json'), 'utf8')).windows).toEqual(record.windows);
  });

  it('is refused by fluctlab sweep --resume in one line: fluctlab cannot train a tfjs model', () => {
    const r = cli(['sweep', '--resume', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `fluctlab sweep: ${dir} holds a sweep of a TensorFlow.js model (${record.config.model}), which fluctlab sweep cannot train: run it again with sweepModel from fluctlab/tfjs`,
    ]);
  });

  it("is exported to TensorBoard and read by TensorBoard's own reader", () => {
    const python = pythonWith('tensorboard');
    if (!python) {
      if (process.env.CI === 'true') throw new Error('CI=true but no Python with tensorboard');
      console.warn('\n!!! SKIPPED: no Python with tensorboard, so the export was not read by TensorBoard !!!\n');
      return;
    }
    const out = join(tmp(), 'tb');
    expect(cli(['export', dir, '--tensorboard', '--out', out]).code).toBe(0);
    const p = spawnSync(python, [READER, out], { encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(p.stderr).toBe('');
    const read = JSON.parse(p.stdout) as {
      runs: Record<string, { scalars: Record<string, [number, number][]>; histograms: Record<string, unknown[]> }>;
    };
    const run = read.runs['lr0.02-seed1'];
    const f32 = Math.fround;
    expect(run.scalars['conv/weights/rms_delta']).toEqual(
      record.windows.map((w) => [w.endStep, f32(w.layers[0].weights.rms)]),
    );
    expect(run.scalars['norm-gamma/weights/rms_delta']).toHaveLength(4);
    expect(run.histograms['hidden/weights/delta']).toHaveLength(4);
  });
});

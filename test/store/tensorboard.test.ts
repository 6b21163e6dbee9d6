/**
 * `fluctlab export --tensorboard` read back with TensorBoard's own reader (EventAccumulator, in the Python venv that
 * .ci/run creates): tags, steps, scalar values, histogram buckets and the hparams plugin data, against the records.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { binRanges } from '../../src/engine/recording/histogram.js';
import type { RunRecord } from '../../src/contract/record.js';
import { cli, tmp } from '../helpers/cli.js';
import { pythonWith } from '../helpers/python.js';

const READER = join(__dirname, '..', 'python', 'read_tensorboard.py');
const f32 = (x: number) => Math.fround(x);

interface Read {
  fileVersion: number;
  scalars: Record<string, [number, number][]>;
  histograms: Record<
    string,
    {
      step: number;
      min: number;
      max: number;
      num: number;
      sum: number;
      sumSquares: number;
      bucketLimit: number[];
      bucket: number[];
    }[]
  >;
  hparams: Record<string, Experiment>;
  records: number;
}

/** The HParams experiment summary as read_tensorboard.py prints it. */
interface Experiment {
  hparamInfos: { name: string; domainDiscrete?: unknown[] }[];
  metricInfos: { name: { tag: string } }[];
}

/** What read_tensorboard.py prints. */
interface ReadExport {
  root: Read;
  runs: Record<string, Read>;
  hparamsTab: {
    hparams: string[];
    metrics: string[];
    groups: {
      name: string;
      hparams: Record<string, number | string>;
      metrics: Record<string, number>;
      status: string[];
    }[];
  };
}

let dir: string;
let records: RunRecord[];
let exported: ReadExport | null | undefined;

/** The export of the sweep read by TensorBoard's own reader, once; null (the test skips) without a Python with tensorboard. */
function readExport(): ReadExport | null {
  if (exported !== undefined) return exported;
  const python = pythonWith('tensorboard');
  if (!python) {
    if (process.env.CI === 'true')
      throw new Error('CI=true but no Python with tensorboard: .ci/run creates .venv-ci with it');
    console.warn(
      '\n!!! SKIPPED: no Python with tensorboard (set FLUCTLAB_PYTHON, or run .ci/run to create .venv-ci), so the export was not read by TensorBoard !!!\n',
    );
    exported = null;
    return null;
  }
  const out = join(tmp(), 'tb-read');
  expect(cli(['export', dir, '--tensorboard', '--out', out]).code).toBe(0);
  const p = spawnSync(python, [READER, out], { encoding: 'utf8', maxBuffer: 1 << 28 });
  expect(p.stderr).toBe('');
  exported = JSON.parse(p.stdout) as ReadExport;
  return exported;
}

/** Weights' last-window measure of a run, as the HPARAMS metrics carry them. */
const FINAL = ['effective_rms', 'update_ratio', 'rms_delta', 'participation_ratio', 'spread_of_spread'] as const;

beforeAll(() => {
  dir = join(tmp(), 'sweep');
  // lr 30 explodes (diverged), 0.1 trains: 2 epochs of 20 steps in 4 windows of 10
  const r = cli([
    'sweep',
    '--lr',
    '30,0.1',
    '--train-limit',
    '1280',
    '--epochs',
    '2',
    '--windows',
    '4',
    '--probe-size',
    '200',
    '--no-report',
    '--quiet',
    '--out',
    dir,
  ]);
  expect(r.stderr).toBe('');
  records = readdirSync(join(dir, 'runs'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, 'runs', f), 'utf8')));
});

describe('fluctlab export --tensorboard', () => {
  it('writes one event file per run and one for the experiment, named as TensorBoard names them', () => {
    const r = cli(['export', dir, '--tensorboard']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3 event files .* in .*tensorboard; view them with: tensorboard --logdir /);
    const out = join(dir, 'tensorboard');
    const names = readdirSync(out).sort();
    expect(names.filter((n) => !n.startsWith('events.'))).toEqual(['lr0.1-seed1', 'lr30-seed1']);
    expect(names.filter((n) => n.startsWith('events.'))).toEqual([
      expect.stringMatching(/^events\.out\.tfevents\.\d{10}\.[\w.-]+\.\d+\.fluctlab$/),
    ]);
    for (const run of ['lr0.1-seed1', 'lr30-seed1'])
      expect(readdirSync(join(out, run))).toEqual([
        expect.stringMatching(/^events\.out\.tfevents\.\d{10}\..+\.fluctlab$/),
      ]);
  });

  it('fluctlab sweep --tensorboard writes its log into the result folder (as windows close: tensorboardLive.test.ts)', () => {
    const out = join(tmp(), 'with-tb');
    const r = cli([
      'sweep',
      '--lr',
      '0.1',
      '--train-limit',
      '640',
      '--windows',
      '2',
      '--no-report',
      '--tensorboard',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`tensorboard: ${join(out, 'tensorboard')} (view with: tensorboard --logdir`);
    expect(readdirSync(join(out, 'tensorboard')).filter((n) => !n.startsWith('events.'))).toEqual(['lr0.1-seed1']);
  });

  it('refuses an --out folder that holds anything else, writing nothing', () => {
    const out = join(tmp(), 'mine');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'keep me');
    const r = cli(['export', dir, '--tensorboard', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `fluctlab export: ${out} is not empty and holds no previous TensorBoard export: choose a new or empty folder with --out`,
    ]);
    expect(readdirSync(out)).toEqual(['notes.txt']);
  });

  it('replaces a previous export of its own', () => {
    const out = join(tmp(), 'tb');
    expect(cli(['export', dir, '--tensorboard', '--out', out]).code).toBe(0);
    expect(cli(['export', dir, '--tensorboard', '--out', out, '--quiet']).code).toBe(0);
    expect(readdirSync(out).length).toBe(3);
  });

  it("is read by TensorBoard's EventAccumulator: tags, steps, values, histogram buckets and hparams match the records", () => {
    const read = readExport();
    if (!read) return;
    // the HPARAMS tab, as the plugin's own handlers build it: one row per run with its hyper-parameters and final metrics
    const tab = read.hparamsTab;
    expect(tab.metrics.slice(0, 2)).toEqual(['hparams/test_accuracy', 'hparams/test_loss']);
    expect(tab.hparams).toContain('lr');
    expect(tab.groups.map((g) => g.name).sort()).toEqual(records.map((r) => r.id).sort());
    for (const r of records) {
      const g = tab.groups.find((x) => x.name === r.id)!;
      expect(g.hparams).toMatchObject({ lr: r.lr, seed: r.seed, optimizer: 'sgd' });
      expect(g.status).toEqual([r.status === 'ok' ? 'STATUS_SUCCESS' : 'STATUS_FAILURE']);
      if (r.status === 'ok')
        expect(g.metrics).toMatchObject({
          'hparams/test_accuracy': f32(r.testAccuracy!),
          'hparams/test_loss': f32(r.testLoss!),
        });
      else expect(g.metrics).toEqual({});
    }

    const exp = read.root.hparams['_hparams_/experiment'];
    expect(exp.hparamInfos.map((h) => h.name)).toEqual([
      'lr',
      'seed',
      'optimizer',
      'model',
      'batch',
      'epochs',
      'data',
      'schedule',
      'weight_decay',
    ]);
    expect(exp.hparamInfos[0].domainDiscrete).toEqual([30, 0.1]);
    expect(exp.metricInfos.map((m) => m.name.tag).slice(0, 2)).toEqual(['hparams/test_accuracy', 'hparams/test_loss']);

    for (const r of records) {
      const got = read.runs[r.id];
      expect(got.fileVersion).toBe(2);
      expect(got.records).toBeGreaterThan(2);
      expect(got.hparams['_hparams_/session_start_info'].hparams).toMatchObject({
        lr: r.lr,
        seed: r.seed,
        optimizer: 'sgd',
        model: 'mlp:128,64',
        batch: 64,
        schedule: 'constant',
      });
      expect(got.hparams['_hparams_/session_end_info'].status).toBe(
        r.status === 'ok' ? 'STATUS_SUCCESS' : 'STATUS_FAILURE',
      );
      // scalars per window, at the window's end step
      expect(got.scalars['train/loss']).toEqual(r.windows.map((w) => [w.endStep, f32(w.trainLoss!)]));
      expect(got.scalars['train/learning_rate']).toEqual(r.windows.map((w) => [w.endStep, f32(w.lr!)]));
      r.windows[0].layers.forEach((l, li) => {
        for (const part of ['weights', 'biases'] as const) {
          const at = r.windows.map((w) => w.layers[li][part]);
          expect(got.scalars[`${l.layer}/${part}/rms_delta`]).toEqual(
            r.windows.map((w, i) => [w.endStep, f32(at[i].rms)]),
          );
          expect(got.scalars[`${l.layer}/${part}/participating`]).toEqual(
            r.windows.map((w, i) => [w.endStep, at[i].participating]),
          );
          expect(got.scalars[`${l.layer}/${part}/participation_ratio`]).toEqual(
            r.windows.map((w, i) => [w.endStep, f32(at[i].participationRatio)]),
          );
          const hist = got.histograms[`${l.layer}/${part}/delta`];
          expect(hist.map((h) => h.step)).toEqual(r.windows.map((w) => w.endStep));
          hist.forEach((h, i) => {
            expect([h.min, h.max, h.sum, h.sumSquares]).toEqual([at[i].min, at[i].max, at[i].sum, at[i].sumSquares]);
            expect(h.num).toBe(
              (r.windows[i].endStep - r.windows[i].startStep) *
                (part === 'weights' ? l.units * (li === 0 ? 784 : r.windows[0].layers[li - 1].units) : l.units),
            );
          });
        }
        if (l.deadUnits !== null)
          expect(got.scalars[`${l.layer}/dead_units`]).toEqual(
            r.windows.map((w) => [w.endStep, w.layers[li].deadUnits]),
          );
      });
      if (r.status === 'ok') {
        expect(got.scalars['test/accuracy']).toEqual(r.epochs.map((e) => [e.endStep, f32(e.testAccuracy!)]));
        expect(got.scalars['test/loss'].map(([s]) => s)).toEqual([20, 40]);
        expect(got.scalars['hparams/test_accuracy']).toEqual([[40, f32(r.testAccuracy!)]]);
        expect(got.scalars['hparams/test_loss']).toEqual([[40, f32(r.testLoss!)]]);
      } else {
        expect(r.divergedBy).toBe('explosion');
        expect(got.scalars['test/accuracy']).toBeUndefined();
        expect(got.scalars['hparams/test_accuracy']).toBeUndefined();
      }
    }
  });

  it("trims each Δ histogram to its non-empty buckets, every count kept, as TensorFlow's writer does", () => {
    const read = readExport();
    if (!read) return;
    const limits = binRanges().map((b) => (b.hi === Infinity ? Number.MAX_VALUE : b.hi));
    let histograms = 0;
    for (const r of records)
      r.windows[0].layers.forEach((l, li) => {
        for (const part of ['weights', 'biases'] as const)
          read.runs[r.id].histograms[`${l.layer}/${part}/delta`].forEach((h, i) => {
            const counts = r.windows[i].layers[li][part].histogram;
            const first = counts.findIndex((c) => c > 0);
            const last = counts.length - 1 - [...counts].reverse().findIndex((c) => c > 0);
            expect(h.bucket).toEqual(counts.slice(first, last + 1));
            expect(h.bucketLimit).toEqual(limits.slice(first, last + 1));
            expect([h.bucket[0] > 0, h.bucket[h.bucket.length - 1] > 0]).toEqual([true, true]);
            expect(h.bucket.reduce((a, b) => a + b, 0)).toBe(h.num);
            // a trained run's Δ never reach the shared bins' ends (the diverged run's may)
            if (r.status === 'ok') expect(h.bucket.length).toBeLessThan(limits.length);
            histograms++;
          });
      });
    expect(histograms).toBeGreaterThan(0);
  });

  it('writes the η-free measures per window: effective step RMS, update-to-weight ratio and the norm', () => {
    const read = readExport();
    if (!read) return;
    const r = records.find((x) => x.status === 'ok')!;
    r.windows[0].layers.forEach((l, li) => {
      for (const part of ['weights', 'biases'] as const) {
        const at = r.windows.map((w) => w.layers[li][part]);
        expect(read.runs[r.id].scalars[`${l.layer}/${part}/effective_rms`]).toEqual(
          r.windows.map((w, i) => [w.endStep, f32(at[i].effectiveRms!)]),
        );
        expect(read.runs[r.id].scalars[`${l.layer}/${part}/update_ratio`]).toEqual(
          r.windows.map((w, i) => [w.endStep, f32(at[i].updateRatio!)]),
        );
        expect(read.runs[r.id].scalars[`${l.layer}/${part}/norm`]).toEqual(
          r.windows.map((w, i) => [w.endStep, f32(at[i].weightNorm!)]),
        );
      }
    });
  });

  it('lists per layer the η-free measures and final fluctuation statistics as HParams metrics beside accuracy and loss', () => {
    const read = readExport();
    if (!read) return;
    const layers = records[0].windows[0].layers.map((l) => l.layer);
    const tags = [
      'hparams/test_accuracy',
      'hparams/test_loss',
      ...layers.flatMap((l) => FINAL.map((m) => `hparams/${l}/${m}`)),
    ];
    expect(read.root.hparams['_hparams_/experiment'].metricInfos.map((m) => m.name.tag)).toEqual(tags);
    expect(read.hparamsTab.metrics).toEqual(tags);
    for (const r of records) {
      const g = read.hparamsTab.groups.find((x) => x.name === r.id)!;
      if (r.status !== 'ok') {
        expect(g.metrics).toEqual({});
        continue;
      }
      const last = r.windows[r.windows.length - 1];
      const want: Record<string, number> = {
        'hparams/test_accuracy': f32(r.testAccuracy!),
        'hparams/test_loss': f32(r.testLoss!),
      };
      for (const l of last.layers) {
        const w = l.weights;
        const v = [w.effectiveRms!, w.updateRatio!, w.rms, w.participationRatio, w.spreadOfSpread];
        FINAL.forEach((m, i) => {
          want[`hparams/${l.layer}/${m}`] = f32(v[i]);
        });
      }
      expect(g.metrics).toEqual(want);
      expect(read.runs[r.id].scalars[`hparams/${layers[0]}/effective_rms`]).toEqual([
        [r.steps, want[`hparams/${layers[0]}/effective_rms`]],
      ]);
    }
  });
});

/**
 * `fluctlab sweep --tensorboard` writes its TensorBoard log as windows close: TensorBoard's own reader (EventAccumulator,
 * test/python/read_tensorboard.py) reads a run's events while the sweep still trains, and the finished log reads the
 * same as `fluctlab export --tensorboard` of the same records.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/contract/record.js';
import { DEFAULTS } from '../../src/contract/configure.js';
import type { RunWindow } from '../../src/engine/training/runProgress.js';
import { openLiveTensorboard } from '../../src/store/tensorboardLive.js';
import { cli, cliAsync, tmp } from '../helpers/cli.js';
import { pythonWith } from '../helpers/python.js';

const READER = join(__dirname, '..', 'python', 'read_tensorboard.py');

/** What read_tensorboard.py --run prints of one run's folder. */
interface RunRead {
  scalars: Record<string, [number, number][]>;
  histograms: Record<string, { step: number }[]>;
  hparams: Record<string, unknown>;
  records: number;
}

/** The Python with tensorboard, or null (the test skips; CI has one). */
function python(): string | null {
  const p = pythonWith('tensorboard');
  if (!p && process.env.CI === 'true')
    throw new Error('CI=true but no Python with tensorboard: .ci/run creates .venv-ci');
  if (!p) console.warn('\n!!! SKIPPED: no Python with tensorboard, so the live log was not read by TensorBoard !!!\n');
  return p;
}

const read = (py: string, args: string[]) => {
  const p = spawnSync(py, [READER, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  expect(p.stderr).toBe('');
  return JSON.parse(p.stdout);
};

/** The reader's output without the wall times it keeps (the hparams sessions' start and end). */
const withoutWallTimes = (o: unknown): unknown =>
  JSON.parse(JSON.stringify(o), (k, v) => (k === 'startTimeSecs' || k === 'endTimeSecs' ? undefined : v));

/** The size of the one events file in `folder`, 0 while there is none. */
function eventsSize(folder: string): number {
  if (!existsSync(folder)) return 0;
  const files = readdirSync(folder).filter((f) => f.startsWith('events.out.tfevents.'));
  return files.length === 1 ? statSync(join(folder, files[0])).size : 0;
}

describe('fluctlab sweep --tensorboard while it trains', () => {
  it('is read by EventAccumulator mid-sweep, and ends as the export of its records reads', async () => {
    const py = python();
    if (!py) return;
    const cwd = tmp();
    // 2 runs of 240 steps in 30 windows of 8 (default MLP, batch 64, 6 epochs of 2,560 examples)
    const args = ['--lr', '0.1,0.01', '--train-limit', '2560', '--epochs', '6', '--windows', '30'];
    const child = cliAsync(
      ['sweep', ...args, '--probe-size', '50', '--no-report', '--quiet', '--tensorboard', '--out', 'sweep'],
      cwd,
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const runDir = join(cwd, 'sweep', 'tensorboard', 'lr0.1-seed1');
    // the head (file version, session start) is under 1 kB; a window's scalars and histograms add tens of kB
    const deadline = Date.now() + 120_000;
    while (eventsSize(runDir) < 4096 && child.exitCode === null && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(child.exitCode, `the sweep ended before its first window was in the log: ${stderr}`).toBe(null);
    // Paused, so that reading it cannot race the sweep's end on a loaded machine: the sweep is mid-run, as written.
    expect(child.kill('SIGSTOP')).toBe(true);
    let mid: RunRead;
    try {
      expect(child.exitCode).toBe(null);
      expect(existsSync(join(cwd, 'sweep', 'runs', 'lr0.1-seed1.json'))).toBe(false); // its record does not exist yet
      mid = read(py, ['--run', runDir]) as RunRead;
    } finally {
      child.kill('SIGCONT');
    }
    const steps = mid.scalars['train/loss'].map(([s]) => s);
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.length).toBeLessThan(30); // some windows, not all
    expect(steps).toEqual(steps.map((_, i) => 8 * (i + 1)));
    expect(mid.histograms['dense1/weights/delta'].map((h) => h.step)).toEqual(
      steps.slice(0, mid.histograms['dense1/weights/delta'].length),
    );
    expect(Object.keys(mid.hparams)).toEqual(['_hparams_/session_start_info']); // no session end, no final metrics yet
    expect(mid.scalars['hparams/test_accuracy']).toBeUndefined();

    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    // the finished log: each run's window values are the record's, and the whole reads as the export of the records
    const live = read(py, [join(cwd, 'sweep', 'tensorboard')]);
    const record = JSON.parse(readFileSync(join(cwd, 'sweep', 'runs', 'lr0.1-seed1.json'), 'utf8')) as RunRecord;
    expect(live.runs['lr0.1-seed1'].scalars['dense1/weights/rms_delta']).toEqual(
      record.windows.map((w) => [w.endStep, Math.fround(w.layers[0].weights.rms)]),
    );
    expect(cli(['export', 'sweep', '--tensorboard', '--out', 'export', '--quiet'], cwd).code).toBe(0);
    // the same events in the same order (same record counts); only wall times differ, of which the reader's output
    // keeps the hparams sessions' start and end
    expect(withoutWallTimes(live)).toEqual(withoutWallTimes(read(py, [join(cwd, 'export')])));
    for (const run of ['lr0.1-seed1', 'lr0.01-seed1'])
      expect(readdirSync(join(cwd, 'sweep', 'tensorboard', run))).toHaveLength(1); // one events file per run
  }, 180_000);

  it('on --resume, writes the finished runs from their records and the others as they train again: one file each', () => {
    const py = python();
    if (!py) return;
    const cwd = tmp();
    const args = ['--lr', '0.1,0.01', '--train-limit', '640', '--windows', '2', '--probe-size', '50', '--no-report'];
    expect(cli(['sweep', ...args, '--fuse', 'off', '--quiet', '--tensorboard', '--out', 'sweep'], cwd).code).toBe(0);
    // as if interrupted while lr0.01 trained: its record gone, its log half written (its head only)
    rmSync(join(cwd, 'sweep', 'runs', 'lr0.01-seed1.json'));
    const file = readdirSync(join(cwd, 'sweep', 'tensorboard', 'lr0.01-seed1'))[0];
    truncateSync(join(cwd, 'sweep', 'tensorboard', 'lr0.01-seed1', file), 200);
    const r = cli(['sweep', '--resume', 'sweep', '--tensorboard', '--quiet'], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const run of ['lr0.1-seed1', 'lr0.01-seed1'])
      expect(readdirSync(join(cwd, 'sweep', 'tensorboard', run))).toHaveLength(1);
    expect(readdirSync(join(cwd, 'sweep', 'tensorboard')).filter((f) => f.startsWith('events.'))).toHaveLength(1);
    expect(cli(['export', 'sweep', '--tensorboard', '--out', 'export', '--quiet'], cwd).code).toBe(0);
    expect(withoutWallTimes(read(py, [join(cwd, 'sweep', 'tensorboard')]))).toEqual(
      withoutWallTimes(read(py, [join(cwd, 'export')])),
    );
  }, 120_000);

  it('keeps a failed write from the worker events it came with, and throws it at the end (no uncaught exception)', () => {
    const out = join(tmp(), 'tb');
    const config = { ...DEFAULTS, lrs: [0.1] };
    const log = openLiveTensorboard(out, config);
    log.runStarted({ lr: 0.1, seed: 1 });
    const run = join(out, 'lr0.1-seed1');
    const file = join(run, readdirSync(run)[0]);
    rmSync(file);
    mkdirSync(file); // the events file is now a folder: appending to it fails (EISDIR), as a full disk would (ENOSPC)
    const closed = { index: 0, startStep: 0, endStep: 4, layers: [], trainLoss: 2.3, lr: 0.1, lrMean: 0.1 };
    const window = { id: 'lr0.1-seed1', index: 0, window: closed as unknown as RunWindow['window'] };
    expect(() => log.window(window)).not.toThrow();
    expect(() => log.window(window)).not.toThrow();
    expect(() => log.finish([])).toThrow(/EISDIR/);
  });
});

import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliAsync, recordsOf, sweepWithoutTiming, tmp } from '../helpers/cli.js';

const SMALL = ['--lr', '0.3,0.1,0.03,0.01', '--train-limit', '1280', '--quiet'];
// Runs long enough (150 steps) that an interruption after the first records lands while others still train.
const LONGER = ['--lr', '0.3,0.1,0.03,0.01', '--train-limit', '9600', '--quiet'];

/** Waits until `dir/runs` holds at least `n` records. */
async function waitForRecords(dir: string, n: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const runs = join(dir, 'runs');
    if (existsSync(runs) && readdirSync(runs).filter((f) => f.endsWith('.json')).length >= n) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${n} records in ${dir} after 30 s`);
}

describe('parallel sweeps', () => {
  it('give byte-identical records with 2 workers and with 1', () => {
    const cwd = tmp();
    expect(cli(['sweep', ...SMALL, '--workers', '2', '--out', 'w2'], cwd).code).toBe(0);
    expect(cli(['sweep', ...SMALL, '--workers', '1', '--out', 'w1'], cwd).code).toBe(0);
    const a = recordsOf(join(cwd, 'w1'));
    expect(Object.keys(a)).toHaveLength(4);
    expect(recordsOf(join(cwd, 'w2'))).toEqual(a);
  });

  it.each(['auto', 'exact'])(
    'give byte-identical records fused in worker threads and one run at a time (arithmetic %s)',
    (arithmetic) => {
      const cwd = tmp();
      const sweep = (workers: string, fuse: string, out: string) =>
        cli(
          ['sweep', ...SMALL, '--lr', '0.3,0.1,0.03,40', '--workers', workers, '--fuse', fuse, '--out', out].concat([
            '--arithmetic',
            arithmetic,
          ]),
          cwd,
        ).code;
      expect(sweep('2', 'on', 'fused')).toBe(0);
      expect(sweep('1', 'off', 'solo')).toBe(0);
      const solo = recordsOf(join(cwd, 'solo'));
      expect(Object.values(solo).filter((r) => JSON.parse(r).status === 'diverged')).toHaveLength(1);
      expect(Object.values(solo).map((r) => JSON.parse(r).arithmetic)).toEqual(
        Array(4).fill(arithmetic === 'auto' ? 'fma' : 'exact'),
      );
      expect(recordsOf(join(cwd, 'fused'))).toEqual(solo);
    },
  );

  it('mark a run whose worker dies as failed, finish the others, and exit 1', () => {
    const cwd = tmp();
    const r = cli(
      ['sweep', '--lr', '0.3,0.1,0.03', '--train-limit', '3200', '--workers', '2', '--out', 'out', '--quiet'],
      cwd,
      { FLUCTLAB_FAULT: 'exit:lr0.1-seed1:1' },
    );
    expect(r.code).toBe(1);
    const sweep = JSON.parse(readFileSync(join(cwd, 'out', 'sweep.json'), 'utf8'));
    expect(sweep.runs.map((x: { status: string }) => x.status)).toEqual(['ok', 'failed', 'ok']);
    expect(sweep.runs[1].error).toMatch(/worker died/);
  });

  it('survive kill -9 of the whole process: --resume completes the sweep to the same result', async () => {
    const cwd = tmp();
    expect(cli(['sweep', ...LONGER, '--workers', '1', '--out', 'whole'], cwd).code).toBe(0);
    // one run at a time, so that records land one by one (a fused group's land together); the resume fuses
    const child = cliAsync(['sweep', ...LONGER, '--workers', '1', '--fuse', 'off', '--out', 'cut'], cwd);
    await waitForRecords(join(cwd, 'cut'), 2);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(readdirSync(join(cwd, 'cut', 'runs')).filter((f) => f.endsWith('.json')).length).toBeLessThan(4);
    for (const f of readdirSync(join(cwd, 'cut', 'runs')))
      if (f.endsWith('.json')) JSON.parse(readFileSync(join(cwd, 'cut', 'runs', f), 'utf8'));
    const r = cli(['sweep', '--resume', 'cut', '--workers', '2', '--quiet'], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(recordsOf(join(cwd, 'cut'))).toEqual(recordsOf(join(cwd, 'whole')));
    expect(sweepWithoutTiming(join(cwd, 'cut'))).toEqual(sweepWithoutTiming(join(cwd, 'whole')));
  });

  it('stop on Ctrl-C with exit 130 and say how to resume', async () => {
    const cwd = tmp();
    // one run at a time per worker, so that the first record lands while the other runs still train
    const child = cliAsync(['sweep', ...LONGER, '--workers', '2', '--fuse', 'off', '--out', 'out'], cwd);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await waitForRecords(join(cwd, 'out'), 1);
    child.kill('SIGINT');
    const code = await new Promise((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/fluctlab sweep --resume out/);
  });

  it('merge shards 0/2 and 1/2 into the unsharded sweep', () => {
    const cwd = tmp();
    expect(cli(['sweep', ...SMALL, '--out', 'all'], cwd).code).toBe(0);
    expect(cli(['sweep', ...SMALL, '--shard', '0/2', '--out', 's0'], cwd).code).toBe(0);
    expect(cli(['sweep', ...SMALL, '--out', 's1'], cwd, { JOB_COMPLETION_INDEX: '1' }).code).toBe(0);
    expect(cli(['sweep', ...SMALL, '--shard', 'auto/2', '--out', 's1b'], cwd, { JOB_COMPLETION_INDEX: '1' }).code).toBe(
      0,
    );
    expect(Object.keys(recordsOf(join(cwd, 's0')))).toEqual(['lr0.03-seed1.json', 'lr0.3-seed1.json']);
    const m = cli(['merge', 's0', 's1b', '--out', 'merged', '--quiet'], cwd);
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    expect(recordsOf(join(cwd, 'merged'))).toEqual(recordsOf(join(cwd, 'all')));
    expect(sweepWithoutTiming(join(cwd, 'merged'))).toEqual(sweepWithoutTiming(join(cwd, 'all')));
    // an unsharded folder overlaps every shard
    const overlap = cli(['merge', 's0', 's1', '--out', 'bad'], cwd);
    expect(overlap.code).toBe(2);
    expect(overlap.stderr).toMatch(/splits the sweep into 2|both shard/);
    expect(existsSync(join(cwd, 'bad'))).toBe(false);
  });
});

describe('bad input to parallel sweeps', () => {
  const cases: [string, string[], RegExp][] = [
    ['--workers 0', ['--workers', '0'], /--workers "0" must be a positive integer/],
    ['a negative worker count', ['--workers=-2'], /--workers "-2" must be a positive integer/],
    ['a fractional worker count', ['--workers', '1.5'], /--workers "1.5"/],
    ['--shard 3/2', ['--shard', '3/2'], /index must be below the count/],
    ['a malformed shard', ['--shard', 'half'], /must look like i\/n/],
    ['--shard auto/n without a scheduler index', ['--shard', 'auto/2'], /JOB_COMPLETION_INDEX/],
  ];
  for (const [what, args, message] of cases) {
    it(`refuses ${what}: one line, exit 2, nothing written`, () => {
      const cwd = tmp();
      const r = cli(['sweep', ...args, '--out', 'out'], cwd, { JOB_COMPLETION_INDEX: '', SLURM_ARRAY_TASK_ID: '' });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(readdirSync(cwd)).toEqual([]);
    });
  }

  it('resume a folder from before fma in the exact arithmetic it began in', () => {
    const cwd = tmp();
    expect(cli(['sweep', ...SMALL, '--workers', '1', '--arithmetic', 'exact', '--out', 'whole'], cwd).code).toBe(0);
    expect(cli(['sweep', ...SMALL, '--workers', '1', '--arithmetic', 'exact', '--out', 'old'], cwd).code).toBe(0);
    // an older fluctlab's folder: no arithmetic in its config or records, and two runs still to train
    const old = join(cwd, 'old');
    const manifest = JSON.parse(readFileSync(join(old, 'manifest.json'), 'utf8'));
    delete manifest.config.arithmetic;
    writeFileSync(join(old, 'manifest.json'), JSON.stringify(manifest));
    rmSync(join(old, 'sweep.json'));
    const files = readdirSync(join(old, 'runs')).sort();
    for (const f of files.slice(2)) rmSync(join(old, 'runs', f));
    expect(cli(['sweep', '--resume', old, '--quiet'], cwd).code).toBe(0);
    const resumed = recordsOf(old);
    const whole = recordsOf(join(cwd, 'whole'));
    for (const f of files.slice(2)) expect(resumed[f]).toBe(whole[f]); // trained exact, as the folder began
    expect(JSON.parse(resumed[files[3]]).arithmetic).toBe('exact');
  });

  it('refuses to resume a folder that is not a sweep', () => {
    const cwd = tmp();
    const r = cli(['sweep', '--resume', cwd], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a fluctlab sweep/);
  });

  it('refuses to resume with flags that differ from the folder config', () => {
    const cwd = tmp();
    expect(cli(['sweep', '--lr', '0.1', '--train-limit', '640', '--out', 'out', '--quiet'], cwd).code).toBe(0);
    const before = readFileSync(join(cwd, 'out', 'sweep.json'), 'utf8');
    const r = cli(['sweep', '--resume', 'out', '--lr', '0.2'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/differ from the config/);
    expect(readFileSync(join(cwd, 'out', 'sweep.json'), 'utf8')).toBe(before);
  });

  it('refuses to resume a folder whose runs trained other layers than its model means now (a preset redefined), before training', () => {
    const cwd = tmp();
    expect(cli(['sweep', '--lr', '0.1,0.2', '--train-limit', '640', '--out', 'out', '--quiet'], cwd).code).toBe(0);
    const kept = join(cwd, 'out', 'runs', 'lr0.1-seed1.json');
    const r0 = JSON.parse(readFileSync(kept, 'utf8'));
    expect(r0.modelLayers).toBe('layers:dense128,relu,dense64,relu');
    expect(r0.inputStats).toBeNull();
    // as a record of a fluctlab in which the model's name meant other layers
    writeFileSync(kept, JSON.stringify({ ...r0, modelLayers: 'layers:dense32,relu' }));
    rmSync(join(cwd, 'out', 'runs', 'lr0.2-seed1.json'));
    const r = cli(['sweep', '--resume', 'out'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /run lr0\.1-seed1 trained layers:dense32,relu, but model "mlp:128,64" is layers:dense128,relu,dense64,relu in this fluctlab: finish the sweep with the fluctlab that began it/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(join(cwd, 'out', 'runs'))).toEqual(['lr0.1-seed1.json']);
  });

  it('refuses to merge shards of different sweeps or with a shard missing', () => {
    const cwd = tmp();
    expect(
      cli(['sweep', '--lr', '0.1,0.2', '--train-limit', '640', '--shard', '0/2', '--out', 'a', '--quiet'], cwd).code,
    ).toBe(0);
    expect(
      cli(['sweep', '--lr', '0.1,0.3', '--train-limit', '640', '--shard', '1/2', '--out', 'b', '--quiet'], cwd).code,
    ).toBe(0);
    const differ = cli(['merge', 'a', 'b', '--out', 'm'], cwd);
    expect(differ.code).toBe(2);
    expect(differ.stderr).toMatch(/different config/);
    const missing = cli(['merge', 'a', '--out', 'm'], cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/shard 1 of 2 missing/);
    expect(existsSync(join(cwd, 'm'))).toBe(false);
  });

  it('refuses to merge a shard whose runs trained other layers than the model means now', () => {
    const cwd = tmp();
    expect(
      cli(['sweep', '--lr', '0.1,0.2', '--train-limit', '640', '--shard', '0/2', '--out', 'a', '--quiet'], cwd).code,
    ).toBe(0);
    expect(
      cli(['sweep', '--lr', '0.1,0.2', '--train-limit', '640', '--shard', '1/2', '--out', 'b', '--quiet'], cwd).code,
    ).toBe(0);
    const p = join(cwd, 'b', 'runs', 'lr0.2-seed1.json');
    writeFileSync(p, JSON.stringify({ ...JSON.parse(readFileSync(p, 'utf8')), modelLayers: 'layers:dense32,relu' }));
    const r = cli(['merge', 'a', 'b', '--out', 'm'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /run lr0\.2-seed1 trained layers:dense32,relu, but model "mlp:128,64" is layers:dense128,relu,dense64,relu in this fluctlab: merge shards written by one fluctlab/,
    );
    expect(existsSync(join(cwd, 'm'))).toBe(false);
  });

  it('refuses to merge shards whose runs used different arithmetics (one node with FMA, one without)', () => {
    const cwd = tmp();
    for (const [shard, out] of [
      ['0/2', 'a'],
      ['1/2', 'b'],
    ])
      expect(
        cli(['sweep', '--lr', '0.1,0.2', '--train-limit', '640', '--shard', shard, '--out', out, '--quiet'], cwd).code,
      ).toBe(0);
    const p = join(cwd, 'b', 'runs', 'lr0.2-seed1.json');
    expect(JSON.parse(readFileSync(p, 'utf8')).arithmetic).toBe('fma');
    writeFileSync(p, JSON.stringify({ ...JSON.parse(readFileSync(p, 'utf8')), arithmetic: 'exact' }));
    const r = cli(['merge', 'a', 'b', '--out', 'm'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "fluctlab merge: the shards' runs used different arithmetics, fma (1 run), exact (1 run), so their records would not be one sweep's: run the shards again with one --arithmetic (fma or exact)\n",
    );
    expect(existsSync(join(cwd, 'm'))).toBe(false);
  });

  it('refuses to resume a sweep whose runs used another arithmetic than this engine gives it, writing nothing', () => {
    const cwd = tmp();
    expect(cli(['sweep', ...SMALL, '--workers', '1', '--out', 'began'], cwd).code).toBe(0);
    const dir = join(cwd, 'began');
    const files = readdirSync(join(dir, 'runs')).sort();
    for (const f of files.slice(1)) rmSync(join(dir, 'runs', f));
    rmSync(join(dir, 'sweep.json'));
    // as if it began on an engine without FMA, where auto is exact
    const p = join(dir, 'runs', files[0]);
    writeFileSync(p, JSON.stringify({ ...JSON.parse(readFileSync(p, 'utf8')), arithmetic: 'exact' }));
    const before = readdirSync(join(dir, 'runs'));
    const r = cli(['sweep', '--resume', dir, '--quiet'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^fluctlab sweep: .*began: its runs used the exact arithmetic, and arithmetic auto is fma on this engine: finish the sweep on an engine like the one that began it, or run it again with another --out \(--arithmetic exact gives the bits of its runs\)\n$/,
    );
    expect(readdirSync(join(dir, 'runs'))).toEqual(before);
    expect(existsSync(join(dir, 'sweep.json'))).toBe(false);
  });
});

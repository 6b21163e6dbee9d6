import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(__dirname, '..', '..', 'bin', 'fluctlab.js');

function cli(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'fluctlab-cli-'));

function idxFile(dir: string, name: string, type: number, dims: number[], bodyLength: number): void {
  const header = [0, 0, type, dims.length];
  for (const d of dims) header.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  writeFileSync(join(dir, name), new Uint8Array([...header, ...new Array(bodyLength).fill(0)]));
}

/** A folder of four IDX files, one of them broken by `breakIt`. */
function idxDir(breakIt: 'truncated' | 'absurd' | 'missing'): string {
  const dir = tmp();
  idxFile(dir, 'train-images-idx3-ubyte', 8, [4, 2, 2], breakIt === 'truncated' ? 10 : 16);
  idxFile(dir, 'train-labels-idx1-ubyte', 8, [4], 4);
  if (breakIt === 'absurd') idxFile(dir, 't10k-images-idx3-ubyte', 8, [4000000, 40000, 40000], 0);
  else if (breakIt !== 'missing') idxFile(dir, 't10k-images-idx3-ubyte', 8, [2, 2, 2], 8);
  idxFile(dir, 't10k-labels-idx1-ubyte', 8, [2], 2);
  return dir;
}

describe('fluctlab CLI', () => {
  it('--help lists every command; sweep --help documents every sweep flag', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    for (const command of ['sweep', 'lr-find', 'report', 'export', 'merge', 'reproduce', 'serve'])
      expect(r.stdout).toContain(`  ${command} `);
    const sweep = cli(['sweep', '--help']);
    for (const flag of [
      '--lr',
      '--epochs',
      '--batch',
      '--model',
      '--optimizer',
      '--seed',
      '--seeds',
      '--data',
      '--train-limit',
      '--out',
      '--json',
      '--quiet',
      '--resume',
      '--window-steps',
      '--tau',
      '--fuse',
    ]) {
      expect(sweep.stdout).toContain(flag);
    }
  });

  const bad: [string, string[], RegExp][] = [
    ['an unknown flag', ['--bogus'], /bogus/],
    [
      'a learning rate that is not a number',
      ['--lr', '0.1,abc'],
      /--lr "abc" is not a number: use positive numbers separated by commas: e.g. --lr 0.1,0.01/,
    ],
    ['a negative learning rate', ['--lr=-0.1'], /--lr "-0.1" is negative: learning rates must be positive/],
    ['a zero learning rate', ['--lr', '0'], /not a positive finite number/],
    ['an infinite learning rate', ['--lr', 'Infinity'], /--lr "Infinity" is not a number/],
    ['zero epochs', ['--epochs', '0'], /--epochs "0" must be a whole number ≥ 1: e.g. --epochs 1/],
    ['fractional epochs', ['--epochs', '1.5'], /--epochs "1.5" must be a whole number ≥ 1/],
    ['a batch that is not a number', ['--batch', 'big'], /--batch "big" is not a number/],
    ['a model spec that does not parse', ['--model', 'mlp:12x'], /does not parse/],
    ['an unknown optimizer', ['--optimizer', 'rmsprop'], /optimizer "rmsprop" is unknown/],
    ['a data folder that does not exist', ['--data', 'idx:/nonexistent/folder'], /does not exist/],
    ['a stray positional argument', ['extra'], /unexpected argument "extra"/],
    [
      'a batch larger than the training examples',
      ['--batch', '500', '--train-limit', '100'],
      /batch size 500 is larger than the 100 training examples/,
    ],
    [
      'a malformed schedule',
      ['--schedule', 'step:10'],
      /schedule "step:10" does not parse: use constant, step:<every>,<gamma>/,
    ],
    ['a warmup without steps', ['--schedule', 'warmup:x+cosine'], /warmup needs a whole number of steps/],
    [
      'a negative weight decay',
      ['--weight-decay=-0.1'],
      /--weight-decay "-0.1" must be a number ≥ 0 \(0: none\): e.g. --weight-decay 0.0005/,
    ],
    ['a diverge factor of 1', ['--diverge-factor', '1'], /--diverge-factor "1" must be a number > 1/],
    [
      'a diverge factor that is not a number',
      ['--diverge-factor', 'never'],
      /--diverge-factor "never" is not a number: e.g. --diverge-factor 4/,
    ],
    ['zero windows', ['--windows', '0'], /--windows "0" must be a whole number ≥ 1/],
    [
      '--windows with --window-steps',
      ['--windows', '5', '--window-steps', '10'],
      /--windows and --window-steps both set the recording window: use one/,
    ],
    ['an unknown --fuse value', ['--fuse', 'yes'], /--fuse "yes" is unknown: use one of auto, on, off/],
    [
      '--fuse on for a conv model',
      ['--fuse', 'on', '--model', 'lenet'],
      /--fuse on needs a model of dense layers and activations; "lenet" has conv or pool layers.*use --fuse auto or off/,
    ],
  ];
  for (const [what, args, message] of bad) {
    it(`refuses ${what} with one line, exit 2, and writes nothing`, () => {
      const cwd = tmp();
      const r = cli(['sweep', ...args, '--out', 'out'], cwd);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
      expect(readdirSync(cwd)).toEqual([]);
    });
  }

  for (const broken of ['truncated', 'absurd', 'missing'] as const) {
    it(`refuses an IDX folder with a ${broken} file, exit 2, writing nothing`, () => {
      const cwd = tmp();
      const r = cli(['sweep', '--data', `idx:${idxDir(broken)}`, '--out', 'out'], cwd);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(
        broken === 'missing'
          ? /t10k-images-idx3-ubyte.*missing/
          : broken === 'absurd'
            ? /more than the .* allowed/
            : /truncated/,
      );
      expect(readdirSync(cwd)).toEqual([]);
    });
  }

  it('runs a small sweep, writes one record per run and sweep.json, and keeps going past a diverged run', () => {
    const cwd = tmp();
    const r = cli(['sweep', '--lr', '0.1,1e6', '--train-limit', '640', '--out', 'out'], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/diverged@\d+/);
    expect(readdirSync(join(cwd, 'out', 'runs')).sort()).toEqual(['lr0.1-seed1.json', 'lr1000000-seed1.json']);
    const sweep = JSON.parse(readFileSync(join(cwd, 'out', 'sweep.json'), 'utf8'));
    expect(sweep.runs.map((x: { status: string }) => x.status)).toEqual(['ok', 'diverged']);
    expect(readdirSync(join(cwd, 'out')).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('caps the dead-unit probe at the training examples instead of refusing the default probe size', () => {
    const cwd = tmp();
    // 64 training shapes, default probe size 1000
    const r = cli(
      [
        'sweep',
        '--data',
        'shapes:size=8,train=64,test=16',
        '--model',
        'mlp:8',
        '--batch',
        '16',
        '--lr',
        '0.1',
        '--out',
        'out',
        '--quiet',
        '--no-report',
      ],
      cwd,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rec = JSON.parse(readFileSync(join(cwd, 'out', 'runs', 'lr0.1-seed1.json'), 'utf8'));
    expect(rec.config.probeSize).toBe(100);
    expect(rec.windows[0].layers[0].deadUnits).toBeGreaterThanOrEqual(0);
  });

  it('prints machine-readable JSON with --json', () => {
    const cwd = tmp();
    const r = cli(['sweep', '--lr', '0.1', '--train-limit', '640', '--out', 'out', '--json'], cwd);
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.stdout);
    expect(parsed.kind).toBe('fluctlab.sweep');
    expect(parsed.runs[0].lr).toBe(0.1);
  });

  it('refuses an output folder that already holds a different sweep, leaving it untouched', () => {
    const cwd = tmp();
    expect(cli(['sweep', '--lr', '0.1', '--train-limit', '640', '--out', 'out', '--quiet'], cwd).code).toBe(0);
    const before = readFileSync(join(cwd, 'out', 'sweep.json'), 'utf8');
    const r = cli(['sweep', '--lr', '0.01', '--train-limit', '640', '--out', 'out'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already holds a sweep/);
    expect(readFileSync(join(cwd, 'out', 'sweep.json'), 'utf8')).toBe(before);
  });

  it('refuses a non-empty folder that is not a sweep', () => {
    const cwd = tmp();
    mkdirSync(join(cwd, 'out'));
    writeFileSync(join(cwd, 'out', 'notes.txt'), 'mine');
    const r = cli(['sweep', '--lr', '0.1', '--out', 'out'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not empty/);
    expect(existsSync(join(cwd, 'out', 'manifest.json'))).toBe(false);
  });
});

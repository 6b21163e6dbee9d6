/**
 * Paths of the wrong kind, for every command that reads or writes them: a file where a folder is expected and a folder
 * where a file is expected. Each is one line on stderr and exit 2 (never "internal error"), and nothing is written.
 */
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tmp } from '../helpers/cli.js';

let sweep: string;
let file: string;
let idxWithFolder: string;

beforeAll(() => {
  const base = tmp();
  sweep = join(base, 'sweep');
  expect(
    cli(['sweep', '--lr', '0.1', '--train-limit', '640', '--windows', '1', '--no-report', '--quiet', '--out', sweep])
      .code,
  ).toBe(0);
  file = join(base, 'a-file.txt');
  writeFileSync(file, 'not a folder');
  idxWithFolder = join(base, 'idx');
  for (const f of [
    'train-images-idx3-ubyte',
    'train-labels-idx1-ubyte',
    't10k-images-idx3-ubyte',
    't10k-labels-idx1-ubyte',
  ])
    mkdirSync(join(idxWithFolder, f), { recursive: true });
});

describe('a path of the wrong kind', () => {
  const cases: [string, () => string[]][] = [
    ['sweep --data idx:<a file>', () => ['sweep', '--data', `idx:${file}`, '--out', 'out']],
    [
      'sweep --data idx:<folder whose IDX files are folders>',
      () => ['sweep', '--data', `idx:${idxWithFolder}`, '--out', 'out'],
    ],
    ['sweep --out <a file>', () => ['sweep', '--lr', '0.1', '--train-limit', '640', '--out', file]],
    ['sweep --resume <a file>', () => ['sweep', '--resume', file]],
    ['lr-find --data idx:<a file>', () => ['lr-find', '--data', `idx:${file}`, '--out', 'out']],
    ['lr-find --out <a file>', () => ['lr-find', '--train-limit', '640', '--out', file]],
    ['report <a file>', () => ['report', file]],
    ['export <a file>', () => ['export', file, '--npy']],
    ['export --out <a file>', () => ['export', sweep, '--tensorboard', '--out', file]],
    ['merge <a file>', () => ['merge', file, '--out', 'out']],
    ['merge --out <a file>', () => ['merge', sweep, '--out', file]],
    ['serve <a file>', () => ['serve', file, '--port', '0']],
    ['reproduce --out <a file>', () => ['reproduce', '--quick', '--out', file]],
    ['reproduce --mnist <a file>', () => ['reproduce', '--quick', '--mnist', file, '--out', 'out']],
  ];
  for (const [what, args] of cases) {
    it(`${what}: one line, exit 2, nothing written`, () => {
      const cwd = tmp();
      const r = cli(args(), cwd);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(readdirSync(cwd)).toEqual([]);
    });
  }

  it('a file the system will not read (an I/O error): one line naming it, exit 2', () => {
    // root reads through permissions, so the unreadable file is /proc/self/mem, whose read fails with EIO
    const dir = tmp();
    for (const f of [
      'train-images-idx3-ubyte',
      'train-labels-idx1-ubyte',
      't10k-images-idx3-ubyte',
      't10k-labels-idx1-ubyte',
    ])
      symlinkSync('/proc/self/mem', join(dir, f));
    const r = cli(['sweep', '--data', `idx:${dir}`, '--out', 'out'], tmp());
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /train-images-idx3-ubyte cannot be read \(EIO\): check that it is a readable file$/,
    );
  });

  it('a manifest.json that is a folder: one line, exit 2', () => {
    const dir = join(tmp(), 's');
    mkdirSync(join(dir, 'manifest.json'), { recursive: true });
    for (const args of [
      ['report', dir],
      ['sweep', '--resume', dir],
      ['export', dir, '--npy'],
    ]) {
      const r = cli(args);
      expect(r.stderr, args.join(' ')).not.toMatch(/internal error/);
      expect(r.code, args.join(' ')).toBe(2);
    }
  });
});

describe('labels outside the class range', () => {
  const idx = (type: number, dims: number[], data: number[]) => {
    const head = [
      0,
      0,
      type,
      dims.length,
      ...dims.flatMap((d) => [(d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255]),
    ];
    return Uint8Array.from([...head, ...data]);
  };
  const folder = (train: number[], test: number[]) => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'train-images-idx3-ubyte'),
      idx(8, [train.length, 2, 2], new Array(train.length * 4).fill(7)),
    );
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idx(8, [train.length], train));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idx(8, [test.length, 2, 2], new Array(test.length * 4).fill(7)));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idx(8, [test.length], test));
    return dir;
  };

  it('refuses training labels with a gap (0, 1, 3: no class 2)', () => {
    const r = cli(
      ['sweep', '--data', `idx:${folder([0, 1, 3, 0, 1, 3], [0, 1])}`, '--batch', '2', '--out', 'out'],
      tmp(),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has labels up to 3 but none of class 2: labels must be 0 … classes − 1/);
  });

  it('refuses a test label beyond the training classes', () => {
    const r = cli(['sweep', '--data', `idx:${folder([0, 1, 2, 0], [0, 9])}`, '--batch', '2', '--out', 'out'], tmp());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/t10k-labels-idx1-ubyte has label 9 at example 1, outside the training classes 0 … 2/);
  });
});

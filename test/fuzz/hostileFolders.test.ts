/**
 * Result folders made by hand to attack the commands that read them (issue 24, classes 1, 3 and 4): record fields used
 * as paths (layer names, ids), symlinks out of the folder, and impossible numbers. Every command that reads such a
 * folder (report, export, merge, sweep --resume) refuses it with one line and exit 2, and nothing is written outside it.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFolder } from '../../src/store/folderWriter.js';
import { cli, tmp, smallSweep } from '../helpers/cli.js';

let clean: string;
const RECORD = 'runs/lr0.1-seed1.json';
/** A value replaced by 1e999 in the file's text: JSON.parse reads it as Infinity. */
const INF = '__infinity__';

beforeAll(() => {
  clean = join(tmp(), 'sweep');
  const r = smallSweep(clean);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});

// biome-ignore lint/suspicious/noExplicitAny: a record edited as loose JSON, as an attacker would
type Json = Record<string, any>;

/** A copy of the clean folder, alone in a fresh parent folder, with `file` edited by `edit`. */
function hostile(edit: (j: Json) => void, file = RECORD): { base: string; dir: string } {
  const base = tmp();
  const dir = join(base, 'sweep');
  cpSync(clean, dir, { recursive: true });
  const j = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  edit(j);
  writeFileSync(join(dir, file), JSON.stringify(j, null, 1).replaceAll(`"${INF}"`, '1e999'));
  return { base, dir };
}

/** Every path under `dir`, relative to it. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

/** Runs a command that must refuse the folder: exit 2, one line on stderr, no internal error; returns the line. */
function refused(args: string[], cwd?: string): string {
  const r = cli(args, cwd);
  expect(r.stderr, args.join(' ')).not.toMatch(/internal error/);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, args.join(' ')).toHaveLength(1);
  return lines[0];
}

/** The four commands that read a result folder, each refusing it with one line naming `file`. */
function refusedByEveryReader(dir: string, file: RegExp): void {
  const cwd = tmp();
  for (const args of [
    ['report', dir],
    ['export', dir, '--npy'],
    ['merge', dir, '--out', join(cwd, 'merged')],
    ['sweep', '--resume', dir, '--quiet'],
  ])
    expect(refused(args, cwd), args[0]).toMatch(file);
  expect(readdirSync(cwd)).toEqual([]);
}

/** Renames a layer in every window of a record. */
function renameLayer(j: Json, from: string, to: string): void {
  for (const w of j.windows) for (const l of w.layers) if (l.layer === from) l.layer = to;
}

describe('record fields used as paths', () => {
  const climb = '/../../../../escaped';

  it('report refuses a layer name that climbs out of the folder, and writes nothing outside it', () => {
    const { base, dir } = hostile((j) => renameLayer(j, 'dense1', climb));
    expect(refused(['report', dir])).toMatch(/lr0\.1-seed1\.json .*layer name/);
    expect(tree(base).filter((p) => p.includes('escaped'))).toEqual([]);
    expect(existsSync(join(dir, 'figures'))).toBe(false);
  });

  it('export --npy refuses a layer name that climbs out of the folder, and writes nothing outside it', () => {
    const { base, dir } = hostile((j) => renameLayer(j, 'dense1', climb));
    expect(refused(['export', dir, '--npy'])).toMatch(/lr0\.1-seed1\.json .*layer name/);
    expect(tree(base).filter((p) => p.includes('escaped'))).toEqual([]);
  });

  it('export --npy and --tensorboard refuse a record id with ../, and create no folder outside', () => {
    const { base, dir } = hostile((j) => {
      j.id = '../../escaped-id';
    });
    for (const format of ['--npy', '--tensorboard'])
      expect(refused(['export', dir, format])).toMatch(/lr0\.1-seed1\.json .*id/);
    expect(tree(base).filter((p) => p.includes('escaped'))).toEqual([]);
  });

  it("refuses a record whose id is not its file's name", () => {
    const { dir } = hostile((j) => {
      j.id = 'lr0.01-seed1';
    });
    expect(refused(['report', dir])).toMatch(/lr0\.1-seed1\.json .*id "lr0\.01-seed1" is not lr0\.1-seed1/);
  });

  it('writeFolder refuses a file path with a .. segment and writes nothing', () => {
    const base = tmp();
    const dir = join(base, 'out');
    mkdirSync(dir);
    expect(() => writeFolder(dir, [{ path: 'figures/../../x.svg', bytes: '<svg/>' }], ['figures'])).toThrow(
      /figures\/\.\.\/\.\.\/x\.svg is not a plain relative path/,
    );
    expect(tree(base)).toEqual(['out']);
  });
});

describe('symlinks out of the result folder', () => {
  /** A finished folder whose runs/ is a link to `elsewhere`, which holds one record (the other run is missing) and a user's file. */
  function linkedRuns(): { dir: string; elsewhere: string } {
    const base = tmp();
    const dir = join(base, 'sweep');
    cpSync(clean, dir, { recursive: true });
    const elsewhere = join(base, 'elsewhere');
    renameSync(join(dir, 'runs'), elsewhere);
    rmSync(join(elsewhere, 'lr0.01-seed1.json'));
    writeFileSync(join(elsewhere, 'notes.tmp-1-1'), 'a file of the user whose name looks like a temp file');
    symlinkSync(elsewhere, join(dir, 'runs'));
    return { dir, elsewhere };
  }

  it('sweep --resume refuses runs/ as a link with one line naming it, and writes no record through it', () => {
    const { dir, elsewhere } = linkedRuns();
    expect(refused(['sweep', '--resume', dir, '--quiet'])).toMatch(/sweep\/runs is a symbolic link/);
    expect(readdirSync(elsewhere).sort()).toEqual(['lr0.1-seed1.json', 'notes.tmp-1-1']);
  });

  it("sweep --resume's temp-file clean-up deletes nothing through a linked runs/", () => {
    const { dir, elsewhere } = linkedRuns();
    cli(['sweep', '--resume', dir, '--quiet']);
    expect(readFileSync(join(elsewhere, 'notes.tmp-1-1'), 'utf8')).toMatch(/a file of the user/);
  });

  it('report and export refuse runs/ as a link with one line naming it', () => {
    const { dir } = linkedRuns();
    cpSync(join(clean, 'runs', 'lr0.01-seed1.json'), join(dir, 'runs', 'lr0.01-seed1.json'));
    for (const args of [
      ['report', dir],
      ['export', dir, '--npy'],
      ['export', dir, '--tensorboard'],
    ])
      expect(refused(args), args.join(' ')).toMatch(/sweep\/runs is a symbolic link/);
  });
});

describe('impossible numbers in a result folder: report, export, merge and --resume refuse them', () => {
  const cases: [string, (j: Json) => void][] = [
    [
      'an accuracy of Infinity',
      (j) => {
        j.testAccuracy = INF;
      },
    ],
    [
      'a test loss of Infinity in an epoch',
      (j) => {
        j.epochs[0].testLoss = INF;
      },
    ],
    [
      'an RMS Δ of Infinity',
      (j) => {
        j.windows[0].layers[0].weights.rms = INF;
      },
    ],
    [
      'a neuron fluctuation of Infinity',
      (j) => {
        j.windows[1].layers[1].weights.neuronFluctuation[3] = INF;
      },
    ],
    [
      'a negative histogram count',
      (j) => {
        j.windows[0].layers[0].weights.histogram[100] = -1;
      },
    ],
    [
      'a null histogram count',
      (j) => {
        j.windows[0].layers[0].biases.histogram[100] = null;
      },
    ],
    [
      'a fractional histogram count',
      (j) => {
        j.windows[1].layers[2].weights.histogram[100] = 0.5;
      },
    ],
    [
      'an accuracy above 1',
      (j) => {
        j.testAccuracy = 1.5;
      },
    ],
  ];
  for (const [what, edit] of cases)
    it(what, () => {
      const { dir } = hostile(edit);
      refusedByEveryReader(dir, /lr0\.1-seed1\.json/);
    });

  it('histograms on other edges than the shared ones (every record re-binned alike)', () => {
    const { dir } = hostile((j) => {
      j.bins.minExp = -30;
    });
    const other = join(dir, 'runs', 'lr0.01-seed1.json');
    const j = JSON.parse(readFileSync(other, 'utf8'));
    j.bins.minExp = -30;
    writeFileSync(other, JSON.stringify(j));
    refusedByEveryReader(dir, /seed1\.json .*shared bin edges/);
  });

  it('a sweep.json holding Infinity where the records hold null', () => {
    // JSON.stringify writes Infinity as null, so comparing with the rebuilt result alone would not see it
    const { dir } = hostile((j) => {
      j.runs[0].testPsnr = INF;
    }, 'sweep.json');
    expect(refused(['report', dir])).toMatch(/sweep\.json/);
  });

  it('a manifest holding Infinity', () => {
    const { dir } = hostile((j) => {
      j.createdAt = INF;
    }, 'manifest.json');
    refusedByEveryReader(dir, /manifest\.json/);
  });
});

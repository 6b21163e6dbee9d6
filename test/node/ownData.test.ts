/**
 * Data of one's own from the command line: `--data npy:<dir>` and `--data cifar10:<dir>` train like MNIST, and a
 * broken folder is refused with one line naming the file, exit 2, nothing written.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tmp } from '../helpers/cli.js';
import { npyBytes, npySet } from '../helpers/npyFiles.js';
import { cifarBatch } from '../helpers/cifarFiles.js';

function npyDir(change: Partial<ReturnType<typeof npySet>> = {}): string {
  const dir = tmp();
  const files = { ...npySet(64, 16, 8, 8, 4, 3), ...change };
  writeFileSync(join(dir, 'train_x.npy'), files.trainX);
  writeFileSync(join(dir, 'train_y.npy'), files.trainY);
  writeFileSync(join(dir, 'test_x.npy'), files.testX);
  writeFileSync(join(dir, 'test_y.npy'), files.testY);
  return dir;
}

function cifarDir(train = cifarBatch(40), test = cifarBatch(10)): string {
  const dir = tmp();
  writeFileSync(join(dir, 'data_batch_1.bin'), train);
  writeFileSync(join(dir, 'test_batch.bin'), test);
  return dir;
}

const SMALL = ['--lr', '0.1', '--model', 'mlp:16', '--batch', '8', '--out', 'out', '--no-report'];

describe("data of one's own", () => {
  it('trains on npy:<dir> with 8×8×3 images: the first layer has 192 inputs', () => {
    const cwd = tmp();
    const r = cli(['sweep', '--data', `npy:${npyDir()}`, ...SMALL], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const record = JSON.parse(readFileSync(join(cwd, 'out', 'runs', 'lr0.1-seed1.json'), 'utf8'));
    expect(record.status).toBe('ok');
    expect(record.steps).toBe(8);
    expect(record.parameterCount).toBe(192 * 16 + 16 + 16 * 4 + 4);
  });

  it('trains on cifar10:<dir> with data_batch_1.bin and test_batch.bin', () => {
    const cwd = tmp();
    const r = cli(['sweep', '--data', `cifar10:${cifarDir()}`, ...SMALL], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const record = JSON.parse(readFileSync(join(cwd, 'out', 'runs', 'lr0.1-seed1.json'), 'utf8'));
    expect([record.status, record.steps, record.parameterCount]).toEqual(['ok', 5, 3072 * 16 + 16 + 16 * 10 + 10]);
  });

  const bad: [string, () => string, RegExp][] = [
    [
      'an npy folder without test_y.npy',
      () => {
        const d = npyDir();
        writeFileSync(join(d, 'test_y.npy'), '');
        return `npy:${d}`;
      },
      /test_y\.npy is not a \.npy file .*\(in \/.*\)/,
    ],
    [
      'npy images of the wrong dtype',
      () => `npy:${npyDir({ trainX: npyBytes('<f8', [64, 8, 8, 3], new Array(64 * 192).fill(1)) })}`,
      /train_x\.npy has dtype f8: images must be uint8 or float32/,
    ],
    [
      'npy images of the wrong rank',
      () => `npy:${npyDir({ testX: npyBytes('|u1', [16, 64], new Array(1024).fill(1)) })}`,
      /test_x\.npy has shape \(16, 64\): images must be N×H×W or N×H×W×C/,
    ],
    [
      'npy counts that do not match',
      () =>
        `npy:${npyDir({
          trainY: npyBytes(
            '<i8',
            [63],
            Array.from({ length: 63 }, (_, i) => i % 4),
          ),
        })}`,
      /train_y\.npy holds 63 labels but train_x\.npy 64 images/,
    ],
    [
      'npy labels out of range',
      () =>
        `npy:${npyDir({
          testY: npyBytes(
            '<i8',
            [16],
            Array.from({ length: 16 }, (_, i) => (i === 3 ? 9 : 0)),
          ),
        })}`,
      /test_y\.npy has label 9 at example 3, outside the training classes 0 … 3/,
    ],
    [
      'a truncated CIFAR batch',
      () => `cifar10:${cifarDir(cifarBatch(40).subarray(0, 40 * 3073 - 100))}`,
      /data_batch_1\.bin is 122820 bytes, not a whole number of 3073-byte CIFAR-10 records/,
    ],
    [
      'a CIFAR folder without test_batch.bin',
      () => {
        const d = tmp();
        writeFileSync(join(d, 'data_batch_1.bin'), cifarBatch(10));
        return `cifar10:${d}`;
      },
      /test_batch\.bin is missing: pass the folder of the CIFAR-10 binary version/,
    ],
    [
      'CIFAR batches with a gap',
      () => {
        const d = cifarDir();
        writeFileSync(join(d, 'data_batch_3.bin'), cifarBatch(10));
        return `cifar10:${d}`;
      },
      /data_batch_2\.bin is missing/,
    ],
    [
      'a CIFAR folder that does not exist',
      () => 'cifar10:/nonexistent/cifar',
      /data folder \/nonexistent\/cifar does not exist: pass cifar10:<folder/,
    ],
  ];
  for (const [what, data, message] of bad) {
    it(`refuses ${what} with one line, exit 2, writing nothing`, () => {
      const cwd = tmp();
      mkdirSync(join(cwd, 'sub'));
      const r = cli(['sweep', '--data', data(), '--out', 'sub/out'], cwd);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(readdirSync(join(cwd, 'sub'))).toEqual([]);
    });
  }
});

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetFromNpy } from '../../../src/engine/data/npyDataset.js';
import { parseNpy } from '../../../src/engine/data/npy.js';
import { npyBytes, npySet } from '../../helpers/npyFiles.js';
import { pythonWith } from '../../helpers/python.js';
import { tmp } from '../../helpers/cli.js';

const numpy = pythonWith('numpy');

describe('parseNpy', () => {
  it('reads each data dtype with its shape and values', () => {
    expect(parseNpy(npyBytes('|u1', [2, 2], [0, 1, 254, 255]), 'a.npy')).toEqual({
      type: 'u1',
      shape: [2, 2],
      data: new Uint8Array([0, 1, 254, 255]),
    });
    expect(parseNpy(npyBytes('<f4', [3], [0.5, -1, 3]), 'a.npy').data).toEqual(new Float32Array([0.5, -1, 3]));
    expect(Array.from(parseNpy(npyBytes('<i8', [2], [7, 9]), 'a.npy').data, Number)).toEqual([7, 9]);
    expect(parseNpy(npyBytes('<i2', [1, 1, 2], [-3, 300]), 'a.npy')).toMatchObject({ type: 'i2', shape: [1, 1, 2] });
  });

  it.skipIf(!numpy)('reads the files numpy.save writes (uint8 images, float32, int64 labels)', () => {
    const dir = tmp();
    const r = spawnSync(
      numpy!,
      [
        '-c',
        `import numpy as np; np.save('${dir}/u8.npy', np.arange(24, dtype=np.uint8).reshape(2, 3, 4)); np.save('${dir}/f4.npy', np.array([0.25, 2], dtype=np.float32)); np.save('${dir}/i8.npy', np.array([3, 1, 2]))`,
      ],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    const u8 = parseNpy(readFileSync(join(dir, 'u8.npy')), 'u8.npy');
    expect(u8.shape).toEqual([2, 3, 4]);
    expect(Array.from(u8.data as Uint8Array)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(Array.from(parseNpy(readFileSync(join(dir, 'f4.npy')), 'f4.npy').data as Float32Array)).toEqual([0.25, 2]);
    expect(Array.from(parseNpy(readFileSync(join(dir, 'i8.npy')), 'i8.npy').data, Number)).toEqual([3, 1, 2]);
  });

  const bad: [string, Uint8Array, RegExp][] = [
    ['a file that is not npy', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), /x\.npy is not a \.npy file/],
    [
      'big-endian data',
      npyBytes('>f4', [1], [1]),
      /x\.npy has dtype >f4: use uint8 or float32 images and integer labels \(little-endian\)/,
    ],
    [
      'Fortran order',
      npyBytes('|u1', [2, 2], [1, 2, 3, 4], true),
      /x\.npy is stored in Fortran order: save numpy\.ascontiguousarray\(a\) instead/,
    ],
    [
      'a truncated file',
      npyBytes('|u1', [4, 4], new Array(16).fill(0)).subarray(0, 130),
      /x\.npy is truncated: its shape \(4, 4\) needs 16 data bytes, the file has 2/,
    ],
    [
      'an object dtype',
      npyBytes('|u1', [1], [0]).map((b, i, a) => (i > 10 && a[i - 1] === 0x7c && b === 0x75 ? 0x4f : b)),
      /x\.npy has dtype \|O1/,
    ],
  ];
  for (const [what, bytes, message] of bad) {
    it(`refuses ${what} with one line`, () => {
      expect(() => parseNpy(bytes, 'x.npy')).toThrow(message);
    });
  }
});

describe('datasetFromNpy', () => {
  it('builds a grey data set from N×H×W uint8 images and int64 labels', () => {
    const d = datasetFromNpy(npySet(6, 3, 2, 3, 3), 'npy:x');
    expect(d).toMatchObject({ name: 'npy:x', rows: 2, cols: 3, channels: 1, numClasses: 3 });
    expect(Array.from(d.trainLabels)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(d.trainImages.slice(0, 4)).toEqual(new Uint8Array([11, 48, 85, 122]));
  });

  it('keeps N×H×W×C colour images channels last, and float32 8-bit pixels (k/255 or 0…255) exactly', () => {
    const pixels = [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255];
    const files = npySet(2, 1, 1, 2, 2, 3);
    const d = datasetFromNpy(
      {
        ...files,
        trainX: npyBytes(
          '<f4',
          [2, 1, 2, 3],
          pixels.map((k) => Math.fround(k / 255)),
        ),
        testX: npyBytes('<f4', [1, 1, 2, 3], [9, 8, 7, 6, 5, 255]),
      },
      'npy:x',
    );
    expect(d).toMatchObject({ rows: 1, cols: 2, channels: 3 });
    expect(Array.from(d.trainImages)).toEqual(pixels);
    expect(Array.from(d.testImages)).toEqual([9, 8, 7, 6, 5, 255]);
  });

  const set = npySet(4, 2, 2, 2, 2);
  const bad: [string, Partial<typeof set>, RegExp][] = [
    [
      'int16 images',
      { trainX: npyBytes('<i2', [4, 2, 2], new Array(16).fill(1)) },
      /train_x\.npy has dtype i2: images must be uint8 or float32/,
    ],
    [
      'images of rank 2',
      { trainX: npyBytes('|u1', [4, 4], new Array(16).fill(1)) },
      /train_x\.npy has shape \(4, 4\): images must be N×H×W or N×H×W×C \(channels last\)/,
    ],
    [
      'channels first (N×C×H×W)',
      { trainX: npyBytes('|u1', [4, 3, 8, 8], new Array(768).fill(1)) },
      /train_x\.npy has 8 channels in its last axis: images are N×H×W×C with C ≤ 4 \(channels last; transpose N×C×H×W with a\.transpose\(0, 2, 3, 1\)\)/,
    ],
    [
      'float32 values that are not 8-bit pixels',
      { trainX: npyBytes('<f4', [4, 2, 2], new Array(16).fill(0.5)) },
      /train_x\.npy holds 0\.5 at element 0: float32 images must hold 8-bit pixels/,
    ],
    [
      'test images of another size',
      { testX: npyBytes('|u1', [2, 3, 2], new Array(12).fill(1)) },
      /test_x\.npy holds 3×2×1 images but train_x\.npy 2×2×1/,
    ],
    [
      'more labels than images',
      { trainY: npyBytes('<i8', [5], [0, 1, 0, 1, 0]) },
      /train_y\.npy holds 5 labels but train_x\.npy 4 images: the counts must match/,
    ],
    [
      'float labels',
      { trainY: npyBytes('<f8', [4], [0, 1, 0, 1]) },
      /train_y\.npy has dtype float64: labels must be integers/,
    ],
    ['a negative label', { trainY: npyBytes('<i8', [4], [0, 1, -1, 1]) }, /train_y\.npy has label -1 at example 2/],
    [
      'a gap in the classes',
      { trainY: npyBytes('<i8', [4], [0, 2, 0, 2]) },
      /train_y\.npy has labels up to 2 but none of class 1/,
    ],
    [
      'a test label outside the training classes',
      { testY: npyBytes('<i8', [2], [0, 2]) },
      /test_y\.npy has label 2 at example 1, outside the training classes 0 … 1/,
    ],
  ];
  for (const [what, change, message] of bad) {
    it(`refuses ${what}`, () => {
      expect(() => datasetFromNpy({ ...set, ...change }, 'npy:x')).toThrow(message);
    });
  }
});

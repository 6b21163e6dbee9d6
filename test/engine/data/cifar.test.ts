import { describe, expect, it } from 'vitest';
import { datasetFromCifar, parseCifarBatch } from '../../../src/engine/data/cifar.js';
import { cifarBatch } from '../../helpers/cifarFiles.js';

describe('CIFAR-10 binary batches', () => {
  it('reads labels and reorders the colour planes to channels last', () => {
    const { labels, images } = parseCifarBatch(cifarBatch(2), 'b.bin');
    expect(Array.from(labels)).toEqual([0, 1]);
    expect(images.length).toBe(2 * 3072);
    // pixel 0 of record 1: red 0, green 1, blue 254; pixel 5 of record 0: red 5, green 0, blue 255
    expect(Array.from(images.subarray(3072, 3075))).toEqual([0, 1, 254]);
    expect(Array.from(images.subarray(15, 18))).toEqual([5, 0, 255]);
  });

  it('builds a 32×32×3 data set of 10 classes from the training batches in order and the test batch', () => {
    const d = datasetFromCifar(
      [
        { name: 'data_batch_1.bin', bytes: cifarBatch(10) },
        { name: 'data_batch_2.bin', bytes: cifarBatch(3) },
      ],
      { name: 'test_batch.bin', bytes: cifarBatch(4) },
      'cifar10:x',
    );
    expect(d).toMatchObject({ rows: 32, cols: 32, channels: 3, numClasses: 10 });
    expect(Array.from(d.trainLabels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2]);
    expect(d.trainImages.length).toBe(13 * 3072);
  });

  it('refuses a truncated file', () => {
    expect(() => parseCifarBatch(cifarBatch(2).subarray(0, 5000), 'data_batch_1.bin')).toThrow(
      /data_batch_1\.bin is 5000 bytes, not a whole number of 3073-byte CIFAR-10 records/,
    );
  });

  it('refuses a label beyond the 10 classes', () => {
    expect(() =>
      parseCifarBatch(
        cifarBatch(3, (i) => (i === 2 ? 42 : i)),
        'test_batch.bin',
      ),
    ).toThrow(/test_batch\.bin has label 42 in record 2: CIFAR-10 labels are 0 … 9/);
  });

  it('refuses training batches that lack a class', () => {
    expect(() =>
      datasetFromCifar(
        [{ name: 'data_batch_1.bin', bytes: cifarBatch(9) }],
        { name: 'test_batch.bin', bytes: cifarBatch(2) },
        'c',
      ),
    ).toThrow(/the training batches has labels up to 8 but none of class 9/);
  });
});

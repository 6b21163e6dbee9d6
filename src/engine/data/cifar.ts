/**
 * The CIFAR-10 binary version (cifar-10-batches-bin): `data_batch_1.bin` … `data_batch_5.bin` and `test_batch.bin`,
 * each a run of 3073-byte records: one label byte (0…9), then 32×32 red, 32×32 green and 32×32 blue bytes, rows in
 * order. The pixels are reordered to channels last (height, width, channel), as every Dataset holds them.
 *
 *     datasetFromCifar([batch1, …, batch5], testBatch, 'cifar10:./cifar-10-batches-bin')
 */
import { concatBytes } from './bytes.js';
import { makeDataset, type Dataset } from './dataset.js';

const SIDE = 32;
const PLANE = SIDE * SIDE;
/** Bytes of one record: a label and three colour planes. */
export const CIFAR_RECORD_BYTES = 1 + 3 * PLANE;
/** The classes CIFAR-10 declares. */
export const CIFAR_CLASSES = 10;
export const CIFAR_TRAIN_FILES = [
  'data_batch_1.bin',
  'data_batch_2.bin',
  'data_batch_3.bin',
  'data_batch_4.bin',
  'data_batch_5.bin',
];
export const CIFAR_TEST_FILE = 'test_batch.bin';

/** One batch file as labels and channels-last pixels; throws when its size is not a whole number of records. */
export function parseCifarBatch(bytes: Uint8Array, name: string): { labels: Uint8Array; images: Uint8Array } {
  if (bytes.length === 0 || bytes.length % CIFAR_RECORD_BYTES !== 0) {
    throw new Error(
      `${name} is ${bytes.length} bytes, not a whole number of ${CIFAR_RECORD_BYTES}-byte CIFAR-10 records (truncated? use the binary version, cifar-10-binary.tar.gz)`,
    );
  }
  const n = bytes.length / CIFAR_RECORD_BYTES;
  const labels = new Uint8Array(n);
  const images = new Uint8Array(n * 3 * PLANE);
  for (let i = 0; i < n; i++) {
    const r = i * CIFAR_RECORD_BYTES;
    labels[i] = bytes[r];
    if (bytes[r] >= CIFAR_CLASSES)
      throw new Error(
        `${name} has label ${bytes[r]} in record ${i}: CIFAR-10 labels are 0 … 9 (is this CIFAR-100, or not a CIFAR file?)`,
      );
    const out = i * 3 * PLANE;
    for (let p = 0; p < PLANE; p++) {
      images[out + 3 * p] = bytes[r + 1 + p];
      images[out + 3 * p + 1] = bytes[r + 1 + PLANE + p];
      images[out + 3 * p + 2] = bytes[r + 1 + 2 * PLANE + p];
    }
  }
  return { labels, images };
}

/**
 * Builds the Dataset from CIFAR-10's binary batches: the training batches (in order) and the test batch, each its file
 * name and bytes.
 *
 *     const batch = (name: string) => ({ name, bytes: new Uint8Array(readFileSync(join(dir, name))) });
 *     const data = datasetFromCifar([1, 2, 3, 4, 5].map((i) => batch(`data_batch_${i}.bin`)), batch('test_batch.bin'), 'cifar10');
 */
export function datasetFromCifar(
  trainBatches: { name: string; bytes: Uint8Array }[],
  test: { name: string; bytes: Uint8Array },
  name: string,
): Dataset {
  const train = trainBatches.map((b) => parseCifarBatch(b.bytes, b.name));
  const t = parseCifarBatch(test.bytes, test.name);
  return makeDataset({
    name,
    rows: SIDE,
    cols: SIDE,
    channels: 3,
    trainImages: concatBytes(train.map((b) => b.images)),
    trainLabels: concatBytes(train.map((b) => b.labels)),
    testImages: t.images,
    testLabels: t.labels,
    classes: CIFAR_CLASSES,
    labelNames: { train: 'the training batches', test: test.name },
  });
}

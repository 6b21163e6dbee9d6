/**
 * An image-classification data set held as uint8 pixels and labels. Pixels stay
 * uint8 (one byte each, shareable through a SharedArrayBuffer) until a batch is
 * made, where they become float32 in [0, 1]. An example is rows × cols × channels
 * bytes, channels last (height, width, channel: the layout of NHWC convolutions).
 */
import { UsageError } from '../../contract/errors.js';
import { parseIdx } from './idx.js';

/** Train and test splits of 8-bit images with integer labels. */
export interface Dataset {
  name: string;
  rows: number;
  cols: number;
  /** colour channels per pixel (1 grey, 3 RGB), interleaved: pixel (y, x) channel c is at (y·cols + x)·channels + c */
  channels: number;
  numClasses: number;
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

/** The four standard IDX file names, as bytes already decompressed. */
export interface IdxFiles {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

/** The standard file name of each of the four IDX files (MNIST's, uncompressed), by IdxFiles key. */
export const IDX_FILE_NAMES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/**
 * Builds a Dataset from the four IDX files (MNIST's format; bytes already decompressed), checking they agree with each
 * other.
 *
 *     const read = (k: keyof IdxFiles) => new Uint8Array(readFileSync(join(dir, IDX_FILE_NAMES[k])));
 *     const data = datasetFromIdx({ trainImages: read('trainImages'), trainLabels: read('trainLabels'), testImages: read('testImages'), testLabels: read('testLabels') }, 'my-mnist');
 */
export function datasetFromIdx(files: IdxFiles, name: string): Dataset {
  const trI = parseIdx(files.trainImages, IDX_FILE_NAMES.trainImages);
  const trL = parseIdx(files.trainLabels, IDX_FILE_NAMES.trainLabels);
  const teI = parseIdx(files.testImages, IDX_FILE_NAMES.testImages);
  const teL = parseIdx(files.testLabels, IDX_FILE_NAMES.testLabels);
  for (const [t, n, rank] of [
    [trI, IDX_FILE_NAMES.trainImages, 3],
    [teI, IDX_FILE_NAMES.testImages, 3],
    [trL, IDX_FILE_NAMES.trainLabels, 1],
    [teL, IDX_FILE_NAMES.testLabels, 1],
  ] as const) {
    if (!(t.data instanceof Uint8Array)) throw new Error(`${n} must hold uint8 data`);
    if (t.dims.length !== rank) throw new Error(`${n} must have ${rank} dimensions, has ${t.dims.length}`);
  }
  if (trI.dims[0] !== trL.dims[0])
    throw new Error(`train images (${trI.dims[0]}) and labels (${trL.dims[0]}) differ in count`);
  if (teI.dims[0] !== teL.dims[0])
    throw new Error(`test images (${teI.dims[0]}) and labels (${teL.dims[0]}) differ in count`);
  if (trI.dims[1] !== teI.dims[1] || trI.dims[2] !== teI.dims[2])
    throw new Error('train and test images differ in size');
  return makeDataset({
    name,
    rows: trI.dims[1],
    cols: trI.dims[2],
    channels: 1,
    trainImages: trI.data as Uint8Array,
    trainLabels: trL.data as Uint8Array,
    testImages: teI.data as Uint8Array,
    testLabels: teL.data as Uint8Array,
    labelNames: { train: IDX_FILE_NAMES.trainLabels, test: IDX_FILE_NAMES.testLabels },
  });
}

/** The arrays of a data set, before its labels are checked. */
export interface DatasetParts extends Omit<Dataset, 'numClasses'> {
  /** the class count the format declares (CIFAR-10: 10); omitted: max training label + 1 */
  classes?: number;
  /** how errors name the label arrays (default 'train labels', 'test labels') */
  labelNames?: { train: string; test: string };
}

/**
 * A Dataset from its arrays, checked: image bytes match the counts and sizes, and labels lie in 0 … classes − 1 with
 * every class present in training (a gap or a label out of range is a damaged or mislabelled file).
 *
 *     const d = makeDataset({ name: 'mine', rows: 8, cols: 8, channels: 3, trainImages, trainLabels, testImages, testLabels });
 */
export function makeDataset(p: DatasetParts): Dataset {
  const names = p.labelNames ?? { train: 'train labels', test: 'test labels' };
  for (const [k, v] of [
    ['rows', p.rows],
    ['cols', p.cols],
    ['channels', p.channels],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`images must have ${k} ≥ 1, not ${v}`);
  }
  const f = p.rows * p.cols * p.channels;
  if (p.trainLabels.length === 0)
    throw new Error(`${names.train} holds no examples: a data set needs training examples`);
  if (p.testLabels.length === 0) throw new Error(`${names.test} holds no examples: a data set needs test examples`);
  if (p.trainImages.length !== p.trainLabels.length * f)
    throw new Error(
      `train images (${p.trainImages.length / f} of ${p.rows}×${p.cols}×${p.channels}) and labels (${p.trainLabels.length}) differ in count`,
    );
  if (p.testImages.length !== p.testLabels.length * f)
    throw new Error(
      `test images (${p.testImages.length / f} of ${p.rows}×${p.cols}×${p.channels}) and labels (${p.testLabels.length}) differ in count`,
    );
  const numClasses = checkLabels(p.trainLabels, p.testLabels, names, p.classes);
  const { classes: _c, labelNames: _n, ...rest } = p;
  return { ...rest, numClasses };
}

/** The class count: `declared`, or the largest training label + 1; throws when a label is outside it or a class has no training example. */
export function checkLabels(
  train: Uint8Array,
  test: Uint8Array,
  names: { train: string; test: string },
  declared?: number,
): number {
  const seen = new Uint8Array(256);
  let maxLabel = 0;
  for (let i = 0; i < train.length; i++) {
    seen[train[i]] = 1;
    if (train[i] > maxLabel) maxLabel = train[i];
  }
  const classes = declared ?? maxLabel + 1;
  if (maxLabel >= classes)
    throw new Error(
      `${names.train} has label ${maxLabel}, outside the ${classes} classes 0 … ${classes - 1} of the format`,
    );
  const missing = [];
  for (let c = 0; c < classes; c++) if (!seen[c]) missing.push(c);
  if (missing.length > 0)
    throw new Error(
      `${names.train} has labels up to ${maxLabel} but none of class ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}: labels must be 0 … classes − 1, each class with training examples`,
    );
  for (let i = 0; i < test.length; i++) {
    if (test[i] >= classes)
      throw new Error(
        `${names.test} has label ${test[i]} at example ${i}, outside the training classes 0 … ${classes - 1}`,
      );
  }
  return classes;
}

/**
 * Checks a Dataset a caller built (handed to sweep() or lrFind): its sizes whole numbers, its arrays bytes whose
 * counts agree, numClasses from 1 to 256 and every label below it. Throws a UsageError of one line starting "data:".
 *
 *     checkDataset({ ...data, numClasses: 0 }) // throws UsageError: data: numClasses 0 must be a whole number from 1 to 256
 */
export function checkDataset(d: unknown): Dataset {
  const fail = (why: string): never => {
    throw new UsageError(`data: ${why}`);
  };
  if (d === null || typeof d !== 'object' || Array.isArray(d))
    fail(`${d === null ? 'null' : typeof d} is not a Dataset: pass one such as loadDataset returns`);
  const o = d as Record<string, unknown>;
  for (const k of ['rows', 'cols', 'channels'] as const)
    if (!(Number.isInteger(o[k]) && (o[k] as number) >= 1 && (o[k] as number) <= 65536))
      fail(`${k} ${String(o[k])} must be a whole number from 1 to 65536`);
  if (!(Number.isInteger(o.numClasses) && (o.numClasses as number) >= 1 && (o.numClasses as number) <= 256))
    fail(`numClasses ${String(o.numClasses)} must be a whole number from 1 to 256`);
  for (const k of ['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const)
    if (!(o[k] instanceof Uint8Array)) fail(`${k} is not a Uint8Array (bytes: pixels 0 … 255, labels 0 … classes − 1)`);
  const data = d as Dataset;
  const f = featureCount(data);
  const size = `${data.rows}×${data.cols}×${data.channels}`;
  for (const split of ['train', 'test'] as const) {
    const images = data[`${split}Images`];
    const labels = data[`${split}Labels`];
    if (labels.length === 0) fail(`${split}Labels holds no examples`);
    if (images.length !== labels.length * f)
      fail(
        `${split}Images holds ${Math.floor(images.length / f)}${images.length % f ? '+' : ''} images of ${size} but ${split}Labels ${labels.length} labels: the counts must match`,
      );
    for (let i = 0; i < labels.length; i++)
      if (labels[i] >= data.numClasses)
        fail(
          `${split}Labels has label ${labels[i]} at example ${i}, outside the ${data.numClasses} classes 0 … ${data.numClasses - 1}`,
        );
  }
  return data;
}

/** Number of input values per example: rows × cols × channels. */
export function featureCount(d: Pick<Dataset, 'rows' | 'cols' | 'channels'>): number {
  return d.rows * d.cols * d.channels;
}

/** Returns a view of the data set restricted to its first `n` training examples. */
export function limitTrain(d: Dataset, n: number): Dataset {
  const count = d.trainLabels.length;
  if (n >= count) return d;
  const f = featureCount(d);
  return { ...d, trainImages: d.trainImages.subarray(0, n * f), trainLabels: d.trainLabels.subarray(0, n) };
}

/** Number of training examples. */
export function trainCount(d: Dataset): number {
  return d.trainLabels.length;
}

/** Copies the data set's arrays into SharedArrayBuffers so workers can view them without copies. */
export function shareDataset(d: Dataset): Dataset {
  const share = (a: Uint8Array): Uint8Array => {
    if (a.buffer instanceof SharedArrayBuffer) return a;
    const s = new Uint8Array(new SharedArrayBuffer(a.length));
    s.set(a);
    return s;
  };
  return {
    ...d,
    trainImages: share(d.trainImages),
    trainLabels: share(d.trainLabels),
    testImages: share(d.testImages),
    testLabels: share(d.testLabels),
  };
}

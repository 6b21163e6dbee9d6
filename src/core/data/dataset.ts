/**
 * An image-classification data set held as uint8 pixels and labels. Pixels stay
 * uint8 (one byte each, shareable through a SharedArrayBuffer) until a batch is
 * made, where they become float32 in [0, 1].
 */
import { parseIdx } from './idx.js';

/** Train and test splits of 8-bit images with integer labels. */
export interface Dataset {
  name: string;
  rows: number;
  cols: number;
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

export const IDX_FILE_NAMES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** Builds a Dataset from the four IDX files, checking they agree with each other. */
export function datasetFromIdx(files: IdxFiles, name: string): Dataset {
  const trI = parseIdx(files.trainImages, IDX_FILE_NAMES.trainImages);
  const trL = parseIdx(files.trainLabels, IDX_FILE_NAMES.trainLabels);
  const teI = parseIdx(files.testImages, IDX_FILE_NAMES.testImages);
  const teL = parseIdx(files.testLabels, IDX_FILE_NAMES.testLabels);
  for (const [t, n, rank] of [[trI, IDX_FILE_NAMES.trainImages, 3], [teI, IDX_FILE_NAMES.testImages, 3], [trL, IDX_FILE_NAMES.trainLabels, 1], [teL, IDX_FILE_NAMES.testLabels, 1]] as const) {
    if (!(t.data instanceof Uint8Array)) throw new Error(`${n} must hold uint8 data`);
    if (t.dims.length !== rank) throw new Error(`${n} must have ${rank} dimensions, has ${t.dims.length}`);
  }
  if (trI.dims[0] !== trL.dims[0]) throw new Error(`train images (${trI.dims[0]}) and labels (${trL.dims[0]}) differ in count`);
  if (teI.dims[0] !== teL.dims[0]) throw new Error(`test images (${teI.dims[0]}) and labels (${teL.dims[0]}) differ in count`);
  if (trI.dims[1] !== teI.dims[1] || trI.dims[2] !== teI.dims[2]) throw new Error('train and test images differ in size');
  const trainLabels = trL.data as Uint8Array;
  const testLabels = teL.data as Uint8Array;
  // the classes are 0 … max training label, each with training examples: a gap or a test label beyond them is a damaged file
  const seen = new Uint8Array(256);
  let maxLabel = 0;
  for (let i = 0; i < trainLabels.length; i++) {
    seen[trainLabels[i]] = 1;
    if (trainLabels[i] > maxLabel) maxLabel = trainLabels[i];
  }
  const missing = [];
  for (let c = 0; c <= maxLabel; c++) if (!seen[c]) missing.push(c);
  if (missing.length > 0) throw new Error(`${IDX_FILE_NAMES.trainLabels} has labels up to ${maxLabel} but none of class ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}: labels must be 0 … classes − 1, each class with training examples`);
  for (let i = 0; i < testLabels.length; i++) {
    if (testLabels[i] > maxLabel) throw new Error(`${IDX_FILE_NAMES.testLabels} has label ${testLabels[i]} at example ${i}, outside the training classes 0 … ${maxLabel}`);
  }
  return {
    name,
    rows: trI.dims[1],
    cols: trI.dims[2],
    numClasses: maxLabel + 1,
    trainImages: trI.data as Uint8Array,
    trainLabels,
    testImages: teI.data as Uint8Array,
    testLabels,
  };
}

/** Number of pixels per example. */
export function featureCount(d: Pick<Dataset, 'rows' | 'cols'>): number {
  return d.rows * d.cols;
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
  return { ...d, trainImages: share(d.trainImages), trainLabels: share(d.trainLabels), testImages: share(d.testImages), testLabels: share(d.testLabels) };
}

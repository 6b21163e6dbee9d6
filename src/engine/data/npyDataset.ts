/**
 * A data set from four .npy files, as a numpy user saves one: `train_x.npy`, `train_y.npy`, `test_x.npy`,
 * `test_y.npy`. Images are N×H×W (grey) or N×H×W×C (channels last), uint8 pixels, or float32 holding 8-bit pixels
 * (0…255 integers, or k/255 as torchvision's ToTensor makes them), kept exactly as bytes; labels are N integers (or N×1)
 * from 0 to classes − 1.
 *
 *     datasetFromNpy({ trainX, trainY, testX, testY }, 'npy:./my-data') // bytes of the four files
 */
import { makeDataset, type Dataset } from './dataset.js';
import { parseNpy, type NpyTensor } from './npy.js';

/** The four files of an npy data set. */
export const NPY_FILE_NAMES = {
  trainX: 'train_x.npy',
  trainY: 'train_y.npy',
  testX: 'test_x.npy',
  testY: 'test_y.npy',
} as const;

/** The bytes of the four files. */
export type NpyFiles = Record<keyof typeof NPY_FILE_NAMES, Uint8Array>;

/** The most channels an image may have (grey, grey+alpha, RGB, RGBA). */
const MAX_CHANNELS = 4;

/**
 * Builds a Dataset from the four .npy files (N×H×W or N×H×W×C images, N labels); throws one line naming the file at
 * fault.
 *
 *     const files = Object.fromEntries(Object.entries(NPY_FILE_NAMES).map(([k, f]) => [k, new Uint8Array(readFileSync(join(dir, f)))])) as NpyFiles;
 *     const data = datasetFromNpy(files, 'my-data');
 */
export function datasetFromNpy(files: NpyFiles, name: string): Dataset {
  const trainX = parseNpy(files.trainX, NPY_FILE_NAMES.trainX);
  const testX = parseNpy(files.testX, NPY_FILE_NAMES.testX);
  const [rows, cols, channels] = imageShape(trainX, NPY_FILE_NAMES.trainX);
  const [r2, c2, ch2] = imageShape(testX, NPY_FILE_NAMES.testX);
  if (r2 !== rows || c2 !== cols || ch2 !== channels)
    throw new Error(
      `${NPY_FILE_NAMES.testX} holds ${r2}×${c2}×${ch2} images but ${NPY_FILE_NAMES.trainX} ${rows}×${cols}×${channels}: both splits need one image size`,
    );
  const trainLabels = labels(
    parseNpy(files.trainY, NPY_FILE_NAMES.trainY),
    NPY_FILE_NAMES.trainY,
    trainX.shape[0],
    NPY_FILE_NAMES.trainX,
  );
  const testLabels = labels(
    parseNpy(files.testY, NPY_FILE_NAMES.testY),
    NPY_FILE_NAMES.testY,
    testX.shape[0],
    NPY_FILE_NAMES.testX,
  );
  return makeDataset({
    name,
    rows,
    cols,
    channels,
    trainImages: pixels(trainX, NPY_FILE_NAMES.trainX),
    trainLabels,
    testImages: pixels(testX, NPY_FILE_NAMES.testX),
    testLabels,
    labelNames: { train: NPY_FILE_NAMES.trainY, test: NPY_FILE_NAMES.testY },
  });
}

/** Height, width and channels of an N×H×W or N×H×W×C image array. */
function imageShape(t: NpyTensor, name: string): [number, number, number] {
  if (t.shape.length !== 3 && t.shape.length !== 4)
    throw new Error(`${name} has shape (${t.shape.join(', ')}): images must be N×H×W or N×H×W×C (channels last)`);
  const [, rows, cols, channels = 1] = t.shape;
  if (rows < 1 || cols < 1 || channels < 1)
    throw new Error(`${name} has shape (${t.shape.join(', ')}): every size must be at least 1`);
  if (channels > MAX_CHANNELS)
    throw new Error(
      `${name} has ${channels} channels in its last axis: images are N×H×W×C with C ≤ ${MAX_CHANNELS} (channels last; transpose N×C×H×W with a.transpose(0, 2, 3, 1))`,
    );
  return [rows, cols, channels];
}

/** The images as bytes: uint8 as it is, float32 only where every value is an 8-bit pixel (k or k/255). */
function pixels(t: NpyTensor, name: string): Uint8Array {
  if (t.type === 'u1') return t.data as Uint8Array;
  if (t.type !== 'f4')
    throw new Error(`${name} has dtype ${t.type === 'b1' ? 'bool' : t.type}: images must be uint8 or float32`);
  const v = t.data as Float32Array;
  const out = new Uint8Array(v.length);
  let max = 0;
  for (let i = 0; i < v.length; i++) if (v[i] > max || Number.isNaN(v[i])) max = Number.isNaN(v[i]) ? NaN : v[i];
  const scale = max <= 1 ? 255 : 1; // [0, 1]: k/255; otherwise 0 … 255
  for (let i = 0; i < v.length; i++) {
    const k = Math.round(v[i] * scale);
    if (!(k >= 0 && k <= 255) || Math.fround(k / scale) !== v[i]) {
      throw new Error(
        `${name} holds ${v[i]} at element ${i}: float32 images must hold 8-bit pixels (integers 0…255, or k/255 in [0, 1]); save (a * 255).round().astype(numpy.uint8) instead`,
      );
    }
    out[i] = k;
  }
  return out;
}

/** Labels as bytes: integers 0…255 in an array of N (or N×1) matching the images' count. */
function labels(t: NpyTensor, name: string, count: number, imagesName: string): Uint8Array {
  if (!(t.shape.length === 1 || (t.shape.length === 2 && t.shape[1] === 1)))
    throw new Error(`${name} has shape (${t.shape.join(', ')}): labels must be a list of N integers (or N×1)`);
  if (t.shape[0] !== count)
    throw new Error(`${name} holds ${t.shape[0]} labels but ${imagesName} ${count} images: the counts must match`);
  if (t.type === 'f4' || t.type === 'f8' || t.type === 'b1')
    throw new Error(
      `${name} has dtype ${t.type === 'b1' ? 'bool' : `float${8 * Number(t.type[1])}`}: labels must be integers (save labels.astype(numpy.int64))`,
    );
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const v = Number(t.data[i]);
    if (!(v >= 0 && v <= 255))
      throw new Error(`${name} has label ${v} at example ${i}: labels must be 0 … classes − 1 (at most 256 classes)`);
    out[i] = v;
  }
  return out;
}

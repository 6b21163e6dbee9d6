/**
 * A small, fixed sample of an autoencoder's final reconstructions, kept in the
 * RunRecord so a report can show originals next to reconstructions per
 * learning rate without the network: the first test example of each class (up
 * to `count`, then the next examples in order), as 0…255 pixel values.
 */
import * as tf from '@tensorflow/tfjs-core';
import { pixelBatch } from '../kernels/pixelBatch.js';
import { featureCount, type Dataset } from '../data/dataset.js';
import type { Network } from './network.js';
import type { Reconstructions } from '../../contract/record.js';

/** How many examples a record keeps: one per class of the eight-shape set. */
export const RECONSTRUCTION_COUNT = 8;

/** The fixed examples: first of each class in label order, then the earliest unused ones until `count`. */
export function sampleIndices(labels: Uint8Array, count: number): number[] {
  const first = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) if (!first.has(labels[i])) first.set(labels[i], i);
  const picked = [...first.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, i]) => i)
    .slice(0, count);
  for (let i = 0; picked.length < Math.min(count, labels.length); i++) if (!picked.includes(i)) picked.push(i);
  return picked;
}

/** Runs the fixed test examples through the autoencoder and rounds its sigmoid output to 0…255. */
export function reconstructSample(net: Network, d: Dataset, count = RECONSTRUCTION_COUNT): Reconstructions {
  const f = featureCount(d);
  const testIndices = sampleIndices(d.testLabels, count);
  const t = tf.tidy(() =>
    tf.sigmoid(net.forward(pixelBatch(d.testImages, f, testIndices, 0, testIndices.length)).pop()!),
  );
  const out = t.dataSync() as Float32Array;
  t.dispose();
  const reconstructed = testIndices.map((_, k) =>
    Array.from(out.subarray(k * f, (k + 1) * f), (v) => Math.round(255 * Math.min(1, Math.max(0, v)))),
  );
  return {
    rows: d.rows,
    cols: d.cols,
    ...(d.channels === 1 ? {} : { channels: d.channels }),
    testIndices,
    labels: testIndices.map((t) => d.testLabels[t]),
    original: testIndices.map((t) => Array.from(d.testImages.subarray(t * f, (t + 1) * f))),
    reconstructed,
  };
}

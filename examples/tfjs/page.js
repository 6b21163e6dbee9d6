// The CNN of cnn.mjs trained in the page with fluctlab's callback on 512 generated images (a bright bar across or
// down a noisy 28×28 square, 10 positions: 10 classes), then the record's windows as a table, per layer: RMS of the
// step change Δ, participation ratio, dead units on the probe batch.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fluctuationCallback, wasmBackend } from 'fluctlab/tfjs';
import build from './cnn.mjs';

const status = document.getElementById('status');
try {
  await wasmBackend();
  const n = 512;
  const labels = Array.from({ length: n }, (_, i) => i % 10);
  const pixels = new Float32Array(n * 784);
  const noise = tf.randomUniform([n * 784], 0, 0.3, 'float32', 1).dataSync();
  labels.forEach((c, i) => {
    for (let k = 0; k < 28; k++) {
      const at = c < 5 ? (4 + 4 * c) * 28 + k : k * 28 + 4 + 4 * (c - 5); // a row for classes 0–4, a column for 5–9
      pixels[i * 784 + at] = 1;
    }
  });
  const x = tf.tensor4d(
    pixels.map((v, i) => Math.min(1, v + noise[i])),
    [n, 28, 28, 1],
  );
  const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
  const model = build(0.1, { tf, tfl, seed: 1 });
  const cb = fluctuationCallback({ windowSteps: 8, probe: tf.slice(x, 0, 64), seed: 1, data: 'bars' });
  await model.fit(x, y, { epochs: 2, batchSize: 32, shuffle: false, callbacks: [cb] });
  const record = cb.record();
  const layers = record.windows[0].layers.map((l) => l.layer);
  const head = `<tr><th>steps</th><th>loss</th>${layers.map((l) => `<th>${l} RMS Δ</th><th>PR</th><th>dead</th>`).join('')}</tr>`;
  const rows = record.windows.map(
    (w) =>
      `<tr data-window="${w.index}"><td>${w.startStep}–${w.endStep}</td><td>${w.trainLoss.toFixed(3)}</td>${w.layers
        .map(
          (l) =>
            `<td>${l.weights.rms.toExponential(2)}</td><td>${l.weights.participationRatio.toFixed(2)}</td><td>${l.deadUnits ?? '–'}</td>`,
        )
        .join('')}</tr>`,
  );
  document.getElementById('report').innerHTML = head + rows.join('');
  const link = document.getElementById('download');
  link.href = URL.createObjectURL(new Blob([JSON.stringify(record)], { type: 'application/json' }));
  link.hidden = false;
  status.textContent = `done: ${record.steps} steps, training accuracy ${(100 * record.epochs.at(-1).trainAccuracy).toFixed(1)}%`;
  document.body.dataset.state = 'done';
} catch (e) {
  status.textContent = `failed: ${e.message}`;
  document.body.dataset.state = 'failed';
}

// sweepModel in a page: the tiny model module of the Node test, 3 learning rates on 2 Web Workers.
import * as tf from '@tensorflow/tfjs-core';
import { sweepModel, wasmBackend } from 'fluctlab/tfjs';

try {
  await wasmBackend();
  const x = tf.randomUniform([16, 6, 6, 1], 0, 1, 'float32', 7);
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: 16 }, (_, i) => i % 3),
      'int32',
    ),
    3,
  );
  const { records, result } = await sweepModel({
    model: new URL('../fixtures/tinyModel.mjs', import.meta.url).href,
    data: { x, y, validation: { x, y } },
    lrs: [0.1, 0.03, 0.01],
    epochs: 2,
    batchSize: 4,
    windowSteps: 3,
    probe: 4,
    workers: 2,
    dataName: 'tiny',
  });
  window.outcome = { records, lrs: result.aggregate.lrs.map((l) => l.lr) };
  document.body.dataset.state = 'done';
} catch (e) {
  window.outcome = { error: String(e?.stack ?? e) };
  document.body.dataset.state = 'failed';
}

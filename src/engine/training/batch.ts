/**
 * A batch's labels and loss: one-hot targets, and the cross-entropy and accuracy of its logits. Its images become
 * float32 input in one kernel on the backend (kernels/pixelBatch.ts).
 */
import { detExp, detLog } from '../detMath.js';

/** Fills `out` (batch × classes) with one-hot labels. */
export function fillOneHot(
  labels: Uint8Array,
  classes: number,
  indices: ArrayLike<number>,
  start: number,
  batch: number,
  out: Float32Array,
): void {
  out.fill(0);
  for (let b = 0; b < batch; b++) out[b * classes + labels[indices[start + b]]] = 1;
}

/** Mean softmax cross-entropy and accuracy of logits (batch × classes) against labels, in float64 with log-sum-exp (engine-independent exp and log: detMath.ts). */
export function crossEntropy(
  logits: Float32Array,
  classes: number,
  labels: Uint8Array,
  indices: ArrayLike<number> | null,
  start: number,
  batch: number,
): { loss: number; correct: number } {
  const { sum, correct } = crossEntropySum(logits, classes, labels, indices, start, batch);
  return { loss: sum / batch, correct };
}

/** `crossEntropy`'s sum of the batch's losses, added in order onto `from`: a set taken in chunks gets the sum of one pass. */
export function crossEntropySum(
  logits: Float32Array,
  classes: number,
  labels: Uint8Array,
  indices: ArrayLike<number> | null,
  start: number,
  batch: number,
  from = 0,
): { sum: number; correct: number } {
  let loss = from;
  let correct = 0;
  for (let b = 0; b < batch; b++) {
    const row = b * classes;
    let max = -Infinity;
    let arg = 0;
    for (let c = 0; c < classes; c++) {
      const z = logits[row + c];
      if (z > max) {
        max = z;
        arg = c;
      }
    }
    let s = 0;
    for (let c = 0; c < classes; c++) s += detExp(logits[row + c] - max);
    const y = labels[indices ? indices[start + b] : start + b];
    loss += detLog(s) + max - logits[row + y];
    if (arg === y) correct++;
  }
  return { sum: loss, correct };
}

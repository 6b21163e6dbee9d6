/** Test helper: CIFAR-10 binary batches. */
import { CIFAR_RECORD_BYTES } from '../../src/engine/data/cifar.js';

/** `n` CIFAR records: label i mod 10; red plane byte p = p mod 256, green = label, blue = 255 − label. */
export function cifarBatch(n: number, label = (i: number) => i % 10): Uint8Array {
  const out = new Uint8Array(n * CIFAR_RECORD_BYTES);
  for (let i = 0; i < n; i++) {
    const r = i * CIFAR_RECORD_BYTES;
    out[r] = label(i);
    for (let p = 0; p < 1024; p++) {
      out[r + 1 + p] = p % 256;
      out[r + 1 + 1024 + p] = label(i);
      out[r + 1 + 2048 + p] = 255 - label(i);
    }
  }
  return out;
}

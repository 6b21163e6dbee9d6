/**
 * A batch's pixels as float32 in one kernel (engine/kernels/pixelBatch.ts) against what it replaces, tfjs's tensor2d
 * of the raw values times the float32 scalar 1/255: the same bits for every uint8 value, for rows chosen by an index
 * list or taken in order, over lengths that leave a scalar tail after the SIMD loop; and batch.wat's committed bytes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileWat, MODULES } from '../../../scripts/build-wasm.js';
import { PIXEL_SCALE, pixelBatch } from '../../../src/engine/kernels/pixelBatch.js';
import { initBackend, tf } from '../../../src/engine/kernels/tf.js';
import { BATCH_WASM, BATCH_WASM_SHARED } from '../../../src/engine/kernels/wasm/batchWasm.js';

beforeAll(async () => {
  await initBackend();
});

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe("a batch's pixels in one kernel", () => {
  // 9 features: rows of 9 bytes, so a batch of 5 (45) ends in a scalar tail; every value 0…255 appears
  const features = 9;
  const images = new Uint8Array(40 * features).map((_, i) => (i * 37) % 256);

  for (const [what, indices, start, count] of [
    ['rows by index', [7, 0, 39, 12, 12], 0, 5],
    ['rows in order', null, 3, 31],
  ] as const) {
    it(`gives tfjs's tensor2d · 1/255 bits: ${what}`, () => {
      const raw = new Float32Array(count * features);
      for (let b = 0; b < count; b++) {
        const row = indices ? indices[b] : start + b;
        raw.set(images.subarray(row * features, (row + 1) * features), b * features);
      }
      const want = tf.tidy(() => tf.mul(tf.tensor2d(raw, [count, features]), PIXEL_SCALE).dataSync() as Float32Array);
      const got = tf.tidy(() => {
        const x = pixelBatch(images, features, indices, start, count);
        expect(x.shape).toEqual([count, features]);
        return x.dataSync() as Float32Array;
      });
      expect(bits(got)).toEqual(bits(want));
      expect(got[0]).toBeCloseTo(raw[0] / 255, 6);
    });
  }

  it('covers every uint8 value exactly as tfjs does', () => {
    const all = new Uint8Array(256).map((_, i) => i);
    const want = tf.tidy(() => tf.mul(tf.tensor2d(Float32Array.from(all), [1, 256]), PIXEL_SCALE).dataSync());
    const got = tf.tidy(() => pixelBatch(all, 256, null, 0, 1).dataSync());
    expect(bits(got as Float32Array)).toEqual(bits(want as Float32Array));
    expect(got[255]).toBe(1);
  });

  it('is exactly the compile of batch.wat, in both builds', async () => {
    const fresh = await compileWat(MODULES.find((m) => m.name === 'BATCH_WASM')!.wat);
    expect(Array.from(BATCH_WASM)).toEqual(Array.from(fresh.plain));
    expect(Array.from(BATCH_WASM_SHARED)).toEqual(Array.from(fresh.shared));
  });
});

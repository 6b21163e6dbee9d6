/**
 * tfjs's threaded build (cross-origin-isolated pages) keeps its heap in a
 * shared memory. The kernel then uses the build of the module that imports a
 * shared memory, and must give the same bits as on an ordinary memory.
 */
import { describe, expect, it } from 'vitest';
import { histogram, mergeCounts } from '../../../src/engine/recording/histogram.js';
import { Rng } from '../../../src/engine/rng.js';
import { HeapTensorAccumulator } from '../../../src/engine/recording/wasm/heapAccumulator.js';
import { RecorderKernel } from '../../../src/engine/recording/wasm/recorderKernel.js';

/** A heap like tfjs's: a memory and a bump allocator. */
function fakeHeap(memory: WebAssembly.Memory) {
  let next = 1024;
  return {
    memory,
    malloc(bytes: number): number {
      const at = next;
      next += Math.ceil(bytes / 16) * 16;
      return at;
    },
    free(): void {},
  };
}

describe('the recorder kernel on a shared memory', () => {
  it('links the shared build and gives the same window sums as on an ordinary memory', () => {
    const [rows, cols] = [45, 11]; // two tiles (32 + 13 rows), two column blocks and a tail of three
    const rng = new Rng(4, 0);
    const steps = Array.from({ length: 5 }, () =>
      new Float32Array(rows * cols).map(() => (rng.int(7) === 0 ? 0 : rng.normal() * 10 ** (-6 * rng.uniform()))),
    );
    const results = [false, true].map((shared) => {
      const memory = new WebAssembly.Memory(shared ? { initial: 8, maximum: 64, shared: true } : { initial: 8 });
      expect(memory.buffer instanceof SharedArrayBuffer).toBe(shared);
      const kernel = RecorderKernel.create(fakeHeap(memory));
      const acc = new HeapTensorAccumulator(kernel, 0, rows, cols);
      const src = kernel.malloc(4 * rows * cols);
      for (const d of steps) {
        new Float32Array(memory.buffer, src, d.length).set(d);
        expect(acc.add(src)).toBe(true);
      }
      return acc.sums();
    });
    expect(results[1]).toEqual(results[0]);
    expect(Array.from(results[1].hist)).toEqual(steps.map((d) => histogram(d)).reduce(mergeCounts));
    expect(results[1].neuronSq.some((x) => x > 0)).toBe(true);
  });
});

/**
 * A window's first step allocates the recorder's sums in tfjs's heap (Recorder.bindHeap); that can grow the heap's
 * memory, which detaches every view of it taken before, Δ's and θ's among them. The heap is made full here so that
 * the allocation must grow it, and Δ must still be recorded exactly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { activeHeap } from '../../src/engine/kernels/tfjsWasm.js';
import { Recorder } from '../../src/engine/recording/recorder.js';
import { fluctuationCallback } from '../../src/tfjs/index.js';
import { StepReader, tf, tfl, wasmBackend } from './fixtures.js';

beforeAll(async () => {
  await wasmBackend();
});

describe('a first step whose allocation grows the heap', () => {
  it('Recorder.step reads Δ from the grown memory', () => {
    const heap = activeHeap()!;
    // Δ larger than the whole heap now: the recorder's staging (as large as Δ) fits in no hole of the old memory, nor
    // in what growing for Δ left past Δ's end (at most a fifth of the old memory, or a doubling's rest), so binding
    // must grow the memory again
    const units = 1024;
    const fanIn = Math.ceil(heap.memory.buffer.byteLength / 4 / units) + 1;
    const size = fanIn * units + units;
    const ptr = heap.malloc(4 * size);
    const buffer = heap.memory.buffer;
    const delta = new Float32Array(buffer, ptr, size);
    for (let i = 0; i < size; i++) delta[i] = ((i % 7) - 3) * 1e-3;
    const copy = delta.slice();
    const rec = new Recorder([{ name: 'big', fanIn, units, wOffset: 0, bOffset: fanIn * units }], { tau: 0.1 });
    try {
      rec.step(delta, 0.1);
      // the premise: the step grew the heap (else this test shows nothing)
      expect(heap.memory.buffer).not.toBe(buffer);
      expect(rec.path).toBe('wasm');
      const { weights, biases } = rec.closeWindow().layers[0];
      const w = copy.subarray(0, fanIn * units);
      expect(weights.max).toBe(Math.max(...w.subarray(0, 7)));
      expect(weights.min).toBe(Math.min(...w.subarray(0, 7)));
      expect(biases.maxAbs).toBe(Math.max(...Array.from(copy.subarray(fanIn * units), Math.abs)));
      expect(weights.histogram.reduce((a, b) => a + b, 0)).toBe(fanIn * units);
    } finally {
      rec.dispose();
      heap.free(ptr);
    }
  });

  it('the callback records a large model first step Δ exactly', async () => {
    const model = tfl.sequential();
    model.add(
      tfl.layers.dense({
        inputShape: [256],
        units: 512,
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
      }),
    );
    model.add(
      tfl.layers.dense({
        units: 2,
        activation: 'softmax',
        kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
      }),
    );
    model.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' });
    const x = tf.randomUniform([8, 256], 0, 1, 'float32', 4);
    const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32'), 2);
    const heap = activeHeap()!;
    const staging = 4 * (256 * 512 + 512 + 512 * 2 + 2);
    const blocks: number[] = [];
    let filled: ArrayBuffer | null = null;
    let grew = false;
    // Listed before fluctlab's callback: at the first step it fills the heap, so the recorder's first allocation
    // (as large as the model's parameters) must grow it. Blocks of that size go into every hole that holds one until
    // the memory grows; then one block the size of the whole memory takes what that growth left past the end.
    class Filler extends tfl.Callback {
      override async onBatchEnd(batch: number): Promise<void> {
        if (batch !== 0) return;
        const start = heap.memory.buffer;
        while (heap.memory.buffer === start) blocks.push(heap.malloc(staging));
        blocks.push(heap.malloc(heap.memory.buffer.byteLength));
        filled = heap.memory.buffer as ArrayBuffer;
      }
      override async onTrainEnd(): Promise<void> {
        for (const p of blocks) heap.free(p);
      }
    }
    class Grew extends tfl.Callback {
      override async onBatchEnd(batch: number): Promise<void> {
        if (batch === 0) grew = heap.memory.buffer !== filled;
      }
    }
    const cb = fluctuationCallback({ windowSteps: 1 });
    const reader = new StepReader();
    await model.fit(x, y, {
      epochs: 1,
      batchSize: 4,
      shuffle: false,
      callbacks: [new Filler(), cb, new Grew(), reader],
    });
    // the premise: fluctlab's first step grew the heap
    expect(grew).toBe(true);
    const record = cb.record();
    for (const s of [0, 1]) {
      const d = reader.delta(s, model.layers[0].trainableWeights[0].name);
      const t = record.windows[s].layers[0].weights;
      expect(t.max).toBe(d.reduce((a, b) => Math.max(a, b), -Infinity));
      expect(t.min).toBe(d.reduce((a, b) => Math.min(a, b), Infinity));
      expect(t.maxAbs).toBeGreaterThan(0);
      // θ after the step, read after the heap grew
      const after = reader.after[s].get(model.layers[0].trainableWeights[0].name)!;
      expect(t.weightNorm).toBeCloseTo(Math.sqrt(after.reduce((a, v) => a + v * v, 0)), 3);
    }
    cb.dispose();
    tf.dispose([x, y]);
    model.dispose();
  });
});

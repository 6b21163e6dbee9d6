/**
 * fluctuationCallback on a tfjs-layers CNN: the recorded Δ is exactly the weights after a step minus before it (read
 * independently by another callback), and a window's statistics are what a hand computation over those Δ gives.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { deterministicPart } from '../../src/contract/record.js';
import { binOf, BIN_COUNT } from '../../src/engine/recording/histogram.js';
import type { TensorFluctuation } from '../../src/contract/windowRecord.js';
import { fluctuationCallback } from '../../src/tfjs/index.js';
import { StepReader, tf, tfl, tinyCnn, tinyData, wasmBackend, weightName } from './fixtures.js';

beforeAll(async () => {
  await wasmBackend();
});

/** Trains the tiny CNN for 2 epochs of 4 steps with the callback first and a StepReader after it. */
async function train(windowSteps: number | 'epoch', probe = false) {
  const model = tinyCnn(0.02);
  const { x, y } = tinyData();
  const cb = fluctuationCallback({ windowSteps, ...(probe ? { probe: tf.slice(x, 0, 8) } : {}) });
  const reader = new StepReader();
  await model.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, callbacks: [cb, reader] });
  return { model, record: cb.record(), reader, x };
}

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);
/** Equal up to float32 rounding: the recorder sums a step's values in float32 lanes, as its SIMD kernel does. */
const close = (a: number | null | undefined, b: number) =>
  expect(Math.abs((a ?? Number.NaN) - b)).toBeLessThanOrEqual(1e-6 * Math.abs(b) + 1e-12);
const popStd = (a: number[]) => {
  const m = sum(a) / a.length;
  return Math.sqrt(sum(a.map((v) => (v - m) ** 2)) / a.length);
};

describe('fluctuationCallback', () => {
  it('records each step Δ exactly as the weights after the step minus those before it', async () => {
    const { model, record, reader } = await train(1);
    expect(record.steps).toBe(8);
    expect(record.windows).toHaveLength(8);
    expect(record.windows[0].layers.map((l) => [l.layer, l.units])).toEqual([
      ['conv', 3],
      ['norm-gamma', 1],
      ['norm-beta', 1],
      ['hidden', 4],
      ['out', 3],
    ]);
    const check = (t: TensorFluctuation, d: Float32Array, units: number) => {
      expect(t.min).toBe(Math.min(...d));
      expect(t.max).toBe(Math.max(...d));
      expect(t.maxAbs).toBe(Math.max(...Array.from(d, Math.abs)));
      const hist = new Array(BIN_COUNT).fill(0);
      for (const v of d) hist[binOf(v)]++;
      expect(t.histogram).toEqual(hist);
      close(t.sum, sum(d));
      close(t.sumSquares, sum(d.map((v) => v * v)));
      const rows = d.length / units;
      for (const [j, f] of t.neuronFluctuation.entries()) {
        let sq = 0;
        for (let i = 0; i < rows; i++) sq += d[i * units + j] ** 2;
        close(f, Math.sqrt(sq / rows));
      }
    };
    for (let s = 0; s < 8; s++) {
      const layers = record.windows[s].layers;
      expect(record.windows[s].startStep).toBe(s);
      check(layers[0].weights, reader.delta(s, weightName(model, 'conv', 'kernel')), 3);
      check(layers[0].biases, reader.delta(s, weightName(model, 'conv', 'bias')), 3);
      check(layers[1].weights, reader.delta(s, weightName(model, 'norm', 'gamma')), 1);
      check(layers[2].weights, reader.delta(s, weightName(model, 'norm', 'beta')), 1);
      check(layers[3].weights, reader.delta(s, weightName(model, 'hidden', 'kernel')), 4);
      // a layer without bias trains a bias that never moves
      expect(layers[3].biases.histogram.filter((c) => c > 0)).toEqual([4]);
      check(layers[4].weights, reader.delta(s, weightName(model, 'out', 'kernel')), 3);
      check(layers[4].biases, reader.delta(s, weightName(model, 'out', 'bias')), 3);
      // Δ moved something in every layer it records
      expect(layers[0].weights.maxAbs).toBeGreaterThan(0);
    }
  });

  it('gives a window the statistics a hand computation over its steps gives', async () => {
    const { model, record, reader, x } = await train(3, true);
    // 8 steps in windows of 3: 3, 3, 2 (2 steps left is not under half of 3, so it stays a window of its own)
    expect(record.windows.map((w) => [w.startStep, w.endStep])).toEqual([
      [0, 3],
      [3, 6],
      [6, 8],
    ]);
    const name = weightName(model, 'out', 'kernel');
    const units = 3;
    for (const w of record.windows) {
      const deltas = Array.from({ length: w.endStep - w.startStep }, (_, i) => reader.delta(w.startStep + i, name));
      const rows = deltas[0].length / units;
      const n = deltas.length * deltas[0].length;
      const t = w.layers[4].weights;
      close(t.rms, Math.sqrt(sum(deltas.map((d) => sum(d.map((v) => v * v)))) / n));
      close(t.meanAbs, sum(deltas.map((d) => sum(d.map(Math.abs)))) / n);
      // s_j: the std over the window's steps of neuron j's mean fan-in weight, relative to the window's start
      const spread = Array.from({ length: units }, (_, j) => {
        let c = 0;
        const path = deltas.map((d) => {
          let m = 0;
          for (let i = 0; i < rows; i++) m += d[i * units + j];
          c += m / rows;
          return c;
        });
        return popStd(path);
      });
      for (const [j, s] of spread.entries()) close(t.neuronSpread[j], s);
      close(t.spreadOfSpread, popStd(spread));
      const f = t.neuronFluctuation;
      close(t.participationRatio, sum(f) ** 2 / (units * sum(f.map((v) => v * v))));
      // ‖W‖ after the window's last step, and the RMS over its steps of ‖Δ_t‖ over it
      const after = reader.after[w.endStep - 1].get(name)!;
      const norm = Math.sqrt(sum(after.map((v) => v * v)));
      close(t.weightNorm, norm);
      close(t.updateRatio, Math.sqrt(sum(deltas.map((d) => sum(d.map((v) => v * v)))) / deltas.length) / norm);
      close(t.effectiveRms, t.rms / 0.02);
      close(w.trainLoss, sum(reader.losses.slice(w.startStep, w.endStep)) / deltas.length);
      expect(w.lr).toBeCloseTo(0.02, 12);
    }
    // dead units: the conv channels that are 0 at every position of every probe example at the end
    const conv = tfl.model({ inputs: model.inputs, outputs: model.getLayer('conv').output as tfl.SymbolicTensor });
    const out = (conv.predict(tf.slice(x, 0, 8)) as tf.Tensor).dataSync();
    const dead = [0, 1, 2].filter((c) => out.every((v, i) => i % 3 !== c || v === 0)).length;
    expect(record.windows.at(-1)!.layers[0].deadUnits).toBe(dead);
    expect(record.windows.at(-1)!.layers[4].deadUnits).toBeNull();
  });

  it('keeps fit epochs, the optimizer and its learning rate in the record', async () => {
    const { model, record } = await train('epoch');
    expect(record.windows.map((w) => [w.startStep, w.endStep])).toEqual([
      [0, 4],
      [4, 8],
    ]);
    expect(record.epochs.map((e) => [e.epoch, e.endStep])).toEqual([
      [1, 4],
      [2, 8],
    ]);
    expect(record.epochs[0].trainAccuracy).toBeTypeOf('number');
    expect(record.config).toMatchObject({ model: `tfjs:${model.name}`, optimizer: 'tfjs:SGD', lrs: [0.02] });
    expect(record.config.batch).toBe(4);
    expect(record).toMatchObject({ id: 'lr0.02-seed0', lr: 0.02, status: 'ok', parameterCount: 30 + 6 + 48 * 4 + 15 });
    // tfjs-wasm's products (a multiply, then an add), on the record as in its config
    expect(record.arithmetic).toBe('exact');
    expect(record.config.arithmetic).toBe('exact');
  });

  it('records the same for the same seeded model and batch order (initialisers seeded, tfjs shuffle off)', async () => {
    const a = await train(2, true);
    const b = await train(2, true);
    expect(JSON.stringify(deterministicPart(b.record))).toBe(JSON.stringify(deterministicPart(a.record)));
    // and differently for another seed of the initialisers
    const model = tinyCnn(0.02, 5);
    const { x, y } = tinyData();
    const cb = fluctuationCallback({ windowSteps: 2 });
    await model.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, callbacks: [cb] });
    expect(cb.record().windows[0].layers[0].weights.rms).not.toBe(a.record.windows[0].layers[0].weights.rms);
  });

  it('records model.fitDataset as it records fit over the same batches', async () => {
    const { record } = await train(3);
    const model = tinyCnn(0.02);
    const { x, y } = tinyData();
    // a dataset as tfjs-data makes one: an iterator of { xs, ys } batches, the 4 batches of an epoch, again and again
    let i = 0;
    const batches = {
      iterator: async () => ({
        next: async () => {
          const at = (i++ % 4) * 4;
          return { value: { xs: tf.slice(x, at, 4), ys: tf.slice(y, at, 4) }, done: false };
        },
      }),
    };
    const cb = fluctuationCallback({ windowSteps: 3 });
    await model.fitDataset(batches as unknown as Parameters<typeof model.fitDataset>[0], {
      epochs: 2,
      batchesPerEpoch: 4,
      callbacks: [cb],
    });
    expect(JSON.stringify(deterministicPart(cb.record()))).toBe(JSON.stringify(deterministicPart(record)));
  });

  it('reads Δ in tfjs heap on the WASM backend: the recorder runs its kernel on Δ where it lies', async () => {
    const model = tinyCnn(0.02);
    const { x, y } = tinyData();
    const cb = fluctuationCallback();
    const paths: (string | null)[] = [];
    // the recorder's path for the open window, read after each step (the callback's private state, on purpose)
    class PathReader extends tfl.Callback {
      override async onBatchEnd(): Promise<void> {
        paths.push((cb as unknown as { watch: { recorder: { path: string | null } } }).watch.recorder.path);
      }
    }
    await model.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, callbacks: [cb, new PathReader()] });
    expect(paths).toEqual(['wasm', 'wasm', 'wasm', 'wasm']);
  });

  it('leaves no tensor behind, the probe pass included', async () => {
    const model = tinyCnn(0.02);
    const { x, y } = tinyData();
    const probe = tf.slice(x, 0, 4);
    await model.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false });
    const before = tf.memory().numTensors;
    const cb = fluctuationCallback({ windowSteps: 1, probe });
    await model.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, callbacks: [cb] });
    expect(tf.memory().numTensors).toBe(before);
    cb.dispose();
  });
});

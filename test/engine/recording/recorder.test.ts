import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/engine/kernels/tf.js';
import { heapView } from '../../../src/engine/kernels/tfjsWasm.js';
import { binOf, BIN_COUNT, ZERO_BIN } from '../../../src/engine/recording/histogram.js';
import { Recorder } from '../../../src/engine/recording/recorder.js';

beforeAll(async () => {
  await initBackend();
});

// One layer, fan-in 2, 2 units: flat θ = [w00, w01, w10, w11, b0, b1].
const layout = [{ name: 'dense1', fanIn: 2, units: 2, wOffset: 0, bOffset: 4 }];
const steps = [new Float32Array([1, -2, 3, 0, 0.5, 0]), new Float32Array([-1, 2, 1, 4, 0.5, -1])];

/**
 * Both paths run every test: 'js' feeds plain arrays (the JS loop), 'wasm' feeds
 * views into the tfjs heap (the SIMD kernel), as run.ts does.
 */
type Path = 'js' | 'wasm';

/** Feeds one step on a path and checks that the recorder took that path. */
function feed(rec: Recorder, d: Float32Array, path: Path): boolean {
  if (path === 'js') {
    const ok = rec.step(d);
    expect(rec.path).toBe('js');
    return ok;
  }
  const t = tf.tensor1d(d);
  try {
    const ok = rec.step(heapView(t));
    expect(rec.path).toBe('wasm');
    return ok;
  } finally {
    t.dispose();
  }
}

describe.each(['js', 'wasm'] as const)('Recorder on a hand-computed two-step trajectory (%s path)', (path) => {
  function record() {
    const rec = new Recorder(layout, { tau: 0.1 });
    for (const d of steps) expect(feed(rec, d, path)).toBe(true);
    const w = rec.closeWindow([3]);
    rec.dispose();
    return w;
  }

  it('layer statistics: mean |Δ| = 14/8, RMS Δ = √(36/8), max |Δ| = 4', () => {
    const w = record().layers[0].weights;
    expect(w.meanAbs).toBe(1.75);
    expect(w.rms).toBeCloseTo(Math.sqrt(4.5), 14);
    expect(w.maxAbs).toBe(4);
  });

  it('histogram moments: weights min −2, max 4, Σ Δ = 8, Σ Δ² = 36; biases min −1, max 0.5, Σ Δ = 0, Σ Δ² = 1.5', () => {
    const { weights: w, biases: b } = record().layers[0];
    expect([w.min, w.max, w.sum, w.sumSquares]).toEqual([-2, 4, 8, 36]);
    expect([b.min, b.max, b.sum, b.sumSquares]).toEqual([-1, 0.5, 0, 1.5]);
  });

  it('neuron fluctuation f_j = RMS over steps and fan-in: f = [√3, √6]', () => {
    const w = record().layers[0].weights;
    expect(w.neuronFluctuation[0]).toBeCloseTo(Math.sqrt(3), 14);
    expect(w.neuronFluctuation[1]).toBeCloseTo(Math.sqrt(6), 14);
  });

  it('neuron spread s_j = std over steps of the mean fan-in position: s = [0, 1.5], S = 0.75, cv = 1', () => {
    const w = record().layers[0].weights;
    expect(w.neuronSpread[0]).toBeCloseTo(0, 14);
    expect(w.neuronSpread[1]).toBeCloseTo(1.5, 14);
    expect(w.spreadOfSpread).toBeCloseTo(0.75, 14);
    expect(w.spreadCv).toBeCloseTo(1, 14);
  });

  it('participation: PR = (√3+√6)²/(2·9) = 1/2 + √2/3, both neurons participate', () => {
    const w = record().layers[0].weights;
    expect(w.participationRatio).toBeCloseTo(0.5 + Math.SQRT2 / 3, 14);
    expect(w.effectiveNeurons).toBeCloseTo(2 * (0.5 + Math.SQRT2 / 3), 14);
    expect(w.participating).toBe(2);
  });

  it('biases are tracked separately: f = [0.5, √½], s = [0.25, 0.5]', () => {
    const b = record().layers[0].biases;
    expect(b.neuronFluctuation[0]).toBeCloseTo(0.5, 14);
    expect(b.neuronFluctuation[1]).toBeCloseTo(Math.SQRT1_2, 14);
    expect(b.neuronSpread[0]).toBeCloseTo(0.25, 14);
    expect(b.neuronSpread[1]).toBeCloseTo(0.5, 14);
  });

  it('histogram counts every Δ in its bin', () => {
    const w = record().layers[0].weights;
    const expected = new Array(BIN_COUNT).fill(0);
    for (const v of [1, -2, 3, 0, -1, 2, 1, 4]) expected[binOf(v)]++;
    expect(w.histogram).toEqual(expected);
    expect(w.histogram[ZERO_BIN]).toBe(1);
    expect(w.histogram.reduce((a, b) => a + b, 0)).toBe(8);
  });

  it('window bounds, dead units and a fresh window after closing', () => {
    const rec = new Recorder(layout, { tau: 0.1 });
    feed(rec, steps[0], path);
    feed(rec, steps[1], path);
    const w0 = rec.closeWindow([3]);
    expect([w0.index, w0.startStep, w0.endStep, w0.layers[0].deadUnits]).toEqual([0, 0, 2, 3]);
    expect(rec.path).toBeNull();
    feed(rec, steps[0], path);
    const w1 = rec.closeWindow();
    expect([w1.index, w1.startStep, w1.endStep]).toEqual([1, 2, 3]);
    expect(w1.layers[0].weights.maxAbs).toBe(3);
    expect(w1.layers[0].deadUnits).toBeNull();
    expect(w1.layers[0].weights.histogram.reduce((a, b) => a + b, 0)).toBe(4);
    rec.dispose();
  });

  it('reports a non-finite Δ, in that step and the rest of the window', () => {
    const rec = new Recorder(layout, { tau: 0.1 });
    expect(feed(rec, new Float32Array([0, NaN, 0, 0, 0, 0]), path)).toBe(false);
    expect(feed(rec, steps[0], path)).toBe(false);
    rec.closeWindow();
    expect(feed(rec, steps[0], path)).toBe(true);
    const rec2 = new Recorder(layout, { tau: 0.1 });
    expect(feed(rec2, new Float32Array([0, 0, 0, 0, -Infinity, 0]), path)).toBe(false);
    expect(rec2.closeWindow().layers[0].biases.maxAbs).toBe(Infinity);
    rec.dispose();
    rec2.dispose();
  });
});

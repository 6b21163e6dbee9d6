import { describe, expect, it } from 'vitest';
import { binOf, BIN_COUNT, ZERO_BIN } from '../../src/core/histogram.js';
import { Recorder } from '../../src/core/recorder.js';

// One layer, fan-in 2, 2 units: flat θ = [w00, w01, w10, w11, b0, b1].
const layout = [{ name: 'dense1', fanIn: 2, units: 2, wOffset: 0, bOffset: 4 }];
const steps = [
  new Float32Array([1, -2, 3, 0, 0.5, 0]),
  new Float32Array([-1, 2, 1, 4, 0.5, -1]),
];

function record() {
  const rec = new Recorder(layout, { tau: 0.1 });
  for (const d of steps) expect(rec.step(d)).toBe(true);
  return rec.closeWindow([3]);
}

describe('Recorder on a hand-computed two-step trajectory', () => {
  it('layer statistics: mean |Δ| = 14/8, RMS Δ = √(36/8), max |Δ| = 4', () => {
    const w = record().layers[0].weights;
    expect(w.meanAbs).toBe(1.75);
    expect(w.rms).toBeCloseTo(Math.sqrt(4.5), 14);
    expect(w.maxAbs).toBe(4);
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
    rec.step(steps[0]);
    rec.step(steps[1]);
    const w0 = rec.closeWindow([3]);
    expect([w0.index, w0.startStep, w0.endStep, w0.layers[0].deadUnits]).toEqual([0, 0, 2, 3]);
    rec.step(steps[0]);
    const w1 = rec.closeWindow();
    expect([w1.index, w1.startStep, w1.endStep]).toEqual([1, 2, 3]);
    expect(w1.layers[0].weights.maxAbs).toBe(3);
    expect(w1.layers[0].deadUnits).toBeNull();
  });

  it('reports a non-finite Δ', () => {
    const rec = new Recorder(layout, { tau: 0.1 });
    expect(rec.step(new Float32Array([0, NaN, 0, 0, 0, 0]))).toBe(false);
    const rec2 = new Recorder(layout, { tau: 0.1 });
    expect(rec2.step(new Float32Array([0, 0, 0, 0, Infinity, 0]))).toBe(false);
  });
});

/**
 * The measures free of η's scale (scaleFree.ts), by hand: the pure functions, then the recorder on a two-step
 * trajectory at two learning rates, on both paths.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/engine/kernels/tf.js';
import { heapView } from '../../../src/engine/kernels/tfjsWasm.js';
import { Recorder } from '../../../src/engine/recording/recorder.js';
import { columnNormsSq, columnTotal, effectiveRms, updateRatio } from '../../../src/engine/recording/scaleFree.js';

beforeAll(async () => {
  await initBackend();
});

describe('the pure functions', () => {
  it('columnNormsSq: ‖W[·,j]‖² per column of a row-major tensor at an offset', () => {
    // θ = [9, | 1, 2, | 3, 4]: the 2 × 2 tensor at offset 1 has columns (1, 3) and (2, 4)
    expect(Array.from(columnNormsSq(new Float32Array([9, 1, 2, 3, 4]), 1, 2, 2))).toEqual([10, 20]);
    expect(columnTotal([10, 20, 5], 2)).toBe(30);
  });

  it('effectiveRms = √(Σ‖Δ‖²/η² / (|E|·n)); null without a step at η > 0', () => {
    expect(effectiveRms(8, 2, 4)).toBe(1);
    expect(effectiveRms(0, 0, 4)).toBeNull();
  });

  it('updateRatio = √(Σ‖Δ_t‖²/T) / ‖W‖; null when ‖W‖ = 0', () => {
    expect(updateRatio(36, 4, 9)).toBe(1);
    expect(updateRatio(1, 4, 0)).toBeNull();
  });
});

// One layer, fan-in 2, 2 units: flat θ = [w00, w01, w10, w11, b0, b1].
const layout = [{ name: 'dense1', fanIn: 2, units: 2, wOffset: 0, bOffset: 4 }];
const steps = [new Float32Array([1, -2, 3, 0, 0.5, 0]), new Float32Array([-1, 2, 1, 4, 0.5, -1])];
const theta = new Float32Array([3, 4, 0, 0, 0, 2]);

describe.each(['js', 'wasm'] as const)('the recorder on two steps at η = 0.5 then 2 (%s path)', (path) => {
  function record(lrs: (number | undefined)[], withTheta = true) {
    const rec = new Recorder(layout, { tau: 0.1 });
    steps.forEach((d, k) => {
      if (path === 'js') rec.step(d, lrs[k]);
      else {
        const t = tf.tensor1d(d);
        rec.step(heapView(t), lrs[k]);
        t.dispose();
      }
    });
    const w = rec.closeWindow([], withTheta ? theta : undefined).layers[0];
    rec.dispose();
    return w;
  }

  it('effective step RMS: weights Σ‖Δ‖²/η² = 14/0.25 + 22/4 = 61.5 over 2 steps × 4 values; biases 0.25/0.25 + 1.25/4', () => {
    const w = record([0.5, 2]);
    expect(w.weights.effectiveRms).toBeCloseTo(Math.sqrt(61.5 / 8), 14);
    expect(w.biases.effectiveRms).toBeCloseTo(Math.sqrt(1.3125 / 4), 14);
  });

  it('a step at η = 0 (or without η) is left out of the effective RMS: 14/0.25 over 1 step', () => {
    expect(record([0.5, 0]).weights.effectiveRms).toBeCloseTo(Math.sqrt(56 / 4), 14);
    expect(record([0.5, undefined]).weights.effectiveRms).toBeCloseTo(Math.sqrt(56 / 4), 14);
    expect(record([undefined, undefined]).weights.effectiveRms).toBeNull();
  });

  it('weight norm ‖W‖ = √(9 + 16) = 5 and update ratio √(36/2)/5; per neuron √(12/2)/3 and √(24/2)/4', () => {
    const w = record([0.5, 2]);
    expect(w.weights.weightNorm).toBe(5);
    expect(w.weights.updateRatio).toBeCloseTo(Math.sqrt(18) / 5, 14);
    expect(w.weights.neuronUpdateRatio![0]).toBeCloseTo(Math.sqrt(6) / 3, 14);
    expect(w.weights.neuronUpdateRatio![1]).toBeCloseTo(Math.sqrt(12) / 4, 14);
  });

  it('biases: ‖b‖ = 2, ratio √(1.5/2)/2, no per-neuron ratios; without θ no norm or ratio', () => {
    const w = record([0.5, 2]);
    expect(w.biases.weightNorm).toBe(2);
    expect(w.biases.updateRatio).toBeCloseTo(Math.sqrt(0.75) / 2, 14);
    expect(w.biases.neuronUpdateRatio).toBeUndefined();
    const bare = record([0.5, 2], false);
    expect(bare.weights.weightNorm).toBeUndefined();
    expect(bare.weights.updateRatio).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import {
  mean,
  participatingCount,
  participationRatio,
  populationStd,
  spreadOfSpread,
  stdFromSums,
} from '../../../src/engine/recording/metrics.js';

describe('metrics', () => {
  it('population std of [1, 3] is 1', () => {
    expect(populationStd([1, 3])).toBe(1);
    expect(mean([1, 3])).toBe(2);
  });

  it('spread of the spread of s = [1, 3] is S = 1, cv = 1/2', () => {
    expect(spreadOfSpread([1, 3])).toEqual({ S: 1, cv: 0.5 });
  });

  it('participation ratio: equal fluctuations give 1, one active neuron of four gives 1/4', () => {
    expect(participationRatio([2, 2, 2, 2])).toBe(1);
    expect(participationRatio([5, 0, 0, 0])).toBe(0.25);
    // f = [1, 2, 3]: (6)^2 / (3 * 14) = 36/42
    expect(participationRatio([1, 2, 3])).toBeCloseTo(36 / 42, 15);
    expect(participationRatio([0, 0])).toBe(0);
  });

  it('participating neurons: f_j ≥ τ·mean f', () => {
    // mean = (10 + 1 + 0.5 + 0)/4 = 2.875; τ = 0.3 → threshold 0.8625: 10 and 1 qualify
    expect(participatingCount([10, 1, 0.5, 0], 0.3)).toBe(2);
    // τ = 0 counts every neuron, a zero one included, when anything moved
    expect(participatingCount([10, 1, 0.5, 0], 0)).toBe(4);
    expect(participatingCount([0, 0, 0], 0.1)).toBe(0);
  });

  it('std from running sums equals the direct std', () => {
    const x = [0.5, -1, 2, 4];
    const s = x.reduce((a, b) => a + b, 0);
    const s2 = x.reduce((a, b) => a + b * b, 0);
    expect(stdFromSums(s, s2, x.length)).toBeCloseTo(populationStd(x), 14);
    expect(stdFromSums(3, 9, 1)).toBe(0);
  });
});

/** recordShapeProblem and the measures free of η's scale: optional (older records lack them), checked when present. */
import { describe, expect, it } from 'vitest';
import { recordShapeProblem } from '../../src/contract/record.js';
import { runRecord } from '../helpers/records.js';

const shape = (weights: Record<string, unknown>) =>
  recordShapeProblem(JSON.parse(JSON.stringify(runRecord(0.1, 1, 0.9, weights))));

describe("a record and the measures free of η's scale", () => {
  it('is accepted without them (written before they existed) and with them', () => {
    expect(shape({})).toBeNull();
    expect(
      shape({ effectiveRms: 0.3, weightNorm: 2, updateRatio: 1e-3, neuronUpdateRatio: [1e-3, 2e-3, null, 1e-3] }),
    ).toBeNull();
    expect(shape({ effectiveRms: null, updateRatio: null })).toBeNull();
  });

  it('is refused when one is not a number, or the per-neuron ratios are not one per unit', () => {
    expect(shape({ effectiveRms: 'big' })).toBe('windows[0].layers[0].weights.effectiveRms is not a number');
    expect(shape({ neuronUpdateRatio: [1, 2] })).toBe(
      'windows[0].layers[0].weights.neuronUpdateRatio does not hold one value per unit',
    );
  });
});

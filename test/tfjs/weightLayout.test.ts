/**
 * Where a tfjs-layers model's weights lie for the recorder (src/tfjs/weightLayout.ts), by hand: a dense layer's
 * kernel then bias, a convolution without bias pointing at the always-zero stretch, a normalisation's weights as
 * one-unit layers, and the names the record gives them.
 */
import { describe, expect, it } from 'vitest';
import { planWeights, recordLayerName, stableLayerNames } from '../../src/tfjs/weightLayout.js';

describe('planWeights', () => {
  it('lays out kernels as fan-in × units, biases after them, and a missing bias on the zero stretch', () => {
    const plan = planWeights([
      {
        layer: 'conv2d_Conv2D4',
        className: 'Conv2D',
        weights: [{ name: 'conv2d_Conv2D4/kernel', shape: [3, 3, 1, 8] }],
      },
      {
        layer: 'batch_normalization_BatchNormalization2',
        className: 'BatchNormalization',
        weights: [
          { name: 'batch_normalization_BatchNormalization2/gamma', shape: [8] },
          { name: 'batch_normalization_BatchNormalization2/beta', shape: [8] },
        ],
      },
      {
        layer: 'out',
        className: 'Dense',
        weights: [
          { name: 'out/kernel', shape: [5, 3] },
          { name: 'out/bias', shape: [3] },
        ],
      },
    ]);
    // conv kernel 0..71, gamma 72..79, beta 80..87, dense kernel 88..102, dense bias 103..105, zero stretch 106..113
    expect(plan.places).toEqual([0, 72, 80, 88, 103]);
    expect(plan.layout).toEqual([
      { name: 'conv2d1', fanIn: 9, units: 8, wOffset: 0, bOffset: 106 },
      { name: 'batch_normalization1-gamma', fanIn: 8, units: 1, wOffset: 72, bOffset: 106 },
      { name: 'batch_normalization1-beta', fanIn: 8, units: 1, wOffset: 80, bOffset: 106 },
      { name: 'out', fanIn: 5, units: 3, wOffset: 88, bOffset: 103 },
    ]);
    expect(plan.size).toBe(114);
    expect(plan.neurons).toEqual([true, false, false, true]);
    expect(plan.source).toEqual([0, 1, 1, 2]);
  });
});

describe('the names a record gives layers', () => {
  it("keeps a user's names and numbers tfjs's made-up ones by class within the model", () => {
    expect(
      stableLayerNames([
        { layer: 'conv2d_Conv2D7', className: 'Conv2D' },
        { layer: 'features', className: 'Conv2D' },
        { layer: 'conv2d_Conv2D9', className: 'Conv2D' },
        { layer: 'dense_Dense12', className: 'Dense' },
      ]),
    ).toEqual(['conv2d1', 'features', 'conv2d2', 'dense1']);
  });

  it('makes a name the record accepts, once', () => {
    const taken = new Set<string>();
    expect(recordLayerName('my layer/1', taken)).toBe('my_layer_1');
    expect(recordLayerName('my layer/1', taken)).toBe('my_layer_1-2');
    expect(recordLayerName('1st', taken)).toBe('l1st');
  });
});

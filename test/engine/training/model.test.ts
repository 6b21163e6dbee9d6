import { describe, expect, it } from 'vitest';
import { MODEL_PRESETS, modelLayers } from '../../../src/contract/modelSpec.js';

describe('modelLayers', () => {
  it('writes a preset out as the layers it means in this fluctlab', () => {
    expect(modelLayers('lenet')).toBe(
      'layers:standardize,conv5x5x6:same,relu,maxpool2,conv5x5x16:valid,relu,maxpool2,flatten,dense120,relu,dense84,relu',
    );
    expect(modelLayers(' lenet ')).toBe(MODEL_PRESETS.lenet);
  });

  it('writes the mlp: and ae: shorthands out (the autoencoder mirrored back, the output layer left to the task)', () => {
    expect(modelLayers('mlp:128,64')).toBe('layers:dense128,relu,dense64,relu');
    expect(modelLayers('ae:16,4')).toBe('layers:dense16,relu,dense4,relu,dense16,relu');
  });

  it('gives null for a model that does not parse, whose run fails before it trains', () => {
    expect(modelLayers('mlp:0')).toBeNull();
    expect(modelLayers('resnet')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { channelStats } from '../../../src/engine/data/channelStats.js';
import { loadIdxDataset } from '../../../src/node/mnist.js';

describe('channelStats', () => {
  it('gives each interleaved channel its mean and population std in pixel / 255 units', () => {
    // channel 0: 0, 51, 102 → 0, 0.2, 0.4; channel 1: 255, 0, 255 → 1, 0, 1
    const s = channelStats(Uint8Array.from([0, 255, 51, 0, 102, 255]), 2);
    expect(s.mean[0]).toBeCloseTo(0.2, 15);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(0.08 / 3), 15);
    expect(s.mean[1]).toBeCloseTo(2 / 3, 15);
    expect(s.std[1]).toBeCloseTo(Math.sqrt(2 / 9), 15);
  });

  it('leaves a constant channel at std 1, so standardizing only centres it', () => {
    expect(channelStats(Uint8Array.from([7, 7, 7, 7]), 1)).toEqual({ mean: [7 / 255], std: [1] });
  });

  it("gives MNIST's training set the mean 0.1307 and std 0.3081 of the usual recipe", () => {
    const s = channelStats(loadIdxDataset('mnist').trainImages, 1);
    expect(s.mean[0]).toBeCloseTo(0.1307, 4);
    expect(s.std[0]).toBeCloseTo(0.3081, 4);
  });

  it('refuses bytes that are not whole pixels of the channels', () => {
    expect(() => channelStats(Uint8Array.from([1, 2, 3]), 2)).toThrow(/3 bytes do not hold pixels of 2 channels/);
  });
});

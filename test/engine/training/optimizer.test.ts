import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/engine/kernels/tf.js';
import { createOptimizer, MOMENTUM } from '../../../src/engine/training/optimizer.js';

beforeAll(async () => {
  await initBackend();
});

const theta = () => tf.tensor1d([1, -2, 4]);
const grad = () => tf.tensor1d([0.5, 1, -0.25]);
const run = (name: 'sgd' | 'momentum' | 'adam', wd: number, lrs: number[]): number[][] => {
  const opt = createOptimizer(name, 3, wd);
  const out = lrs.map((lr) => tf.tidy(() => Array.from(opt.step([grad()], lr, theta()).delta.dataSync())));
  opt.dispose();
  return out;
};

describe('weight decay', () => {
  it('sgd adds w·θ to the gradient (L2): Δ = −lr (g + wθ)', () => {
    const [d] = run('sgd', 0.1, [0.5]);
    [-0.5 * (0.5 + 0.1), -0.5 * (1 - 0.2), -0.5 * (-0.25 + 0.4)].forEach((v, i) => {
      expect(d[i]).toBeCloseTo(v, 6);
    });
  });

  it('momentum decays inside the velocity, as PyTorch does: v ← μv + g + wθ', () => {
    const [, d2] = run('momentum', 0.1, [1, 1]);
    const g = [0.6, 0.8, 0.15]; // g + wθ, the same at both steps (θ is held fixed here)
    g.forEach((v, i) => {
      expect(d2[i]).toBeCloseTo(-(MOMENTUM * v + v), 6);
    });
  });

  it('adam decouples it (AdamW): Δ = Δ_adam − lr·w·θ, the moments never see θ', () => {
    const plain = run('adam', 0, [0.01, 0.001]);
    const decayed = run('adam', 0.5, [0.01, 0.001]);
    const th = [1, -2, 4];
    [0.01, 0.001].forEach((lr, s) => {
      th.forEach((t, i) => {
        expect(decayed[s][i]).toBeCloseTo(plain[s][i] - lr * 0.5 * t, 7);
      });
    });
  });

  it('adds no op at w = 0: Δ has the bits of −lr·g', () => {
    const [d] = run('sgd', 0, [0.3]);
    const expected = tf.tidy(() => Array.from(tf.mul(grad(), -0.3).dataSync()));
    expect(d).toEqual(expected);
  });

  it('follows the learning rate given at each step', () => {
    const [a, b] = run('sgd', 0, [0.1, 0.2]);
    b.forEach((v, i) => {
      expect(v).toBeCloseTo(2 * a[i], 7);
    });
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/backend/tf.js';
import { DenseNetwork, type OutputKind } from '../../../src/core/training/network.js';
import { Rng } from '../../../src/core/rng.js';

beforeAll(async () => {
  await initBackend();
});

/** Mean loss in float64 from the network's own forward pass. */
function lossOf(net: DenseNetwork, x: number[][], target: number[][]): number {
  return tf.tidy(() => {
    const z = net.forward(tf.tensor2d(x)).pop()!;
    const out = z.arraySync() as number[][];
    let l = 0;
    out.forEach((row, i) => {
      if (net.shape.output === 'softmax') {
        const m = Math.max(...row);
        const lse = Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0)) + m;
        l += lse - row[target[i].indexOf(1)];
      } else {
        row.forEach((v, j) => (l += (1 / (1 + Math.exp(-v)) - target[i][j]) ** 2 / row.length));
      }
    });
    return l / out.length;
  });
}

function checkGradient(output: OutputKind) {
  const sizes = output === 'softmax' ? [3, 4, 2] : [3, 4, 3];
  const net = new DenseNetwork({ sizes, output }, new Rng(11));
  // biases non-zero so every ReLU path is exercised away from its kink
  net.theta.assign(tf.add(net.theta, tf.tensor1d(new Float32Array(net.paramCount).map((_, i) => 0.05 * Math.sin(i)))));
  const x = [[0.2, 0.9, 0.4], [0.7, 0.1, 0.5]];
  const target = output === 'softmax' ? [[1, 0], [0, 1]] : [[0.3, 0.8, 0.1], [0.6, 0.2, 0.9]];
  const g = tf.tidy(() => {
    const xt = tf.tensor2d(x);
    return net.gradient(xt, tf.transpose(xt), tf.tensor2d(target)).grad.dataSync();
  });
  const theta = net.theta.dataSync().slice();
  const h = 1e-2;
  for (let i = 0; i < net.paramCount; i++) {
    const plus = theta.slice();
    plus[i] += h;
    net.theta.assign(tf.tensor1d(plus));
    const lp = lossOf(net, x, target);
    const minus = theta.slice();
    minus[i] -= h;
    net.theta.assign(tf.tensor1d(minus));
    const lm = lossOf(net, x, target);
    expect(g[i]).toBeCloseTo((lp - lm) / (2 * h), 3);
  }
  net.dispose();
}

describe('DenseNetwork hand-written backward pass', () => {
  it('matches central finite differences for softmax cross-entropy', () => checkGradient('softmax'));
  it('matches central finite differences for sigmoid mean squared error', () => checkGradient('sigmoid'));

  it('initialises Glorot-uniform weights within ±√(6/(fanIn+fanOut)) and zero biases, the same for the same seed', () => {
    const a = new DenseNetwork({ sizes: [784, 128, 10], output: 'softmax' }, new Rng(1));
    const b = new DenseNetwork({ sizes: [784, 128, 10], output: 'softmax' }, new Rng(1));
    const ta = a.theta.dataSync();
    expect(Array.from(b.theta.dataSync())).toEqual(Array.from(ta));
    const limit = Math.sqrt(6 / (784 + 128));
    let max = 0;
    for (let i = 0; i < 784 * 128; i++) max = Math.max(max, Math.abs(ta[i]));
    expect(max).toBeLessThanOrEqual(limit);
    expect(max).toBeGreaterThan(0.99 * limit);
    expect(Array.from(ta.slice(784 * 128, 784 * 128 + 128)).every((v) => v === 0)).toBe(true);
    a.dispose();
    b.dispose();
  });
});

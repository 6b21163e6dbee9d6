import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/engine/kernels/tf.js';
import { parseModelSpec } from '../../../src/contract/modelSpec.js';
import { compileModel } from '../../../src/engine/training/modelPlan.js';
import { Network } from '../../../src/engine/training/network.js';
import { maxPool, reluGrad } from '../../../src/engine/kernels/convKernels.js';
import { Rng } from '../../../src/engine/rng.js';

beforeAll(async () => {
  await initBackend();
});

/** A network for `spec` on rows × cols × channels inputs and `classes` classes (a standardizing one with made-up channel statistics). */
function network(
  spec: string,
  rows: number,
  cols: number,
  channels: number,
  classes: number,
  seed = 11,
  runs = 1,
): Network {
  const plan = compileModel(parseModelSpec(spec), { rows, cols, channels }, classes);
  const stats = plan.standardize
    ? {
        mean: Array.from({ length: channels }, (_, c) => 0.3 + 0.1 * c),
        std: Array.from({ length: channels }, (_, c) => 0.2 + 0.3 * c),
      }
    : null;
  return new Network(plan, new Rng(seed), runs, stats);
}

/** Mean loss in float64 from the network's own forward pass. */
function lossOf(net: Network, x: number[][], target: number[][]): number {
  return tf.tidy(() => {
    const z = net.forward(tf.tensor2d(x)).pop()!;
    const out = z.arraySync() as number[][];
    let l = 0;
    out.forEach((row, i) => {
      if (net.plan.output === 'softmax') {
        const m = Math.max(...row);
        const lse = Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0)) + m;
        l += lse - row[target[i].indexOf(1)];
      } else {
        row.forEach((v, j) => {
          l += (1 / (1 + Math.exp(-v)) - target[i][j]) ** 2 / row.length;
        });
      }
    });
    return l / out.length;
  });
}

/**
 * The hand-written gradient against central differences (step h) at every parameter, or at `sample` of them per
 * layer (weights and biases), within `tol` of the largest gradient.
 */
function checkGradient(net: Network, examples: number, h: number, tol: number, sample = Infinity) {
  const rng = new Rng(5);
  const features = net.plan.input.rows * net.plan.input.cols * net.plan.input.channels;
  const x = Array.from({ length: examples }, () => Array.from({ length: features }, () => rng.uniform()));
  const classes = net.plan.outputUnits;
  const target =
    net.plan.output === 'softmax'
      ? x.map((_, i) => Array.from({ length: classes }, (_, c) => (c === i % classes ? 1 : 0)))
      : x.map((r) => r.map((v) => 1 - v));
  // biases non-zero so every ReLU path is exercised away from its kink
  net.theta.assign(tf.add(net.theta, tf.tensor1d(new Float32Array(net.paramCount).map((_, i) => 0.05 * Math.sin(i)))));
  const g = tf.tidy(() => {
    const xt = tf.tensor2d(x);
    return net.gradient(xt, tf.tensor2d(target)).grad.dataSync();
  });
  const theta = net.theta.dataSync().slice();
  const indices: number[] = [];
  for (const l of net.layout) {
    const w = l.fanIn * l.units;
    for (let k = 0; k < Math.min(w, sample); k++) indices.push(l.wOffset + Math.floor((k * w) / Math.min(w, sample)));
    for (let k = 0; k < Math.min(l.units, sample); k++) indices.push(l.bOffset + k);
  }
  const scale = Math.max(...indices.map((i) => Math.abs(g[i])));
  expect(scale).toBeGreaterThan(0);
  let worst = 0;
  for (const i of indices) {
    const at = (d: number) => {
      const t = theta.slice();
      t[i] += d;
      net.theta.assign(tf.tensor1d(t));
      return lossOf(net, x, target);
    };
    const numeric = (at(h) - at(-h)) / (2 * h);
    worst = Math.max(worst, Math.abs(g[i] - numeric));
  }
  expect(worst / scale).toBeLessThan(tol);
  net.dispose();
}

describe('Network hand-written backward pass against central finite differences', () => {
  it('dense layers, softmax cross-entropy (mlp:)', () => checkGradient(network('mlp:4', 1, 3, 1, 2), 2, 1e-2, 1e-3));
  it('dense layers, sigmoid mean squared error (ae:)', () =>
    checkGradient(network('ae:4,2', 1, 3, 1, 2), 2, 1e-2, 1e-3));
  it('conv2d with same padding, tanh, and a dense layer with sigmoid', () =>
    checkGradient(network('layers:conv3x3x4:same,tanh,dense5,sigmoid', 5, 5, 2, 3), 3, 1e-2, 2e-3, 12));
  // (steps h are small where a ReLU or a max-pool's choice sits within reach of a parameter's ±h)
  it('strided valid conv2d, gelu, max-pool', () =>
    checkGradient(
      network('layers:conv3x3x3/2:valid,gelu,maxpool2,flatten,dense4,tanh', 9, 9, 2, 3),
      3,
      1e-3,
      5e-3,
      12,
    ));
  it('conv2d with relu, average pool, a standalone tanh and gelu after dense', () =>
    checkGradient(network('layers:conv2x2x3,relu,avgpool2,tanh,flatten,dense4,gelu', 7, 7, 1, 3), 3, 1e-3, 5e-3, 12));
  it('standardize before a conv layer (no parameters of its own)', () =>
    checkGradient(network('layers:standardize,conv3x3x2:same,tanh,dense3,tanh', 4, 4, 2, 2), 2, 1e-3, 5e-3, 12));
  // the max-pool's gradient takes the ReLU's before it in one pass (a conv layer's own ReLU, or a ReLU op on its own)
  // (seed 2: seeds 1 and 11 put a window of ReLU zeros within reach of ±h, where the difference quotient is one-sided)
  it("2×2 max-pool after a conv layer's ReLU", () =>
    checkGradient(
      network('layers:conv3x3x6:same,relu,maxpool2,flatten,dense3,tanh', 6, 4, 1, 3, 2),
      3,
      1e-3,
      5e-3,
      12,
    ));
  it('2×2 max-pool after a ReLU op, two channels in', () =>
    checkGradient(network('layers:conv2x2x5:same,tanh,relu,maxpool2,dense3', 4, 6, 2, 3), 3, 1e-3, 5e-3, 12));
  it('overlapping max-pool (3/2) after a ReLU: the pool and the ReLU as two kernels', () =>
    checkGradient(network('layers:conv3x3x3:same,relu,maxpool3/2,flatten,dense3', 7, 7, 1, 3, 2), 3, 1e-3, 5e-3, 12));
  it('overlapping max-pool (3/2) on a rectangular kernel', () =>
    checkGradient(network('layers:conv3x2x2:same,sigmoid,maxpool3/2', 7, 6, 1, 2), 2, 1e-3, 5e-3, 12));
});

describe('Network', () => {
  it('initialises Glorot-uniform weights within ±√(6/(fanIn+fanOut)) and zero biases, the same for the same seed', () => {
    const a = network('mlp:128', 28, 28, 1, 10, 1);
    const b = network('mlp:128', 28, 28, 1, 10, 1);
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

  it('gives a conv layer fan-in kh·kw·c_in and the Keras Glorot limit √(6/(kh·kw·(c_in + c_out)))', () => {
    const net = network('lenet', 28, 28, 1, 10, 1);
    expect(net.layout.map((l) => [l.name, l.fanIn, l.units])).toEqual([
      ['conv1', 25, 6],
      ['conv2', 150, 16],
      ['dense1', 400, 120],
      ['dense2', 120, 84],
      ['dense3', 84, 10],
    ]);
    expect(net.paramCount).toBe(156 + 2416 + 48120 + 10164 + 850);
    const t = net.theta.dataSync();
    const limit = Math.sqrt(6 / (25 + 150));
    const w = Array.from(t.slice(0, 150), Math.abs);
    expect(Math.max(...w)).toBeLessThanOrEqual(limit);
    expect(Math.max(...w)).toBeGreaterThan(0.9 * limit);
    net.dispose();
  });

  it('standardizes each input channel before the first layer: the bits of a plain network on (x − mean) / std in float32', () => {
    const std = network('layers:standardize,conv2x2x3,relu,dense4', 3, 3, 2, 2);
    const plain = network('layers:conv2x2x3,relu,dense4', 3, 3, 2, 2);
    expect(Array.from(std.theta.dataSync())).toEqual(Array.from(plain.theta.dataSync()));
    const rng = new Rng(3);
    const x = Array.from({ length: 2 }, () =>
      Array.from({ length: 18 }, () => Math.fround(Math.floor(256 * rng.uniform()) / 255)),
    );
    // channels last: feature f is channel f % 2, whose statistics are (0.3, 0.2) and (0.4, 0.5)
    const by = x.map((row) =>
      row.map((v, f) => Math.fround(Math.fround(v - Math.fround(f % 2 ? 0.4 : 0.3)) / Math.fround(f % 2 ? 0.5 : 0.2))),
    );
    const out = (net: Network, rows: number[][]) =>
      tf.tidy(() => Array.from(net.forward(tf.tensor2d(rows)).pop()!.dataSync()));
    expect(out(std, x)).toEqual(out(plain, by));
    expect(out(std, x)).not.toEqual(out(plain, x));
    std.dispose();
    plain.dispose();
  });

  it('refuses a standardizing plan without the statistics of each of its input channels', () => {
    const plan = compileModel(parseModelSpec('layers:standardize,dense4'), { rows: 2, cols: 2, channels: 3 }, 2);
    expect(plan.standardize).toBe(true);
    expect(plan.layout.map((l) => l.name)).toEqual(['dense1', 'dense2']);
    expect(() => new Network(plan, new Rng(1))).toThrow(
      /standardizes its input: give the network the training set's channelStats of its 3 channels/,
    );
    expect(() => new Network(plan, new Rng(1), 1, { mean: [0.5], std: [1] })).toThrow(/of its 3 channels/);
  });

  it("gives a fused group with standardize each run's solo output", () => {
    const spec = 'layers:standardize,dense5,relu';
    const group = network(spec, 2, 2, 1, 3, 4, 2);
    const solo = network(spec, 2, 2, 1, 3, 4);
    const x = [
      [0.1, 0.9, 0.4, 0.0],
      [1, 0.2, 0.3, 0.7],
    ];
    const out = (net: Network) => tf.tidy(() => Array.from(net.forward(tf.tensor2d(x)).pop()!.dataSync()));
    const both = out(group);
    expect(both.slice(0, 6)).toEqual(out(solo));
    expect(both.slice(6)).toEqual(out(solo));
    group.dispose();
    solo.dispose();
  });

  it('trains dense models fused and refuses to fuse one with conv or pool layers', () => {
    const plan = (spec: string) => compileModel(parseModelSpec(spec), { rows: 8, cols: 8, channels: 1 }, 2);
    expect(plan('mlp:4').fusable).toBe(true);
    expect(plan('layers:dense4,tanh,dense3,gelu').fusable).toBe(true);
    expect(plan('layers:standardize,dense4,relu').fusable).toBe(true);
    expect(plan('layers:conv3x3x2,relu,dense3').fusable).toBe(false);
    expect(plan('layers:maxpool2,dense3').fusable).toBe(false);
    new Network(plan('mlp:4'), new Rng(1), 3).dispose();
    expect(() => new Network(plan('layers:conv3x3x2,relu,dense3'), new Rng(1), 3)).toThrow(
      /only dense models train fused/,
    );
  });

  it("takes the probe pass on a network of one run only (a group's parts would interleave its runs)", () => {
    const group = new Network(
      compileModel(parseModelSpec('mlp:4'), { rows: 2, cols: 2, channels: 1 }, 2),
      new Rng(1),
      2,
    );
    const x = tf.ones([3, 4]) as tf.Tensor2D;
    expect(() => group.activationsAndGradientParts(x, tf.ones([3, 2]) as tf.Tensor2D)).toThrow(/network of one run/);
    x.dispose();
    group.dispose();
  });

  it("takes the ReLU gradient in one kernel with the bits of tfjs's Step and Multiply (signed zeros included)", () => {
    const rng = new Rng(8);
    const a = tf.relu(tf.tensor1d(new Float32Array(4099).map(() => rng.uniform() * 2 - 1)));
    const g = tf.tensor1d(new Float32Array(4099).map(() => rng.uniform() * 2 - 1));
    const bits = (t: tf.Tensor) => Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));
    const ours = tf.tidy(() => bits(reluGrad(g, a)));
    expect(ours).toEqual(tf.tidy(() => bits(tf.mul(g, tf.step(a)))));
    expect(ours.filter((b) => b === 0x80000000).length).toBeGreaterThan(0); // −0 where g < 0 and a = 0
    tf.dispose([a, g]);
  });

  it("max-pools 2×2 with our kernel to tfjs's MaxPool values (which it replaces), zeros and negatives included", () => {
    const rng = new Rng(3);
    for (const c of [1, 6, 16]) {
      const g = { kh: 2, kw: 2, stride: 2, padTop: 0, padLeft: 0, inH: 10, inW: 8, inC: c, outH: 5, outW: 4 };
      const x = tf.tensor4d(
        Array.from({ length: 3 * 80 * c }, () => Math.max(-0.5, rng.uniform() - 0.4)),
        [3, 10, 8, c],
      );
      const [ours, theirs] = tf.tidy(() => [maxPool(x, g), tf.maxPool(x, 2, 2, 'valid')].map((t) => t.dataSync()));
      expect(Array.from(ours)).toEqual(Array.from(theirs));
      x.dispose();
    }
  });

  it("reports a conv layer's activations as one row per image position, one column per channel", () => {
    const net = network('layers:conv3x3x4:same,relu,maxpool2', 6, 6, 1, 2);
    const shapes = tf.tidy(() => net.hiddenActivations(tf.ones([5, 36])).map((a) => a.shape));
    expect(shapes).toEqual([[5 * 36, 4]]);
    net.dispose();
  });
});

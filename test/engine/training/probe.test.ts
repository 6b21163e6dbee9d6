import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '../../../src/engine/kernels/tf.js';
import type { SweepConfig } from '../../../src/contract/config.js';
import { DEFAULTS } from '../../../src/contract/configure.js';
import { Network } from '../../../src/engine/training/network.js';
import { parseModelSpec } from '../../../src/contract/modelSpec.js';
import { compileModel } from '../../../src/engine/training/modelPlan.js';
import { activationStats, layerGradientNorms, probeStats } from '../../../src/engine/training/probe.js';
import { sampleIndices } from '../../../src/engine/training/reconstruction.js';
import { Rng } from '../../../src/engine/rng.js';
import { trainRun } from '../../../src/engine/training/run.js';
import { generateShapes } from '../../../src/engine/data/shapes.js';
import { parseShapesSpec } from '../../../src/contract/shapesSpec.js';
import { TEST_ENVIRONMENT } from '../../helpers/records.js';

beforeAll(async () => {
  await initBackend();
});

const env = TEST_ENVIRONMENT;

describe('probe statistics, pure parts', () => {
  it('layer gradient norms: ‖(3, 4)‖ = 5 for the weights, ‖(12)‖ = 12 for the bias, per layer of the flat layout', () => {
    const layout = [
      { name: 'dense1', fanIn: 1, units: 2, wOffset: 0, bOffset: 2 },
      { name: 'dense2', fanIn: 2, units: 1, wOffset: 4, bOffset: 6 },
    ];
    expect(layerGradientNorms([3, 4, 0, 0, 1, -1, 12], layout)).toEqual([
      { weights: 5, biases: 0 },
      { weights: Math.SQRT2, biases: 12 },
    ]);
  });

  it('activation stats: column means and all-zero columns are dead', () => {
    // 3 examples × 3 units: unit 0 mean 2, unit 1 never fires, unit 2 fires once
    expect(activationStats([1, 0, 0, 2, 0, 0, 3, 0, 1.5], 3, 3)).toEqual({ meanActivation: [2, 0, 0.5], deadUnits: 1 });
  });

  it('activation stats: a column is dead only when every value is 0 or −0 (the smallest subnormal and NaN are alive)', () => {
    const tiny = new Float32Array([1e-45])[0]; // 2^-149
    const a = new Float32Array([-0, tiny, Number.NaN, 0, 0, 0, 0, 0, -0]);
    const r = activationStats(a, 3, 3);
    expect(r.deadUnits).toBe(1);
    expect(r.meanActivation[0]).toBe(0);
    expect(r.meanActivation[1]).toBe(tiny / 3);
    expect(r.meanActivation[2]).toBeNaN();
  });

  it('sample indices: the first example of each class in label order, then the earliest others', () => {
    expect(sampleIndices(new Uint8Array([2, 2, 0, 1, 0, 2]), 3)).toEqual([2, 3, 0]);
    expect(sampleIndices(new Uint8Array([1, 1, 0, 1]), 3)).toEqual([2, 0, 1]);
    expect(sampleIndices(new Uint8Array([0, 0]), 8)).toEqual([0, 1]);
  });
});

describe('probeStats on a hand-set 2-2-2 autoencoder', () => {
  // W1 = [[1, −1], [0, 1]], b1 = [0, −0.5], W2 = 0, b2 = 0.
  // Probe x = [[1, 0], [0.5, 1]] → hidden relu(x·W1 + b1) = [[1, 0], [0.5, 0]]: unit 2 dead, means [0.75, 0].
  // Output σ(0) = 0.5; MSE over 4 values, so dz = 2(σ − x)·σ(1−σ)/4 = (0.5 − x)/8 = [[−1/16, 1/16], [0, −1/16]].
  // ∇b2 = Σ rows dz = [−1/16, 0] → norm 1/16; ∇W2 = hᵀ·dz = [[−1/16, 1/32], [0, 0]] → norm √5/32;
  // W2 = 0 stops the signal, so ∇W1 = ∇b1 = 0.
  it('gives dead units, mean activations and gradient norms per layer', () => {
    const net = new Network(compileModel(parseModelSpec('ae:2'), { rows: 1, cols: 2, channels: 1 }, 2), new Rng(1)); // 2-2-2, sigmoid output
    net.theta.assign(tf.tensor1d([1, -1, 0, 1, 0, -0.5, 0, 0, 0, 0, 0, 0]));
    const x = tf.tensor2d([
      [1, 0],
      [0.5, 1],
    ]);
    const s = probeStats(net, x, x);
    expect(s[0].deadUnits).toBe(1);
    expect(s[0].meanActivation).toEqual([0.75, 0]);
    expect(s[0].gradientNorm).toEqual({ weights: 0, biases: 0 });
    expect(s[1].deadUnits).toBeNull();
    expect(s[1].meanActivation).toBeNull();
    expect(s[1].gradientNorm!.biases).toBeCloseTo(1 / 16, 7);
    expect(s[1].gradientNorm!.weights).toBeCloseTo(Math.sqrt(5) / 32, 7);
    x.dispose();
    net.dispose();
  });
});

describe('a training run fills the probe fields and keeps reconstructions', () => {
  const data = generateShapes(parseShapesSpec('shapes:size=12,train=96,test=16'));
  const base: SweepConfig = {
    ...DEFAULTS,
    data: data.name,
    epochs: 2,
    batch: 16,
    probeSize: 32,
    optimizer: 'adam',
    lrs: [0.01],
  };

  it('autoencoder: per hidden unit mean activations, dead units that agree with them, finite gradient norms, 8 reconstructions', async () => {
    const r = await trainRun(data, { ...base, model: 'ae:16,4' }, { lr: 0.01, seed: 1 }, env);
    expect(r.windows).toHaveLength(2);
    for (const w of r.windows) {
      expect(w.layers.map((l) => l.meanActivation?.length ?? null)).toEqual([16, 4, 16, null]);
      for (const l of w.layers.slice(0, -1)) expect(l.deadUnits).toBe(l.meanActivation!.filter((m) => m === 0).length);
      for (const l of w.layers) {
        expect(l.gradientNorm!.weights).toBeGreaterThan(0);
        expect(Number.isFinite(l.gradientNorm!.biases)).toBe(true);
      }
    }
    const rec = r.reconstructions!;
    expect([rec.rows, rec.cols, rec.testIndices.length]).toEqual([12, 12, 8]);
    expect(rec.labels).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(rec.original[3]).toEqual(
      Array.from(data.testImages.subarray(rec.testIndices[3] * 144, rec.testIndices[3] * 144 + 144)),
    );
    expect(rec.reconstructed[0].every((v) => Number.isInteger(v) && v >= 0 && v <= 255)).toBe(true);
    // the reconstruction error of the sample is of the order of the test MSE (same network, same images)
    let se = 0;
    rec.original.forEach((o, k) => {
      o.forEach((v, i) => {
        se += ((v - rec.reconstructed[k][i]) / 255) ** 2;
      });
    });
    expect(se / (8 * 144)).toBeLessThan(4 * r.testLoss!);
  });

  it('classifier: the probe gradient uses the labels; no reconstructions in the record', async () => {
    const r = await trainRun(data, { ...base, model: 'mlp:8', epochs: 1 }, { lr: 0.01, seed: 1 }, env);
    expect(r.windows[0].layers.map((l) => l.meanActivation?.length ?? null)).toEqual([8, null]);
    expect(r.windows[0].layers[1].gradientNorm!.weights).toBeGreaterThan(0);
    expect('reconstructions' in r).toBe(false);
  });
});

describe('the probe batch taken in chunks', () => {
  // every layer type, a 'same' and a 'valid' conv, a standalone activation, on 7 × 7 × 2 images
  const CONV = 'layers:conv3x3x3:same,relu,maxpool2,conv2x2x4,gelu,avgpool2,flatten,dense5,tanh';
  const cases: [string, string, number][] = [
    ['a conv classifier', CONV, 4],
    ['a dense classifier', 'mlp:6,5', 4],
    ['an autoencoder', 'ae:6,3', 98],
  ];
  for (const [what, spec, classes] of cases) {
    it(`gives the statistics and the gradient of one pass, in chunks of 3 and of 1: ${what}`, () => {
      const plan = compileModel(parseModelSpec(spec), { rows: 7, cols: 7, channels: 2 }, classes);
      const net = new Network(plan, new Rng(5));
      const rng = new Rng(9);
      const n = 10;
      const x = tf.tensor2d(
        Float32Array.from({ length: n * 98 }, () => rng.uniform()),
        [n, 98],
      );
      const target =
        plan.output === 'sigmoid'
          ? x
          : tf.tensor2d(
              Array.from({ length: n * classes }, (_, k) =>
                k % classes === Math.floor(k / classes) % classes ? 1 : 0,
              ),
              [n, classes],
            );
      const whole = probeStats(net, x, target);
      expect(whole.some((l) => l.deadUnits !== null && l.meanActivation!.some((m) => m > 0))).toBe(true);
      for (const chunk of [3, 1]) expect(probeStats(net, x, target, chunk)).toEqual(whole);
      // and the flat gradient itself, chunk by chunk against Network.gradient's one pass
      const onePass = tf.tidy(() => net.gradient(x, target).grad.dataSync().slice());
      let parts: tf.Tensor1D[] | null = null;
      for (let start = 0; start < n; start += 4) {
        const size = Math.min(4, n - start);
        const from: tf.Tensor1D[] | null = parts;
        parts = tf.tidy(
          () =>
            net.activationsAndGradientParts(
              tf.slice(x, [start, 0], [size, -1]),
              tf.slice(target, [start, 0], [size, -1]),
              n,
              from,
            ).parts,
        );
        if (from) tf.dispose(from);
      }
      const chunked = new Float32Array(net.paramCount);
      parts!.forEach((p, i) => {
        chunked.set(p.dataSync(), net.layout[i].wOffset);
      });
      expect(Array.from(chunked)).toEqual(Array.from(onePass));
      expect(onePass.some((v) => v !== 0)).toBe(true);
      tf.dispose([...parts!, x, target]);
      net.dispose();
    });
  }
});

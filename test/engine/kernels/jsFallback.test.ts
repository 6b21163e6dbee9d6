/**
 * The registered kernels where none of our WebAssembly links (an engine without WASM SIMD): linkModule returns null,
 * so every kernel takes its JS loops, and those must give the bits the WebAssembly gives: the optimizers' step against
 * the tfjs op chains (several parts, a fused group, weight decay), the batch's pixels against tensor2d · 1/255, the
 * 2×2 max-pool against tfjs's MaxPool, and its gradient through a ReLU against conv.wat run on a memory of its own.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { initBackend, tf } from '../../../src/engine/kernels/tf.js';
import { convForward, convWeightGrad, padForConv } from '../../../src/engine/kernels/convImplicit.js';
import { im2col, maxPool, maxPoolGrad, type Window2d } from '../../../src/engine/kernels/convKernels.js';
import { dense, denseGrad } from '../../../src/engine/kernels/gemm.js';
import { optimizerStep } from '../../../src/engine/kernels/optimizerStep.js';
import { PIXEL_SCALE, pixelBatch } from '../../../src/engine/kernels/pixelBatch.js';
import { CONV_WASM } from '../../../src/engine/kernels/wasm/convWasm.js';
import { Rng } from '../../../src/engine/rng.js';
import { optimizerCase, optimizerOpChain } from '../../helpers/optimizerChain.js';

vi.mock('../../../src/engine/kernels/tfjsWasm.js', async (original) => ({
  ...(await original<typeof import('../../../src/engine/kernels/tfjsWasm.js')>()),
  linkModule: vi.fn(() => null),
}));

beforeAll(async () => {
  await initBackend();
});

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe('the kernels where our WebAssembly does not link', () => {
  for (const kind of ['sgd', 'momentum', 'adam'] as const)
    it(`step ${kind} with the tfjs op chain's bits (3 runs, 3 parts, weight decay)`, async () => {
      const { linkModule } = await import('../../../src/engine/kernels/tfjsWasm.js');
      const { g, theta, states, c, parts } = optimizerCase(kind, 3, true);
      const [gt, tt] = [tf.tensor1d(g), tf.tensor1d(theta)];
      const st = states.map((x) => tf.tensor1d(x));
      const pt = parts.map((x) => tf.tensor1d(x));
      const want = tf.tidy(() => optimizerOpChain(gt, tt, st, c, 3));
      const got = tf.tidy(() => {
        const o = optimizerStep(pt, tt, st, c);
        return [o.delta, o.theta, ...o.state].map((x) => x.dataSync() as Float32Array);
      });
      got.forEach((x, k) => {
        expect(bits(x), `output ${k}`).toEqual(bits(want[k]));
      });
      expect(linkModule).toHaveBeenCalled();
      tf.dispose([gt, tt, ...st, ...pt]);
    });

  it("make the batch's pixels with tensor2d · 1/255's bits", () => {
    const images = new Uint8Array(30 * 7).map((_, i) => (i * 53) % 256);
    const rows = [4, 29, 0, 17];
    const raw = new Float32Array(rows.length * 7);
    rows.forEach((r, b) => {
      raw.set(images.subarray(r * 7, (r + 1) * 7), b * 7);
    });
    const want = tf.tidy(() => tf.mul(tf.tensor2d(raw, [4, 7]), PIXEL_SCALE).dataSync() as Float32Array);
    const got = tf.tidy(() => pixelBatch(images, 7, rows, 0, 4).dataSync() as Float32Array);
    expect(bits(got)).toEqual(bits(want));
  });

  it('max-pool 2×2 as tfjs does, and route its gradient through the ReLU as conv.wat does', () => {
    const g: Window2d = { kh: 2, kw: 2, stride: 2, padTop: 0, padLeft: 0, inH: 6, inW: 4, inC: 6, outH: 3, outW: 2 };
    const rng = new Rng(12);
    const n = 2;
    const x = new Float32Array(n * 6 * 4 * 6).map(() => Math.max(0, Math.round(rng.uniform() * 4) - 1));
    const dy = new Float32Array(n * 3 * 2 * 6).map(() => rng.uniform() - 0.5);
    const xt = tf.tensor4d(x, [n, 6, 4, 6]);
    const dyt = tf.tensor4d(dy, [n, 3, 2, 6]);
    const [pooled, want] = tf.tidy(() => [maxPool(xt, g), tf.maxPool(xt, 2, 2, 'valid')].map((t) => t.dataSync()));
    expect(Array.from(pooled)).toEqual(Array.from(want));
    const got = tf.tidy(() => maxPoolGrad(dyt, xt, g, true).dataSync() as Float32Array);
    // conv.wat on a memory of its own (not through linkModule)
    const memory = new WebAssembly.Memory({ initial: 4 });
    const wasm = new WebAssembly.Instance(new WebAssembly.Module(CONV_WASM), { env: { memory } }).exports as Record<
      'maxPoolGrad2x2',
      (...a: number[]) => void
    >;
    const [xa, da, oa] = [1024, 1024 + 4 * x.length, 1024 + 4 * (x.length + dy.length)];
    new Float32Array(memory.buffer, xa, x.length).set(x);
    new Float32Array(memory.buffer, da, dy.length).set(dy);
    wasm.maxPoolGrad2x2(xa, da, oa, n, 6, 4, 6, 3, 2, 1);
    expect(bits(got)).toEqual(bits(new Float32Array(memory.buffer, oa, x.length).slice()));
    tf.dispose([xt, dyt]);
  });

  for (const [what, g] of [
    ['same', { kh: 3, kw: 3, stride: 1, padTop: 1, padLeft: 1, inH: 5, inW: 8, inC: 2, outH: 5, outW: 8 }],
    [
      'valid, stride 2, a last row and column no window reads',
      { kh: 3, kw: 3, stride: 2, padTop: 0, padLeft: 0, inH: 6, inW: 9, inC: 2, outH: 2, outW: 4 },
    ],
  ] as [string, Window2d][])
    it(`read a conv layer's input with the fields products' bits: ${what}`, () => {
      const rng = new Rng(21);
      const layer = { wOffset: 0, bOffset: 18 * 6, fanIn: 18, units: 6 };
      const theta = tf.tensor1d(new Float32Array(18 * 6 + 6).map(() => rng.uniform() - 0.5));
      const x = tf.tensor4d(
        new Float32Array(2 * g.inH * g.inW * 2).map(() => rng.uniform() - 0.5),
        [2, g.inH, g.inW, 2],
      );
      const rows = 2 * g.outH * g.outW;
      const dz = tf.tensor2d(
        new Float32Array(rows * 6).map(() => rng.uniform() - 0.5),
        [rows, 6],
      );
      const group = { runs: 1, stride: 0, fma: false };
      tf.tidy(() => {
        const cols = im2col(x, g);
        const xp = padForConv(x, g);
        expect(xp.shape).toEqual(what === 'same' ? [2, 7, 10, 2] : [2, 6, 9, 2]);
        const fwd = [convForward(xp, theta, layer, g, true, false), dense(cols, theta, layer, true, group)];
        expect(bits(fwd[0].dataSync() as Float32Array)).toEqual(bits(fwd[1].dataSync() as Float32Array));
        const grad = [convWeightGrad(xp, dz, layer, g, false), denseGrad(cols, dz, layer, group)];
        expect(bits(grad[0].dataSync() as Float32Array)).toEqual(bits(grad[1].dataSync() as Float32Array));
      });
      tf.dispose([theta, x, dz]);
    });
});

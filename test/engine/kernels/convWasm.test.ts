/**
 * conv.wat against the JS loops it replaces (core/training/convKernels.ts), bit for bit, on geometries with padding,
 * strides, rectangular kernels and several channels; and the committed bytes against a fresh compile of the .wat.
 */
import { describe, expect, it } from 'vitest';
import { compileWat, MODULES } from '../../../scripts/build-wasm.js';
import { CONV_WASM, CONV_WASM_SHARED } from '../../../src/engine/kernels/wasm/convWasm.js';
import { GEMM_WASM, GEMM_WASM_SHARED } from '../../../src/engine/kernels/wasm/gemmWasm.js';
import {
  col2imInto,
  im2colInto,
  maxPool2x2Into,
  maxPoolGradInto,
  reluGradInto,
} from '../../../src/engine/kernels/convKernels.js';
import type { Window2d } from '../../../src/engine/kernels/convKernels.js';
import { Rng } from '../../../src/engine/rng.js';

type Fn = (src: number, dst: number, ...g: number[]) => void;

const memory = new WebAssembly.Memory({ initial: 64 });
const wasm = new WebAssembly.Instance(new WebAssembly.Module(CONV_WASM), { env: { memory } })
  .exports as unknown as Record<'im2col' | 'col2im' | 'pad', Fn>;

const GEOMETRIES: [string, Window2d, number][] = [
  [
    'lenet conv1 (5×5, same, 1 channel)',
    { kh: 5, kw: 5, stride: 1, padTop: 2, padLeft: 2, inH: 12, inW: 12, inC: 1, outH: 12, outW: 12 },
    3,
  ],
  [
    'valid 5×5 on 6 channels',
    { kh: 5, kw: 5, stride: 1, padTop: 0, padLeft: 0, inH: 9, inW: 9, inC: 6, outH: 5, outW: 5 },
    2,
  ],
  [
    'strided 3×2 with padding',
    { kh: 3, kw: 2, stride: 2, padTop: 1, padLeft: 0, inH: 7, inW: 6, inC: 3, outH: 4, outW: 3 },
    2,
  ],
  [
    '3×3 same on 1 channel (runs shorter than 16 bytes)',
    { kh: 3, kw: 3, stride: 1, padTop: 1, padLeft: 1, inH: 6, inW: 6, inC: 1, outH: 6, outW: 6 },
    2,
  ],
  [
    '2×2 stride 2 on 4 channels (runs of 32 bytes)',
    { kh: 2, kw: 2, stride: 2, padTop: 0, padLeft: 0, inH: 6, inW: 6, inC: 4, outH: 3, outW: 3 },
    2,
  ],
];

function run(fn: Fn, src: Float32Array, outLength: number, g: Window2d, n: number): Float32Array {
  const at = 1024;
  const out = at + src.length * 4 + 64;
  new Float32Array(memory.buffer, at, src.length).set(src);
  new Float32Array(memory.buffer, out, outLength).fill(NaN); // every element must be written
  fn(at, out, n, g.inH, g.inW, g.inC, g.kh, g.kw, g.stride, g.padTop, g.padLeft, g.outH, g.outW);
  return new Float32Array(memory.buffer, out, outLength).slice();
}

describe('the convolution kernels in WebAssembly', () => {
  for (const [what, g, n] of GEOMETRIES) {
    it(`give the JS loops' bits: ${what}`, () => {
      const rng = new Rng(9);
      const x = new Float32Array(n * g.inH * g.inW * g.inC).map(() => rng.uniform() * 2 - 1);
      const k = g.kh * g.kw * g.inC;
      const m = n * g.outH * g.outW;
      const js0 = new Float32Array(m * k);
      im2colInto(x, js0, g, n);
      expect(Array.from(run(wasm.im2col, x, m * k, g, n))).toEqual(Array.from(js0));
      const cols = new Float32Array(m * k).map(() => rng.uniform() - 0.5);
      const js = new Float32Array(x.length);
      col2imInto(cols, js, g, n);
      expect(Array.from(run(wasm.col2im, cols, x.length, g, n))).toEqual(Array.from(js));
    });
  }

  it("im2col of the zero-padded input gives the padded im2col's bits (the backend's path for windows that cross the border)", () => {
    for (const [, g, n] of GEOMETRIES) {
      const rng = new Rng(5);
      const x = new Float32Array(n * g.inH * g.inW * g.inC).map(() => rng.uniform() * 2 - 1);
      const [pH, pW] = [(g.outH - 1) * g.stride + g.kh, (g.outW - 1) * g.stride + g.kw];
      const padded = new Float32Array(memory.buffer, 1024 + x.length * 4 + 64, n * pH * pW * g.inC);
      new Float32Array(memory.buffer, 1024, x.length).set(x);
      padded.fill(NaN);
      wasm.pad(1024, padded.byteOffset, n, g.inH, g.inW, g.inC, pH, pW, g.padTop, g.padLeft);
      const inner: Window2d = { ...g, inH: pH, inW: pW, padTop: 0, padLeft: 0 };
      const m = n * g.outH * g.outW * g.kh * g.kw * g.inC;
      const js = new Float32Array(m);
      im2colInto(x, js, g, n);
      expect(Array.from(run(wasm.im2col, padded.slice(), m, inner, n))).toEqual(Array.from(js));
    }
  });

  it('route the max-pool gradient as the JS loop does, ties, negatives and overlapping windows included', () => {
    const pool = wasm as unknown as Record<'maxPoolGrad', (...a: number[]) => void>;
    for (const g of [
      { kh: 2, kw: 2, stride: 2, padTop: 0, padLeft: 0, inH: 8, inW: 8, inC: 3, outH: 4, outW: 4 },
      { kh: 3, kw: 3, stride: 2, padTop: 0, padLeft: 0, inH: 9, inW: 7, inC: 2, outH: 4, outW: 3 },
      // four channels at a time, and two more one by one
      { kh: 2, kw: 2, stride: 2, padTop: 0, padLeft: 0, inH: 6, inW: 6, inC: 6, outH: 3, outW: 3 },
      { kh: 3, kw: 3, stride: 1, padTop: 0, padLeft: 0, inH: 5, inW: 6, inC: 8, outH: 3, outW: 4 },
    ]) {
      const rng = new Rng(4);
      const n = 2;
      // values on a coarse grid, so windows hold ties
      const x = new Float32Array(n * g.inH * g.inW * g.inC).map(() => Math.round(rng.uniform() * 6) - 3);
      const dy = new Float32Array(n * g.outH * g.outW * g.inC).map(() => rng.uniform());
      const js = new Float32Array(x.length);
      maxPoolGradInto(x, dy, js, g, n);
      new Float32Array(memory.buffer, 1024, x.length).set(x);
      const dyAt = 1024 + 4 * x.length;
      const out = dyAt + 4 * dy.length;
      new Float32Array(memory.buffer, dyAt, dy.length).set(dy);
      pool.maxPoolGrad(1024, dyAt, out, n, g.inH, g.inW, g.inC, g.kh, g.kw, g.stride, g.outH, g.outW);
      expect(Array.from(new Float32Array(memory.buffer, out, x.length))).toEqual(Array.from(js));
    }
  });

  it("route a 2×2 max-pool's gradient, with or without the ReLU's before it, in one pass with the two JS loops' bits", () => {
    const pool = wasm as unknown as Record<'maxPoolGrad2x2', (...a: number[]) => void>;
    const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
    // 1–8 channels: four lanes, two, one and their mixes (LeNet's first pool has 6, its second 16)
    for (const inC of [1, 2, 3, 4, 5, 6, 7, 8, 16]) {
      const g: Window2d = { kh: 2, kw: 2, stride: 2, padTop: 0, padLeft: 0, inH: 6, inW: 4, inC, outH: 3, outW: 2 };
      const rng = new Rng(inC);
      const n = 2;
      // a ReLU's output on a coarse grid (ties, zeros), some negatives and NaNs for the loops' edge cases, and dy
      // with zeros of both signs
      const x = new Float32Array(n * g.inH * g.inW * inC).map(() => Math.max(0, Math.round(rng.uniform() * 5) - 2));
      for (let i = 0; i < x.length; i += 7) x[i] = -1 - rng.uniform();
      for (let i = 3; i < x.length; i += 11) x[i] = NaN;
      const dy = new Float32Array(n * g.outH * g.outW * inC).map((_, i) =>
        i % 5 === 0 ? (i % 2 ? -0 : 0) : rng.uniform() * 2 - 1,
      );
      const dyAt = 1024 + 4 * x.length;
      const out = dyAt + 4 * dy.length;
      for (const relu of [false, true]) {
        const js = new Float32Array(x.length);
        maxPoolGradInto(x, dy, js, g, n);
        if (relu) reluGradInto(js, x, js);
        new Float32Array(memory.buffer, 1024, x.length).set(x);
        new Float32Array(memory.buffer, dyAt, dy.length).set(dy);
        new Float32Array(memory.buffer, out, x.length + 4).fill(7); // every element written, nothing past the end
        pool.maxPoolGrad2x2(1024, dyAt, out, n, g.inH, g.inW, inC, g.outH, g.outW, relu ? 1 : 0);
        const w = new Float32Array(memory.buffer, out, x.length + 4).slice();
        expect(bits(w.subarray(0, x.length)), `${inC} channels, relu ${relu}`).toEqual(bits(js));
        expect(Array.from(w.subarray(x.length))).toEqual([7, 7, 7, 7]);
      }
    }
  });

  it("take a 2×2 max-pool forward as the JS loop does: each window's first largest value, NaN never winning", () => {
    const pool = wasm as unknown as Record<'maxPool2x2', (...a: number[]) => void>;
    const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
    for (const inC of [1, 2, 3, 6, 16]) {
      const g: Window2d = { kh: 2, kw: 2, stride: 2, padTop: 0, padLeft: 0, inH: 4, inW: 6, inC, outH: 2, outW: 3 };
      const rng = new Rng(inC + 40);
      const n = 3;
      const x = new Float32Array(n * g.inH * g.inW * inC).map(() => Math.round(rng.uniform() * 6) - 3);
      for (let i = 2; i < x.length; i += 9) x[i] = NaN;
      const size = n * g.outH * g.outW * inC;
      const js = new Float32Array(size);
      maxPool2x2Into(x, js, g, n);
      const out = 1024 + 4 * x.length;
      new Float32Array(memory.buffer, 1024, x.length).set(x);
      new Float32Array(memory.buffer, out, size + 4).fill(7);
      pool.maxPool2x2(1024, out, n, g.inH, g.inW, inC, g.outH, g.outW);
      const w = new Float32Array(memory.buffer, out, size + 4).slice();
      expect(bits(w.subarray(0, size)), `${inC} channels`).toEqual(bits(js));
      expect(Array.from(w.subarray(size))).toEqual([7, 7, 7, 7]);
      // a window's maximum, NaN skipped unless it comes first
      const at = (b: number, y: number, x0: number, c: number) => x[((b * g.inH + y) * g.inW + x0) * inC + c];
      const first = [at(1, 2, 2, 0), at(1, 2, 3, 0), at(1, 3, 2, 0), at(1, 3, 3, 0)];
      const want = Number.isNaN(first[0]) ? NaN : Math.max(...first.filter((v) => !Number.isNaN(v)));
      expect(js[((1 * g.outH + 1) * g.outW + 1) * inC]).toEqual(want);
    }
  });

  it("give the ReLU gradient g · step(a): g where a > 0, the sign of g · 0 where a = 0, NaN where a is NaN, the JS loop's bits", () => {
    const relu = new WebAssembly.Instance(new WebAssembly.Module(CONV_WASM), { env: { memory } })
      .exports as unknown as { reluGrad(g: number, a: number, dst: number, count: number): void };
    const rng = new Rng(4);
    // 4·k + 3 values, so both the vector loop and the scalar tail run
    const a = new Float32Array(4 * 9 + 3).map((_, i) => (i % 3 === 0 ? 0 : rng.uniform()));
    a[5] = NaN;
    a[38] = NaN;
    const g = new Float32Array(a.length).map(() => rng.uniform() * 2 - 1);
    const js = new Float32Array(a.length);
    reluGradInto(g, a, js);
    const [gAt, aAt, out] = [1024, 1024 + 4 * a.length, 1024 + 8 * a.length];
    new Float32Array(memory.buffer, gAt, g.length).set(g);
    new Float32Array(memory.buffer, aAt, a.length).set(a);
    relu.reluGrad(gAt, aAt, out, a.length);
    const w = new Float32Array(memory.buffer, out, a.length);
    a.forEach((x, i) => {
      const want = x > 0 ? g[i] : Number.isNaN(x) ? NaN : g[i] < 0 ? -0 : 0;
      expect(Object.is(w[i], want)).toBe(true);
      expect(Object.is(js[i], want)).toBe(true);
    });
  });

  it('are exactly the compile of conv.wat, in both builds', async () => {
    const fresh = await compileWat(MODULES[1].wat);
    expect(Array.from(CONV_WASM)).toEqual(Array.from(fresh.plain));
    expect(Array.from(CONV_WASM_SHARED)).toEqual(Array.from(fresh.shared));
    expect(CONV_WASM.length).toBeLessThan(4096);
  });

  it('gemm.wat compiles to the committed bytes, in both builds', async () => {
    const fresh = await compileWat(MODULES[2].wat);
    expect(Array.from(GEMM_WASM)).toEqual(Array.from(fresh.plain));
    expect(Array.from(GEMM_WASM_SHARED)).toEqual(Array.from(fresh.shared));
  });
});

/**
 * The two arithmetics of the products (engine/kernels/arithmetic.ts): fused multiply-add in JavaScript on cases worked
 * by hand (among them one where rounding the sum to a double first, then to float32, gives the wrong answer), against
 * this engine's relaxed_madd where it fuses; the FMA build of gemm.wat (nothing left unfused, different bits from the
 * exact build); and what `auto` and `fma` resolve to.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fmaWat, unfused } from '../../../scripts/fmaWat.js';
import { compileWat, MODULES } from '../../../scripts/build-wasm.js';
import { engineFusesMultiplyAdd, fmaf, resolveArithmetic } from '../../../src/engine/kernels/arithmetic.js';
import { FMA_PROBE_WASM } from '../../../src/engine/kernels/wasm/fmaProbeWasm.js';
import { GEMM_FMA_WASM, GEMM_FMA_WASM_SHARED } from '../../../src/engine/kernels/wasm/gemmFmaWasm.js';
import { GEMM_WASM } from '../../../src/engine/kernels/wasm/gemmWasm.js';
import { Rng } from '../../../src/engine/rng.js';
import { UsageError } from '../../../src/contract/errors.js';

const fuses = engineFusesMultiplyAdd();
const f = Math.fround;
const a12 = 1 + 2 ** -12; // a float32 whose square, 1 + 2⁻¹¹ + 2⁻²⁴, needs 25 bits

describe('fused multiply-add in JavaScript (fmaf)', () => {
  it('rounds once: (1 + 2⁻¹²)² − (1 + 2⁻¹¹) is 2⁻²⁴, where rounding the product first gives 0', () => {
    expect(fmaf(a12, a12, -(1 + 2 ** -11))).toBe(2 ** -24);
    expect(f(f(a12 * a12) + -(1 + 2 ** -11))).toBe(0);
  });

  it('rounds the exact sum, not a double of it: a tie in double that is no tie in the exact sum', () => {
    // a12² = 1 + 2⁻¹¹ + 2⁻²⁴ lies halfway between two float32s; + 2⁻⁸⁰ puts the exact sum just above the halfway point.
    // As a double the sum is the halfway point itself, which float32 rounds to even (down): one ulp wrong.
    expect(f(a12 * a12 + 2 ** -80)).toBe(1 + 2 ** -11);
    expect(fmaf(a12, a12, 2 ** -80)).toBe(1 + 2 ** -11 + 2 ** -23);
    expect(fmaf(a12, a12, -(2 ** -80))).toBe(1 + 2 ** -11);
    expect(fmaf(-a12, a12, 2 ** -80)).toBe(-(1 + 2 ** -11));
    expect(fmaf(-a12, a12, -(2 ** -80))).toBe(-(1 + 2 ** -11 + 2 ** -23));
  });

  it('keeps exact results, signed zeros, infinities and NaN as float32 arithmetic does', () => {
    expect(fmaf(3, 5, 0.5)).toBe(15.5);
    expect(Object.is(fmaf(0, 1, -0), 0)).toBe(true);
    expect(Object.is(fmaf(-0, 1, -0), -0)).toBe(true);
    expect(fmaf(2 ** 100, 2 ** 100, 0)).toBe(Infinity);
    expect(fmaf(Infinity, 0, 1)).toBeNaN();
  });

  it.skipIf(!fuses)(
    "gives this engine's relaxed_madd bits on random float32 triples and on near-cancelling ones",
    () => {
      const memory = new WebAssembly.Memory({ initial: 1 });
      const probe = new WebAssembly.Instance(new WebAssembly.Module(FMA_PROBE_WASM), { env: { memory } }).exports
        .probe as (a: number, b: number, c: number) => number;
      const rng = new Rng(11);
      const r = () => f((rng.uniform() * 2 - 1) * 2 ** Math.floor(rng.uniform() * 40 - 20));
      let differ = 0;
      for (let i = 0; i < 20000; i++) {
        const [a, b] = [r(), r()];
        const c = i % 2 ? r() : f(-a * b * (1 + (rng.uniform() - 0.5) * 2 ** -20)); // c ≈ −a·b: the sum cancels
        expect(fmaf(a, b, c)).toBe(probe(a, b, c));
        if (fmaf(a, b, c) !== f(f(a * b) + c)) differ++;
      }
      expect(differ).toBeGreaterThan(1000); // the two arithmetics do differ, often, on such values
    },
  );
});

describe('the FMA build of gemm.wat', () => {
  it('fuses every multiply-add of gemm.wat and leaves no multiply', () => {
    const wat = readFileSync(MODULES[2].wat, 'utf8');
    const build = fmaWat(wat);
    expect(unfused(wat)).toBe(build.fused); // every multiply of gemm.wat is one of its multiply-adds
    expect(build.fused).toBeGreaterThan(70);
    expect(unfused(build.wat)).toBe(0);
    expect(build.wat).not.toMatch(/\(f32x4\.mul|\(f32\.mul/);
  });

  it('rewrites vector and scalar multiply-adds, nested ones too, and nothing else', () => {
    expect(fmaWat('(f32x4.add (local.get $c) (f32x4.mul (local.get $x) (v128.load (local.get $p))))').wat).toBe(
      '(f32x4.relaxed_madd (local.get $x) (v128.load (local.get $p)) (local.get $c))',
    );
    expect(fmaWat('(f32.add (local.get $s) (f32.mul (f32.load (local.get $p)) (local.get $b)))').wat).toBe(
      '(f32x4.extract_lane 0 (f32x4.relaxed_madd (f32x4.splat (f32.load (local.get $p))) (f32x4.splat (local.get $b)) (f32x4.splat (local.get $s))))',
    );
    expect(fmaWat('(f32.add (local.get $s) (f32.load (local.get $p)))')).toEqual({
      wat: '(f32.add (local.get $s) (f32.load (local.get $p)))',
      fused: 0,
    });
  });

  it('is the committed gemmFmaWasm.ts, in both builds', async () => {
    const fresh = await compileWat(MODULES[3].wat, true);
    expect(MODULES[3].out).toMatch(/gemmFmaWasm\.ts$/);
    expect(Array.from(GEMM_FMA_WASM)).toEqual(Array.from(fresh.plain));
    expect(Array.from(GEMM_FMA_WASM_SHARED)).toEqual(Array.from(fresh.shared));
    const probe = await compileWat(MODULES.find((m) => m.name === 'FMA_PROBE_WASM')!.wat, true);
    expect(Array.from(FMA_PROBE_WASM)).toEqual(Array.from(probe.plain));
  });

  it.skipIf(!fuses)('gives other bits than the exact build on a product', () => {
    const memory = new WebAssembly.Memory({ initial: 2 });
    const run = (bytes: Uint8Array<ArrayBuffer>) => {
      const g = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as {
        gemm: (...args: number[]) => void;
      };
      const heap = new Float32Array(memory.buffer);
      const rng = new Rng(5);
      for (let i = 0; i < 2 * 64 * 64; i++) heap[i] = rng.uniform() - 0.5;
      g.gemm(0, 64 * 4, 4, 64 * 64 * 4, 64 * 4, 0, 2 * 64 * 64 * 4, 64, 64, 64, 0);
      return Array.from(heap.subarray(2 * 64 * 64, 3 * 64 * 64));
    };
    const [exact, fused] = [run(GEMM_WASM), run(GEMM_FMA_WASM)];
    const differ = exact.filter((v, i) => v !== fused[i]).length;
    expect(differ).toBeGreaterThan(100);
    expect(fused.every((v, i) => Math.abs(v - exact[i]) < 1e-5)).toBe(true);
  });
});

describe('the arithmetic a run uses', () => {
  it('is exact when asked, fma under auto where the engine fuses, and fma only where it does', () => {
    expect(resolveArithmetic('exact')).toBe('exact');
    expect(resolveArithmetic('auto')).toBe(fuses ? 'fma' : 'exact');
    if (fuses) expect(resolveArithmetic('fma')).toBe('fma');
    else expect(() => resolveArithmetic('fma')).toThrow(UsageError);
  });

  it('fuses in Node on x86-64 with FMA3 and on ARM64 (the machines fluctlab is tested on)', () => {
    expect(fuses).toBe(true);
  });
});

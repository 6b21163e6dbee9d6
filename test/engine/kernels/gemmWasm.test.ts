/**
 * gemm.wat, in both builds (exact: a multiply then an add; fma: relaxed_madd, where this engine fuses), against the JS
 * loops of engine/kernels/gemm.ts in the same arithmetic, bit for bit, on shapes that reach every tile (4 × 8,
 * 4 × 6, 4 × 4, 4 × 2, 4 × 1, and the single rows), with and without bias and relu, through both stride patterns (A and Aᵀ), in one
 * pass and in blocks of P; and the loops themselves on a case worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { GEMM_WASM } from '../../../src/engine/kernels/wasm/gemmWasm.js';
import { GEMM_FMA_WASM } from '../../../src/engine/kernels/wasm/gemmFmaWasm.js';
import { engineFusesMultiplyAdd } from '../../../src/engine/kernels/arithmetic.js';
import { colSumInto, gemmInto, transposeInto } from '../../../src/engine/kernels/gemm.js';
import { Rng } from '../../../src/engine/rng.js';

const memory = new WebAssembly.Memory({ initial: 64 });
type Gemm = {
  gemm(
    a: number,
    sai: number,
    sap: number,
    b: number,
    ldb: number,
    bias: number,
    c: number,
    m: number,
    p: number,
    n: number,
    flags: number,
  ): void;
  transpose(src: number, dst: number, rows: number, cols: number): void;
  colsum(src: number, dst: number, rows: number, cols: number, from: number): void;
};
const instance = (bytes: Uint8Array<ArrayBuffer>) =>
  new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as Gemm;
const wasm = instance(GEMM_WASM);
const fuses = engineFusesMultiplyAdd();
const BUILDS = [
  { arithmetic: 'exact', fused: false, module: () => wasm },
  { arithmetic: 'fma', fused: true, module: () => instance(GEMM_FMA_WASM) },
];

/** Places arrays one after another in the module's memory; returns their byte addresses. */
function place(...arrays: Float32Array[]): number[] {
  let at = 64;
  return arrays.map((a) => {
    const address = at;
    new Float32Array(memory.buffer, address, a.length).set(a);
    at += a.length * 4 + 64;
    return address;
  });
}

const read = (address: number, length: number) => Array.from(new Float32Array(memory.buffer, address, length));
const random = (rng: Rng, n: number) => new Float32Array(n).map(() => rng.uniform() * 2 - 1);

for (const { arithmetic, fused, module } of BUILDS)
  describe.skipIf(fused && !fuses)(`the matrix product in WebAssembly, ${arithmetic} arithmetic`, () => {
    const wasm = fused && !fuses ? (null as unknown as Gemm) : module();
    const SHAPES: [number, number, number][] = [
      [8, 16, 16],
      [7, 5, 13],
      [9, 17, 22],
      [1, 3, 1],
      [5, 1, 8],
      [12, 9, 3],
      [25, 40, 6],
      [6, 33, 25],
      [4, 11, 7],
      [10, 6, 14],
    ];
    for (const [m, p, n] of SHAPES) {
      for (const transposed of [false, true]) {
        it(`gives the JS loops' bits: ${m}×${p}·${p}×${n}${transposed ? ', A read transposed' : ''}`, () => {
          const rng = new Rng(m * 100 + p * 10 + n);
          const a = random(rng, m * p);
          const b = random(rng, p * n);
          const bias = random(rng, n);
          for (const flags of [0, 1, 3]) {
            const c = new Float32Array(m * n).fill(NaN); // every element must be written
            const [pa, pb, pbias, pc] = place(a, b, bias, c);
            // A(i, k) at i·sai + k·sap: row-major m × p, or the transpose of a row-major p × m
            const [sai, sap] = transposed ? [1, m] : [p, 1];
            wasm.gemm(pa, sai * 4, sap * 4, pb, n * 4, pbias, pc, m, p, n, flags);
            const js = new Float32Array(m * n);
            gemmInto(
              { data: a, offset: 0, rowStride: sai, colStride: sap },
              { data: b, offset: 0, rowStride: n, colStride: 1 },
              flags & 1 ? bias : null,
              0,
              js,
              0,
              m,
              p,
              n,
              (flags & 2) !== 0,
              false,
              fused,
            );
            expect(read(pc, m * n)).toEqual(Array.from(js));
          }
        });
      }
    }

    for (const transposed of [false, true]) {
      it(`taken in blocks of P (each going on from C), gives the bits of one pass${transposed ? ', A read transposed' : ''}`, () => {
        const [m, p, n] = [13, 70, 14];
        const rng = new Rng(17);
        const a = random(rng, m * p);
        const b = random(rng, p * n);
        const bias = random(rng, n);
        const [sai, sap] = transposed ? [1, m] : [p, 1];
        const [pa, pb, pbias, pc, pd] = place(a, b, bias, new Float32Array(m * n), new Float32Array(m * n));
        wasm.gemm(pa, sai * 4, sap * 4, pb, n * 4, pbias, pc, m, p, n, 3);
        // blocks of 32, 32 and 6: the bias in the first, relu in the last, flag 4 in all but the first
        for (const [k, size, flags] of [
          [0, 32, 1],
          [32, 32, 4],
          [64, 6, 6],
        ])
          wasm.gemm(pa + k * sap * 4, sai * 4, sap * 4, pb + k * n * 4, n * 4, pbias, pd, m, size, n, flags);
        const onePass = read(pc, m * n);
        expect(onePass.some((v) => v > 0) && onePass.some((v) => v === 0)).toBe(true); // relu clipped some, kept others
        expect(read(pd, m * n)).toEqual(onePass);
      });
    }

    it('the JS loops, going on from C over a second part of P, give the bits of one pass', () => {
      const [m, p, n] = [5, 23, 9];
      const rng = new Rng(23);
      const a = random(rng, m * p);
      const b = random(rng, p * n);
      const [pa, pb, pc] = place(a, b, new Float32Array(m * n));
      wasm.gemm(pa, p * 4, 4, pb, n * 4, 0, pc, m, p, n, 0);
      const js = new Float32Array(m * n);
      gemmInto(
        { data: a, offset: 0, rowStride: p, colStride: 1 },
        { data: b, offset: 0, rowStride: n, colStride: 1 },
        null,
        0,
        js,
        0,
        m,
        10,
        n,
        false,
        false,
        fused,
      );
      gemmInto(
        { data: a, offset: 10, rowStride: p, colStride: 1 },
        { data: b, offset: 10 * n, rowStride: n, colStride: 1 },
        null,
        0,
        js,
        0,
        m,
        p - 10,
        n,
        false,
        true,
        fused,
      );
      expect(Array.from(js)).toEqual(read(pc, m * n));
    });

    it('transposes and sums columns as the JS loops do', () => {
      const rng = new Rng(3);
      const x = random(rng, 7 * 6);
      const [px, pt, ps] = place(x, new Float32Array(42), new Float32Array(6));
      wasm.transpose(px, pt, 7, 6);
      wasm.colsum(px, ps, 7, 6, 0);
      const t = new Float32Array(42);
      transposeInto(x, 0, t, 0, 7, 6);
      const s = new Float32Array(6);
      colSumInto(x, s, 0, 7, 6);
      expect(read(pt, 42)).toEqual(Array.from(t));
      expect(read(ps, 6)).toEqual(Array.from(s));
    });

    it('sums columns over rows taken in two parts, the second going on from the first, with the bits of one pass', () => {
      const rng = new Rng(5);
      const x = random(rng, 11 * 7); // 7 columns: one vector of 4 and 3 single ones
      const [px, ps, pt] = place(x, new Float32Array(7), new Float32Array(7));
      wasm.colsum(px, ps, 11, 7, 0);
      new Float32Array(memory.buffer, pt, 7).fill(NaN); // the first part must not read what was there
      wasm.colsum(px, pt, 4, 7, 0);
      wasm.colsum(px + 4 * 7 * 4, pt, 7, 7, 1);
      expect(read(pt, 7)).toEqual(read(ps, 7));
      const js = new Float32Array(7);
      colSumInto(x.subarray(0, 28), js, 0, 4, 7);
      colSumInto(x.subarray(28), js, 0, 7, 7, true);
      expect(Array.from(js)).toEqual(read(ps, 7));
    });
  });

describe('the matrix product loops', () => {
  const A = { data: new Float32Array([1, 2, 3, 4]), offset: 0, rowStride: 2, colStride: 1 };
  const B = { data: new Float32Array([5, 6, 7, 8]), offset: 0, rowStride: 2, colStride: 1 };

  it('add the bias and clip at zero for relu', () => {
    const c = new Float32Array(4);
    gemmInto(A, B, new Float32Array([0.5, -100]), 0, c, 0, 2, 2, 2, true);
    // [1·5 + 2·7 + 0.5, max(1·6 + 2·8 − 100, 0); 3·5 + 4·7 + 0.5, max(3·6 + 4·8 − 100, 0)]
    expect(Array.from(c)).toEqual([19.5, 0, 43.5, 0]);
  });

  it('start from the bias and add the products in order, in float32', () => {
    // 1 + 2²⁴ rounds to 2²⁴ in float32, so bias-first gives 0 where products-first would give 1
    const a = { data: new Float32Array([2 ** 12, 2 ** 12]), offset: 0, rowStride: 2, colStride: 1 };
    const b = { data: new Float32Array([2 ** 12, -(2 ** 12)]), offset: 0, rowStride: 1, colStride: 1 };
    const c = new Float32Array(1);
    gemmInto(a, b, new Float32Array([1]), 0, c, 0, 1, 2, 1, false);
    expect(c[0]).toBe(0);
    const [pa, pb, pbias, pc] = place(a.data, b.data, new Float32Array([1]), c);
    wasm.gemm(pa, 8, 4, pb, 4, pbias, pc, 1, 2, 1, 1);
    expect(read(pc, 1)[0]).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { detCos, detExp, detLog, detPow } from '../../src/engine/detMath.js';
import { Rng } from '../../src/engine/rng.js';

/** Relative error in units of 2^−52. */
const ulps = (got: number, want: number) => Math.abs(got - want) / (Math.abs(want) * 2 ** -52 || 2 ** -1074);

describe('engine-independent exp, log, pow and cos', () => {
  const rng = new Rng(5, 0);
  const xs = Array.from({ length: 2000 }, () => (rng.uniform() - 0.5) * 60);

  it('exp is within 2 ulp of Math.exp on [−30, 30], and exact at 0', () => {
    for (const x of xs) expect(ulps(detExp(x), Math.exp(x)), `x = ${x}`).toBeLessThan(2);
    expect(detExp(0)).toBe(1);
    expect(detExp(800)).toBe(Infinity);
    expect(detExp(-800)).toBe(0);
  });

  it('log is within 2 ulp of Math.log from 1e-300 to 1e300, and exact at 1', () => {
    for (const x of xs) {
      const v = 10 ** (x * 10);
      expect(Math.abs(detLog(v) - Math.log(v)), `x = ${v}`).toBeLessThanOrEqual(
        2 * 2 ** -52 * Math.max(1, Math.abs(Math.log(v))),
      );
    }
    expect(detLog(1)).toBe(0);
    expect(detLog(0)).toBe(-Infinity);
  });

  it('pow agrees with Math.pow to 16 digits for the ramp of an LR range test, and is exact for integer exponents', () => {
    for (let t = 0; t < 100; t++) expect(ulps(detPow(1e8, t / 99), 1e8 ** (t / 99))).toBeLessThan(64);
    expect(detPow(0.5, 10)).toBe(1 / 1024);
    expect(detPow(0.999, 3)).toBe(0.999 * 0.999 * 0.999);
    expect(detPow(2, -3)).toBe(0.125);
  });

  it('cos is within 5e-16 (absolute) of Math.cos on [0, π], and exact at 0 and π', () => {
    for (let i = 0; i <= 1000; i++) {
      const x = (Math.PI * i) / 1000;
      expect(Math.abs(detCos(x) - Math.cos(x)), `x = ${x}`).toBeLessThan(5e-16);
    }
    expect(detCos(0)).toBe(1);
    expect(detCos(Math.PI)).toBe(-1);
  });
});

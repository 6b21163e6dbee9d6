import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/rng.js';

describe('Rng', () => {
  it('matches xoshiro128** by hand from state [1, 2, 3, 4]', () => {
    // first output: rotl(s1 * 5, 7) * 9 = rotl(10, 7) * 9 = 1280 * 9
    const r = Rng.fromState(1, 2, 3, 4);
    expect(r.nextUint32()).toBe(11520);
    // state after step 1: s2 = 3^1 = 2 ^ (2<<9) = 1026, s3 = rotl(4^2, 11) = 12288, s1 = 2^2 = 0, s0 = 1^6 = 7
    // second output: rotl(s1 * 5, 7) * 9 with s1 = 0
    expect(r.nextUint32()).toBe(0);
  });

  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(sa);
  });

  it('separates streams of one seed', () => {
    expect(new Rng(7, 0).nextUint32()).not.toBe(new Rng(7, 1).nextUint32());
  });

  it('draws uniforms in [0, 1) with mean near 1/2', () => {
    const r = new Rng(1);
    let sum = 0;
    for (let i = 0; i < 20000; i++) {
      const u = r.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
    }
    expect(Math.abs(sum / 20000 - 0.5)).toBeLessThan(0.01);
  });

  it('draws every integer of a small range about equally often', () => {
    const r = new Rng(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) counts[r.int(3)]++;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(400);
  });

  it('shuffles into a permutation', () => {
    const a = new Uint32Array(100).map((_, i) => i);
    new Rng(5).shuffle(a);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(a)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('refuses a non-integer seed', () => {
    expect(() => new Rng(1.5)).toThrow(/integer/);
  });
});

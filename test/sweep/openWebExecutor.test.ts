/** The browser's one choice of pool size (the pool itself runs in test/web): planPool on this host, capped by `workers`. */
import { describe, expect, it } from 'vitest';
import { env } from '../../src/contract/host.js';
import { planPool } from '../../src/sweep/poolPlan.js';
import { planWebPool } from '../../src/sweep/openWebExecutor.js';

describe('planWebPool', () => {
  it("is planPool on this host's cores and isolation", () => {
    for (const runs of [1, 3, 16])
      for (const threads of [undefined, 1])
        expect(planWebPool(runs, { threads })).toEqual(
          planPool(runs, env.hardwareConcurrency, env.crossOriginIsolated, threads),
        );
  });

  it('gives the workers asked for, at most one per run and at least one', () => {
    expect(planWebPool(3, { workers: 2 }).workers).toBe(2);
    expect(planWebPool(2, { workers: 5 }).workers).toBe(2);
    expect(planWebPool(3, { workers: 1, threads: 1 })).toEqual({ workers: 1, threads: 1 });
  });
});

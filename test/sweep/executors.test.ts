/**
 * An LR range test is a task like a run: every Node executor runs it, with the same result and its points streamed
 * as it ramps, and stops it on cancel; openExecutor puts it on a worker when asked, even alone.
 * (PoolExecutor runs the compiled worker: npm run build first.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/contract/configure.js';
import { CancelledError } from '../../src/contract/errors.js';
import type { LrFindResult } from '../../src/engine/training/lrFind.js';
import { LR_FIND_DEFAULTS, type RangePoint } from '../../src/engine/training/rangeTest.js';
import { loadDataset } from '../../src/node/loadData.js';
import type { Executor } from '../../src/sweep/executor.js';
import { LocalExecutor } from '../../src/sweep/localExecutor.js';
import { PoolExecutor } from '../../src/sweep/nodePool.js';
import { openExecutor } from '../../src/sweep/openExecutor.js';

const config = { ...DEFAULTS, lrs: [1], trainLimit: 2000, probeSize: 100 };
const options = { ...LR_FIND_DEFAULTS, steps: 30, windowSteps: 5 };
const strip = (r: LrFindResult) => JSON.stringify({ ...r, timing: null, environment: null });

const opened: Executor[] = [];
const open = <T extends Executor>(e: T): T => {
  opened.push(e);
  return e;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((e) => e.close()));
});

describe('an LR range test on an executor', () => {
  it('gives the same result in this thread and on a worker thread, every point streamed as it ramps', async () => {
    const seen: Record<string, RangePoint[]> = { local: [], pool: [] };
    const local = await open(new LocalExecutor(loadDataset)).lrFind(config, options, 2, (p) => seen.local.push(p));
    const pool = await open(new PoolExecutor(1, loadDataset)).lrFind(config, options, 2, (p) => seen.pool.push(p));
    expect(local.points).toHaveLength(30);
    expect(strip(pool)).toBe(strip(local));
    expect(seen.local).toEqual(local.points);
    expect(seen.pool).toEqual(pool.points);
  });

  for (const [name, make] of [
    ['in this thread', () => new LocalExecutor(loadDataset)],
    ['on a worker thread', () => new PoolExecutor(1, loadDataset)],
  ] as const) {
    it(`stops ${name} on cancel, with a CancelledError`, async () => {
      const executor: Executor = open(make());
      const points: RangePoint[] = [];
      const run = executor.lrFind(config, { ...options, steps: 2000 }, 1, (p) => {
        points.push(p);
        if (p.step === 3) executor.cancel();
      });
      await expect(run).rejects.toBeInstanceOf(CancelledError);
      expect(points.length).toBeLessThan(2000);
    });
  }
});

describe('openExecutor', () => {
  it('trains one task at a time in this thread, unless asked for a worker; more than one on a pool', () => {
    const load = () => loadDataset(config);
    expect(open(openExecutor(1, load))).toBeInstanceOf(LocalExecutor);
    const worker = open(openExecutor(1, load, 'worker'));
    expect(worker).toBeInstanceOf(PoolExecutor);
    expect((worker as PoolExecutor).workers).toBe(1);
    expect((open(openExecutor(3, load)) as PoolExecutor).workers).toBe(3);
  });
});

/**
 * A sweep sends each recording window to its caller as it closes (SweepEvents.onWindowClosed: the live TensorBoard log
 * reads them), from this thread and from a worker thread alike: the windows its records hold, in order, each before
 * its run's record. Without a listener no window crosses from a worker. (PoolExecutor runs the compiled worker: npm run
 * build first.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { withWindows, type RunSpec, type SweepConfig } from '../../src/contract/config.js';
import { DEFAULTS } from '../../src/contract/configure.js';
import type { RunRecord } from '../../src/contract/record.js';
import type { RunWindow } from '../../src/engine/training/runProgress.js';
import { loadDataset } from '../../src/node/loadData.js';
import type { Executor } from '../../src/sweep/executor.js';
import { LocalExecutor } from '../../src/sweep/localExecutor.js';
import type { TaskRequest } from '../../src/sweep/messages.js';
import { PoolExecutor } from '../../src/sweep/nodePool.js';
import { runSweep } from '../../src/sweep/runSweep.js';

// two runs fused in one group, 10 steps each in 3 windows (3, 3, 4: the short last one joins)
const config: SweepConfig = withWindows(
  { ...DEFAULTS, lrs: [0.1, 0.01], trainLimit: 640, probeSize: 50, model: 'mlp:16' },
  3,
  640,
);

const opened: Executor[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((e) => e.close()));
});

describe('windows as they close', () => {
  for (const [where, make] of [
    ['in this thread', () => new LocalExecutor(loadDataset)],
    ['on a worker thread', () => new PoolExecutor(1, loadDataset)],
  ] as const) {
    it(`reach the caller ${where}, each the window its record holds, before the record`, async () => {
      const executor: Executor = make();
      opened.push(executor);
      const events: (RunWindow | RunRecord)[] = [];
      const { records } = await runSweep(config, {
        executor,
        fuse: 'on',
        onWindowClosed: (w) => events.push(w),
        onRunFinished: (r) => events.push(r),
      });
      for (const r of records) {
        const mine = events.filter((e): e is RunWindow => 'window' in e && e.id === r.id);
        expect(mine.map((w) => w.index)).toEqual([0, 1, 2]);
        expect(mine.map((w) => w.window)).toEqual(r.windows);
        expect(events.indexOf(r)).toBeGreaterThan(events.indexOf(mine[2]));
      }
    });
  }

  it('are not asked of a worker when no one listens', async () => {
    const asked: boolean[] = [];
    class Spy extends LocalExecutor {
      protected override exec(request: TaskRequest, onEvent: (e: never) => void) {
        if (request.kind === 'train') asked.push(request.windows === true);
        return super.exec(request, onEvent as never);
      }
    }
    const executor = new Spy(loadDataset);
    const specs: RunSpec[] = [{ lr: 0.1, seed: 1 }];
    await runSweep(config, { executor, runs: specs });
    await runSweep(config, { executor, runs: specs, onWindowClosed: () => {} });
    expect(asked).toEqual([false, true]);
  });
});

/** fluctlab/node's sweep(): the same defaults as the command line, and the library's words for a wrong option. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/contract/errors.js';
import { sweep } from '../../src/node/api.js';

describe('sweep() from a script', () => {
  it('records 20 windows per run by default, as the CLI and the page do; epoch gives one per epoch', async () => {
    const config = { lrs: [0.1], trainLimit: 1280 };
    const twenty = await sweep(config, { workers: 1 });
    expect(twenty.records[0].windows).toHaveLength(20);
    expect(twenty.result.config.windowSteps).toBe(1); // 20 steps in 20 windows
    const perEpoch = await sweep(config, { workers: 1, windows: 'epoch' });
    expect(perEpoch.records[0].windows).toHaveLength(1);
    expect(perEpoch.result.config.windowSteps).toBeNull();
  });

  it('hears each window as it closes through onWindowClosed, in worker threads: the windows the records hold', async () => {
    const heard: { id: string; index: number; endStep: number }[] = [];
    const { records } = await sweep(
      { lrs: [0.1, 0.01], trainLimit: 1280 },
      {
        workers: 2,
        windows: 4,
        onWindowClosed: (w) => heard.push({ id: w.id, index: w.index, endStep: w.window.endStep }),
      },
    );
    for (const r of records)
      expect(heard.filter((w) => w.id === r.id)).toEqual(
        r.windows.map((w, index) => ({ id: r.id, index, endStep: w.endStep })),
      );
  });

  it('names a wrong option as the library calls it', async () => {
    await expect(sweep({ lrs: [0.1], trainLimit: 1280 }, { windows: 0 })).rejects.toThrow(UsageError);
    await expect(sweep({ lrs: [0.1], trainLimit: 1280 }, { windows: 0 })).rejects.toThrow(
      'windows 0 must be a whole number ≥ 1: e.g. windows: 20',
    );
    await expect(sweep({ lrs: [0.1], epochs: 0 })).rejects.toThrow(
      'epochs 0 must be a whole number ≥ 1: e.g. epochs: 1',
    );
  });
  it('refuses a schedule longer than the run with the same line as the command line, as a UsageError', async () => {
    const late = { lrs: [0.3], epochs: 5, trainLimit: 2000, schedule: 'warmup:200+cosine' };
    await expect(sweep(late)).rejects.toThrow(UsageError);
    await expect(sweep(late)).rejects.toThrow(
      "schedule warmup:200+cosine: the warm-up of 200 steps is longer than the run's 155 steps (5 epochs × 31 steps), " +
        'so the learning rate would end at 77.5% of its peak and cosine would never run: warm up for fewer than 155 steps, or train longer',
    );
  });
});

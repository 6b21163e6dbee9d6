/**
 * A fused group's runs step together, so each run's own samples/s is the group's divided among them: the sweep driver
 * reports a fused run's samples/s as its group's and says how many runs the group held (timing only).
 */
import { describe, expect, it } from 'vitest';
import { runId, type RunSpec, type SweepConfig } from '../../src/contract/config.js';
import { DEFAULTS } from '../../src/contract/configure.js';
import type { RunRecord } from '../../src/contract/record.js';
import type { RunProgress } from '../../src/engine/training/runProgress.js';
import { failedRecords } from '../../src/sweep/failure.js';
import { runSweep, type SweepProgress } from '../../src/sweep/runSweep.js';

const config: SweepConfig = { ...DEFAULTS, lrs: [0.1, 0.01] };
const specs: RunSpec[] = [
  { lr: 0.1, seed: 1 },
  { lr: 0.01, seed: 1 },
];

/** An executor whose every run trained 100 samples in 2 s (50 samples/s, its share) and sent one progress event. */
const executor = {
  run: async (c: SweepConfig, s: RunSpec[], onProgress: (p: RunProgress) => void): Promise<RunRecord[]> => {
    for (const spec of s)
      onProgress({
        ...spec,
        id: runId(spec),
        step: 5,
        totalSteps: 10,
        epoch: 0,
        loss: 1,
        samplesPerSecond: 50,
        etaSeconds: 1,
        fluctuation: null,
      });
    return failedRecords(c, s, 'stand-in').map((r) => ({
      ...r,
      timing: { ...r.timing, trainSeconds: 2, samplesPerSecond: 50 },
    }));
  },
  lrFind: () => Promise.reject(new Error('unused')),
  cancel() {},
  async close() {},
};

describe("a fused run's speed", () => {
  it("records a fused run's samples/s as its group's, with the group's size", async () => {
    const { records } = await runSweep(config, { executor, runs: specs, fuse: 'on' });
    expect(records.map((r) => [r.timing.samplesPerSecond, r.timing.groupRuns])).toEqual([
      [100, 2],
      [100, 2],
    ]);
  });

  it('leaves a run trained alone as it was', async () => {
    const { records } = await runSweep(config, { executor, runs: specs, fuse: 'off' });
    expect(records.map((r) => [r.timing.samplesPerSecond, r.timing.groupRuns])).toEqual([
      [50, undefined],
      [50, undefined],
    ]);
  });

  it("reports a fused run's progress with its group's samples/s", async () => {
    const seen: SweepProgress[] = [];
    await runSweep(config, { executor, runs: specs, fuse: 'on', onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => [p.samplesPerSecond, p.groupRuns])).toEqual([
      [100, 2],
      [100, 2],
    ]);
  });
});

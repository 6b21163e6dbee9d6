/**
 * One function turns a failure into records: a task whose training throws (task.ts) and a task whose worker died
 * (runSweep.ts) both end as failedRecords, one per run, saying why.
 */
import { describe, expect, it } from 'vitest';
import { runId, type RunSpec } from '../../src/contract/config.js';
import { DEFAULTS } from '../../src/contract/configure.js';
import { env } from '../../src/contract/host.js';
import type { RunRecord } from '../../src/contract/record.js';
import { FLUCTLAB_VERSION } from '../../src/contract/version.js';
import { generateShapes } from '../../src/engine/data/shapes.js';
import { parseShapesSpec } from '../../src/contract/shapesSpec.js';
import { failedRecords } from '../../src/sweep/failure.js';
import { runSweep } from '../../src/sweep/runSweep.js';
import { runTask } from '../../src/sweep/task.js';
import { TEST_ENVIRONMENT } from '../helpers/records.js';

const environment = TEST_ENVIRONMENT;
const config = { ...DEFAULTS, data: 'shapes:size=8,train=32,test=16', lrs: [0.1, 0.01] };
const specs: RunSpec[] = [
  { lr: 0.1, seed: 1 },
  { lr: 0.01, seed: 1 },
];
const withoutTime = (records: RunRecord[]) => records.map((r) => ({ ...r, timing: { ...r.timing, finishedAt: '' } }));

describe('failedRecords', () => {
  it('gives each run a failed record, in order, with the reason and where it ran', () => {
    const records = failedRecords(config, specs, 'boom', environment);
    expect(records.map((r) => [r.id, r.status, r.error, r.environment])).toEqual(
      specs.map((s) => [runId(s), 'failed', 'boom', environment]),
    );
  });

  it('says only the runtime and fluctlab when a worker died before saying what it ran on', () => {
    const [r] = failedRecords(config, specs.slice(0, 1), 'gone');
    expect(r.environment).toEqual({
      runtime: env.runtime,
      backend: 'unknown',
      simd: false,
      threads: 0,
      tfjsVersion: 'unknown',
      fluctlabVersion: FLUCTLAB_VERSION,
    });
  });

  it('is what a train task whose training throws resolves with', async () => {
    const data = generateShapes(parseShapesSpec(config.data));
    // a batch larger than the 32 training examples: Trainer throws before the first step
    const bad = { ...config, batch: 64 };
    const records = await runTask({ kind: 'train', config: bad, specs, data }, environment, () => {});
    expect(records[0].error).toMatch(/^batch size 64 is larger than the 32 training examples/);
    expect(withoutTime(records)).toEqual(withoutTime(failedRecords(bad, specs, records[0].error!, environment)));
  });

  it('is what the sweep driver records for a run whose worker died', async () => {
    const dead = {
      run: () => Promise.reject(new Error('exit code 7')),
      lrFind: () => Promise.reject(new Error('unused')),
      cancel() {},
      async close() {},
    };
    const { records } = await runSweep(config, { executor: dead, runs: specs.slice(0, 1) });
    expect(withoutTime(records)).toEqual(
      withoutTime(failedRecords(config, specs.slice(0, 1), 'worker died: exit code 7')),
    );
  });
});

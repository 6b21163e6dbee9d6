/**
 * The sweep driver: runs a sweep's (learning rate, seed) runs on an executor,
 * writes each RunRecord as it finishes, then the SweepResult. Handles shards
 * and resume; knows nothing about threads.
 */
import { runId, sweepRuns, type RunSpec, type SweepConfig } from '../core/config.js';
import type { RunRecord } from '../core/schema.js';
import { summarizeRun } from '../core/summary.js';
import { buildSweepResult, type SweepResult } from '../core/sweepResult.js';
import type { Executor } from '../pool/executor.js';
import { writeJsonAtomic } from './files.js';
import type { Reporter } from './progress.js';
import { readRunRecord, sweepPath, writeRunRecord, type Shard } from './resultDir.js';

/** The runs a shard owns: index ≡ shard.index (mod shard.count), in sweep order. */
export function shardRuns(config: SweepConfig, shard: Shard | null): RunSpec[] {
  const all = sweepRuns(config);
  return shard ? all.filter((_, i) => i % shard.count === shard.index) : all;
}

/** Outcome of a sweep. */
export interface SweepOutcome {
  result: SweepResult;
  records: RunRecord[];
  /** true when every run ended 'ok' or 'diverged' (a diverged run is a finding, not an error) */
  allSucceeded: boolean;
}

/** Runs the folder's missing runs with at most `parallel` in flight, then writes sweep.json. */
export async function executeSweep(dir: string, config: SweepConfig, shard: Shard | null, executor: Executor, reporter: Reporter, parallel: number): Promise<SweepOutcome> {
  const runs = shardRuns(config, shard);
  const done = new Map<string, RunRecord>();
  for (const spec of runs) {
    const r = readRunRecord(dir, spec);
    if (r) done.set(runId(spec), r);
  }
  const todo = runs.filter((s) => !done.has(runId(s)));
  reporter.start(todo.length, done.size);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < todo.length) {
      const spec = todo[next++];
      reporter.runStarted(runId(spec));
      const record = await executor.run(config, spec, (p) => reporter.progress(p));
      writeRunRecord(dir, record);
      done.set(record.id, record);
      reporter.runFinished(summarizeRun(record));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, todo.length)) }, worker));
  } finally {
    reporter.done();
  }
  const records = runs.map((s) => done.get(runId(s))!);
  const result = buildSweepResult(config, records);
  writeJsonAtomic(sweepPath(dir), result);
  return { result, records, allSucceeded: records.every((r) => r.status !== 'failed') };
}

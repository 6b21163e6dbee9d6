/**
 * The browser's sweep driver: runs every (learning rate, seed) run of a config
 * on an executor, at most `parallel` at a time, reports each run's progress and
 * record as they come, and builds the SweepResult at the end. It keeps
 * everything in memory (the page offers the JSON as downloads); Node's driver
 * (node/sweep.ts) writes files instead.
 */
import { runId, sweepRuns, type RunSpec, type SweepConfig } from '../core/config.js';
import type { RunProgress } from '../core/run.js';
import type { RunRecord } from '../core/schema.js';
import { buildSweepResult, type SweepResult } from '../core/sweepResult.js';
import type { Executor } from '../pool/executor.js';

/** What a page wants to hear while a sweep runs. */
export interface SweepListener {
  runStarted?(spec: RunSpec & { id: string }): void;
  progress?(p: RunProgress): void;
  runFinished?(record: RunRecord): void;
}

/** A finished sweep: the records in sweep order and their SweepResult. */
export interface BrowserSweep {
  records: RunRecord[];
  result: SweepResult;
}

/** Optimizer steps of each run: whole batches per epoch (the last partial batch is dropped) times epochs. */
export function stepsPerRun(config: SweepConfig, trainExamples: number): number {
  const n = config.trainLimit === null ? trainExamples : Math.min(config.trainLimit, trainExamples);
  return Math.floor(n / config.batch) * config.epochs;
}

/** Runs the whole sweep; rejects with a CancelledError when the executor is cancelled. */
export async function runBrowserSweep(config: SweepConfig, executor: Executor, parallel: number, listener: SweepListener = {}): Promise<BrowserSweep> {
  const runs = sweepRuns(config);
  const done = new Map<string, RunRecord>();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < runs.length) {
      const spec = runs[next++];
      listener.runStarted?.({ ...spec, id: runId(spec) });
      const record = await executor.run(config, spec, (p) => listener.progress?.(p));
      done.set(runId(spec), record);
      listener.runFinished?.(record);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, runs.length)) }, lane));
  const records = runs.map((s) => done.get(runId(s))!);
  return { records, result: buildSweepResult(config, records) };
}

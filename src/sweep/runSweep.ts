/**
 * The one sweep driver: runs a sweep's (learning rate, seed) runs on an executor with at most `parallel` tasks in
 * flight, each task one run or a fused group of runs that share a seed (pool/fusion.ts; records are the same either
 * way), reports each run's start, progress and record as they come, isolates failures (a run that throws or whose
 * worker dies becomes a 'failed' record and the others go on; a fused group whose worker died trains again run by
 * run), stops on an AbortSignal, and builds the SweepResult. The CLI, the page, `<fluct-sweep>` and the public API
 * all call it; Node adds the result folder around it (node/sweep.ts), the browser keeps the records in memory.
 *
 *     const { result } = await runSweep(config, { executor, parallel: 2, onRunFinished: (r) => save(r) });
 */
import { runId, sweepRuns, type RunSpec, type SweepConfig } from '../contract/config.js';
import { CancelledError } from '../contract/errors.js';
import type { RunRecord } from '../contract/record.js';
import { buildSweepResult, type SweepResult } from '../analysis/sweepResult.js';
import type { RunProgress, RunWindow } from '../engine/training/runProgress.js';
import type { Executor } from './executor.js';
import { errorMessage, failedRecords } from './failure.js';
import { planGroups, type DataShape, type FuseMode } from './fusion.js';

/** A run's progress as the sweep reports it. */
export interface SweepProgress extends RunProgress {
  /** runs training side by side in this run's fused group (absent: trained alone); `samplesPerSecond` is then the group's */
  groupRuns?: number;
}

/** What a caller hears while a sweep runs. */
export interface SweepEvents {
  /** `todo` runs will train; `skipped` were finished already (resume) */
  onStart?(todo: number, skipped: number): void;
  onRunStarted?(spec: RunSpec & { id: string }): void;
  onProgress?(p: SweepProgress): void;
  /** a run's record, as soon as it exists (persist it here) */
  onRunFinished?(record: RunRecord): void;
  /** each recording window as it closes, the one its record will hold (costs a copy from the worker: only when given) */
  onWindowClosed?(w: RunWindow): void;
}

/** How to run a sweep. */
export interface RunSweepOptions extends SweepEvents {
  executor: Executor;
  /** tasks (runs or fused groups) in flight at once (default 1) */
  parallel?: number;
  /** train runs of one seed side by side as fused groups: 'auto' (default) where the model allows, 'on' or refuse, 'off' */
  fuse?: FuseMode;
  /** the data's shape, so that `auto` leaves models too large to gain from fusion unfused (pool/fusion.ts) */
  dataShape?: DataShape;
  /** the runs to train (default: all of the config's, in sweep order; a shard passes its own) */
  runs?: RunSpec[];
  /** records already finished (resume): their runs are not trained again */
  done?: Iterable<RunRecord>;
  /** aborting stops every running run; runSweep then rejects with a CancelledError */
  signal?: AbortSignal;
}

/** A finished sweep: its records in sweep order and their SweepResult. */
export interface SweepOutcome {
  result: SweepResult;
  records: RunRecord[];
  /** true when every run ended 'ok' or 'diverged' (a diverged run is a finding, not an error) */
  allSucceeded: boolean;
  /** how many groups of more than one run trained fused (0: every run alone) */
  fusedGroups: number;
}

/** Runs the sweep; rejects with a CancelledError when `signal` aborts (or the executor is cancelled). */
export async function runSweep(config: SweepConfig, options: RunSweepOptions): Promise<SweepOutcome> {
  const { executor, signal } = options;
  const runs = options.runs ?? sweepRuns(config);
  const done = new Map<string, RunRecord>();
  const wanted = new Set(runs.map(runId));
  for (const r of options.done ?? []) if (wanted.has(r.id)) done.set(r.id, r);
  const todo = runs.filter((s) => !done.has(runId(s)));
  const lanes = Math.max(1, options.parallel ?? 1);
  const tasks = planGroups(config, todo, lanes, options.fuse ?? 'auto', options.dataShape);
  if (signal?.aborted) throw new CancelledError('sweep cancelled before it started');
  const abort = () => executor.cancel();
  signal?.addEventListener('abort', abort, { once: true });
  options.onStart?.(todo.length, done.size);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      const specs = tasks[next++];
      const id = runId(specs[0]);
      if (signal?.aborted) throw new CancelledError(`run ${id} cancelled`);
      for (const spec of specs) options.onRunStarted?.({ ...spec, id: runId(spec) });
      const records = await executor
        .run(
          config,
          specs,
          (p) => options.onProgress?.(groupProgress(p, specs.length)),
          options.onWindowClosed && ((w) => options.onWindowClosed?.(w)),
        )
        .catch((e: unknown) => {
          if (e instanceof CancelledError || signal?.aborted)
            throw e instanceof CancelledError ? e : new CancelledError(`run ${id} cancelled`);
          // A fused group's worker died: which run killed it is unknown, so each trains again alone and only that one fails.
          if (specs.length > 1) return void tasks.push(...specs.map((spec) => [spec]));
          return failedRecords(config, specs, `worker died: ${errorMessage(e)}`);
        });
      if (!records) continue;
      for (const record of groupTiming(records)) {
        done.set(record.id, record);
        options.onRunFinished?.(record);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, tasks.length)) }, lane));
  } finally {
    signal?.removeEventListener('abort', abort);
  }
  const records = runs.map((s) => done.get(runId(s))!);
  return {
    result: buildSweepResult(config, records),
    records,
    allSucceeded: records.every((r) => r.status !== 'failed'),
    fusedGroups: tasks.filter((t) => t.length > 1).length,
  };
}

/**
 * A fused run's progress with its group's samples/s: the runs of a group step together, so each run's own figure is
 * the group's divided among them (a group of 8 read as 8 slow runs); ×`size` while all of them train.
 */
function groupProgress(p: RunProgress, size: number): SweepProgress {
  return size > 1 ? { ...p, samplesPerSecond: p.samplesPerSecond * size, groupRuns: size } : p;
}

/**
 * A fused group's records with their group's samples/s (all its runs' samples over the longest run's training time)
 * and `groupRuns`; timing only, which determinism checks leave out. A run trained alone is returned as it is.
 */
export function groupTiming(records: RunRecord[]): RunRecord[] {
  if (records.length < 2) return records;
  const samples = records.reduce((sum, r) => sum + r.timing.samplesPerSecond * r.timing.trainSeconds, 0);
  const seconds = Math.max(...records.map((r) => r.timing.trainSeconds));
  const samplesPerSecond = seconds > 0 ? samples / seconds : 0;
  return records.map((r) => ({ ...r, timing: { ...r.timing, samplesPerSecond, groupRuns: records.length } }));
}

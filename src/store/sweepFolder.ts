/**
 * A sweep with the result folder as its store: the shared driver (pool/runSweep.ts) with each RunRecord written as it
 * finishes, the runs already in the folder skipped (resume), a shard's subset of runs, and sweep.json at the end.
 */
import { sweepRuns, type RunSpec, type SweepConfig } from '../contract/config.js';
import type { Executor } from '../sweep/executor.js';
import { runSweep, type SweepEvents, type SweepOutcome } from '../sweep/runSweep.js';
import type { DataShape, FuseMode } from '../sweep/fusion.js';
import { recordOfOtherModel } from '../contract/record.js';
import { arithmeticOf } from '../contract/recordArithmetic.js';
import { resolveArithmetic } from '../engine/kernels/arithmetic.js';
import { UsageError } from '../contract/errors.js';
import { modelLayers } from '../contract/modelSpec.js';
import { writeJsonAtomic } from './files.js';
import { readRunRecord, sweepPath, writeRunRecord, type Shard } from './resultDir.js';

export type { SweepOutcome };

/** The runs a shard owns: index ≡ shard.index (mod shard.count), in sweep order. */
export function shardRuns(config: SweepConfig, shard: Shard | null): RunSpec[] {
  const all = sweepRuns(config);
  return shard ? all.filter((_, i) => i % shard.count === shard.index) : all;
}

/** How a sweep trains, beyond its config (none of it changes a record). */
export interface ExecuteOptions {
  signal?: AbortSignal;
  fuse?: FuseMode;
  dataShape?: DataShape;
}

/** Runs the folder's missing runs with at most `parallel` tasks in flight, each record written as it ends, then writes sweep.json. */
export async function executeSweep(
  dir: string,
  config: SweepConfig,
  shard: Shard | null,
  executor: Executor,
  parallel: number,
  events: SweepEvents = {},
  { signal, fuse, dataShape }: ExecuteOptions = {},
): Promise<SweepOutcome> {
  const runs = shardRuns(config, shard);
  const done = runs.map((spec) => readRunRecord(dir, spec)).filter((r) => r !== null);
  const other = recordOfOtherModel(config, done);
  if (other)
    throw new UsageError(
      `${dir}: run ${other.id} trained ${other.modelLayers}, but model "${config.model}" is ${modelLayers(config.model)} in this fluctlab: finish the sweep with the fluctlab that began it, or run it again with another --out`,
    );
  // a run's bits depend on its arithmetic: a resume must train the rest in the one its finished runs used
  const began = done.map(arithmeticOf).find((a) => a !== null);
  const now = resolveArithmetic(config.arithmetic);
  if (began && began !== now)
    throw new UsageError(
      `${dir}: its runs used the ${began} arithmetic, and arithmetic ${config.arithmetic} is ${now} on this engine: finish the sweep on an engine like the one that began it, or run it again with another --out${began === 'exact' ? ' (--arithmetic exact gives the bits of its runs)' : ''}`,
    );
  const outcome = await runSweep(config, {
    ...events,
    executor,
    parallel,
    runs,
    done,
    signal,
    fuse,
    dataShape,
    onRunFinished: (record) => {
      writeRunRecord(dir, record);
      events.onRunFinished?.(record);
    },
  });
  writeJsonAtomic(sweepPath(dir), outcome.result);
  return outcome;
}

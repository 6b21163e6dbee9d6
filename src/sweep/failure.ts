/**
 * How a failure becomes a record: a task whose training threw (in its worker or in this thread), or whose worker
 * died, ends as one 'failed' record per run, saying why, so that the sweep goes on and the folder says what happened.
 */
import { runId, type RunSpec, type SweepConfig } from '../contract/config.js';
import { env } from '../contract/host.js';
import { failedRecord, type Environment, type RunRecord } from '../contract/record.js';
import { FLUCTLAB_VERSION } from '../contract/version.js';
import { BIN_SPEC } from '../engine/recording/histogram.js';

/**
 * A 'failed' record for each of `specs`, in their order, with `reason` as its error. `environment` is where the runs
 * trained; without it (a worker that died before saying what it ran on) only the runtime and fluctlab are known.
 */
export function failedRecords(
  config: SweepConfig,
  specs: readonly RunSpec[],
  reason: string,
  environment: Environment = unknownEnvironment(),
): RunRecord[] {
  return specs.map((spec) => failedRecord(config, { ...spec, id: runId(spec) }, reason, environment, BIN_SPEC));
}

/** What a caught value says went wrong. */
export function errorMessage(e: unknown): string {
  return (e as Error)?.message ?? String(e);
}

function unknownEnvironment(): Environment {
  return {
    runtime: env.runtime,
    backend: 'unknown',
    simd: false,
    threads: 0,
    tfjsVersion: 'unknown',
    fluctlabVersion: FLUCTLAB_VERSION,
  };
}

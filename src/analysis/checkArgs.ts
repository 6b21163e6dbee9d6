/**
 * The check of what a script hands the analysis (aggregate, buildSweepResult): a valid config (a fluctlab model's, or
 * a tfjs model's: validateStoredConfig) and a list of run records of the shape the aggregate reads, so garbage is a
 * UsageError of one line naming what is wrong, not a TypeError from deep inside.
 *
 *     checkAnalysisArgs(DEFAULTS, [{}]) // throws UsageError: records[0] is not a run record: status is not ok, diverged or failed
 */
import type { SweepConfig } from '../contract/config.js';
import { validateStoredConfig } from '../contract/configure.js';
import { UsageError } from '../contract/errors.js';
import { type RunRecord, recordShapeProblem } from '../contract/record.js';

/** Throws a UsageError when `config` is not a valid config or `records` not a list of run records. */
export function checkAnalysisArgs(config: SweepConfig, records: readonly RunRecord[]): void {
  validateStoredConfig(config);
  if (!Array.isArray(records))
    throw new UsageError(
      `records ${records === null ? 'null' : `(${typeof records})`} is not a list of run records: pass RunRecord[]`,
    );
  for (const [i, r] of records.entries()) {
    const problem =
      r !== null && typeof r === 'object' && !Array.isArray(r)
        ? recordShapeProblem(r as unknown as Record<string, unknown>)
        : `it is ${r === null ? 'null' : typeof r}`;
    if (problem !== null) throw new UsageError(`records[${i}] is not a run record: ${problem}`);
  }
}

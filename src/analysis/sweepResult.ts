/**
 * The SweepResult: every run's summary in sweep order, plus (see aggregate.ts)
 * the per-learning-rate aggregate. Pure; the Node shell writes it as sweep.json.
 */
import { aggregate, type SweepAggregate } from './aggregate.js';
import { checkAnalysisArgs } from './checkArgs.js';
import type { SweepConfig } from '../contract/config.js';
import { SCHEMA_VERSION, type RunRecord } from '../contract/record.js';
import { summarizeRun, type RunSummary } from './summary.js';

/** A sweep's result, written as sweep.json: the config, each run's summary in sweep order and the aggregate (docs/result-format.md). */
export interface SweepResult {
  schemaVersion: number;
  kind: 'fluctlab.sweep';
  config: SweepConfig;
  runs: RunSummary[];
  /** per learning rate and layer: merged histograms, means and intervals over seeds, correlations, the band */
  aggregate: SweepAggregate;
}

/**
 * Builds the SweepResult from the runs' records (any order; sorted into sweep order): records from shards trained on
 * several machines merge into one result this way.
 *
 *     const result = buildSweepResult(config, [...shardA, ...shardB]); // result.aggregate.band: the recommended learning rates
 */
export function buildSweepResult(config: SweepConfig, records: RunRecord[]): SweepResult {
  checkAnalysisArgs(config, records);
  const order = (r: RunRecord) => config.lrs.indexOf(r.lr) * config.seeds.length + config.seeds.indexOf(r.seed);
  const sorted = [...records].sort((a, b) => order(a) - order(b));
  return {
    schemaVersion: SCHEMA_VERSION,
    kind: 'fluctlab.sweep',
    config,
    runs: sorted.map(summarizeRun),
    aggregate: aggregate(config, sorted),
  };
}

/**
 * Runs training runs (and fused groups) one after another in this process.
 */
import { nodeEnvironment } from '../backend/nodeWasm.js';
import type { RunSpec, SweepConfig } from '../core/config.js';
import type { Dataset } from '../core/data/dataset.js';
import type { RunProgress } from '../core/training/run.js';
import type { RunRecord } from '../core/analysis/schema.js';
import type { Executor } from '../pool/executor.js';
import { trainSafely } from '../pool/task.js';
import { loadDataset } from './loadData.js';

/** An executor that trains in the calling thread. */
export class LocalExecutor implements Executor {
  private cancelled = false;

  /** `load` gives a config's data set (default: the one its `data` field names, loaded once per process). */
  constructor(private readonly load: (config: SweepConfig) => Dataset = loadDataset) {}

  async run(config: SweepConfig, specs: RunSpec[], onProgress: (p: RunProgress) => void): Promise<RunRecord[]> {
    const environment = await nodeEnvironment();
    return trainSafely(this.load(config), config, specs, environment, { onProgress, cancelled: () => this.cancelled });
  }

  cancel(): void {
    this.cancelled = true;
  }

  async close(): Promise<void> {}
}

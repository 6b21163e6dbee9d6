/**
 * Runs training runs (and fused groups) one after another in this process.
 */
import { nodeEnvironment } from './nodeBackend.js';
import type { RunSpec, SweepConfig } from '../contract/config.js';
import type { Dataset } from '../engine/data/dataset.js';
import type { RunProgress } from '../engine/training/run.js';
import type { RunRecord } from '../contract/record.js';
import type { Executor } from './executor.js';
import { trainSafely } from './task.js';

/** An executor that trains in the calling thread. */
export class LocalExecutor implements Executor {
  private cancelled = false;

  /** `load` gives a config's data set (in Node: loadDataset, which loads each once per process). */
  constructor(private readonly load: (config: SweepConfig) => Dataset) {}

  async run(config: SweepConfig, specs: RunSpec[], onProgress: (p: RunProgress) => void): Promise<RunRecord[]> {
    const environment = await nodeEnvironment();
    return trainSafely(this.load(config), config, specs, environment, { onProgress, cancelled: () => this.cancelled });
  }

  cancel(): void {
    this.cancelled = true;
  }

  async close(): Promise<void> {}
}

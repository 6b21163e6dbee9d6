/**
 * Loading the data set a config names, once per process.
 */
import type { SweepConfig } from '../core/config.js';
import type { Dataset } from '../core/dataset.js';
import { loadIdxDataset } from './mnist.js';

const cache = new Map<string, Dataset>();

/** The config's data set (cached by name). */
export function loadDataset(config: Pick<SweepConfig, 'data'>): Dataset {
  let d = cache.get(config.data);
  if (!d) {
    d = loadIdxDataset(config.data);
    cache.set(config.data, d);
  }
  return d;
}

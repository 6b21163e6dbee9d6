/**
 * Loading the data set a config names, once per process: IDX files from disk
 * (mnist, idx:<dir>) or the generated shapes set (shapes[:…], made in memory
 * by the core generator; the pool shares it with workers like MNIST).
 */
import type { SweepConfig } from '../core/config.js';
import type { Dataset } from '../core/data/dataset.js';
import { generateShapes, isShapesSpec, parseShapesSpec } from '../core/data/shapes.js';
import { loadIdxDataset } from './mnist.js';

const cache = new Map<string, Dataset>();

/** The config's data set (cached by name). */
export function loadDataset(config: Pick<SweepConfig, 'data'>): Dataset {
  let d = cache.get(config.data);
  if (!d) {
    d = isShapesSpec(config.data) ? generateShapes(parseShapesSpec(config.data)) : loadIdxDataset(config.data);
    cache.set(config.data, d);
  }
  return d;
}

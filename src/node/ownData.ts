/**
 * Data sets of one's own on disk: `npy:<dir>` (train_x.npy, train_y.npy, test_x.npy, test_y.npy) and
 * `cifar10:<dir>` (the CIFAR-10 binary batches). The formats are parsed by the core (core/data/); this reads the files
 * and turns a format error into a UsageError that names the folder.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UsageError } from '../contract/errors.js';
import { CIFAR_RECORD_BYTES, CIFAR_TEST_FILE, CIFAR_TRAIN_FILES, datasetFromCifar } from '../engine/data/cifar.js';
import type { Dataset } from '../engine/data/dataset.js';
import { datasetFromNpy, NPY_FILE_NAMES, type NpyFiles } from '../engine/data/npyDataset.js';
import { MAX_NPY_HEADER_BYTES, npyByteLength } from '../engine/data/npy.js';
import { readBytes, readHead } from './boundedRead.js';

/** Largest file read (a data set's arrays must fit in memory as bytes). */
const MAX_FILE_BYTES = 2 ** 31;

function folder(spec: string, prefix: string, what: string): string {
  const dir = spec.slice(prefix.length);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`data folder ${dir} does not exist: pass ${prefix}<folder with ${what}>`);
  return dir;
}

/** A file's bytes, read only after `sizeProblem` (given its size) finds nothing wrong, so a file is refused unread. */
function readData(path: string, fix: string, sizeProblem: (size: number) => string | null): Uint8Array {
  if (!existsSync(path)) throw new UsageError(`${path} is missing: ${fix}`);
  const stat = statSync(path);
  if (!stat.isFile()) throw new UsageError(`${path} is a folder, not a file: ${fix}`);
  if (stat.size > MAX_FILE_BYTES)
    throw new UsageError(`${path} is larger than 2 GiB: not a data set this tool can load`);
  const problem = sizeProblem(stat.size);
  if (problem) throw new UsageError(`${path} ${problem}`);
  return readBytes(path);
}

/** What is wrong with an .npy file's size, from its header: it must be exactly what the header promises. */
function npySize(path: string, dir: string): (size: number) => string | null {
  return (size) => {
    const promise = parsed(dir, () => npyByteLength(readHead(path, 12 + MAX_NPY_HEADER_BYTES), basename(path)));
    if (promise === null || promise.bytes === size) return null; // null: the parser words a header cut short
    return `is ${size} bytes, but its header (${promise.shape.join(', ')}) says ${promise.bytes}: truncated, padded or sparse, save it again with numpy.save`;
  };
}

/** What is wrong with a CIFAR-10 batch's size: it must be a whole number of records. */
function cifarSize(size: number): string | null {
  return size > 0 && size % CIFAR_RECORD_BYTES === 0
    ? null
    : `is ${size} bytes, not a whole number of ${CIFAR_RECORD_BYTES}-byte CIFAR-10 records (truncated? use the binary version, cifar-10-binary.tar.gz)`;
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
    Object.entries(NPY_FILE_NAMES).map(([k, name]) => [
      k,
      readData(join(dir, name), fix, npySize(join(dir, name), dir)),
    ]),
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
  const train = expected.map((name) => ({ name, bytes: readData(join(dir, name), fix, cifarSize) }));
  const test = { name: CIFAR_TEST_FILE, bytes: readData(join(dir, CIFAR_TEST_FILE), fix, cifarSize) };
  return parsed(dir, () => datasetFromCifar(train, test, `cifar10:${dir}`));
}

/**
 * The check of what a script hands lrFind, before a step trains: a Dataset whose parts agree, a valid config, options
 * that are an object and a seed from 0 to 4294967295. Each problem is a UsageError of one line.
 *
 *     checkLrFindArgs(data, DEFAULTS, LR_FIND_DEFAULTS, -1) // throws UsageError: seed -1 must be a whole number from 0 to 4294967295: e.g. seed: 1
 */
import type { SweepConfig } from '../../contract/config.js';
import { validateConfig } from '../../contract/configure.js';
import { UsageError } from '../../contract/errors.js';
import { checkDataset, type Dataset } from '../data/dataset.js';
import { checkArithmetic } from '../kernels/arithmetic.js';

/** Throws a UsageError naming the first argument of lrFind that is not what it takes. */
export function checkLrFindArgs(data: Dataset, config: SweepConfig, options: unknown, seed: number): void {
  checkDataset(data);
  validateConfig(config);
  checkArithmetic(config, 'api');
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new UsageError(`options ${String(options)} is not an object: pass LR_FIND_DEFAULTS or one like it`);
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff))
    throw new UsageError(`seed ${String(seed)} must be a whole number from 0 to 4294967295: e.g. seed: 1`);
}

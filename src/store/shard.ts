/**
 * `--shard i/n` and `--workers N|auto` parsing. `--shard auto/n` takes i from
 * the scheduler: JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs) or
 * SLURM_ARRAY_TASK_ID (Slurm job arrays, which must then start at 0).
 */
import { availableParallelism } from 'node:os';
import { UsageError } from '../contract/errors.js';
import type { Shard } from './resultDir.js';

/** Parses --shard; `vars` is the environment to read scheduler indices from. */
export function parseShard(value: string, vars: Record<string, string | undefined> = process.env): Shard {
  const m = /^(auto|\d+)\/(\d+)$/.exec(value.trim());
  if (!m) throw new UsageError(`--shard "${value}" must look like i/n (e.g. --shard 0/4) or auto/n`);
  const count = Number(m[2]);
  if (count < 1) throw new UsageError(`--shard "${value}": the shard count must be at least 1`);
  let index: number;
  if (m[1] === 'auto') {
    const set = (k: string) => (vars[k] ?? '') !== '';
    const from = set('JOB_COMPLETION_INDEX')
      ? 'JOB_COMPLETION_INDEX'
      : set('SLURM_ARRAY_TASK_ID')
        ? 'SLURM_ARRAY_TASK_ID'
        : null;
    if (!from)
      throw new UsageError(
        '--shard auto/n needs JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (Slurm array) in the environment: set one or pass --shard i/n',
      );
    index = Number(vars[from]);
    if (!/^\d+$/.test(vars[from] ?? '')) index = NaN;
    if (!Number.isInteger(index) || index < 0)
      throw new UsageError(`${from}="${vars[from]}" is not a shard index (an integer from 0)`);
  } else index = Number(m[1]);
  if (index >= count)
    throw new UsageError(`--shard ${index}/${count}: the index must be below the count (0 to ${count - 1})`);
  return { index, count };
}

/** Parses --workers: a positive integer or auto (the cores available). */
export function parseWorkers(value: string | undefined): number {
  if (value === undefined || value === 'auto') return availableParallelism();
  const n = Number(value);
  if (!/^\+?\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 1)
    throw new UsageError(`--workers "${value}" must be a positive integer or auto: e.g. --workers 2`);
  return n;
}

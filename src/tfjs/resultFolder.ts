/**
 * The result folder of recorded tfjs models (Node): the same files a fluctlab sweep writes (store/resultDir.ts), so
 * `fluctlab report`, `export --tensorboard`, `export --npy` and `merge` read it like any other. Loaded by the callback
 * and sweepModel only when `out` is given, so a page that records without `out` never loads `node:fs`.
 */
import { existsSync } from 'node:fs';
import type { SweepConfig } from '../contract/config.js';
import { UsageError } from '../contract/errors.js';
import type { RunRecord } from '../contract/record.js';
import { buildSweepResult } from '../analysis/sweepResult.js';
import { writeJsonAtomic } from '../store/files.js';
import { createResultDir, manifestPath, readManifest, sweepPath, writeRunRecord } from '../store/resultDir.js';

/**
 * Writes `records` (one config: a sweep's, or a single record's own) into `dir`: a new or empty folder, or one this
 * recording wrote before (a later `fit` of the same model rewrites it). Returns the folder.
 */
export function writeRecordFolder(dir: string, records: RunRecord[], config: SweepConfig = records[0].config): string {
  if (existsSync(manifestPath(dir))) {
    const before = readManifest(dir);
    if (before.config.model !== config.model)
      throw new UsageError(`${dir} holds a result of ${before.config.model}, not ${config.model}: choose another out`);
    writeJsonAtomic(manifestPath(dir), { ...before, config });
  } else createResultDir(dir, config, null);
  for (const r of records) writeRunRecord(dir, r);
  writeJsonAtomic(sweepPath(dir), buildSweepResult(config, records));
  return dir;
}

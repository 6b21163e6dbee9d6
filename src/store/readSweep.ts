/**
 * Reads a finished result folder strictly, for `fluctlab report` and
 * `fluctlab export`: the manifest, every RunRecord the folder owns, and
 * sweep.json when present. Anything missing, truncated, hand-edited, of another
 * schema version or with other histogram edges is a UsageError naming the file
 * and the fix; nothing is written here.
 */
import { existsSync } from 'node:fs';
import { readTextFile } from './files.js';
import { runId, withLegacyFields } from '../contract/config.js';
import { UsageError } from '../contract/errors.js';
import { nonFiniteAt, quoted, SCHEMA_VERSION, type RunRecord } from '../contract/record.js';
import { buildSweepResult, type SweepResult } from '../analysis/sweepResult.js';
import { readManifest, runPath, storedRecordProblem, sweepPath, type Manifest } from './resultDir.js';
import { shardRuns } from './sweepFolder.js';

/** A finished sweep as read from disk; `result` is rebuilt from the records (with its aggregate). */
export interface SweepFolder {
  dir: string;
  manifest: Manifest;
  records: RunRecord[];
  result: SweepResult;
}

function parse(path: string, fix: string): unknown {
  const text = readTextFile(path, 'a fluctlab result file');
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not valid JSON (truncated or edited?): ${fix}`);
  }
}

/** Reads one RunRecord strictly. */
function readRecord(dir: string, spec: { lr: number; seed: number }): RunRecord {
  const path = runPath(dir, spec);
  if (!existsSync(path))
    throw new UsageError(
      `${dir} has no record of run ${runId(spec)} (${path}): finish the sweep with fluctlab sweep --resume ${dir}`,
    );
  const r = parse(
    path,
    `delete it and finish the sweep with fluctlab sweep --resume ${dir}`,
  ) as Partial<RunRecord> | null;
  if (!r || typeof r !== 'object' || r.kind !== 'fluctlab.run')
    throw new UsageError(
      `${path} is not a fluctlab run record: delete it and finish the sweep with fluctlab sweep --resume ${dir}`,
    );
  if (r.schemaVersion !== SCHEMA_VERSION)
    throw new UsageError(
      `${path} was written with result schema ${quoted(r.schemaVersion)}; this fluctlab reads schema ${SCHEMA_VERSION}: re-run the sweep with this fluctlab`,
    );
  if (r.lr !== spec.lr || r.seed !== spec.seed)
    throw new UsageError(
      `${path} holds run lr ${quoted(r.lr)}, seed ${quoted(r.seed)}, not ${runId(spec)} (renamed or edited?): delete it and finish the sweep with fluctlab sweep --resume ${dir}`,
    );
  const problem = storedRecordProblem(r as Record<string, unknown>, spec);
  if (problem)
    throw new UsageError(
      `${path} is damaged or edited (${problem}): delete it and finish the sweep with fluctlab sweep --resume ${dir}`,
    );
  return r as RunRecord;
}

/** Checks a stored sweep.json against the records it should summarise. */
function checkStoredSweep(dir: string, manifest: Manifest, rebuilt: SweepResult): void {
  const path = sweepPath(dir);
  const fix = `delete it and run fluctlab report ${dir} to rebuild it from runs/`;
  const s = parse(path, fix) as Partial<SweepResult> | null;
  if (!s || typeof s !== 'object' || s.kind !== 'fluctlab.sweep')
    throw new UsageError(`${path} is not a fluctlab sweep result: ${fix}`);
  if (s.schemaVersion !== SCHEMA_VERSION)
    throw new UsageError(
      `${path} was written with result schema ${quoted(s.schemaVersion)}; this fluctlab reads schema ${SCHEMA_VERSION}: re-run the sweep with this fluctlab`,
    );
  const at = nonFiniteAt(s);
  if (at) throw new UsageError(`${path} holds ${at}, a number that is not finite (hand-edited?): ${fix}`);
  if (!s.config || JSON.stringify(withLegacyFields(s.config)) !== JSON.stringify(manifest.config))
    throw new UsageError(`${path} has a different config than ${dir}/manifest.json (hand-edited?): ${fix}`);
  if (!Array.isArray(s.runs) || s.runs.length !== rebuilt.runs.length)
    throw new UsageError(
      `${path} lists ${Array.isArray(s.runs) ? s.runs.length : 'no'} runs but runs/ holds ${rebuilt.runs.length} (hand-edited?): ${fix}`,
    );
  rebuilt.runs.forEach((run, i) => {
    if (JSON.stringify(s.runs![i]) !== JSON.stringify(run))
      throw new UsageError(`${path} does not match runs/${run.id}.json (hand-edited?): ${fix}`);
  });
}

/**
 * Reads a finished result folder (the CLI's or `sweep` with `out`); the SweepResult is rebuilt from the run records
 * and checked against sweep.json. Anything missing, truncated or hand-edited is a UsageError naming the file and the fix.
 *
 *     const { result, records } = readSweepFolder('runs/mine');
 */
export function readSweepFolder(dir: string): SweepFolder {
  const manifest = readManifest(dir);
  const records = shardRuns(manifest.config, manifest.shard).map((spec) => readRecord(dir, spec));
  const result = buildSweepResult(manifest.config, records);
  if (existsSync(sweepPath(dir))) checkStoredSweep(dir, manifest, result);
  return { dir, manifest, records, result };
}

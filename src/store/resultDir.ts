/**
 * The result folder of a sweep:
 *
 *   <out>/manifest.json      what sweep this folder holds (config, shard); written first
 *   <out>/runs/<id>.json     one RunRecord per (learning rate, seed), written when the run ends
 *   <out>/sweep.json         the SweepResult, written when every run of the folder has ended
 *
 * All writes are atomic, so an interrupted sweep leaves only whole files and
 * `--resume` can tell finished runs from missing ones.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runId, withLegacyFields, type RunSpec, type SweepConfig } from '../contract/config.js';
import { validateConfig } from '../contract/configure.js';
import { UsageError } from '../contract/errors.js';
import { recordShapeProblem, SCHEMA_VERSION, type RunRecord } from '../contract/record.js';
import { readJson, writeJsonAtomic } from './files.js';
import { isStagingFolder } from './folderWriter.js';

/** A deterministic subset of a sweep's runs: those whose index ≡ index (mod count). */
export interface Shard {
  index: number;
  count: number;
}

/** What a result folder holds. */
export interface Manifest {
  kind: 'fluctlab.manifest';
  schemaVersion: number;
  config: SweepConfig;
  shard: Shard | null;
  createdAt: string;
}

export const manifestPath = (dir: string) => join(dir, 'manifest.json');
export const runPath = (dir: string, spec: RunSpec) => join(dir, 'runs', `${runId(spec)}.json`);
export const sweepPath = (dir: string) => join(dir, 'sweep.json');

/** Prepares a new result folder; refuses one that already holds files. Writes the manifest. */
export function createResultDir(dir: string, config: SweepConfig, shard: Shard | null): Manifest {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UsageError(`--out ${dir} is a file: choose a folder name`);
    if (existsSync(manifestPath(dir)))
      throw new UsageError(`${dir} already holds a sweep: finish it with --resume ${dir}, or choose another --out`);
    if (readdirSync(dir).length > 0)
      throw new UsageError(`${dir} is not empty: choose a new or empty folder for --out`);
  }
  const manifest: Manifest = {
    kind: 'fluctlab.manifest',
    schemaVersion: SCHEMA_VERSION,
    config,
    shard,
    createdAt: new Date().toISOString(),
  };
  writeJsonAtomic(manifestPath(dir), manifest);
  return manifest;
}

/** Reads a result folder's manifest, refusing folders that are not sweeps. */
export function readManifest(dir: string): Manifest {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`${dir} is not a folder: pass a sweep's result folder`);
  if (!existsSync(manifestPath(dir)))
    throw new UsageError(`${dir} is not a fluctlab sweep (no manifest.json): pass a folder written by fluctlab sweep`);
  const m = readJson<Manifest>(manifestPath(dir), 'a sweep manifest');
  if (m.kind !== 'fluctlab.manifest') throw new UsageError(`${manifestPath(dir)} is not a fluctlab manifest`);
  if (m.schemaVersion !== SCHEMA_VERSION)
    throw new UsageError(
      `${dir} was written with result schema ${m.schemaVersion}; this fluctlab reads schema ${SCHEMA_VERSION}: re-run the sweep`,
    );
  if (!m.config || typeof m.config !== 'object')
    throw new UsageError(`${manifestPath(dir)} has no config (hand-edited?): start a new sweep with --out`);
  let config: SweepConfig;
  try {
    config = validateConfig(withLegacyFields(m.config));
  } catch (e) {
    throw new UsageError(
      `${manifestPath(dir)} holds a config this fluctlab refuses (${(e as Error).message.replace(/:.*$/, '')}; hand-edited?): start a new sweep with --out`,
    );
  }
  if (
    m.shard !== null &&
    !(
      m.shard &&
      Number.isInteger(m.shard.index) &&
      Number.isInteger(m.shard.count) &&
      m.shard.count >= 1 &&
      m.shard.index >= 0 &&
      m.shard.index < m.shard.count
    )
  ) {
    throw new UsageError(
      `${manifestPath(dir)} holds a shard that is not i/n with 0 ≤ i < n (hand-edited?): start a new sweep with --out`,
    );
  }
  return { ...m, config };
}

/** Reads a finished RunRecord if it exists and is whole; null when missing or unreadable (to be run again). */
export function readRunRecord(dir: string, spec: RunSpec): RunRecord | null {
  const p = runPath(dir, spec);
  if (!existsSync(p)) return null;
  try {
    const r = readJson<RunRecord>(p, 'a run record');
    // a record that is not whole or not of this run is run again
    const whole =
      r &&
      r.kind === 'fluctlab.run' &&
      r.schemaVersion === SCHEMA_VERSION &&
      r.lr === spec.lr &&
      r.seed === spec.seed &&
      recordShapeProblem(r as unknown as Record<string, unknown>) === null;
    return whole ? r : null;
  } catch {
    return null;
  }
}

/** Writes a run's record atomically. */
export function writeRunRecord(dir: string, record: RunRecord): void {
  writeJsonAtomic(runPath(dir, record), record);
}

/** Removes what a killed process left behind: temp files of atomic writes and the staging folders of folder writes. */
export function removeTempFiles(dir: string): void {
  for (const sub of [dir, join(dir, 'runs')]) {
    if (!existsSync(sub)) continue;
    for (const f of readdirSync(sub)) {
      // .report-tmp-<pid> and .figures-old-<pid>: the report's staging folders before writeFolder, still in older folders
      if (/\.tmp-\d+-\d+$/.test(f) || isStagingFolder(f) || /^\.(report-tmp|figures-old)-\d+$/.test(f))
        rmSync(join(sub, f), { recursive: true, force: true });
    }
  }
}

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
import { existsSync, lstatSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runId, withLegacyFields, type RunSpec, type SweepConfig } from '../contract/config.js';
import { validateStoredConfig } from '../contract/configure.js';
import { UsageError } from '../contract/errors.js';
import {
  type BinSpec,
  nonFiniteAt,
  quoted,
  recordShapeProblem,
  SCHEMA_VERSION,
  type RunRecord,
} from '../contract/record.js';
import { BIN_SPEC, sameBins } from '../engine/recording/histogram.js';
import { DiskFullError, readJson, writeJsonAtomic } from './files.js';
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

/**
 * Refuses a result folder whose manifest.json, runs/, a record in runs/ or sweep.json is a symbolic link: fluctlab reads
 * and writes a result folder only inside it, and a link could send a record, or the clean-up of temp files, elsewhere.
 * (The folder itself may be a link: the user named it.)
 */
export function refuseLinks(dir: string): void {
  const link = (p: string) => {
    try {
      if (lstatSync(p).isSymbolicLink())
        throw new UsageError(
          `${p} is a symbolic link: fluctlab reads and writes a result folder only inside it; replace the link with a copy of what it points to`,
        );
    } catch (e) {
      if (e instanceof UsageError) throw e;
    }
  };
  for (const name of ['manifest.json', 'runs', 'sweep.json']) link(join(dir, name));
  const runs = join(dir, 'runs');
  if (existsSync(runs) && statSync(runs).isDirectory()) for (const f of readdirSync(runs)) link(join(runs, f));
}

/**
 * The first way a record read from runs/<id>.json is not a record of run `spec` as this fluctlab writes it, or null:
 * its shape (recordShapeProblem), its id (the file's name), a number that is not finite, histograms on other edges
 * than the shared ones.
 */
export function storedRecordProblem(r: Record<string, unknown>, spec: RunSpec): string | null {
  const shape = recordShapeProblem(r);
  if (shape) return shape;
  if (r.id !== runId(spec)) return `its id ${quoted(r.id)} is not ${runId(spec)}, the name of its file`;
  const at = nonFiniteAt(r);
  if (at) return `${at} is not a finite number`;
  if (!sameBins(r.bins as BinSpec, BIN_SPEC))
    return `its histograms are not on the shared bin edges: bins ${JSON.stringify(r.bins)}`;
  return null;
}

/** Prepares a new result folder; refuses one that already holds files. Writes the manifest; a disk too full for it leaves no folder. */
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
  // the first folder this call creates (the folder, or a parent of it), removed again when the manifest does not fit
  const created = mkdirSync(dir, { recursive: true });
  try {
    writeJsonAtomic(manifestPath(dir), manifest);
  } catch (e) {
    if (created) rmSync(created, { recursive: true, force: true });
    if (e instanceof DiskFullError) throw new DiskFullError(e.path, 'run the sweep again');
    throw e;
  }
  return manifest;
}

/** Reads a result folder's manifest, refusing folders that are not sweeps. */
export function readManifest(dir: string): Manifest {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`${dir} is not a folder: pass a sweep's result folder`);
  if (!existsSync(manifestPath(dir)))
    throw new UsageError(`${dir} is not a fluctlab sweep (no manifest.json): pass a folder written by fluctlab sweep`);
  refuseLinks(dir);
  const m = readJson<Manifest>(manifestPath(dir), 'a sweep manifest');
  if (m?.kind !== 'fluctlab.manifest') throw new UsageError(`${manifestPath(dir)} is not a fluctlab manifest`);
  const at = nonFiniteAt(m);
  if (at)
    throw new UsageError(
      `${manifestPath(dir)} holds ${at}, a number that is not finite (hand-edited?): start a new sweep with --out`,
    );
  if (m.schemaVersion !== SCHEMA_VERSION)
    throw new UsageError(
      `${dir} was written with result schema ${m.schemaVersion}; this fluctlab reads schema ${SCHEMA_VERSION}: re-run the sweep`,
    );
  if (!m.config || typeof m.config !== 'object')
    throw new UsageError(`${manifestPath(dir)} has no config (hand-edited?): start a new sweep with --out`);
  let config: SweepConfig;
  try {
    config = validateStoredConfig(withLegacyFields(m.config));
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

/**
 * Reads a finished RunRecord if it exists; null when missing or not whole JSON (cut short by an older fluctlab or a
 * full disk: to be run again). A record that parses but is not a record of this run as fluctlab writes it (another
 * run, an id that is not its file's name, impossible numbers, other histogram edges) is a UsageError naming the file:
 * it was edited, and is neither kept nor silently replaced.
 */
export function readRunRecord(dir: string, spec: RunSpec): RunRecord | null {
  const p = runPath(dir, spec);
  if (!existsSync(p)) return null;
  let r: Record<string, unknown> | null;
  try {
    r = readJson<Record<string, unknown> | null>(p, 'a run record');
  } catch {
    return null;
  }
  const problem =
    !r || typeof r !== 'object' || r.kind !== 'fluctlab.run'
      ? 'not a fluctlab run record'
      : r.schemaVersion !== SCHEMA_VERSION
        ? `result schema ${quoted(r.schemaVersion)}, not ${SCHEMA_VERSION}`
        : r.lr !== spec.lr || r.seed !== spec.seed
          ? `it holds run lr ${quoted(r.lr)}, seed ${quoted(r.seed)}, not ${runId(spec)}`
          : storedRecordProblem(r, spec);
  if (problem)
    throw new UsageError(
      `${p} is damaged or edited (${problem}): delete it and run it again with fluctlab sweep --resume ${dir}`,
    );
  return r as unknown as RunRecord;
}

/** Writes a run's record atomically. */
export function writeRunRecord(dir: string, record: RunRecord): void {
  writeJsonAtomic(runPath(dir, record), record);
}

/** Removes what a killed process left behind: temp files of atomic writes and the staging folders of folder writes. */
export function removeTempFiles(dir: string): void {
  refuseLinks(dir);
  for (const sub of [dir, join(dir, 'runs')]) {
    if (!existsSync(sub)) continue;
    for (const f of readdirSync(sub)) {
      // .report-tmp-<pid> and .figures-old-<pid>: the report's staging folders before writeFolder, still in older folders
      if (/\.tmp-\d+-\d+$/.test(f) || isStagingFolder(f) || /^\.(report-tmp|figures-old)-\d+$/.test(f))
        rmSync(join(sub, f), { recursive: true, force: true });
    }
  }
}

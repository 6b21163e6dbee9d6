/**
 * `fluctlab export --tensorboard`: a sweep as TensorBoard event files, for
 * `tensorboard --logdir <out>`:
 *
 *   <out>/<run id>/events.out.tfevents.<time>.<host>.<pid>.fluctlab   one run: scalars, Δ histograms, its hparams session
 *   <out>/events.out.tfevents.<time>.<host>.<pid>.fluctlab            the experiment: hyper-parameters and metrics of the HPARAMS tab
 *
 * (The experiment sits at the top of the log folder, where TensorFlow's `hp.hparams_config` writes it; TensorBoard lists
 * it as a run named "."). Tags and their steps: src/report/tensorboard/runEvents.ts.
 */
import { readdirSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { SweepConfig } from '../contract/config.js';
import { UsageError } from '../contract/errors.js';
import type { RunRecord } from '../contract/record.js';
import { concatRecords } from '../report/tensorboard/records.js';
import { experimentEvents, runEvents, runStartSeconds } from '../report/tensorboard/runEvents.js';
import { writeExportFolder, type FolderFile } from './folderWriter.js';

/** The name of an event file fluctlab wrote. */
export const EVENT_FILE = /^events\.out\.tfevents\.\d+\..+\.\d+\.fluctlab$/;

/** True when `dir` holds nothing but a previous fluctlab TensorBoard export (event files, and run folders of event files). */
export function isPreviousTensorboardExport(dir: string): boolean {
  const entries = readdirSync(dir);
  return (
    entries.length > 0 &&
    entries.every((e) => {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) {
        const inner = readdirSync(p);
        return inner.length > 0 && inner.every((f) => EVENT_FILE.test(f) && statSync(join(p, f)).isFile());
      }
      return EVENT_FILE.test(e);
    })
  );
}

/** The event file name TensorBoard's writers use, with our suffix. */
export function eventFileName(wallTime: number): string {
  return `events.out.tfevents.${Math.floor(wallTime)}.${hostname().replace(/[^\w.-]/g, '_') || 'host'}.${process.pid}.fluctlab`;
}

/** Every file of the export. */
export function tensorboardFiles(config: SweepConfig, records: readonly RunRecord[]): FolderFile[] {
  const stale = records.find(
    (r) => r.status !== 'failed' && r.windows.some((w) => w.layers.some((l) => l.weights.sum === undefined)),
  );
  if (stale)
    throw new UsageError(
      `run ${stale.id} was recorded before fluctlab kept each window's Δ min, max and sum, which TensorBoard histograms need: re-run the sweep with this fluctlab`,
    );
  const files: FolderFile[] = records.map((r) => ({
    path: `${r.id}/${eventFileName(runStartSeconds(r))}`,
    bytes: concatRecords(runEvents(r)),
  }));
  const created = Math.min(...records.map(runStartSeconds));
  files.push({ path: eventFileName(created), bytes: concatRecords(experimentEvents(config, records, created)) });
  return files;
}

/**
 * Writes the TensorBoard export (`fluctlab export --tensorboard`, docs/tensorboard.md) to `out` (new, empty, or a
 * previous TensorBoard export, which is replaced); all or nothing.
 *
 *     writeTensorboardExport('runs/mine/tb', result.config, records); // then: tensorboard --logdir runs/mine/tb
 */
export function writeTensorboardExport(
  out: string,
  config: SweepConfig,
  records: readonly RunRecord[],
): { files: number; bytes: number } {
  const files = tensorboardFiles(config, records);
  const bytes = writeExportFolder(out, files, isPreviousTensorboardExport, 'TensorBoard export');
  return { files: files.length, bytes };
}

/**
 * `fluctlab sweep --tensorboard`: the TensorBoard log written while the sweep trains, so `tensorboard --logdir
 * <dir>/tensorboard` shows each run as its windows close. One events file per run, in the export's layout
 * (tensorboardExport.ts), appended to as the run goes:
 *
 *   run starts       <run id>/events.out.tfevents.<now>.<host>.<pid>.fluctlab: file version, the hparams session start
 *   window closes    its scalars and Δ histograms (the worker sends the window to this process as it closes)
 *   run ends         the test scalars per epoch, the HPARAMS tab's final metrics, the session end
 *   sweep ends       events.out.tfevents.….fluctlab at the top: the experiment (hyper-parameters and metrics)
 *
 * What it holds at the end is what `fluctlab export --tensorboard` writes from the records, event for event in the same
 * order (the events come from the same functions, report/tensorboard/runEvents.ts), with two differences: each event's
 * wall time is when it happened here (the export spreads a run's events over its training time, the record keeping no
 * more), and the files are named by when each run started in this process. A run that failed is rewritten whole as
 * the export writes it (its streamed windows are not in its record).
 *
 * The store's all-or-nothing rule (folderWriter.ts) is for finished folders, which appear whole or not at all; a log
 * that TensorBoard watches must grow in place, so this folder keeps the rule another way: it is the sweep's own, under
 * its result folder (`<dir>/tensorboard`, checked before training to be new, empty or a previous fluctlab TensorBoard
 * export, never a user's files); every write appends whole framed records (length and CRCs: TensorBoard's reader meets
 * a half-written record as "not written yet" and reads it on its next pass); a run that starts again (a resumed sweep,
 * a fused group retried run by run) starts its file anew; the experiment file, last, is written to a temporary name and
 * renamed. An interrupted sweep leaves a log that is a TensorBoard export of the runs so far; `--resume --tensorboard`
 * rewrites the finished runs' files from their records and the others as they train again, and `fluctlab export
 * --tensorboard` rewrites the folder whole, all or nothing, from the records at any time.
 *
 *     const live = openLiveTensorboard(join(dir, 'tensorboard'), config, done);
 *     runSweep(config, { ...events, onRunStarted: live.runStarted, onWindowClosed: live.window, onRunFinished: live.runFinished });
 *     live.finish(records);
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runId, type RunSpec, type SweepConfig } from '../contract/config.js';
import type { RunRecord } from '../contract/record.js';
import type { RunWindow } from '../engine/training/runProgress.js';
import { concatRecords } from '../report/tensorboard/records.js';
import {
  bucketLimits,
  experimentEvents,
  runEvents,
  runHeadEvents,
  runStartSeconds,
  runTailEvents,
  windowEvents,
} from '../report/tensorboard/runEvents.js';
import { checkExportTarget } from './folderWriter.js';
import { eventFileName, EVENT_FILE, isPreviousTensorboardExport } from './tensorboardExport.js';

/** The live log of a sweep; its methods are the sweep's events, bound so they can be passed as they are. */
export interface LiveTensorboard {
  runStarted(spec: RunSpec): void;
  window(w: RunWindow): void;
  runFinished(record: RunRecord): void;
  /** Writes the experiment file once every run has ended; throws the first write that failed on the way, if any. */
  finish(records: readonly RunRecord[]): void;
}

/**
 * Opens the live log in `out` (new, empty or a previous TensorBoard export: refused with a UsageError otherwise, before
 * anything is written) and writes the runs already `done` (resume) whole. `now` gives wall time in seconds.
 */
export function openLiveTensorboard(
  out: string,
  config: SweepConfig,
  done: readonly RunRecord[] = [],
  now: () => number = () => Date.now() / 1000,
): LiveTensorboard {
  checkExportTarget(out, isPreviousTensorboardExport, 'TensorBoard export');
  mkdirSync(out, { recursive: true });
  const limits = bucketLimits();
  /** each running run's events file */
  const files = new Map<string, string>();
  /** A fresh events file for run `id` (its folder's older event files removed) holding `events`. */
  const startFile = (id: string, wallTime: number, events: Uint8Array[]): string => {
    const folder = join(out, id);
    if (existsSync(folder)) for (const f of readdirSync(folder)) if (EVENT_FILE.test(f)) rmSync(join(folder, f));
    mkdirSync(folder, { recursive: true });
    const path = join(folder, eventFileName(wallTime));
    writeFileSync(path, concatRecords(events));
    return path;
  };
  for (const r of done) startFile(r.id, now(), runEvents(r));
  const log: LiveTensorboard = {
    runStarted: (spec) => {
      const id = runId(spec);
      const t = now();
      files.set(id, startFile(id, t, runHeadEvents({ id, lr: spec.lr, seed: spec.seed, config }, t)));
    },
    window: (w) => {
      const path = files.get(w.id);
      if (path) appendFileSync(path, concatRecords(windowEvents(w.window, now(), limits)));
    },
    runFinished: (record) => {
      const path = files.get(record.id);
      files.delete(record.id);
      if (!path || record.status === 'failed') {
        startFile(record.id, now(), runEvents(record));
        return;
      }
      const t = now();
      appendFileSync(path, concatRecords(runTailEvents(record, () => t, t)));
    },
    finish: (records) => {
      if (records.length === 0) return;
      const created = Math.min(...records.map(runStartSeconds));
      const name = eventFileName(created);
      const temp = join(out, `.${name}.tmp`);
      writeFileSync(temp, concatRecords(experimentEvents(config, records, created)));
      for (const f of readdirSync(out)) if (EVENT_FILE.test(f)) rmSync(join(out, f)); // a resumed sweep's older one
      renameSync(temp, join(out, name));
    },
  };
  // The events below arrive from a worker's message handler, where a throw would escape as an uncaught exception (a
  // stack trace, past the command's one-line disk-full message): a failed write is kept, the log stops growing, and
  // finish() throws it once training is over (the records are safe; --resume writes the log again from them).
  let failed: unknown = null;
  const guard =
    <A extends unknown[]>(f: (...a: A) => void) =>
    (...a: A): void => {
      if (failed !== null) return;
      try {
        f(...a);
      } catch (e) {
        failed = e;
      }
    };
  return {
    runStarted: guard(log.runStarted),
    window: guard(log.window),
    runFinished: guard(log.runFinished),
    finish: (records) => {
      if (failed !== null) throw failed;
      log.finish(records);
    },
  };
}

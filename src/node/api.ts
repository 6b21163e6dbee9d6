/**
 * `sweep` for Node scripts: the CLI's sweep without the terminal. The runs train on worker threads (or in this
 * thread with `workers: 1`), through the same driver as `fluctlab sweep`; with `out` the result folder is written
 * exactly as the CLI writes it (manifest, one record per run as it ends, sweep.json), so `fluctlab report <out>`,
 * `export` and `--resume` work on it.
 *
 *     import { sweep } from 'fluctlab/node';
 *     const { result } = await sweep({ lrs: [0.1, 0.01], trainLimit: 6000 }, { out: 'runs/mine', workers: 2 });
 *     console.log(result.aggregate.band);
 */
import { sweepRuns, withWindows, type FuseMode, type SweepConfig } from '../contract/config.js';
import { checkRunLength, checkScheduleFits, checkSetting, DEFAULTS, validateConfig } from '../contract/configure.js';
import { checkArithmetic } from '../engine/kernels/arithmetic.js';
import { SETTINGS } from '../contract/settings.js';
import { checkConfigArg, checkOptionsArg, NODE_SWEEP_OPTIONS } from '../contract/apiArgs.js';
import { CancelledError } from '../contract/errors.js';
import { checkFitsData } from '../engine/training/modelPlan.js';
import { checkDataset, trainCount, type Dataset } from '../engine/data/dataset.js';
import type { Executor } from '../sweep/executor.js';
import { openExecutor } from '../sweep/openExecutor.js';
import { runSweep, type SweepEvents, type SweepOutcome } from '../sweep/runSweep.js';
import { fuses } from '../sweep/fusion.js';
import { loadDataset } from './loadData.js';
import { createResultDir, removeTempFiles } from '../store/resultDir.js';
import { executeSweep } from '../store/sweepFolder.js';

/** Options of a sweep run from a Node script. */
export interface NodeSweepOptions extends SweepEvents {
  /** result folder to write (new or empty); omitted: nothing is written, the outcome is returned */
  out?: string;
  /** worker threads (default: one per run, at most 4); 1 trains in this thread */
  workers?: number;
  /** your own data set instead of the one `config.data` names */
  data?: Dataset;
  /** aborting stops the runs; the promise rejects with a CancelledError (finished records stay in `out`) */
  signal?: AbortSignal;
  /** runs of one seed train side by side as fused groups: 'auto' (default, where the model allows), 'on' (or refuse), 'off'; records are the same */
  fuse?: FuseMode;
  /** recording windows per run, of equal steps (default 20, as on the command line and the page; a last window under half the others joins the one before it, and a run with fewer steps than windows records one window a step, said in no line: the command line prints it); 'epoch': one per epoch. `config.windowSteps` overrides it */
  windows?: number | 'epoch';
}

/**
 * Runs a learning-rate sweep: `config` is DEFAULTS with what it gives overridden; an invalid config or data rejects with
 * a UsageError (a SettingError naming the field) before anything is written.
 *
 *     const { result, records } = await sweep({ lrs: [0.1, 0.01], trainLimit: 6000 }, { out: 'runs/mine', workers: 2, onRunFinished: (r) => console.log(r.id, r.status) });
 */
export async function sweep(config: Partial<SweepConfig>, options: NodeSweepOptions = {}): Promise<SweepOutcome> {
  const given = validateConfig({ ...DEFAULTS, ...checkConfigArg(config) });
  checkOptionsArg(options, NODE_SWEEP_OPTIONS);
  const windows = checkSetting(SETTINGS.windows, options.windows ?? SETTINGS.windows.default, 'api');
  const fuse = checkSetting(SETTINGS.fuse, options.fuse ?? SETTINGS.fuse.default, 'api');
  if (options.signal?.aborted)
    throw new CancelledError('the sweep was cancelled before it started: nothing was written');
  const data = options.data !== undefined ? checkDataset(options.data) : loadDataset(given);
  checkFitsData(given, data);
  checkRunLength(given, trainCount(data), 'api');
  checkScheduleFits(given, trainCount(data), 'api');
  checkArithmetic(given, 'api');
  const c = withWindows(given, windows, trainCount(data));
  const parallel = Math.max(1, Math.min(sweepRuns(c).length, options.workers ?? 4));
  fuses(c, fuse); // refuses `fuse: 'on'` for a conv model before anything is written
  const executor: Executor = openExecutor(parallel, () => data);
  let created = false;
  try {
    if (options.out === undefined) return await runSweep(c, { ...options, executor, parallel, dataShape: data });
    createResultDir(options.out, c, null);
    created = true;
    return await executeSweep(options.out, c, null, executor, parallel, options, { ...options, dataShape: data });
  } finally {
    await executor.close();
    if (created) removeTempFiles(options.out!);
  }
}

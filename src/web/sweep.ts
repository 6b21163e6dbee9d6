/**
 * A sweep in the browser, on Web Workers: the shared driver (pool/runSweep.ts) on a pool sized for the runs and the
 * machine, with the data loaded once (MNIST from the hosted site folder, a generated shapes set, or a Dataset of the
 * caller's own), the records kept in memory.
 *
 *     const { result, records } = await sweep({ lrs: [0.1, 0.01], trainLimit: 2000 }, { assets: '/fluctlab/' });
 */
import { sweepRuns, withWindows, type SweepConfig } from '../contract/config.js';
import { checkRunLength, checkScheduleFits, checkSetting, DEFAULTS, validateConfig } from '../contract/configure.js';
import { checkArithmetic } from '../engine/kernels/arithmetic.js';
import { SETTINGS } from '../contract/settings.js';
import { checkConfigArg, checkOptionsArg, WEB_SWEEP_OPTIONS } from '../contract/apiArgs.js';
import { CancelledError } from '../contract/errors.js';
import { checkDataset, trainCount, type Dataset } from '../engine/data/dataset.js';
import { runSweep, type SweepEvents, type SweepOutcome } from '../sweep/runSweep.js';
import type { FuseMode } from '../sweep/fusion.js';
import type { PoolPlan } from '../sweep/poolPlan.js';
import { forWorkers, loadSiteDataset } from './webData.js';
import { openWebExecutor, type WebExecutorOptions } from '../sweep/openWebExecutor.js';
import type { Environment } from '../contract/record.js';

/** Options of a browser sweep: the workers, threads and site folder (WebExecutorOptions), and these. */
export interface WebSweepOptions extends SweepEvents, WebExecutorOptions {
  /** your own data set instead of the one `config.data` names */
  data?: Dataset;
  signal?: AbortSignal;
  /** runs of one seed train side by side as fused groups: 'auto' (default, where the model allows), 'on' (or refuse), 'off'; records are the same */
  fuse?: FuseMode;
  /** recording windows per run, of equal steps (default 20, as on the command line and the page; a last window under half the others joins the one before it, and a run with fewer steps than windows records one window a step, said in no line: the command line prints it); 'epoch': one per epoch. `config.windowSteps` overrides it */
  windows?: number | 'epoch';
  /** called once the first worker's backend is up, with what the runs execute on */
  onEnvironment?(environment: Environment, plan: PoolPlan): void;
}

/**
 * Runs a learning-rate sweep in Web Workers and resolves with its SweepResult and records: `config` is DEFAULTS with
 * what it gives overridden (invalid: a UsageError, before any worker starts).
 *
 *     const { result, records } = await sweep({ data: 'shapes', model: 'ae:64,16', optimizer: 'adam', lrs: [0.01, 0.001] }, { assets: '/fluctlab/', onRunFinished: (r) => console.log(r.id) });
 */
export async function sweep(config: Partial<SweepConfig>, options: WebSweepOptions = {}): Promise<SweepOutcome> {
  const given = validateConfig({ ...DEFAULTS, ...checkConfigArg(config) });
  checkOptionsArg(options, WEB_SWEEP_OPTIONS);
  const windows = checkSetting(SETTINGS.windows, options.windows ?? SETTINGS.windows.default, 'api');
  checkSetting(SETTINGS.fuse, options.fuse ?? SETTINGS.fuse.default, 'api');
  if (options.signal?.aborted) throw new CancelledError('the sweep was cancelled before it started');
  const own = options.data !== undefined ? forWorkers(checkDataset(options.data)) : null;
  const load = (cc: SweepConfig) => (own ? Promise.resolve(own) : loadSiteDataset(cc.data, options.assets));
  const executor = openWebExecutor(sweepRuns(given).length, load, options);
  try {
    const dataShape = await load(given);
    checkRunLength(given, trainCount(dataShape), 'api');
    checkScheduleFits(given, trainCount(dataShape), 'api');
    checkArithmetic(given, 'api');
    const c = withWindows(given, windows, trainCount(dataShape));
    if (options.onEnvironment)
      void executor.describe().then(
        (e) => options.onEnvironment?.(e, executor.plan),
        () => {},
      );
    return await runSweep(c, { ...options, executor, parallel: executor.plan.workers, dataShape });
  } finally {
    await executor.close().catch(() => {});
  }
}

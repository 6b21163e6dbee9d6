/**
 * `fluctlab sweep`: train every (learning rate, seed) run in parallel and write the result folder.
 */
import { join } from 'node:path';
import { stepsPerEpoch, windowStepsForCount, type SweepConfig } from '../../contract/config.js';
import { checkFitsData } from '../../engine/training/modelPlan.js';
import { UsageError } from '../../contract/errors.js';
import { trainCount } from '../../engine/data/dataset.js';
import type { Executor } from '../../sweep/executor.js';
import { openExecutor } from '../../sweep/openExecutor.js';
import { configFromFlags, hasTrainingFlags, intFlag, parseFlags, TRAINING_FLAGS } from '../args.js';
import { withInterrupt } from '../interrupt.js';
import { loadDataset } from '../../node/loadData.js';
import { BarReporter, LineReporter, reporterEvents, silentReporter, type Reporter } from '../../node/progress.js';
import { createResultDir, readManifest, removeTempFiles, sweepPath, type Shard } from '../../store/resultDir.js';
import { parseShard, parseWorkers } from '../../store/shard.js';
import { reportAfterSweep } from '../../store/reportFolder.js';
import { executeSweep, shardRuns } from '../../store/sweepFolder.js';
import { fuses, parseFuse } from '../../sweep/fusion.js';
import { sweepTable } from '../../report/table.js';
import { isPreviousTensorboardExport, writeTensorboardExport } from '../../store/tensorboardExport.js';
import { checkExportTarget } from '../../store/folderWriter.js';

const FLAGS = {
  ...TRAINING_FLAGS,
  windows: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'string' },
  workers: { type: 'string' },
  fuse: { type: 'string' },
  shard: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  'no-report': { type: 'boolean' },
  tensorboard: { type: 'boolean' },
} as const;

/** Recording windows per run by default: enough for histograms, loss curves and fluctuation over training to read as pictures. */
export const DEFAULT_SWEEP_WINDOWS = 20;

/** --windows: a count ≥ 1, or 'epoch' (one window per epoch). */
export function parseWindows(value: string | undefined): number | 'epoch' {
  if (value === undefined) return DEFAULT_SWEEP_WINDOWS;
  return value.trim() === 'epoch' ? 'epoch' : intFlag(value, 'windows', '20 (or epoch)');
}

/** The window length a new sweep records with: --window-steps when given, else the run split into --windows windows. */
export function resolveWindowSteps(config: SweepConfig, windows: number | 'epoch', trainExamples: number): SweepConfig {
  if (config.windowSteps !== null || windows === 'epoch') return config;
  return { ...config, windowSteps: windowStepsForCount(stepsPerEpoch(config, trainExamples) * config.epochs, windows) };
}

/** Default result folder: runs/<UTC timestamp>. */
export function defaultOutDir(now = new Date()): string {
  return `runs/${now.toISOString().replace(/[:]/g, '-').replace(/\..*$/, '')}`;
}

/** Picks the terminal reporter for the flags and the stream. */
export function chooseReporter(quiet: boolean, json: boolean): Reporter {
  if (quiet) return silentReporter;
  if (json) return new LineReporter(process.stderr);
  if (process.stdout.isTTY && !process.env.NO_COLOR) return new BarReporter(process.stdout);
  return new LineReporter(process.stdout);
}

/** Runs the sweep command; returns the exit code. */
export async function sweepCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}": sweep takes only flags (see fluctlab --help)`);
  const workers = parseWorkers(values.workers);
  const fuse = parseFuse(values.fuse);
  const windows = parseWindows(values.windows);
  if (values.windows !== undefined && values['window-steps'] !== undefined) throw new UsageError('--windows and --window-steps both set the recording window: use one');
  let dir: string;
  let config: SweepConfig;
  let shard: Shard | null = values.shard !== undefined ? parseShard(values.shard) : null;
  if (values.resume !== undefined) {
    if (values.out !== undefined) throw new UsageError('--resume and --out both name a folder: use only --resume <dir>');
    if (values.windows !== undefined) throw new UsageError('--windows cannot change on resume: drop it to resume the sweep as it was');
    dir = values.resume;
    const manifest = readManifest(dir);
    config = manifest.config;
    if (hasTrainingFlags(values)) {
      const given = configFromFlags(values, config);
      if (JSON.stringify(given) !== JSON.stringify(config)) throw new UsageError(`the flags given differ from the config of the sweep in ${dir}: drop them to resume it as it was, or start a new sweep with --out`);
    }
    if (shard && JSON.stringify(shard) !== JSON.stringify(manifest.shard)) throw new UsageError(`--shard ${shard.index}/${shard.count} differs from the shard of the sweep in ${dir}: drop --shard to resume it`);
    shard = manifest.shard;
  } else {
    config = configFromFlags(values);
    dir = values.out ?? defaultOutDir();
  }
  const data = loadDataset(config); // validates the data before anything is written
  checkFitsData(config, data);
  fuses(config, fuse); // refuses --fuse on for a model that cannot fuse, before anything is written
  const examples = trainCount(data);
  if (values.resume === undefined) config = resolveWindowSteps(config, windows, examples);
  if (values.tensorboard && values.resume !== undefined) checkExportTarget(join(dir, 'tensorboard'), isPreviousTensorboardExport, 'TensorBoard export');
  if (values.resume === undefined) createResultDir(dir, config, shard);
  else removeTempFiles(dir);
  const parallel = Math.min(workers, shardRuns(config, shard).length);
  const executor: Executor = openExecutor(parallel, loadDataset);
  const reporter = chooseReporter(values.quiet ?? false, values.json ?? false);
  return withInterrupt(executor, 'sweep', dir, async () => {
    let outcome;
    try {
      outcome = await executeSweep(dir, config, shard, executor, parallel, reporterEvents(reporter), { fuse, dataShape: data });
    } finally {
      reporter.done();
    }
    // report.html, figures/, summary.csv; `fluctlab report <dir>` makes them later when skipped
    let reportLines = values['no-report'] ? `report: skipped (make it with: fluctlab report ${dir})\n` : await reportAfterSweep(dir, outcome.result, outcome.records);
    if (values.tensorboard) {
      const tb = join(dir, 'tensorboard');
      writeTensorboardExport(tb, config, outcome.records);
      reportLines += `tensorboard: ${tb} (view with: tensorboard --logdir ${tb})\n`;
    }
    if (values.json) process.stdout.write(`${JSON.stringify(outcome.result, null, 1)}\n`);
    else if (!values.quiet) {
      process.stdout.write(`\n${sweepTable(outcome.result.runs)}\n\nresults: ${sweepPath(dir)}\n${reportLines}`);
    }
    return outcome.allSucceeded ? 0 : 1;
  });
}

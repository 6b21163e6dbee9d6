/**
 * `fluctlab sweep`: train every (learning rate, seed) run in parallel and write the result folder.
 */
import { join } from 'node:path';
import { isUserModelConfig, stepsPerRun, windowsNote, withWindows, type SweepConfig } from '../../contract/config.js';
import { checkRunLength, checkScheduleFits, configFromValues } from '../../contract/configure.js';
import { checkArithmetic } from '../../engine/kernels/arithmetic.js';
import { defaultValues } from '../../contract/settings.js';
import { checkFitsData } from '../../engine/training/modelPlan.js';
import { UsageError } from '../../contract/errors.js';
import { trainCount } from '../../engine/data/dataset.js';
import type { Executor } from '../../sweep/executor.js';
import { openExecutor } from '../../sweep/openExecutor.js';
import { noPositionals, parseFlags } from '../args.js';
import { commandNamed } from '../commandTable.js';
import { withInterrupt } from '../interrupt.js';
import { loadDataset } from '../../node/loadData.js';
import { BarReporter, LineReporter, reporterEvents, silentReporter, type Reporter } from '../../node/progress.js';
import {
  createResultDir,
  readManifest,
  readRunRecord,
  removeTempFiles,
  sweepPath,
  type Shard,
} from '../../store/resultDir.js';
import { parseShard, parseWorkers } from '../../store/shard.js';
import { reportAfterSweep } from '../../store/reportFolder.js';
import { executeSweep, shardRuns } from '../../store/sweepFolder.js';
import { fuses } from '../../sweep/fusion.js';
import { sweepTable } from '../../report/table.js';
import { isPreviousTensorboardExport } from '../../store/tensorboardExport.js';
import { checkExportTarget } from '../../store/folderWriter.js';
import { openLiveTensorboard, type LiveTensorboard } from '../../store/tensorboardLive.js';
import type { SweepEvents } from '../../sweep/runSweep.js';
import { onDiskFull } from '../../store/files.js';

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
  const flags = parseFlags(argv, commandNamed('sweep')!);
  noPositionals(flags, 'sweep');
  const workers = parseWorkers(flags.text('workers'));
  const settings = flags.settingValues(defaultValues('sweep'));
  const { fuse, windows } = settings;
  const out = flags.text('out');
  const resume = flags.text('resume');
  if (flags.text('windows') !== undefined && flags.text('window-steps') !== undefined)
    throw new UsageError('--windows and --window-steps both set the recording window: use one');
  let dir: string;
  let config: SweepConfig;
  let shard: Shard | null = flags.text('shard') !== undefined ? parseShard(flags.text('shard')!) : null;
  if (resume !== undefined) {
    if (out !== undefined) throw new UsageError('--resume and --out both name a folder: use only --resume <dir>');
    if (flags.text('windows') !== undefined)
      throw new UsageError('--windows cannot change on resume: drop it to resume the sweep as it was');
    dir = resume;
    const manifest = readManifest(dir);
    config = manifest.config;
    if (isUserModelConfig(config))
      throw new UsageError(
        `${dir} holds a sweep of a TensorFlow.js model (${config.model}), which fluctlab sweep cannot train: run it again with sweepModel from fluctlab/tfjs`,
      );
    if (flags.hasSettings()) {
      const given = flags.config(config);
      if (JSON.stringify(given) !== JSON.stringify(config))
        throw new UsageError(
          `the flags given differ from the config of the sweep in ${dir}: drop them to resume it as it was, or start a new sweep with --out`,
        );
    }
    if (shard && JSON.stringify(shard) !== JSON.stringify(manifest.shard))
      throw new UsageError(
        `--shard ${shard.index}/${shard.count} differs from the shard of the sweep in ${dir}: drop --shard to resume it`,
      );
    shard = manifest.shard;
  } else {
    config = configFromValues(settings, 'cli');
    dir = out ?? defaultOutDir();
  }
  const data = loadDataset(config); // validates the data before anything is written
  checkFitsData(config, data);
  checkRunLength(config, trainCount(data), 'cli');
  checkScheduleFits(config, trainCount(data), 'cli');
  fuses(config, fuse); // refuses --fuse on for a model that cannot fuse, before anything is written
  checkArithmetic(config, 'cli');
  const examples = trainCount(data);
  if (resume === undefined) {
    config = withWindows(config, windows, examples);
    // only where --windows was given: the default 20 on a short run is no request to say no to
    const note = flags.text('windows') === undefined ? null : windowsNote(stepsPerRun(config, examples), windows);
    if (note !== null) process.stderr.write(`${note}\n`);
  }
  if (flags.on('tensorboard') && resume !== undefined)
    checkExportTarget(join(dir, 'tensorboard'), isPreviousTensorboardExport, 'TensorBoard export');
  if (resume === undefined) createResultDir(dir, config, shard);
  else removeTempFiles(dir);
  const tb = join(dir, 'tensorboard');
  // the TensorBoard log grows as windows close (store/tensorboardLive.ts); finished runs of a resumed sweep first
  const live = flags.on('tensorboard')
    ? openLiveTensorboard(
        tb,
        config,
        shardRuns(config, shard).flatMap((spec) => readRunRecord(dir, spec) ?? []),
      )
    : null;
  const parallel = Math.min(workers, shardRuns(config, shard).length);
  const executor: Executor = openExecutor(parallel, loadDataset);
  const reporter = chooseReporter(flags.on('quiet'), flags.on('json'));
  // a full disk from here on leaves a folder that --resume finishes
  const finish = withInterrupt(executor, 'sweep', dir, async () => {
    let outcome: Awaited<ReturnType<typeof executeSweep>>;
    try {
      outcome = await executeSweep(
        dir,
        config,
        shard,
        executor,
        parallel,
        withLiveLog(reporterEvents(reporter), live),
        {
          fuse,
          dataShape: data,
        },
      );
    } finally {
      reporter.done();
    }
    // report.html, figures/, summary.csv; `fluctlab report <dir>` makes them later when skipped
    let reportLines = flags.on('no-report')
      ? `report: skipped (make it with: fluctlab report ${dir})\n`
      : await reportAfterSweep(dir, outcome.result, outcome.records);
    if (live) {
      live.finish(outcome.records);
      reportLines += `tensorboard: ${tb} (view with: tensorboard --logdir ${tb})\n`;
    }
    if (flags.on('json')) process.stdout.write(`${JSON.stringify(outcome.result, null, 1)}\n`);
    else if (!flags.on('quiet')) {
      process.stdout.write(`\n${sweepTable(outcome.result.runs)}\n\nresults: ${sweepPath(dir)}\n${reportLines}`);
    }
    return outcome.allSucceeded ? 0 : 1;
  });
  return onDiskFull(`run fluctlab sweep --resume ${dir}`, () => finish);
}

/** The reporter's events with the live TensorBoard log's beside them (none without --tensorboard). */
function withLiveLog(events: SweepEvents, live: LiveTensorboard | null): SweepEvents {
  if (!live) return events;
  return {
    ...events,
    onRunStarted: (spec) => {
      live.runStarted(spec);
      events.onRunStarted?.(spec);
    },
    onWindowClosed: live.window,
    onRunFinished: (record) => {
      live.runFinished(record);
      events.onRunFinished?.(record);
    },
  };
}

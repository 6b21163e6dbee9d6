/**
 * fluctlab: the part that runs anywhere (Node, browsers, workers). The sweep config with its defaults, validation and
 * the settings table; the records and results a sweep produces, with the analysis a user computes on them (aggregate,
 * summaries, the metrics, statistics) and the report's chart specifications and CSV; the LR range test; and readers
 * for data of your own. Sweeps themselves run through `fluctlab/node` (worker threads, result folders, files on disk)
 * or `fluctlab/web` (Web Workers, the `<fluct-sweep>` element); `fluctlab/tfjs` records models built with tfjs-layers.
 * docs/api.md lists every name of the four entries.
 *
 *     import { DEFAULTS, validateConfig, buildSweepResult, summaryCsv, type RunRecord } from 'fluctlab';
 *     const config = validateConfig({ ...DEFAULTS, lrs: [0.1, 0.01] }); // a wrong field throws a SettingError naming it
 *     const result = buildSweepResult(config, records);                 // records: RunRecord[], from any shards
 *     console.log(result.aggregate.band, summaryCsv(records));
 */
export type { SweepConfig, RunSpec, OptimizerName, FuseMode } from './contract/config.js';
export { DEFAULTS, validateConfig } from './contract/configure.js';
export { sweepRuns, runId } from './contract/config.js';
export { SETTINGS, type Setting, type SettingKey } from './contract/settings.js';
export { SettingError } from './contract/configure.js';
export { UsageError, CancelledError } from './contract/errors.js';

export type { RunRecord, RunStatus, EpochRecord } from './contract/record.js';
export type { WindowRecord, LayerWindow, TensorFluctuation } from './contract/windowRecord.js';
export {
  type BinSpec,
  type ChannelStats,
  type Reconstructions,
  type Environment,
  type Timing,
  SCHEMA_VERSION,
  deterministicPart,
} from './contract/record.js';
export type { RunProgress, RunWindow } from './engine/training/runProgress.js';
export type { SweepEvents, SweepOutcome, SweepProgress } from './sweep/runSweep.js';

export { type SweepResult, buildSweepResult } from './analysis/sweepResult.js';
export { type RunSummary, type LayerSummary, summarizeRun } from './analysis/summary.js';
export {
  aggregate,
  type SweepAggregate,
  type LrAggregate,
  type LayerAggregate,
  type RunOutcome,
  type TensorAggregate,
  type LrBand,
} from './analysis/aggregate.js';
export type { TensorMeasure, MeasureCorrelation } from './analysis/correlations.js';
export type { MergedHistogram } from './analysis/histogramMerge.js';
export { participatingCount, participationRatio, spreadOfSpread } from './engine/recording/metrics.js';
export { meanInterval, type Interval, spearman, type RankCorrelation } from './analysis/stats.js';
export { sweepCharts } from './report/charts.js';
export type { Chart, VegaLiteSpec } from './report/chartBase.js';
export { summaryCsv } from './report/csv.js';

export {
  lrFind,
  type LrFindHooks,
  type LrFindResult,
  type LrFindWindow,
  type LrFindLayer,
} from './engine/training/lrFind.js';
export {
  LR_FIND_DEFAULTS,
  type LrFindOptions,
  type RangePoint,
  type Suggestion,
  type StopReason,
} from './engine/training/rangeTest.js';
export { initEnvironment, type BackendOptions } from './engine/kernels/environment.js';

export {
  type Dataset,
  makeDataset,
  type DatasetParts,
  datasetFromIdx,
  type IdxFiles,
  IDX_FILE_NAMES,
} from './engine/data/dataset.js';
export { datasetFromNpy, type NpyFiles, NPY_FILE_NAMES } from './engine/data/npyDataset.js';
export { datasetFromCifar } from './engine/data/cifar.js';
export { parseIdx, type IdxTensor } from './engine/data/idx.js';
export { parseNpy, type NpyTensor, type NpyElementType } from './engine/data/npy.js';
export { generateShapes } from './engine/data/shapes.js';
export { parseShapesSpec, type ShapesParams, type ShapeName } from './contract/shapesSpec.js';
export { MODEL_PRESETS, modelLayers } from './contract/modelSpec.js';

/**
 * fluctlab: the part that runs anywhere (Node, browsers, workers). Configs and their validation, one training run,
 * the sweep driver over any executor, the recorder and its metrics, aggregation into a SweepResult, chart
 * specifications and the result types. `fluctlab/node` adds worker threads, files and data on disk; `fluctlab/web`
 * Web Workers and the `<fluct-sweep>` element.
 *
 *     import { DEFAULTS, validateConfig, trainRun, initEnvironment, generateShapes, parseShapesSpec } from 'fluctlab';
 *     const config = validateConfig({ ...DEFAULTS, data: 'shapes', model: 'ae:128,32', optimizer: 'adam', lrs: [0.001] });
 *     const environment = await initEnvironment();
 *     const record = await trainRun(generateShapes(parseShapesSpec('shapes')), config, { lr: 0.001, seed: 1 }, environment);
 *     console.log(record.testLoss, record.windows.at(-1)?.layers[0].weights.rms);
 */
export { DEFAULTS, DEFAULT_LRS, checkFitsData, isAutoencoder, modelPlan, runId, stepsPerEpoch, stepsPerRun, sweepRuns, validateConfig, type RunSpec, type SweepConfig } from './core/config.js';
export { CancelledError, UsageError } from './core/errors.js';
export { initBackend, initEnvironment, type BackendInfo, type BackendOptions } from './backend/tf.js';

export { channelStats, type ChannelStats } from './core/data/channelStats.js';
export { checkLabels, datasetFromIdx, featureCount, limitTrain, makeDataset, shareDataset, trainCount, IDX_FILE_NAMES, type Dataset, type DatasetParts, type IdxFiles } from './core/data/dataset.js';
export { datasetFromNpy, NPY_FILE_NAMES, type NpyFiles } from './core/data/npyDataset.js';
export { datasetFromCifar, parseCifarBatch } from './core/data/cifar.js';
export { parseIdx, type IdxTensor } from './core/data/idx.js';
export { decodeNpy, encodeNpy, parseNpy, type NpyArray, type NpyDtype, type NpyTensor } from './core/data/npy.js';
export { generateShapes, isShapesSpec, parseShapesSpec, SHAPE_NAMES, SHAPES_DEFAULTS, type ShapeName, type ShapesParams } from './core/data/shapes.js';

export { trainRun, trainRuns, evaluate, type RunHooks, type RunProgress } from './core/training/run.js';
export { Trainer, type StepResult } from './core/training/trainer.js';
export { lrFind, suggestLrs, LR_FIND_DEFAULTS, validateLrFindOptions, type LrFindOptions, type LrFindResult, type RangePoint, type Suggestion } from './core/training/lrFind.js';
export { parseSchedule, scheduledLr, type Schedule } from './core/training/schedule.js';
export { OPTIMIZERS, type OptimizerName } from './core/training/optimizer.js';
export { Network, glorotInit, layerLayout, parameterCount, type Gradient } from './core/training/network.js';
export { MODEL_PRESETS, fusableLayers, fusableModel, modelFromJson, modelLayers, modelSpecString, parseModelSpec, type Activation, type LayerSpec, type ModelSpec, type OutputKind } from './core/training/model.js';
export { compileModel, MAX_PARAMETER_BYTES, type InputShape, type ModelPlan, type Op, type Window2d } from './core/training/modelPlan.js';
export { Rng } from './core/rng.js';

export { Recorder, meanNeuronFluctuation, type RecorderOptions } from './core/analysis/recorder.js';
export type { LayerLayout, LayerWindow, TensorFluctuation, WindowRecord } from './core/analysis/windowRecord.js';
export { mean, participatingCount, participationRatio, populationStd, spreadOfSpread } from './core/analysis/metrics.js';
export { BIN_SPEC, binRanges, histogram, mergeCounts, type BinSpec } from './core/analysis/histogram.js';
export { meanInterval, pearson, spearman, type Interval, type RankCorrelation } from './core/analysis/stats.js';
export { aggregate, recommendedBand, type LayerAggregate, type LrAggregate, type LrBand, type SweepAggregate } from './core/analysis/aggregate.js';
export { buildSweepResult, type SweepResult } from './core/analysis/sweepResult.js';
export { summarizeRun, type RunSummary } from './core/analysis/summary.js';
export { deterministicPart, SCHEMA_VERSION, type Environment, type EpochRecord, type RunRecord, type RunStatus } from './core/analysis/schema.js';

export { runSweep, type RunSweepOptions, type SweepEvents, type SweepOutcome } from './pool/runSweep.js';
export type { Executor } from './pool/executor.js';
export { FUSE_MODES, MAX_GROUP, parseFuse, planGroups, type FuseMode } from './pool/fusion.js';
export { sweepCharts } from './report/charts.js';
export type { Chart, VegaLiteSpec } from './report/chartBase.js';
export { summaryCsv } from './report/csv.js';

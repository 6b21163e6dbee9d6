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
export { DEFAULTS, DEFAULT_LRS, isAutoencoder, runId, stepsPerEpoch, stepsPerRun, sweepRuns, validateConfig, type RunSpec, type SweepConfig } from './contract/config.js';
export { checkFitsData, modelPlan } from './engine/training/modelPlan.js';
export { CancelledError, UsageError } from './contract/errors.js';
export { initBackend, initEnvironment, type BackendInfo, type BackendOptions } from './engine/kernels/tf.js';

export { channelStats } from './engine/data/channelStats.js';
export { type ChannelStats } from './contract/record.js';
export { checkLabels, datasetFromIdx, featureCount, limitTrain, makeDataset, shareDataset, trainCount, IDX_FILE_NAMES, type Dataset, type DatasetParts, type IdxFiles } from './engine/data/dataset.js';
export { datasetFromNpy, NPY_FILE_NAMES, type NpyFiles } from './engine/data/npyDataset.js';
export { datasetFromCifar, parseCifarBatch } from './engine/data/cifar.js';
export { parseIdx, type IdxTensor } from './engine/data/idx.js';
export { decodeNpy, encodeNpy, parseNpy, type NpyArray, type NpyDtype, type NpyTensor } from './engine/data/npy.js';
export { generateShapes } from './engine/data/shapes.js';
export { isShapesSpec, parseShapesSpec, SHAPE_NAMES, SHAPES_DEFAULTS, type ShapeName, type ShapesParams } from './contract/shapesSpec.js';

export { trainRun, trainRuns, evaluate, type RunHooks, type RunProgress } from './engine/training/run.js';
export { Trainer, type StepResult } from './engine/training/trainer.js';
export { lrFind, suggestLrs, LR_FIND_DEFAULTS, validateLrFindOptions, type LrFindOptions, type LrFindResult, type RangePoint, type Suggestion } from './engine/training/lrFind.js';
export { scheduledLr } from './engine/training/schedule.js';
export { parseSchedule, type Schedule } from './contract/schedule.js';
export { OPTIMIZERS, type OptimizerName } from './contract/config.js';
export { Network, glorotInit, layerLayout, parameterCount, type Gradient } from './engine/training/network.js';
export { MODEL_PRESETS, fusableLayers, fusableModel, modelFromJson, modelLayers, modelSpecString, parseModelSpec, type Activation, type LayerSpec, type ModelSpec, type OutputKind } from './contract/modelSpec.js';
export { compileModel, MAX_PARAMETER_BYTES, type InputShape, type ModelPlan, type Op } from './engine/training/modelPlan.js';
export { type Window2d } from './engine/kernels/convKernels.js';
export { Rng } from './engine/rng.js';

export { Recorder, meanNeuronFluctuation, type RecorderOptions } from './engine/recording/recorder.js';
export type { LayerLayout, LayerWindow, TensorFluctuation, WindowRecord } from './contract/windowRecord.js';
export { mean, participatingCount, participationRatio, populationStd, spreadOfSpread } from './engine/recording/metrics.js';
export { BIN_SPEC, binRanges, histogram, mergeCounts } from './engine/recording/histogram.js';
export { type BinSpec } from './contract/record.js';
export { meanInterval, pearson, spearman, type Interval, type RankCorrelation } from './analysis/stats.js';
export { aggregate, recommendedBand, type LayerAggregate, type LrAggregate, type LrBand, type SweepAggregate } from './analysis/aggregate.js';
export { buildSweepResult, type SweepResult } from './analysis/sweepResult.js';
export { summarizeRun, type RunSummary } from './analysis/summary.js';
export { deterministicPart, SCHEMA_VERSION, type Environment, type EpochRecord, type RunRecord, type RunStatus } from './contract/record.js';

export { runSweep, type RunSweepOptions, type SweepEvents, type SweepOutcome } from './sweep/runSweep.js';
export type { Executor } from './sweep/executor.js';
export { FUSE_MODES, MAX_GROUP, parseFuse, planGroups, type FuseMode } from './sweep/fusion.js';
export { sweepCharts } from './report/charts.js';
export type { Chart, VegaLiteSpec } from './report/chartBase.js';
export { summaryCsv } from './report/csv.js';

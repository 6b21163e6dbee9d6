/**
 * Settings typed by a person: the page's form fields and the <fluct-sweep> element's attributes, as strings, into a
 * validated SweepConfig, or one message per wrong field to show next to it. The fields are the settings table's rows
 * that have one (contract/settings.ts), read with the page's bounds; the command line the page prints comes from the
 * same rows. Pure: no DOM.
 *
 *     parseSweepFields({ lrs: '0.1,0.01', epochs: '1' })   // { ok: true, config: {…}, values: {…} }
 *     parseSweepFields({ lrs: '0.1,abc' })                 // { ok: false, errors: { lrs: '"abc" is not a number: …' } }
 */
import type { SweepConfig } from '../contract/config.js';
import { configFromValues, readSetting, SettingError } from '../contract/configure.js';
import { isShapesSpec } from '../contract/shapesSpec.js';
import {
  defaultFor,
  defaultValues,
  settingsOf,
  type Setting,
  type SettingCommand,
  type SettingValues,
} from '../contract/settings.js';
import { webTrainExamples } from '../contract/webData.js';
import { resolveArithmetic } from '../engine/kernels/arithmetic.js';

/** The page's two modes: a sweep, or an LR range test (each the command of that name). */
export type Mode = Extract<SettingCommand, 'sweep' | 'lr-find'>;

/** The settings a mode shows as fields, in table order. */
export function fieldsOf(mode: Mode): Setting[] {
  return settingsOf(mode).filter((s) => s.field !== null);
}

/** The sweep's fields, named as the element's attributes. */
export const FIELDS: readonly string[] = fieldsOf('sweep').map((s) => s.field!);
export type FieldValues = Partial<Record<string, string | null>>;
/** A message per wrong field, by field name; `form` for a problem no single field owns. */
export type FieldErrors = Partial<Record<string, string>>;
export type FormResult = { ok: true; config: SweepConfig; values: SettingValues } | { ok: false; errors: FieldErrors };

/**
 * What the page fills in when the data changes kind: for shapes, the paper study's autoencoder, optimizer and learning
 * rates (docs/paper.md) and enough epochs of its 8-step epochs to see training; for MNIST, the defaults. Only fields
 * still holding the other kind's suggestion are changed.
 */
export const SUGGESTED: Record<DataKind, FieldValues> = {
  mnist: suggestionOf(defaultValues('sweep')),
  shapes: { model: 'ae:128,32', optimizer: 'adam', lrs: '0.01,0.001,0.0001', epochs: '50' },
};
export type DataKind = 'mnist' | 'shapes';

function suggestionOf(v: SettingValues): FieldValues {
  return { model: v.model, optimizer: v.optimizer, lrs: v.lrs.join(','), epochs: String(v.epochs) };
}

/** Which kind of data a (possibly unfinished) data field names. */
export function dataKind(s: string | null | undefined): DataKind {
  return isShapesSpec(s?.trim() ?? '') ? 'shapes' : 'mnist';
}

/** Reads a mode's fields over `base`: an empty or missing field keeps its base value; a wrong one gets a message. */
export function readFields(
  values: FieldValues,
  mode: Mode,
  base: SettingValues,
): { values: SettingValues; errors: FieldErrors } {
  const out: Record<string, unknown> = { ...base };
  const errors: FieldErrors = {};
  for (const s of fieldsOf(mode)) {
    const raw = values[s.field!]?.trim() ?? '';
    if (raw === '') continue;
    try {
      out[s.key] = readSetting(s, raw, 'page');
    } catch (e) {
      errors[s.field!] = (e as Error).message;
    }
  }
  const v = out as SettingValues;
  // a batch must fit the training examples used; a probe batch is simply capped at them
  const available = webTrainExamples(v.data);
  const examples = Math.min(v.trainLimit ?? available, available);
  if (!errors.batch && !errors['train-limit'] && !errors.data && v.batch > examples) {
    errors.batch = `batch ${v.batch} is larger than the ${examples} training examples: lower the batch or use more examples`;
  }
  v.probeSize = Math.min(v.probeSize, available);
  return { values: v, errors };
}

/** The config of read values, or the messages: a SettingError lands on its setting's field. */
export function configOfFields(
  v: SettingValues,
  errors: FieldErrors,
): { config: SweepConfig | null; errors: FieldErrors } {
  if (Object.keys(errors).length > 0) return { config: null, errors };
  try {
    return { config: configFromValues(v, 'page'), errors };
  } catch (e) {
    if (!(e instanceof SettingError)) throw e;
    const field = fieldsOf('sweep').find((s) => s.key === e.setting)?.field ?? 'form';
    return { config: null, errors: { [field]: e.message } };
  }
}

/** Parses and checks every sweep field; `values` holds the run options too (fuse, windows: default 20 per run). */
export function parseSweepFields(values: FieldValues, base: SettingValues = defaultValues('sweep')): FormResult {
  const read = readFields(values, 'sweep', base);
  const { config, errors } = configOfFields(read.values, read.errors);
  if (!config) return { ok: false, errors };
  return { ok: true, config, values: read.values };
}

/** The training examples of a valid web data spec. */
export const trainExamples = webTrainExamples;

/**
 * The command that does the same in a terminal: `fluctlab <mode>` with every setting that differs from its default.
 * Arithmetic auto is printed as what it means in this browser where that is exact (Safari, a CPU without FMA), since
 * auto in Node would be fma there, and the command would train other bits.
 */
export function commandLine(v: SettingValues, mode: Mode = 'sweep'): string {
  const flags: string[] = [];
  const exactHere = v.arithmetic === 'auto' && resolveArithmetic('auto') === 'exact';
  const values: SettingValues = exactHere ? { ...v, arithmetic: 'exact' } : v;
  for (const s of settingsOf(mode)) {
    const text = s.kind.format(values[s.key as keyof SettingValues]);
    if (text !== s.kind.format(defaultFor(s, mode))) flags.push(`--${s.flag} ${text}`);
  }
  return ['fluctlab', mode, ...flags].join(' ');
}

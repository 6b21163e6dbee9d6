/**
 * From settings to a config: reading one setting's text in a shell's words, turning a set of setting values into a
 * validated SweepConfig (and back, for the command line a page prints), and the library's own check of a config it is
 * handed. Every message names the setting as that shell does: `--lr` on the command line, `lrs` in the library, and
 * nothing on the page, where the message sits beside the field.
 *
 *     readSetting(SETTINGS.epochs, '0', 'cli')  // throws SettingError: --epochs "0" must be a whole number ≥ 1: e.g. --epochs 1
 *     validateConfig({ ...DEFAULTS, epochs: 0 }) // throws SettingError: epochs 0 must be a whole number ≥ 1: e.g. epochs: 1
 */
import { isUserModelConfig, stepsPerEpoch, type SweepConfig } from './config.js';
import { UsageError } from './errors.js';
import { parseSchedule, scheduleSpec } from './schedule.js';
import { SettingProblem } from './settingKinds.js';
import {
  defaultValues,
  MAX_RUN_STEPS,
  SETTINGS,
  type Setting,
  type SettingCommand,
  type SettingKey,
  type SettingValues,
} from './settings.js';

/** Who reads a setting: the command line, the page (or the element), or the library. */
export type Shell = 'cli' | 'page' | 'api';

/** A wrong setting, worded for its shell; `setting` says which, so a page can show the message beside its field. */
export class SettingError extends UsageError {
  constructor(
    readonly setting: SettingKey,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The config's fields, in the order every record has written them (records compare byte for byte): each is the
 * setting of the same name, but `seeds`, which the seed and seeds settings make. A new config setting goes at the end.
 */
const FIELD_ORDER = [
  'data',
  'trainLimit',
  'model',
  'optimizer',
  'lrs',
  'seeds',
  'epochs',
  'batch',
  'windowSteps',
  'tau',
  'probeSize',
  'schedule',
  'weightDecay',
  'divergeFactor',
  'arithmetic',
] as const satisfies readonly (keyof SweepConfig)[];
/** The config fields that are settings of the same name. */
export const CONFIG_KEYS = FIELD_ORDER.filter(
  (k): k is Exclude<(typeof FIELD_ORDER)[number], 'seeds'> => k !== 'seeds',
);
// A SweepConfig field missing from FIELD_ORDER fails to compile here, as does a config field without a setting.
const complete: Exclude<keyof SweepConfig, (typeof FIELD_ORDER)[number]> extends never ? true : never = true;
const settingOfEach: (typeof CONFIG_KEYS)[number] extends SettingKey ? true : never = true;
void complete;
void settingOfEach;

/** A setting's problem in the words of a shell. */
export function settingMessage(s: Setting, p: SettingProblem, shell: Shell): string {
  if (shell === 'cli') return `--${s.flag} ${p.problem}: e.g. --${s.flag} ${p.example}`;
  if (shell === 'api') return `${s.key} ${p.problem}: e.g. ${s.key}: ${JSON.stringify(s.kind.parse(p.example))}`;
  return `${p.problem}: e.g. ${p.example}`;
}

function worded(s: Setting, e: unknown, shell: Shell): unknown {
  if (e instanceof SettingProblem) return new SettingError(s.key as SettingKey, settingMessage(s, e, shell));
  // spec parsers (model, schedule, data) name the setting themselves
  if (e instanceof UsageError && !(e instanceof SettingError)) return new SettingError(s.key as SettingKey, e.message);
  return e;
}

/** Reads a setting from text (the page reads with its tighter bounds); a wrong value throws a SettingError for `shell`. */
export function readSetting<T>(s: Setting<T>, text: string, shell: Shell): T {
  try {
    return (shell === 'page' && s.web?.kind ? s.web.kind : s.kind).parse(text);
  } catch (e) {
    throw worded(s as Setting, e, shell);
  }
}

/** Checks a setting's value as the library got it; returns it (a spec in its canonical form). */
export function checkSetting<T>(s: Setting<T>, value: T, shell: Shell): T {
  try {
    return s.kind.check(value);
  } catch (e) {
    throw worded(s as Setting, e, shell);
  }
}

/** The config that setting values describe (checked: each value by its setting, and the seeds as a whole). */
export function configFromValues(v: SettingValues, shell: Shell): SweepConfig {
  if (v.seed + v.seeds - 1 > 0xffffffff) {
    const name = shell === 'cli' ? '--seed ' : shell === 'api' ? 'seed ' : '';
    throw new SettingError('seed', `${name}${v.seed} with ${v.seeds} seeds would pass 4294967295: start lower`);
  }
  const seeds = Array.from({ length: v.seeds }, (_, i) => v.seed + i);
  const value = (k: keyof SweepConfig) => (k === 'seeds' ? seeds : checkSetting(SETTINGS[k] as Setting, v[k], shell));
  return Object.fromEntries(FIELD_ORDER.map((k) => [k, value(k)])) as unknown as SweepConfig;
}

/** The setting values of a config, for a command (seeds as a first seed and a count: a config's seeds are consecutive). */
export function valuesFromConfig(c: SweepConfig, command: SettingCommand = 'sweep'): SettingValues {
  return {
    ...defaultValues(command),
    ...Object.fromEntries(CONFIG_KEYS.map((k) => [k, c[k]])),
    seed: c.seeds[0],
    seeds: c.seeds.length,
  };
}

/** The sweep a command runs when no setting is given. */
export const DEFAULTS: SweepConfig = configFromValues(defaultValues('sweep'), 'api');

/**
 * Checks a config handed to the library and returns it with each spec in its canonical form; throws a SettingError
 * naming the first wrong or missing field (in the library's words). Start from DEFAULTS and override what you change.
 *
 *     const config = validateConfig({ ...DEFAULTS, lrs: [0.1, 0.01], epochs: 2 });
 *     validateConfig({ ...DEFAULTS, epochs: 0 }); // throws SettingError: epochs 0 must be a whole number ≥ 1: e.g. epochs: 1
 */
export function validateConfig(c: SweepConfig): SweepConfig {
  if (!c || typeof c !== 'object' || Array.isArray(c))
    throw new UsageError(`the config is not an object: pass one such as { lrs: [0.1, 0.01], epochs: 1 }`);
  const out: Record<string, unknown> = { ...c };
  for (const k of CONFIG_KEYS) {
    const s = SETTINGS[k] as Setting;
    if (!(k in c) || c[k] === undefined)
      throw new SettingError(k, `${k} is missing: e.g. ${k}: ${JSON.stringify(s.default)}`);
    out[k] = checkSetting(s, c[k], 'api');
  }
  const seeds = c.seeds as unknown;
  if (
    !Array.isArray(seeds) ||
    seeds.length === 0 ||
    seeds.some((s) => !Number.isInteger(s) || s < 0 || s > 0xffffffff)
  ) {
    throw new SettingError(
      'seeds',
      `seeds ${JSON.stringify(seeds)} must be a list of whole numbers from 0 to 4294967295: e.g. seeds: [1, 2, 3]`,
    );
  }
  if (new Set(seeds).size !== seeds.length)
    throw new SettingError('seeds', `seeds ${JSON.stringify(seeds)} lists a seed twice: list each once`);
  return out as unknown as SweepConfig;
}

/**
 * Checks a config read from a result folder: a fluctlab config (validateConfig), or the config of a record of a user's
 * TensorFlow.js model (`isUserModelConfig`), whose model, data and optimizer are `UserLabel`s fluctlab cannot check
 * against its own tables and whose other fields are checked as any config's.
 */
export function validateStoredConfig(c: SweepConfig): SweepConfig {
  if (!c || typeof c !== 'object' || !isUserModelConfig(c)) return validateConfig(c);
  for (const k of ['model', 'data', 'optimizer'] as const)
    if (typeof c[k] !== 'string' || !c[k].startsWith('tfjs:'))
      throw new SettingError(k, `${k} ${JSON.stringify(c[k])} of a tfjs model's config is not tfjs:<name>`);
  const { model, data, optimizer, probeSize } = c;
  // probeSize 0: trained without a probe batch (fluctlab's own runs always have one)
  const probe = probeSize === 0 ? DEFAULTS.probeSize : probeSize;
  const rest = validateConfig({
    ...c,
    model: DEFAULTS.model,
    data: DEFAULTS.data,
    optimizer: DEFAULTS.optimizer,
    probeSize: probe,
  });
  return { ...rest, model, data, optimizer, probeSize };
}

/**
 * Refuses, once the data is known, a sweep whose runs would each take more than MAX_RUN_STEPS optimizer steps
 * (epochs × steps per epoch): a run that would not end in days is a typo, and is refused before anything is written.
 *
 *     checkRunLength({ ...DEFAULTS, batch: 1, epochs: 10000 }, 60000, 'cli') // throws SettingError: --epochs 10000 × 60000 steps per epoch = 600000000 steps per run, …
 */
export function checkRunLength(c: SweepConfig, trainExamples: number, shell: Shell): void {
  const perEpoch = stepsPerEpoch(c, trainExamples);
  const steps = perEpoch * c.epochs;
  if (steps <= MAX_RUN_STEPS) return;
  const name = shell === 'cli' ? '--epochs ' : shell === 'api' ? 'epochs ' : '';
  throw new SettingError(
    'epochs',
    `${name}${c.epochs} × ${perEpoch} steps per epoch = ${steps} steps per run, more than the ${MAX_RUN_STEPS} a run may take: lower the epochs or raise the batch size`,
  );
}

/**
 * Refuses, once the data is known, a schedule that does not fit the run's T optimizer steps (docs/data-and-models.md):
 * a warm-up longer than the run (W > T: the rate never reaches its peak), a warm-up that takes the whole run when a
 * schedule should follow it (W ≥ T), or a step interval not shorter than the steps it has (every ≥ T − W: the rate never
 * changes). cosine and onecycle scale with T and always fit.
 *
 *     checkScheduleFits({ ...DEFAULTS, epochs: 5, trainLimit: 2000, schedule: 'warmup:200+cosine' }, 60000, 'cli') // throws SettingError: --schedule warmup:200+cosine: the warm-up of 200 steps is longer than the run's 155 steps, …
 */
export function checkScheduleFits(c: SweepConfig, trainExamples: number, shell: Shell): void {
  const perEpoch = stepsPerEpoch(c, trainExamples);
  const total = perEpoch * c.epochs;
  const s = parseSchedule(c.schedule);
  if (total < 1) return;
  const name = `${shell === 'cli' ? '--schedule ' : shell === 'api' ? 'schedule ' : ''}${c.schedule}: `;
  const run = `(${c.epochs} epoch${c.epochs === 1 ? '' : 's'} × ${perEpoch} steps)`;
  const refuse = (why: string, fix: string) => {
    throw new SettingError('schedule', `${name}${why}: ${fix}, or train longer`);
  };
  const warm = s.kind === 'warmup' ? s.steps : 0;
  const then = s.kind === 'warmup' ? s.then : s;
  const after = then.kind === 'constant' ? '' : ` and ${scheduleSpec(then)} would never run`;
  if (warm > total) {
    const end = Number(((100 * total) / warm).toPrecision(3));
    refuse(
      `the warm-up of ${warm} steps is longer than the run's ${total} steps ${run}, so the learning rate would end at ${end}% of its peak${after}`,
      `warm up for fewer than ${total} steps`,
    );
  }
  if (warm > 0 && warm >= total && after)
    refuse(
      `the warm-up of ${warm} steps takes the whole run of ${total} steps ${run}, so ${scheduleSpec(then)} would never run`,
      `warm up for fewer than ${total} steps`,
    );
  if (then.kind === 'step' && then.every >= total - warm)
    refuse(
      `the step interval of ${then.every} steps is not shorter than the ${total - warm} steps it has ${run}${warm ? ` after ${warm} steps of warm-up` : ''}, so the rate would never change`,
      `use an interval of fewer than ${total - warm} steps`,
    );
}

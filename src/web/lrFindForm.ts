/**
 * The page's LR range test mode: the sweep form's data, model, optimizer,
 * seed, batch and training-example fields plus the ramp's start, end and
 * steps, into a validated config and LrFindOptions, or one message per wrong
 * field. Pure: no DOM.
 *
 *     parseLrFindFields({ start: '1e-6', end: '1', steps: '50' }) // { ok: true, config, options, seed }
 */
import { DEFAULTS, type SweepConfig } from '../contract/config.js';
import { UsageError } from '../contract/errors.js';
import { LR_FIND_DEFAULTS, validateLrFindOptions, type LrFindOptions } from '../engine/training/lrFind.js';
import { DECIMAL, fieldReader, parseSweepFields, WEB_DEFAULTS, type FieldErrors, type FieldValues } from './form.js';

/** The ramp's fields. */
export const LR_FIND_FIELDS = ['start', 'end', 'steps'] as const;
export type LrFindField = (typeof LR_FIND_FIELDS)[number];
export type LrFindValues = FieldValues & Partial<Record<LrFindField, string | null>>;
export type LrFindErrors = FieldErrors & Partial<Record<LrFindField, string>>;
export type LrFindForm = { ok: true; config: SweepConfig; options: LrFindOptions; seed: number } | { ok: false; errors: LrFindErrors };

/** The page's bound on the ramp's steps (the command line allows 100000). */
export const WEB_MAX_STEPS = 5000;

function positive(s: string, what: string): number {
  if (!DECIMAL.test(s) || !(Number(s) > 0) || !Number.isFinite(Number(s))) throw new UsageError(`${what} "${s}" is not a positive number: e.g. 1e-7`);
  return Number(s);
}

/** Parses the mode's fields; the sweep-only fields (learning rates, epochs, seeds per rate, window) are not read. */
export function parseLrFindFields(values: LrFindValues): LrFindForm {
  const sweep = parseSweepFields({ ...values, lrs: null, epochs: null, seeds: null, 'window-steps': null }, { ...WEB_DEFAULTS, lrs: [1] });
  const errors: LrFindErrors = sweep.ok ? {} : { ...sweep.errors };
  const field = fieldReader<LrFindField>(values, errors);
  const start = field('start', LR_FIND_DEFAULTS.start, (s) => positive(s, 'start'));
  const end = field('end', LR_FIND_DEFAULTS.end, (s) => positive(s, 'end'));
  const steps = field('steps', LR_FIND_DEFAULTS.steps, (s) => {
    if (!/^\d+$/.test(s) || Number(s) < 10 || Number(s) > WEB_MAX_STEPS) throw new UsageError(`steps must be a whole number from 10 to ${WEB_MAX_STEPS}, not ${s}`);
    return Number(s);
  });
  if (!errors.start && !errors.end && start >= end) errors.end = `end must be above start (${start}): the ramp goes up`;
  if (!sweep.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  const options = { start, end, steps, windowSteps: LR_FIND_DEFAULTS.windowSteps };
  try {
    validateLrFindOptions(options);
  } catch (e) {
    return { ok: false, errors: { form: (e as Error).message } };
  }
  return { ok: true, config: { ...sweep.config, windowSteps: null }, options, seed: sweep.config.seeds[0] };
}

/** The `fluctlab lr-find` command that runs exactly this test in a terminal. */
export function lrFindCommandLine(c: SweepConfig, o: LrFindOptions, seed: number): string {
  const flags = c.data === DEFAULTS.data ? [] : [`--data ${c.data}`];
  flags.push(`--model ${c.model}`, `--optimizer ${c.optimizer}`, `--seed ${seed}`, `--batch ${c.batch}`);
  if (c.trainLimit !== null) flags.push(`--train-limit ${c.trainLimit}`);
  flags.push(`--start ${o.start}`, `--end ${o.end}`, `--steps ${o.steps}`);
  if (c.probeSize !== DEFAULTS.probeSize) flags.push(`--probe-size ${c.probeSize}`);
  return `fluctlab lr-find ${flags.join(' ')}`;
}

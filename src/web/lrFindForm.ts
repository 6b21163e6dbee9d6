/**
 * The page's LR range test mode: the fields of the lr-find command (the sweep's data, model, optimizer, seed, batch and
 * training examples, plus the ramp's start, end and steps) into a validated config and LrFindOptions, or one message
 * per wrong field. Pure: no DOM.
 *
 *     parseLrFindFields({ start: '1e-6', end: '1', steps: '50' }) // { ok: true, config, options, seed, values }
 */
import type { SweepConfig } from '../contract/config.js';
import { defaultValues, type SettingValues } from '../contract/settings.js';
import { validateLrFindOptions, type LrFindOptions } from '../engine/training/rangeTest.js';
import { configOfFields, readFields, type FieldErrors, type FieldValues } from './form.js';

export type LrFindForm =
  | { ok: true; config: SweepConfig; options: LrFindOptions; seed: number; values: SettingValues }
  | { ok: false; errors: FieldErrors };

/** Parses the mode's fields; the sweep-only fields (learning rates, epochs, seeds per rate, windows) are not read. */
export function parseLrFindFields(values: FieldValues): LrFindForm {
  const read = readFields(values, 'lr-find', defaultValues('lr-find'));
  const v = read.values;
  const errors = { ...read.errors };
  if (!errors.start && !errors.end && v.start >= v.end)
    errors.end = `end must be above start (${v.start}): the ramp goes up`;
  // the ramp sets the learning rate, and the record's windows are the ramp's (options.windowSteps)
  const { config, errors: all } = configOfFields({ ...v, lrs: [1], windowSteps: null }, errors);
  if (!config) return { ok: false, errors: all };
  const options = { start: v.start, end: v.end, steps: v.steps, windowSteps: v.windowSteps ?? 1 };
  try {
    validateLrFindOptions(options);
  } catch (e) {
    return { ok: false, errors: { form: (e as Error).message } };
  }
  return { ok: true, config, options, seed: v.seed, values: v };
}

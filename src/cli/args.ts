/**
 * Command-line flags: a command's flags are its settings (the settings table) and its own flags (the command table),
 * parsed strictly with node:util's parseArgs. Every error is a UsageError with one line that names the flag and a
 * valid example; a mistyped flag gets the nearest one suggested.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { SweepConfig } from '../contract/config.js';
import { configFromValues, readSetting, valuesFromConfig } from '../contract/configure.js';
import { UsageError } from '../contract/errors.js';
import { modelFromJson } from '../contract/modelSpec.js';
import { isDecimal } from '../contract/settingKinds.js';
import { SETTINGS, settingsOf, type Setting, type SettingKey, type SettingValues } from '../contract/settings.js';
import { readTextFile } from '../store/files.js';
import { COMMANDS, type CliFlag, type CommandSpec } from './commandTable.js';
import { nearest } from '../contract/didYouMean.js';

/** The flags a command takes: its settings, then its own. */
export function flagsOf(command: CommandSpec): { settings: Setting[]; own: CliFlag[] } {
  return { settings: command.settings ? settingsOf(command.settings.command) : [], own: command.flags };
}

/** A command's parsed flags. Asking for a flag the command does not declare is a programming error. */
export class Flags {
  constructor(
    private readonly command: CommandSpec,
    private readonly values: Record<string, string | boolean | undefined>,
    readonly positionals: string[],
  ) {}

  private declared(flag: string, valued: boolean): void {
    const { settings, own } = flagsOf(this.command);
    const known = settings.some((s) => s.flag === flag) ? true : own.find((f) => f.flag === flag);
    if (!known || (known !== true && Boolean(known.arg) !== valued))
      throw new Error(`fluctlab ${this.command.name} declares no ${valued ? 'valued' : 'switch'} flag --${flag}`);
  }

  /** The text of a valued flag, or undefined when it was not given. */
  text(flag: string): string | undefined {
    this.declared(flag, true);
    return this.values[flag] as string | undefined;
  }

  /** Whether a switch was given. */
  on(flag: string): boolean {
    this.declared(flag, false);
    return this.values[flag] === true;
  }

  /** Whether any setting (of the settings table) was given. */
  hasSettings(): boolean {
    return flagsOf(this.command).settings.some((s) => this.values[s.flag] !== undefined);
  }

  /** The setting values: each given flag read by its setting, the others from `base`. */
  settingValues(base: SettingValues, except: readonly SettingKey[] = []): SettingValues {
    const out: Record<string, unknown> = { ...base };
    for (const s of flagsOf(this.command).settings) {
      const text = this.values[s.flag] as string | undefined;
      if (text === undefined || except.includes(s.key as SettingKey)) continue;
      out[s.key] = readSetting(s, s === SETTINGS.model ? modelFlag(text) : text, 'cli');
    }
    return out as SettingValues;
  }

  /** The validated config of the given settings over `base`'s. */
  config(base: SweepConfig): SweepConfig {
    return configFromValues(this.settingValues(valuesFromConfig(base, this.command.settings?.command)), 'cli');
  }
}

/** Parses a command's argv strictly; an unknown flag or a missing value is a UsageError with a suggestion. */
export function parseFlags(argv: string[], command: CommandSpec): Flags {
  const { settings, own } = flagsOf(command);
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const s of settings) options[s.flag] = { type: 'string' };
  for (const f of own) options[f.flag] = { type: f.arg ? 'string' : 'boolean' };
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    return new Flags(command, values, positionals);
  } catch (e) {
    throw new UsageError(flagErrorLine((e as Error).message.split('\n')[0], command, Object.keys(options)));
  }
}

/** parseArgs' message as one line that says what to do. */
function flagErrorLine(msg: string, command: CommandSpec, flags: string[]): string {
  const ambiguous = /Option '(--[\w-]+)[^']*' argument is ambiguous/.exec(msg);
  if (ambiguous)
    return `${ambiguous[1]} got a value starting with "-": write ${ambiguous[1]}=<value> (and note learning rates must be positive)`;
  const unknown = /Unknown option '(-{1,2})([^'=]+)'/.exec(msg);
  if (unknown) {
    const name = unknown[2];
    const why = command.refuses?.[name];
    if (why) return `--${name}: ${why}`;
    const elsewhere = COMMANDS.find(
      (c) =>
        c !== command &&
        Object.values(flagsOf(c))
          .flat()
          .some((f) => f.flag === name),
    );
    if (elsewhere)
      return `--${name} is a flag of fluctlab ${elsewhere.name}, not of ${command.name} (see fluctlab ${command.name} --help)`;
    const near = nearest(name, flags);
    if (near)
      return `Unknown option '${unknown[1]}${name}'. Did you mean '--${near}'? (see fluctlab ${command.name} --help)`;
    return `Unknown option '${unknown[1]}${name}' (see fluctlab ${command.name} --help)`;
  }
  return `${msg.replace(/\. To specify a positional argument.*$/, '').replace(/\.$/, '')} (see fluctlab ${command.name} --help)`;
}

/** No positional arguments: a command that takes only flags. */
export function noPositionals(flags: Flags, command: string): void {
  if (flags.positionals.length > 0)
    throw new UsageError(
      `unexpected argument "${flags.positionals[0]}": ${command} takes only flags (see fluctlab ${command} --help)`,
    );
}

/** An integer flag of a command's own (not a setting) ≥ min. */
export function intFlag(value: string, flag: string, example: string, min = 1): number {
  const v = Number(value);
  if (!isDecimal(value) || !Number.isFinite(v))
    throw new UsageError(`--${flag} "${value}" is not a number: e.g. --${flag} ${example}`);
  if (!/^\+?\d+$/.test(value.trim()) || !Number.isInteger(v) || v < min)
    throw new UsageError(`--${flag} "${value}" must be a whole number ≥ ${min}: e.g. --${flag} ${example}`);
  return v;
}

/** --model: a spec string as it is, or a .json model file read into its `layers:` spec (the config keeps the spec). */
export function modelFlag(value: string): string {
  if (!/\.json$/i.test(value.trim())) return value;
  const path = value.trim();
  if (!existsSync(path))
    throw new UsageError(
      `model file ${path} does not exist: pass a spec such as lenet or layers:…, or the path of a .json model file`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(readTextFile(path, 'a model file'));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      `${path} is not valid JSON (${(e as Error).message}): write {"layers": [{"type": "conv2d", "kernel": 5, "channels": 6}, …]}`,
    );
  }
  return modelFromJson(parsed, path);
}

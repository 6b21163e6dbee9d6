/**
 * The kinds of value a setting takes (whole numbers, numbers, lists, choices, specs), each a parser from text and a
 * check of the value, shared by every shell. A wrong value throws a `SettingProblem` that says what is wrong with the
 * value and gives a valid example, without naming the setting: each shell names it in its own words (`--lr` on the
 * command line, the field's label on the page, `lrs` in the library), see settings.ts `settingMessage`.
 *
 *     wholeNumber({ min: 1 }).parse('0')   // throws SettingProblem('"0" must be a whole number ≥ 1', '1')
 */
import { UsageError } from './errors.js';

/** What is wrong with a setting's value (`problem`, starting with the value) and a valid value as text (`example`). */
export class SettingProblem extends UsageError {
  constructor(
    readonly problem: string,
    readonly example: string,
  ) {
    super(`${problem}: e.g. ${example}`);
  }
}

/** How a setting reads its value from text and checks it. `format` writes a value back as text the parser reads. */
export interface ValueKind<T> {
  parse(text: string): T;
  check(value: T): T;
  format(value: T): string;
  /** words for help: what the value is (e.g. "a whole number ≥ 1") */
  describe: string;
}

const quote = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/** A positive decimal as a person types it: 0.1, .5, 1e-7, +2 (no minus sign: the parser says "is negative"). */
const DECIMAL = /^[+]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Whether text is a decimal number as a person types it (0.1, .5, -2, 1e-7): JavaScript's `Number` also reads
 * 0x10, 0b11, 0o17 and Infinity, which no one means as a setting's value.
 */
export function isDecimal(text: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim());
}

function rangeWords(min: number, max: number | undefined): string {
  return max === undefined ? `≥ ${min}` : `from ${min} to ${max}`;
}

/**
 * A whole number from `min` (to `max`). `ceiling` bounds it without changing its words (help says "≥ 1"): a limit
 * that only an absurd value meets, such as epochs that would never end; above it, the value "must be at most …".
 */
export function wholeNumber(o: { min: number; max?: number; ceiling?: number; example: string }): ValueKind<number> {
  const words = `a whole number ${rangeWords(o.min, o.max)}`;
  const inRange = (v: number) => Number.isInteger(v) && v >= o.min && (o.max === undefined || v <= o.max);
  const problem = (text: string, v: number) =>
    o.ceiling !== undefined && inRange(v) && v > o.ceiling
      ? new SettingProblem(`${text} must be at most ${o.ceiling}`, o.example)
      : new SettingProblem(`${text} must be ${words}`, o.example);
  const fits = (v: number) => inRange(v) && (o.ceiling === undefined || v <= o.ceiling);
  const kind: ValueKind<number> = {
    describe: words,
    parse(text) {
      const t = text.trim();
      if (!/^[+-]?\d+$/.test(t)) {
        if (t !== '' && Number.isFinite(Number(t))) throw new SettingProblem(`"${t}" must be ${words}`, o.example);
        throw new SettingProblem(`"${t}" is not a number`, o.example);
      }
      if (!fits(Number(t))) throw problem(`"${t}"`, Number(t));
      return Number(t);
    },
    check(v) {
      if (!fits(v)) throw problem(quote(v), v);
      return v;
    },
    format: String,
  };
  return kind;
}

/** A finite number above `above` (exclusive) or from `min` (inclusive), up to `max` (inclusive). */
export function number(o: {
  above?: number;
  min?: number;
  max?: number;
  example: string;
  words: string;
}): ValueKind<number> {
  const inRange = (v: number) =>
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (o.above === undefined || v > o.above) &&
    (o.min === undefined || v >= o.min) &&
    (o.max === undefined || v <= o.max);
  const kind: ValueKind<number> = {
    describe: o.words,
    parse(text) {
      const t = text.trim();
      const v = Number(t);
      if (!isDecimal(t) || !Number.isFinite(v)) throw new SettingProblem(`"${t}" is not a number`, o.example);
      if (!inRange(v)) throw new SettingProblem(`"${t}" must be ${o.words}`, o.example);
      return v;
    },
    check(v) {
      if (!inRange(v)) throw new SettingProblem(`${quote(v)} must be ${o.words}`, o.example);
      return v;
    },
    format: String,
  };
  return kind;
}

/** A comma list of distinct positive finite numbers (learning rates), with at most `max` entries when given. */
export function positiveList(o: { example: string; what: string; max?: number }): ValueKind<number[]> {
  const kind: ValueKind<number[]> = {
    describe: `positive numbers separated by commas`,
    parse(text) {
      const values = text.split(',').map((raw) => {
        const p = raw.trim();
        if (p === '')
          throw new SettingProblem(
            `"${text.trim()}" has an empty entry: separate ${o.what} with single commas`,
            o.example,
          );
        if (p.startsWith('-')) throw new SettingProblem(`"${p}" is negative: ${o.what} must be positive`, o.example);
        if (!DECIMAL.test(p))
          throw new SettingProblem(`"${p}" is not a number: use positive numbers separated by commas`, o.example);
        return Number(p);
      });
      return kind.check(values);
    },
    check(values) {
      if (!Array.isArray(values) || values.length === 0)
        throw new SettingProblem(`${quote(values)} lists no ${o.what}`, o.example);
      for (const v of values) {
        if (!(typeof v === 'number' && Number.isFinite(v) && v > 0))
          throw new SettingProblem(`${quote(v)} is not a positive finite number`, o.example);
      }
      const twice = values.find((v, i) => values.indexOf(v) !== i);
      if (twice !== undefined) throw new SettingProblem(`${twice} appears twice: list each once`, o.example);
      if (o.max !== undefined && values.length > o.max)
        throw new SettingProblem(`${values.length} ${o.what}: use at most ${o.max}`, o.example);
      return values;
    },
    format: (v) => v.join(','),
  };
  return kind;
}

/** One of a fixed list of words. */
export function choice<T extends string>(options: readonly T[]): ValueKind<T> {
  const kind: ValueKind<T> = {
    describe: options.join(' | '),
    parse: (text) => kind.check(text.trim() as T),
    check(v) {
      if (!options.includes(v))
        throw new SettingProblem(`${quote(v)} is unknown: use one of ${options.join(', ')}`, options[0]);
      return v;
    },
    format: String,
  };
  return kind;
}

/** A spec string checked by its own parser (model, schedule, data), which names the problem itself; `canonical` tidies it. */
export function spec(o: {
  check: (s: string) => void;
  canonical?: (s: string) => string;
  describe: string;
}): ValueKind<string> {
  const kind: ValueKind<string> = {
    describe: o.describe,
    parse: (text) => kind.check(text.trim()),
    check(v) {
      if (typeof v !== 'string') throw new UsageError(`${quote(v)} is not a spec string: ${o.describe}`);
      o.check(v);
      return o.canonical ? o.canonical(v) : v;
    },
    format: String,
  };
  return kind;
}

/** A kind that also takes one word meaning "none" (`null` or another value), such as `off` or `epoch`. */
export function orWord<T, W>(base: ValueKind<T>, word: string, meaning: W): ValueKind<T | W> {
  return {
    describe: `${base.describe}, or ${word}`,
    parse: (text) => (text.trim() === word ? meaning : base.parse(text)),
    check: (v) => (v === meaning ? meaning : base.check(v as T)),
    format: (v) => (v === meaning ? word : base.format(v as T)),
  };
}

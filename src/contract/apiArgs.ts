/**
 * The library's check of what a script hands it, before anything is written or trained: a config that is an object
 * with known keys (a typo gets a did-you-mean, as a mistyped flag does on the command line), and options of the
 * right kinds. Each problem is a UsageError of one line in the library's words (`workers`, not `--workers`).
 *
 *     checkConfigArg({ learningRate: 0.1 })          // throws UsageError: learningRate is not a config key: did you mean lrs?
 *     checkOptionsArg({ workers: 0 }, NODE_OPTIONS)  // throws UsageError: workers 0 must be a whole number ≥ 1: e.g. workers: 4
 */
import type { SweepConfig } from './config.js';
import { CONFIG_KEYS } from './configure.js';
import { nearest } from './didYouMean.js';
import { UsageError } from './errors.js';
import { SETTINGS, type Setting } from './settings.js';

const quote = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `${/^[aeiou]/.test(typeof v) ? 'an' : 'a'} ${typeof v}`;
}

/** The config's keys, and the other names a person may reach for (each setting's flag and label), each to its key. */
function configNames(): Map<string, string> {
  const names = new Map<string, string>();
  for (const k of [...CONFIG_KEYS, 'seeds']) names.set(k, k);
  for (const k of CONFIG_KEYS) {
    const s = SETTINGS[k] as Setting;
    for (const alias of [s.flag.replace(/-(.)/g, (_, c: string) => c.toUpperCase()), s.label.replace(/[^A-Za-z]/g, '')])
      if (!names.has(alias)) names.set(alias, k);
  }
  return names;
}

/** The key among `known` (or their aliases) that `word` is a typo of, as "did you mean …?", or the keys to use. */
function suggestion(word: string, names: Map<string, string>, known: readonly string[]): string {
  const near = nearest(word, [...names.keys()]);
  return near !== null ? `did you mean ${names.get(near)}?` : `use ${known.join(', ')}`;
}

/** Checks that a config handed to the library is an object whose keys are all config keys; returns it. */
export function checkConfigArg(config: unknown): Partial<SweepConfig> {
  if (config === undefined) return {};
  if (config === null || typeof config !== 'object' || Array.isArray(config))
    throw new UsageError(
      `the config is ${kindOf(config)}, not an object: pass one such as { lrs: [0.1, 0.01], epochs: 1 }`,
    );
  const names = configNames();
  const known = [...CONFIG_KEYS, 'seeds'];
  for (const k of Object.keys(config))
    if (!known.includes(k)) throw new UsageError(`${k} is not a config key: ${suggestion(k, names, known)}`);
  return config as Partial<SweepConfig>;
}

/** How an option's value is checked: a whole number ≥ 1 (with an example), a non-empty string, a function, … */
export type OptionKind = 'count' | 'path' | 'text' | 'function' | 'signal' | 'object' | 'setting';

/** The options of fluctlab/node's sweep(), by kind (`setting`: checked by its row of the settings table). */
export const NODE_SWEEP_OPTIONS: Record<string, OptionKind> = {
  out: 'path',
  workers: 'count',
  data: 'object',
  signal: 'signal',
  fuse: 'setting',
  windows: 'setting',
  onStart: 'function',
  onRunStarted: 'function',
  onProgress: 'function',
  onRunFinished: 'function',
  onWindowClosed: 'function',
};

/** The options of fluctlab/web's sweep(). */
export const WEB_SWEEP_OPTIONS: Record<string, OptionKind> = {
  workers: 'count',
  threads: 'count',
  assets: 'text',
  data: 'object',
  signal: 'signal',
  fuse: 'setting',
  windows: 'setting',
  onStart: 'function',
  onRunStarted: 'function',
  onProgress: 'function',
  onRunFinished: 'function',
  onWindowClosed: 'function',
  onEnvironment: 'function',
};

/** Checks the options object of a library call (`fn`, e.g. 'sweep()') against its kinds; undefined values are omitted options. */
export function checkOptionsArg(options: unknown, kinds: Record<string, OptionKind>, fn = 'sweep()'): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new UsageError(`the options of ${fn} are ${kindOf(options)}, not an object: e.g. { workers: 2 }`);
  const known = Object.keys(kinds);
  const names = new Map(known.map((k) => [k, k]));
  for (const [k, v] of Object.entries(options)) {
    if (!Object.hasOwn(kinds, k))
      throw new UsageError(`${k} is not an option of ${fn}: ${suggestion(k, names, known)}`);
    if (v === undefined) continue;
    const problem = optionProblem(kinds[k], k, v);
    if (problem) throw new UsageError(`${k} ${quote(v)} ${problem}`);
  }
}

function optionProblem(kind: OptionKind, key: string, v: unknown): string | null {
  switch (kind) {
    case 'count':
      return typeof v === 'number' && Number.isInteger(v) && v >= 1
        ? null
        : `must be a whole number ≥ 1: e.g. ${key}: ${key === 'workers' ? 4 : 2}`;
    case 'path':
      return typeof v === 'string' && v.trim() !== '' ? null : `is not a folder path: e.g. ${key}: "runs/mine"`;
    case 'text':
      return typeof v === 'string' ? null : 'is not a string';
    case 'function':
      return typeof v === 'function' ? null : 'is not a function';
    case 'signal':
      return typeof AbortSignal !== 'undefined' && v instanceof AbortSignal
        ? null
        : 'is not an AbortSignal: pass an AbortController’s signal';
    case 'object':
      return v !== null && typeof v === 'object' && !Array.isArray(v)
        ? null
        : 'is not a Dataset: pass one such as loadDataset returns';
    default:
      return null;
  }
}

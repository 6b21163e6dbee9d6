/**
 * What a row of the table of settings (settings.ts) holds: a setting's name in each shell, its help, its parser and
 * check, its defaults per command, and how the page shows it.
 */
import type { ValueKind } from './settingKinds.js';

/** The commands that take settings from this table. */
export type SettingCommand = 'sweep' | 'lr-find' | 'reproduce';

/** How the page shows a setting: its input, and a tighter kind where a browser tab needs bounds the CLI has not. */
export interface WebField<T> {
  input: 'decimal' | 'numeric' | 'text' | 'select';
  /** the page's own parser (bounds for a tab); default: the setting's kind */
  kind?: ValueKind<T>;
  /** choices of a select: value and label */
  options?: readonly (readonly [string, string])[];
  /** values offered while typing */
  suggestions?: readonly string[];
  /** a hint under the field (default: none) */
  hint?: string;
  placeholder?: string;
  wide?: boolean;
}

/** One row of the settings table: a setting's name in each shell (library key, CLI flag, page field), its help, its parser and check (`kind`), its default, and the commands that take it. */
export interface Setting<T = unknown> {
  /** the name in the library's config and options (camelCase) */
  key: string;
  /** the command-line flag, without `--` */
  flag: string;
  /** the page's field and the element's attribute (null: not on the page) */
  field: string | null;
  /** the page's label */
  label: string;
  /** the placeholder in `--help`, e.g. <list> */
  arg: string;
  /** what it does, for `--help`, the page and docs/cli.md */
  help: string;
  kind: ValueKind<T>;
  default: T;
  /** the commands that take it, each with a default of its own where that differs */
  commands: Partial<Record<SettingCommand, { default: T } | true>>;
  web?: WebField<T>;
}

/** A row of the table, typed by its value (the identity: it lets TypeScript infer T from the row's kind and default). */
export function row<T>(s: Setting<T>): Setting<T> {
  return s;
}

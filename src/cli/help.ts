/**
 * Help, generated from the command table and the settings table: `fluctlab --help` (the commands),
 * `fluctlab <command> --help` (its flags with their defaults, and examples), and docs/cli.md (all of it as Markdown;
 * a test fails when the committed file differs from `cliReference()`).
 */
import type { Setting, SettingKey } from '../contract/settings.js';
import { flagsOf } from './args.js';
import { COMMANDS, type CommandSpec } from './commandTable.js';

const WIDTH = 100;
const FLAG_COLUMN = 24;

/** `text` wrapped at WIDTH, lines after the first indented by `indent`. */
function wrap(text: string, indent: number, first = indent): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const room = WIDTH - (lines.length === 0 ? first : indent);
    if (line && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/** One flag's line(s): the flag and its placeholder, then the help wrapped in a column. */
function flagLine(flag: string, help: string): string {
  const head = `  ${flag}`;
  const pad = head.length < FLAG_COLUMN ? head.padEnd(FLAG_COLUMN) : `${head}\n${' '.repeat(FLAG_COLUMN)}`;
  return `${pad}${wrap(help, FLAG_COLUMN)}`;
}

/** A setting's help with its default for this command. */
function settingHelp(s: Setting, command: CommandSpec): string {
  const value = command.settings?.defaults()[s.key as SettingKey];
  return `${s.help} (default ${s.kind.format(value)})`;
}

/** `fluctlab --help`. */
export function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 4;
  const lines = [
    'fluctlab: how the learning rate shapes weight and bias fluctuations, and accuracy',
    '',
    'Usage: fluctlab <command> [flags]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${wrap(c.summary, width + 2, width + 2)}`),
    '',
    'fluctlab <command> --help shows the flags of a command, with examples.',
    'Exit codes: 0 every run ended (ok or diverged), 1 some run failed, 2 bad input, 130 interrupted.',
  ];
  return `${lines.join('\n')}\n`;
}

/** `fluctlab <command> --help`. */
export function commandHelp(command: CommandSpec): string {
  const { settings, own } = flagsOf(command);
  const lines = [`fluctlab ${command.name}: ${command.summary}`, '', `Usage: fluctlab ${command.usage}`];
  if (command.about) lines.push('', wrap(command.about, 0));
  if (settings.length) {
    lines.push('', 'Settings:');
    for (const s of settings) lines.push(flagLine(`--${s.flag} ${s.arg}`, settingHelp(s, command)));
  }
  if (own.length) {
    lines.push('', settings.length ? 'Output and execution:' : 'Flags:');
    for (const f of own) lines.push(flagLine(`--${f.flag}${f.arg ? ` ${f.arg}` : ''}`, f.help));
  }
  lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}

/** Text for a Markdown table cell; `code` for one inside backticks (where only the pipe needs escaping). */
const cell = (text: string, code = false) =>
  (code ? text : text.replace(/</g, '&lt;').replace(/>/g, '&gt;')).replace(/\|/g, '\\|');

/** docs/cli.md: every command with its flags, generated. */
export function cliReference(): string {
  const out = [
    '# Command-line reference',
    '',
    '<!-- Generated from the settings table (src/contract/settings.ts) and the command table (src/cli/commandTable.ts)',
    '     by `npm run docs`; test/cli/help.test.ts fails when this file is stale. -->',
    '',
    'Usage: `fluctlab <command> [flags]`. Exit codes: 0 every run ended (ok or diverged), 1 some run failed, 2 bad input,',
    '130 interrupted.',
    '',
    '| command | what it does |',
    '|---|---|',
    ...COMMANDS.map((c) => `| [\`${c.name}\`](#fluctlab-${c.name}) | ${cell(c.summary)} |`),
  ];
  for (const c of COMMANDS) {
    const { settings, own } = flagsOf(c);
    out.push(
      '',
      `## fluctlab ${c.name}`,
      '',
      `${c.summary.charAt(0).toUpperCase() + c.summary.slice(1)}.`,
      '',
      '```sh',
      `fluctlab ${c.usage}`,
      '```',
    );
    if (c.about) out.push('', cell(c.about));
    if (settings.length) {
      out.push('', '| setting | flag | page field | default | what it does |', '|---|---|---|---|---|');
      for (const s of settings) {
        const dflt = s.kind.format(c.settings?.defaults()[s.key as SettingKey]);
        out.push(
          `| \`${s.key}\` | \`--${s.flag} ${cell(s.arg, true)}\` | ${s.field ? `\`${s.field}\`` : '–'} | \`${cell(dflt, true)}\` | ${cell(s.help)} |`,
        );
      }
    }
    if (own.length) {
      out.push('', '| flag | what it does |', '|---|---|');
      for (const f of own) out.push(`| \`--${f.flag}${f.arg ? ` ${cell(f.arg, true)}` : ''}\` | ${cell(f.help)} |`);
    }
    out.push('', 'Examples:', '', '```sh', ...c.examples, '```');
  }
  return `${out.join('\n')}\n`;
}

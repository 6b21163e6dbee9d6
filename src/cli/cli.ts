#!/usr/bin/env node
/**
 * The fluctlab command line. `main(argv)` returns the exit code; bad input is a one-line message on stderr and exit 2,
 * never a stack trace. Commands, their flags and their help come from the command and settings tables.
 */
import { resolve } from 'node:path';
import { UsageError } from '../contract/errors.js';
import { commandNamed, COMMANDS } from './commandTable.js';
import { nearest } from '../contract/didYouMean.js';
import { commandHelp, globalHelp } from './help.js';

const isHelp = (a: string | undefined) => a === '--help' || a === '-h';

/** The module that runs each command, loaded when the command is (so `--help` starts nothing heavy). */
const RUNNERS: Record<string, () => Promise<(argv: string[]) => Promise<number>>> = {
  sweep: async () => (await import('./commands/sweep.js')).sweepCommand,
  'lr-find': async () => (await import('./commands/lrFind.js')).lrFindCommand,
  report: async () => (await import('./commands/report.js')).reportCommand,
  export: async () => (await import('./commands/export.js')).exportCommand,
  merge: async () => (await import('./commands/merge.js')).mergeCommand,
  reproduce: async () => (await import('./commands/reproduce.js')).reproduceCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
};

/** Runs the CLI and returns its exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || isHelp(name) || (name === 'help' && rest.length === 0)) {
    process.stdout.write(globalHelp());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    const { FLUCTLAB_VERSION } = await import('../contract/version.js');
    process.stdout.write(`${FLUCTLAB_VERSION}\n`);
    return 0;
  }
  const asked = name === 'help' ? rest[0] : name;
  const command = commandNamed(asked);
  if (!command) {
    const near = nearest(
      asked,
      COMMANDS.map((c) => c.name),
    );
    const hint = near ? ` Did you mean "${near}"?` : ` Use one of ${COMMANDS.map((c) => c.name).join(', ')}.`;
    process.stderr.write(`fluctlab: unknown command "${asked}".${hint} (see fluctlab --help)\n`);
    return 2;
  }
  if (name === 'help' || rest.some(isHelp)) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  try {
    return await (await RUNNERS[command.name]())(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`fluctlab ${name}: ${e.message}\n`);
      return 2;
    }
    const err = e as Error;
    const trace = process.env.FLUCTLAB_DEBUG ? `\n${err?.stack}` : ' (set FLUCTLAB_DEBUG=1 for a stack trace)';
    // one line: a dead worker's message runs over several
    const message = (err?.message ?? String(e)).split('\n')[0];
    process.stderr.write(`fluctlab ${name}: internal error: ${message}${trace}\n`);
    return 1;
  }
}

const invokedDirectly =
  process.argv[1] &&
  resolve(process.argv[1]).replace(/\.[jt]s$/, '') ===
    resolve(new URL(import.meta.url).pathname).replace(/\.[jt]s$/, '');
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    // exit only once stdout has drained: on a pipe, writes are asynchronous and a large --json result would be cut off
    (code) => process.stdout.write('', () => process.exit(code)),
    (e) => {
      process.stderr.write(`fluctlab: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}

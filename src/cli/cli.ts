#!/usr/bin/env node
/**
 * The fluctlab command line. `main(argv)` returns the exit code; bad input is a
 * one-line message on stderr and exit 2, never a stack trace.
 */
import { resolve } from 'node:path';
import { UsageError } from '../contract/errors.js';
import { HELP } from './help.js';
import { exportCommand } from './commands/export.js';
import { lrFindCommand } from './commands/lrFind.js';
import { mergeCommand } from './commands/merge.js';
import { serveCommand } from './commands/serve.js';
import { reportCommand } from './commands/report.js';
import { reproduceCommand } from './commands/reproduce.js';
import { sweepCommand } from './commands/sweep.js';

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  sweep: sweepCommand,
  merge: mergeCommand,
  serve: serveCommand,
  report: reportCommand,
  export: exportCommand,
  reproduce: reproduceCommand,
  'lr-find': lrFindCommand,
};

/** Registers an extra command (report, merge, serve, … live in their own modules). */
export function registerCommand(name: string, run: Command): void {
  COMMANDS[name] = run;
}

/** Runs the CLI and returns its exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    const { FLUCTLAB_VERSION } = await import('../contract/version.js');
    process.stdout.write(`${FLUCTLAB_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`fluctlab: unknown command "${name}": use one of ${Object.keys(COMMANDS).join(', ')} (see fluctlab --help)\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  try {
    return await command(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`fluctlab ${name}: ${e.message}\n`);
      return 2;
    }
    const err = e as Error;
    process.stderr.write(`fluctlab ${name}: internal error: ${err?.message ?? String(e)}${process.env.FLUCTLAB_DEBUG ? `\n${err?.stack}` : ' (set FLUCTLAB_DEBUG=1 for a stack trace)'}\n`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]).replace(/\.[jt]s$/, '') === resolve(new URL(import.meta.url).pathname).replace(/\.[jt]s$/, '');
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

/**
 * Ctrl-C for commands that train: the first SIGINT cancels the executor's runs,
 * finished runs stay written, and the command exits 130 with the line that
 * resumes it (a command that writes its folder only at the end, lr-find, says
 * nothing was written). The executor is closed whatever happens.
 */
import { CancelledError } from '../contract/errors.js';
import type { Executor } from '../sweep/executor.js';

/** Runs `body` with Ctrl-C wired to `executor.cancel()`; returns its exit code, or 130 after an interruption. `dir`: the folder to resume, null when there is none. */
export async function withInterrupt(
  executor: Executor,
  command: string,
  dir: string | null,
  body: () => Promise<number>,
): Promise<number> {
  const onSigint = () => executor.cancel();
  process.once('SIGINT', onSigint);
  try {
    return await body();
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
    if (dir === null) process.stderr.write(`\nfluctlab ${command}: interrupted; nothing was written\n`);
    else
      process.stderr.write(
        `\nfluctlab ${command}: interrupted; finished runs are kept in ${dir}. Resume with: fluctlab ${command} --resume ${dir}\n`,
      );
    return 130;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await executor.close();
  }
}

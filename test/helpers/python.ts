/** Test helper: a Python that can import a module (the CI venv, FLUCTLAB_PYTHON, or the system's), or null. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The virtual environment .ci/run creates (tensorboard installed from the machine's offline wheels). */
export const CI_VENV_PYTHON = join(__dirname, '..', '..', '.venv-ci', 'bin', 'python');

/** The first Python that imports `module`, or null. */
export function pythonWith(module: string): string | null {
  const candidates = [process.env.FLUCTLAB_PYTHON, CI_VENV_PYTHON, '/usr/bin/python3'].filter(
    (p): p is string => !!p && existsSync(p),
  );
  return candidates.find((py) => spawnSync(py, ['-c', `import ${module}`], { encoding: 'utf8' }).status === 0) ?? null;
}

/** Test helpers: run the built CLI in a temp folder and compare result files without timing fields. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = join(__dirname, '..', '..', 'bin', 'fluctlab.js');

/** A fresh temp folder. */
export const tmp = (): string => mkdtempSync(join(tmpdir(), 'fluctlab-test-'));

/** Runs the CLI to completion. */
export function cli(args: string[], cwd?: string, extraEnv: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...extraEnv },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A small finished sweep in `out` (640 examples, 2 windows, a probe of 50, no report): a fixture to damage or read. */
export function smallSweep(out: string, lrs = '0.1,0.01') {
  const args = ['--train-limit', '640', '--windows', '2', '--probe-size', '50', '--no-report', '--quiet'];
  return cli(['sweep', '--lr', lrs, ...args, '--out', out]);
}

/** Starts the CLI in the background. */
export function cliAsync(args: string[], cwd: string) {
  return spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A RunRecord file's content without the fields allowed to differ (timing, environment). */
export function recordWithoutTiming(path: string): string {
  const r = JSON.parse(readFileSync(path, 'utf8'));
  delete r.timing;
  delete r.environment;
  return JSON.stringify(r);
}

/** Every run record of a result folder, by file name, without timing fields. */
export function recordsOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(join(dir, 'runs')).sort()) out[f] = recordWithoutTiming(join(dir, 'runs', f));
  return out;
}

/** sweep.json without its timing fields (per-run samples/s, and the size of a fused run's group). */
export function sweepWithoutTiming(dir: string): unknown {
  return JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8'), (k, v) =>
    k === 'samplesPerSecond' || k === 'groupRuns' ? undefined : v,
  );
}

/** Starts `fluctlab serve <args> --port 0`; resolves with the URL it prints, the process, and a stop (Ctrl-C) that resolves with its exit code. */
export async function serveCli(args: string[]) {
  const child = cliAsync(['serve', ...args, '--port', '0'], tmp());
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) resolve(m[0]);
    });
    child.once('exit', () => reject(new Error(`fluctlab serve exited early: ${out}`)));
  });
  const stop = (): Promise<number | null> => {
    child.kill('SIGINT');
    return new Promise((r) => child.once('exit', (c) => r(c)));
  };
  return { url, child, stop };
}

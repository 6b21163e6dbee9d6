/**
 * The backend in Node: the tfjs WASM binaries found by module resolution (a bundle must pass their folder itself).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Environment } from '../contract/record.js';
import { initEnvironment } from '../engine/kernels/environment.js';

/** Folder of the tfjs WASM binaries in node_modules, with the trailing '/' tfjs needs. */
export function wasmDir(): string {
  const require = createRequire(import.meta.url);
  return `${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`;
}

/**
 * Initialises the backend in this thread, with the tfjs .wasm files of node_modules, and describes the environment a
 * run executes in: what lrFind (from 'fluctlab') takes.
 *
 *     const environment = await nodeEnvironment(); // { runtime: 'node …', backend: 'wasm', simd: true, threads: 1, … }
 */
export function nodeEnvironment(): Promise<Environment> {
  return initEnvironment(wasmDir());
}

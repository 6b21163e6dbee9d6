/**
 * The one place that initialises TensorFlow.js and its WebAssembly backend, in
 * Node and in the browser. Everything else imports `tf` from here.
 *
 * Support matrix (tfjs 4.22):
 *   - Node 20: SIMD yes; threads no (tfjs disables them in Node, forcing them
 *     makes setBackend fail), so parallelism is across runs in worker_threads.
 *   - Chromium: SIMD yes; threads only in cross-origin-isolated pages, and at
 *     most min(8, navigator.hardwareConcurrency / 2) of them.
 * WASM flags must be set before setBackend, and wasm paths need a trailing '/'.
 */
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount, setThreadsCount, setWasmPaths, version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { installKernelFixes } from './kernels.js';
import type { BackendOptions } from './backendOptions.js';

export { tf };

/** What the backend turned out to be, recorded in every result. */
export interface BackendInfo {
  backend: string;
  simd: boolean;
  threads: number;
  tfjsVersion: string;
  wasmVersion: string;
}

let ready: Promise<BackendInfo> | null = null;

/**
 * tfjs-wasm 4.22 caps its thread pool at navigator.hardwareConcurrency / 2 whatever setThreadsCount asked for (its
 * init_with_threads_count assumes two hyper-threads per core), so a 2-core machine never got a second thread. The cap
 * is read once, when the backend starts, from navigator.hardwareConcurrency: reporting 2 × the threads asked for, in
 * this realm only, lets an explicit request through. Nothing else reads it here (the page plans its workers before any
 * backend starts, in its own realm).
 */
function liftThreadCap(threads: number): void {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (!nav || (nav.hardwareConcurrency ?? 0) >= 2 * threads) return;
  Object.defineProperty(nav, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
}

/**
 * Initialises the WASM backend once per realm; `wasmDir` is a URL or path prefix of the .wasm files (a trailing '/' is
 * added), or each file's URL by name.
 */
export function initBackend(
  wasmDir?: string | Record<string, string>,
  options: BackendOptions = {},
): Promise<BackendInfo> {
  if (!ready) ready = init(wasmDir, options.threads ?? 1);
  return ready;
}

async function init(wasmDir: string | Record<string, string> | undefined, threads: number): Promise<BackendInfo> {
  if (typeof wasmDir === 'string' && wasmDir) setWasmPaths(wasmDir.endsWith('/') ? wasmDir : `${wasmDir}/`);
  else if (wasmDir) setWasmPaths(wasmDir);
  // Where threads are possible, tfjs would pick the threaded build even for one thread.
  if (threads <= 1) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  else {
    setThreadsCount(threads);
    liftThreadCap(threads);
  }
  const ok = await tf.setBackend('wasm');
  if (!ok) throw new Error('could not start the TensorFlow.js WASM backend (tf.setBackend("wasm") returned false)');
  await tf.ready();
  installKernelFixes();
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  return {
    backend: tf.getBackend(),
    simd,
    threads: getThreadsCount(),
    tfjsVersion: tf.version_core,
    wasmVersion: version_wasm,
  };
}

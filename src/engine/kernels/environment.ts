/**
 * The environment a run executes in, as its record keeps it, and the options of the backend that starts it. Kept apart
 * from tf.ts so that the public declarations of initEnvironment name no TensorFlow.js type: a user's type check never
 * reads tfjs's own .d.ts (which do not check with skipLibCheck off).
 */
import { env } from '../../contract/host.js';
import type { Environment } from '../../contract/record.js';
import { FLUCTLAB_VERSION } from '../../contract/version.js';
import type { BackendOptions } from './backendOptions.js';
import { initBackend } from './tf.js';

export type { BackendOptions };

/**
 * Initialises the TensorFlow.js WASM backend of this realm (once; `wasmDir` is a URL or path of the folder of the tfjs
 * .wasm files, or each file's URL by name)
 * and describes the environment a run executes in, as its record keeps it. lrFind takes it; in Node,
 * fluctlab/node's nodeEnvironment() finds the .wasm files itself.
 *
 *     const environment = await initEnvironment('/fluctlab/wasm/'); // a page that hosts fluctlab's dist/web at /fluctlab/
 */
export async function initEnvironment(
  wasmDir?: string | Record<string, string>,
  options: BackendOptions = {},
): Promise<Environment> {
  const info = await initBackend(wasmDir, options);
  return {
    runtime: env.runtime,
    backend: info.backend,
    simd: info.simd,
    threads: info.threads,
    tfjsVersion: info.tfjsVersion,
    fluctlabVersion: FLUCTLAB_VERSION,
  };
}

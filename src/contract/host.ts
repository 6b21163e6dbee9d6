/**
 * Where am I running? The one module that looks at the host (Node or
 * browser, cores, cross-origin isolation). Frozen; everything else reads it.
 *
 *     import { env } from './host.js'; if (env.isNode) …
 */
interface HostGlobals {
  process?: {
    versions?: { node?: string };
    release?: { name?: string };
    getBuiltinModule?: (id: string) => { setFlagsFromString?: (flags: string) => void } | undefined;
  };
  navigator?: { hardwareConcurrency?: number; userAgent?: string; serviceWorker?: unknown };
  crossOriginIsolated?: boolean;
  isSecureContext?: boolean;
  document?: unknown;
  importScripts?: unknown;
}

const g = globalThis as unknown as HostGlobals;
const nodeVersion = g.process?.versions?.node;

/** Facts about the host, computed once. */
export const env = Object.freeze({
  isNode: typeof nodeVersion === 'string',
  isBrowser:
    typeof nodeVersion !== 'string' && (typeof g.document !== 'undefined' || typeof g.importScripts === 'function'),
  /** "node 20.20.2" or the browser's user agent */
  runtime: typeof nodeVersion === 'string' ? `node ${nodeVersion}` : (g.navigator?.userAgent ?? 'unknown'),
  /** pages need COOP/COEP headers for SharedArrayBuffer and WASM threads */
  crossOriginIsolated: g.crossOriginIsolated === true,
  hardwareConcurrency: g.navigator?.hardwareConcurrency ?? 1,
  /** SharedArrayBuffer exists in Node and in cross-origin-isolated pages */
  sharedMemory: typeof SharedArrayBuffer !== 'undefined',
  /** a page may register a service worker (secure context, supported): the isolation option for header-less hosts */
  serviceWorkers: g.isSecureContext === true && typeof g.navigator?.serviceWorker !== 'undefined',
});

/**
 * Lets this realm compile relaxed SIMD, which the `fma` arithmetic needs (engine/kernels/arithmetic.ts). Node 20's V8
 * has it behind a flag that is read when a module is compiled, so setting it before the first such module is in time;
 * V8's flags are the process's, so worker threads have it too. Node 22 and later, and Chromium, ship relaxed SIMD, and
 * browsers have no flags to set. Through process.getBuiltinModule (Node ≥ 20.16), so that no bundle sees node:v8.
 */
export function allowRelaxedSimd(): void {
  g.process?.getBuiltinModule?.('node:v8')?.setFlagsFromString?.('--experimental-wasm-relaxed-simd');
}

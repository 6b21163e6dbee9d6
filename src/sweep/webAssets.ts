/**
 * The tfjs .wasm binaries the web workers load, imported with `?url`: Vite writes each into fluctlab's site as
 * `wasm/<name>` and into fluctlab-web.js as `new URL('wasm/<name>', import.meta.url)`, the form a bundler that builds a
 * page importing fluctlab/web (Vite, webpack 5, Parcel, esbuild with a plugin) recognises and emits itself, as it does
 * the worker script (webPool.ts). Nothing needs copying into a page that bundles fluctlab/web.
 *
 *     wasmFiles() // { 'tfjs-backend-wasm-simd.wasm': 'https://example.org/assets/tfjs-backend-wasm-simd-1a2b.wasm', … }
 */
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { siteUrl } from './site.js';

const FILES = {
  'tfjs-backend-wasm.wasm': plain,
  'tfjs-backend-wasm-simd.wasm': simd,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedSimd,
};

/**
 * Each tfjs .wasm file's URL, by the name tfjs asks for (setWasmPaths' file map): where the bundle put it, or under
 * `assets`, a hosted fluctlab site folder, whose wasm/ holds them by name (for bundlers that do not emit them).
 */
export function wasmFiles(assets?: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(FILES).map(([name, url]) => [name, assets === undefined ? url : siteUrl(`wasm/${name}`, assets)]),
  );
}

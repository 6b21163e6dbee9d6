/**
 * Builds dist/tfjs-web/, the `fluctlab/tfjs` entry for browsers (package.json's "browser" condition): fluctlab-tfjs.js
 * with tfjs-core and tfjs-layers left as imports, so a page's models and fluctlab's callback share the page's tfjs (a
 * callback from a second tfjs-layers would not be taken for one), sweepModel's Web Worker (fit-worker-<hash>.js, a
 * classic script with its own tfjs inside) and the tfjs .wasm binaries (wasm/).
 *
 *     npx vite build -c vite.tfjs.config.ts      (part of npm run build)
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { noForeignSourceMaps } from './vite.web.config.ts';

const root = dirname(fileURLToPath(import.meta.url));

/** workerpool's browser bundle names Node modules on code paths a browser never takes. */
const quiet = (message: string) => /externalized for browser compatibility/.test(message);

export default defineConfig({
  root: resolve(root, 'src/tfjs'),
  base: './',
  publicDir: false,
  logLevel: 'warn',
  plugins: [noForeignSourceMaps()],
  worker: {
    format: 'iife',
    plugins: () => [noForeignSourceMaps()],
    // no renaming in the worker: tfjs starts its WASM threads from the source text of a function in the bundle
    rolldownOptions: {
      output: { entryFileNames: '[name]-[hash].js', minify: { mangle: false, compress: false } },
      checks: { bundlerTimings: false },
    },
  },
  build: {
    outDir: resolve(root, 'dist/tfjs-web'),
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: '',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 4096,
    rolldownOptions: {
      checks: { bundlerTimings: false },
      preserveEntrySignatures: 'exports-only',
      external: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers'],
      onLog(level, log, handler) {
        if (!quiet(log.message)) handler(level, log);
      },
      input: { 'fluctlab-tfjs': resolve(root, 'src/tfjs/browser.ts') },
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: '[name]-[hash].js',
        assetFileNames: (asset) =>
          asset.names.some((n) => n.startsWith('tfjs-backend-wasm'))
            ? 'wasm/[name][extname]'
            : '[name]-[hash][extname]',
      },
    },
  },
});

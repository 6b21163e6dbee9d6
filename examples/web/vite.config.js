// Builds the page with fluctlab/web bundled in, and copies fluctlab's site folder (worker, tfjs .wasm, MNIST) to
// fluctlab/ in the output, where main.js tells fluctlab to find it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { defineConfig } from 'vite';

const require = createRequire(import.meta.url);
const site = join(dirname(require.resolve('fluctlab/package.json')), 'dist', 'web');

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else yield p;
  }
}

export default defineConfig({
  base: './',
  plugins: [
    {
      name: 'copy-fluctlab-site',
      apply: 'build',
      generateBundle() {
        for (const f of files(site)) this.emitFile({ type: 'asset', fileName: `fluctlab/${relative(site, f)}`, source: readFileSync(f) });
      },
    },
  ],
});

// Builds the page with fluctlab/web bundled in, and copies fluctlab's site folder (worker, tfjs .wasm, MNIST) to
// fluctlab/ in the output, where main.js tells fluctlab to find it; `vite` (the dev server) serves that folder at the
// same path.
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { defineConfig, searchForWorkspaceRoot } from 'vite';

const require = createRequire(import.meta.url);
const site = join(dirname(require.resolve('fluctlab/package.json')), 'dist', 'web');
const TYPES = {
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
  '.html': 'text/html',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else yield p;
  }
}

export default defineConfig({
  base: './',
  // the dev server loads the worker script from the installed package, which may sit above this folder
  server: { fs: { allow: [searchForWorkspaceRoot(process.cwd()), site] } },
  plugins: [
    {
      name: 'fluctlab-site',
      generateBundle() {
        for (const f of files(site))
          this.emitFile({ type: 'asset', fileName: `fluctlab/${relative(site, f)}`, source: readFileSync(f) });
      },
      configureServer(server) {
        server.middlewares.use('/fluctlab/', (req, res, next) => {
          const file = resolve(site, decodeURIComponent(req.url.split('?')[0]).replace(/^\/+/, ''));
          if (!file.startsWith(site + sep) || !statSync(file, { throwIfNoEntry: false })?.isFile()) return next();
          res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
          createReadStream(file).pipe(res);
        });
      },
    },
  ],
});

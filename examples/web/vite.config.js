// Nothing of fluctlab's to copy: fluctlab/web names its worker script and the tfjs .wasm files with
// new URL(…, import.meta.url), so `vite build` emits them into dist/ itself. The dev server serves them from the
// installed package, as long as it does not pre-bundle fluctlab/web into its cache (which would move the module away
// from the files beside it).
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  optimizeDeps: { exclude: ['fluctlab'] },
});

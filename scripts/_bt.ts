import { GEMM_FMA_WASM } from '../src/engine/kernels/wasm/gemmFmaWasm.js';
import { findChromium, launchChromium } from '../test/helpers/browser.js';
const chromium = findChromium()!;
const context = await launchChromium(chromium);
const page = await context.newPage();
await page.goto('about:blank');
const bytes = Array.from(GEMM_FMA_WASM);
const code = `(async () => {
  const b = ${JSON.stringify(bytes)};
  const memory = new WebAssembly.Memory({ initial: 200 });
  const g = (await WebAssembly.instantiate(new Uint8Array(b), { env: { memory } })).instance.exports;
  const f32 = new Float32Array(memory.buffer);
  let top = 1024;
  function alloc(n) { const a = top; top += n * 4 + 64; return a; }
  const res = [];
  for (const [M, K, N] of [[64, 784, 128], [64, 120, 400]]) {
    const x = alloc(M * K), xt = alloc(M * K), w = alloc(K * N), bb = alloc(N), c1 = alloc(M * N), c2 = alloc(M * N);
    for (let i = 0; i < M * K; i++) f32[x / 4 + i] = Math.sin(i * 0.7);
    for (let i = 0; i < K * N; i++) f32[w / 4 + i] = Math.cos(i * 0.3) * 0.1;
    function rowMajor() { g.gemm(x, K * 4, 4, w, N * 4, bb, c1, M, K, N, 3); }
    function tr() { g.transpose(x, xt, M, K); }
    function aT() { g.gemm(xt, 4, M * 4, w, N * 4, bb, c2, M, K, N, 3); }
    function time(f) { for (let i = 0; i < 50; i++) f(); const t0 = performance.now(); for (let i = 0; i < 400; i++) f(); return ((performance.now() - t0) / 400 * 1000).toFixed(0); }
    for (let k = 0; k < 2; k++) res.push(M + 'x' + K + 'x' + N + ': row-major ' + time(rowMajor) + ' us, transpose ' + time(tr) + ' + At ' + time(aT) + ' us');
  }
  return res;
})()`;
const out = (await page.evaluate(code)) as string[];
console.log(out.join('\n'));
await context.closeAll();

/**
 * Training speed in the browser: the default MLP (784-128-64-10, batch 64,
 * SGD, lr 0.1, recording on, a window every 47 steps as in the CLI's default run) on 32,000 MNIST examples
 * (500 steps), trained by the page in a Web Worker of headless Chromium,
 * through a cross-origin-isolated server, as a user would. The same workload
 * as the Node figure in bench.ts; the speed is the RunRecord's own
 * `timing.samplesPerSecond`, measured inside the worker. One warm-up sweep,
 * then the median of BENCH_REPS (default 5) one-run sweeps in the same tab.
 *
 *     npx tsx scripts/bench-browser.ts     (after npm run build)
 *
 * benchBrowser() resolves to null when no Chromium is installed.
 */
import { readFileSync } from 'node:fs';
import { webDir } from '../src/cli/commands/serve.js';
import { DEFAULT_WINDOWS, stepsPerRun, windowStepsForCount } from '../src/contract/config.js';
import { DEFAULTS } from '../src/contract/configure.js';
import { startStaticServer } from '../src/node/staticServer.js';
import { findChromium, launchChromium } from '../test/helpers/browser.js';

const REPS = Number(process.env.BENCH_REPS ?? 5);
const QUERY = 'lrs=0.1&train-limit=32000&batch=64';
/** Steps between window closes in `fluctlab sweep`'s default run: one epoch of MNIST's 60,000 images, 20 windows. */
const DEFAULT_CADENCE = windowStepsForCount(stepsPerRun(DEFAULTS, 60_000), DEFAULT_WINDOWS);

/**
 * Median samples/s of the page's one-run sweeps, or null without a browser; `threads` forces that many WASM threads
 * (the page's Threads field), `windowSteps` is the cadence (bench.ts passes the one its Node figures use).
 */
export async function benchBrowser(
  threads?: number,
  windowSteps = DEFAULT_CADENCE,
): Promise<{ samplesPerSecond: number; threads: number; runs: number[] } | null> {
  const chromium = findChromium();
  if (!chromium) return null;
  const server = await startStaticServer({ root: webDir(), host: '127.0.0.1', port: 0 });
  const context = await launchChromium(chromium);
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}?${QUERY}&window-steps=${windowSteps}${threads ? `&threads=${threads}` : ''}`);
    const speeds: number[] = [];
    let used = 0;
    for (let i = 0; i <= REPS; i++) {
      await page.locator('body:not([data-state=running]):not([data-state=loading])').waitFor();
      await page.click('#run');
      await page.locator('body[data-state=running]').waitFor();
      await page.locator('body[data-state=done], body[data-state=error]').waitFor({ timeout: 300_000 });
      if ((await page.getAttribute('body', 'data-state')) !== 'done')
        throw new Error(`browser bench: ${await page.locator('#status').innerText()}`);
      const download = page.waitForEvent('download');
      await page.click('#download-runs');
      const [record] = JSON.parse(readFileSync(await (await download).path(), 'utf8'));
      used = record.environment.threads;
      if (i > 0) speeds.push(record.timing.samplesPerSecond); // the first is the warm-up
    }
    const sorted = [...speeds].sort((a, b) => a - b);
    return { samplesPerSecond: sorted[Math.floor(sorted.length / 2)], threads: used, runs: speeds };
  } finally {
    await context.closeAll();
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const threads of [1, 2, 4]) {
    const r = await benchBrowser(threads);
    if (!r) {
      console.log('browser: no Chromium found (apt-get install -y chromium)');
      break;
    }
    console.log(
      `browser (headless Chromium, Web Worker, ${r.threads} WASM thread${r.threads === 1 ? '' : 's'}): ${Math.round(r.samplesPerSecond)} samples/s, median of ${r.runs.map((x) => Math.round(x)).join(', ')}`,
    );
  }
}

import { DEFAULTS } from '../src/contract/configure.js';
import { withWindows } from '../src/contract/config.js';
import { trainRun } from '../src/engine/training/run.js';
import { loadDataset } from '../src/node/loadData.js';
import { nodeEnvironment } from '../src/sweep/nodeBackend.js';
const environment = await nodeEnvironment();
const data = loadDataset(DEFAULTS);
const w = Number(process.argv[2] ?? 20);
const config = withWindows({ ...DEFAULTS, lrs: [0.1] }, w, 60000);
await trainRun(data, { ...config, trainLimit: 6400 }, { lr: 0.1, seed: 1 }, environment);
for (let i = 0; i < 2; i++) {
  const t0 = performance.now();
  const r = await trainRun(data, config, { lr: 0.1, seed: 1 }, environment);
  console.log(w, 'windows', r.windows.length, 'trainSeconds', r.timing.trainSeconds.toFixed(3), 'wall', ((performance.now() - t0) / 1000).toFixed(3));
}

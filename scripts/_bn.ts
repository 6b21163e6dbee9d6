import { DEFAULTS } from '../src/contract/configure.js';
import { trainRun } from '../src/engine/training/run.js';
import { loadDataset } from '../src/node/loadData.js';
import { nodeEnvironment } from '../src/sweep/nodeBackend.js';
import { benchBrowser } from './bench-browser.js';
const environment = await nodeEnvironment();
const data = loadDataset(DEFAULTS);
const config = { ...DEFAULTS, trainLimit: 32000, lrs: [0.1], windowSteps: 47 };
await trainRun(data, config, { lr: 0.1, seed: 1 }, environment);
for (let i = 0; i < 2; i++) {
  const node = [];
  for (let k = 0; k < 3; k++) node.push((await trainRun(data, config, { lr: 0.1, seed: 1 }, environment)).timing.samplesPerSecond);
  const b = await benchBrowser(1, 47);
  console.log('node', node.map((x) => Math.round(x)).join(' '), 'browser', b?.runs.map((x) => Math.round(x)).join(' '));
}

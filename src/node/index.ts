/**
 * fluctlab/node: sweeps on worker threads with the result folder the CLI writes, data sets on disk, the report and
 * the exports. Everything that runs anywhere (configs, records and their analysis, lrFind, readers of your own data)
 * comes from 'fluctlab'.
 *
 *     import { sweep, writeReport } from 'fluctlab/node';
 *     const { result, records } = await sweep({ lrs: [0.1, 0.01, 0.001], trainLimit: 6000 }, { out: 'runs/demo', onProgress: (p) => console.log(p.id, p.step) });
 *     await writeReport('runs/demo', result, records); // runs/demo/report.html
 */
export { sweep, type NodeSweepOptions } from './api.js';
export { loadDataset } from './loadData.js';
export { nodeEnvironment } from '../sweep/nodeBackend.js';
export { readSweepFolder, type SweepFolder } from '../store/readSweep.js';
export { writeReport, type ReportOutcome } from '../store/reportFolder.js';
export { writeNpyExport } from '../store/npyExport.js';
export { writeTensorboardExport } from '../store/tensorboardExport.js';

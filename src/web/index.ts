/**
 * fluctlab/web: sweeps in Web Workers and the `<fluct-sweep>` element, for pages bundled with Vite or any bundler.
 * The workers load the tfjs .wasm binaries (and MNIST, when a config names it) from the hosted copy of fluctlab's
 * dist/web folder that `assets` names. Everything that runs anywhere comes from 'fluctlab'.
 *
 *     import { sweep, defineFluctSweep } from 'fluctlab/web';
 *     const { result } = await sweep({ data: 'shapes', model: 'ae:64,16', optimizer: 'adam', lrs: [0.01, 0.001] }, { assets: '/fluctlab/' });
 *     defineFluctSweep(); // <fluct-sweep lrs="0.1,0.01"></fluct-sweep> now works on this page
 */
export { sweep, type WebSweepOptions } from './sweep.js';
export { liveSweep, type LiveSweepOptions, type LiveSweepView } from './liveSweep.js';
export { defineFluctSweep, FluctSweepElement } from './fluctSweep.js';
export type { PoolPlan } from '../sweep/poolPlan.js';

/**
 * The site's fluct-sweep.js: one script tag registers `<fluct-sweep>`, with the site's files found next to it.
 */
import { defineFluctSweep } from './fluctSweep.js';

defineFluctSweep();

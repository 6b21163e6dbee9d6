/**
 * `fluctlab lr-find`: Smith's LR range test on one run of the configured model
 * and data, with the fluctuation recorder along the ramp (src/engine/training/lrFind.ts).
 * Writes a folder (default runs/lr-find-<UTC timestamp>) holding lr-find.json,
 * lr-find.html and figures/ (SVG and PNG), and prints the suggestions.
 */
import { join } from 'node:path';
import { configFromValues } from '../../contract/configure.js';
import { defaultValues } from '../../contract/settings.js';
import { checkFitsData } from '../../engine/training/modelPlan.js';
import { checkArithmetic } from '../../engine/kernels/arithmetic.js';
import type { LrFindResult } from '../../engine/training/lrFind.js';
import { validateLrFindOptions } from '../../engine/training/rangeTest.js';
import { lrLabel, num } from '../../report/format.js';
import { stopWords } from '../../report/lrFindCharts.js';
import { noPositionals, parseFlags } from '../args.js';
import { commandNamed } from '../commandTable.js';
import { checkExportTarget, NEW_FOLDER_ONLY } from '../../store/folderWriter.js';
import { loadDataset } from '../../node/loadData.js';
import { openExecutor } from '../../sweep/openExecutor.js';
import { withInterrupt } from '../interrupt.js';
import { defaultOutDir } from './sweep.js';

/** Runs the lr-find command; returns the exit code. */
export async function lrFindCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, commandNamed('lr-find')!);
  noPositionals(flags, 'lr-find');
  const v = flags.settingValues(defaultValues('lr-find'));
  // the ramp sets the learning rate, and the record's windows are the ramp's (options.windowSteps)
  const config = configFromValues({ ...v, lrs: [1], windowSteps: null }, 'cli');
  const options = { start: v.start, end: v.end, steps: v.steps, windowSteps: v.windowSteps ?? 1 };
  // validate everything before training: the options, the data, the output folder
  validateLrFindOptions(options);
  const data = loadDataset(config);
  checkFitsData(config, data);
  checkArithmetic(config, 'cli');
  const out = flags.text('out') ?? defaultOutDir().replace(/^runs\//, 'runs/lr-find-');
  checkExportTarget(out, NEW_FOLDER_ONLY, null);
  const say = (s: string) => {
    if (!flags.on('quiet')) (flags.on('json') ? process.stderr : process.stdout).write(s);
  };
  say(
    `lr-find: ${config.model} on ${config.data}, ${config.optimizer}, η ${lrLabel(options.start)} → ${lrLabel(options.end)} over ${options.steps} steps\n`,
  );
  let shown = 0;
  // on a worker even alone, so that this thread hears Ctrl-C while the ramp trains
  const executor = openExecutor(1, loadDataset, 'worker');
  return withInterrupt(executor, 'lr-find', null, async () => {
    const result = await executor.lrFind(config, options, config.seeds[0], (p) => {
      if (p.step >= shown + Math.max(1, Math.floor(options.steps / 10))) {
        shown = p.step;
        say(`  step ${p.step}: η ${num(p.lr)}, smoothed loss ${num(p.smoothed)}\n`);
      }
    });
    const { writeLrFindFolder } = await import('../../store/lrFindFolder.js');
    await writeLrFindFolder(out, result);
    if (flags.on('json')) process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
    say(`${summaryLines(result)}\nresults: ${join(out, 'lr-find.json')}\nreport: ${join(out, 'lr-find.html')}\n`);
    return 0;
  });
}

/** The terminal summary: how the ramp ended and the suggestions. */
export function summaryLines(r: LrFindResult): string {
  const lines = [`stopped ${stopWords(r)}`];
  if (r.suggestions.length === 0)
    lines.push('no suggestion: the ramp stopped after fewer than 2 steps (lower --start or raise --steps)');
  for (const s of r.suggestions) lines.push(`  ${s.name.padEnd(11)} η = ${num(s.lr).padEnd(9)} ${s.method}`);
  return lines.join('\n');
}

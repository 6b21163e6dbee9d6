/**
 * `fluctlab lr-find`: Smith's LR range test on one run of the configured model
 * and data, with the fluctuation recorder along the ramp (src/engine/training/lrFind.ts).
 * Writes a folder (default runs/lr-find-<UTC timestamp>) holding lr-find.json,
 * lr-find.html and figures/ (SVG and PNG), and prints the suggestions.
 */
import { join } from 'node:path';
import { DEFAULTS } from '../../contract/config.js';
import { checkFitsData } from '../../engine/training/modelPlan.js';
import { UsageError } from '../../contract/errors.js';
import { LR_FIND_DEFAULTS, lrFind, validateLrFindOptions, type LrFindResult } from '../../engine/training/lrFind.js';
import { lrLabel, num } from '../../report/format.js';
import { stopWords } from '../../report/lrFindCharts.js';
import { configFromFlags, intFlag, numberFlag, parseFlags, TRAINING_FLAGS } from '../args.js';
import { checkExportTarget, NEW_FOLDER_ONLY, writeExportFolder, type FolderFile } from '../../store/folderWriter.js';
import { loadDataset } from '../../node/loadData.js';
import { nodeEnvironment } from '../../sweep/nodeBackend.js';
import { defaultOutDir } from './sweep.js';

const FLAGS = {
  ...TRAINING_FLAGS,
  start: { type: 'string' },
  end: { type: 'string' },
  steps: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
} as const;

/** Training flags that mean nothing to a range test, and why. */
const NOT_FOR_LR_FIND: Partial<Record<keyof typeof FLAGS, string>> = {
  lr: 'lr-find ramps the learning rate itself: set the range with --start and --end',
  epochs: 'lr-find trains for --steps steps, not epochs',
  seeds: 'lr-find trains one run: pick its seed with --seed',
  schedule: 'lr-find ramps the learning rate exponentially: it takes no schedule',
  'diverge-factor': `lr-find stops when the smoothed loss passes 4 × its best: it takes no --diverge-factor`,
};

/** Runs the lr-find command; returns the exit code. */
export async function lrFindCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}": lr-find takes only flags (see fluctlab --help)`);
  for (const [flag, why] of Object.entries(NOT_FOR_LR_FIND)) if (values[flag as keyof typeof values] !== undefined) throw new UsageError(`--${flag}: ${why}`);
  const config = configFromFlags({ ...values, lr: undefined, 'window-steps': undefined }, { ...DEFAULTS, lrs: [1] });
  const options = {
    start: values.start !== undefined ? numberFlag(values.start, 'start', '1e-7') : LR_FIND_DEFAULTS.start,
    end: values.end !== undefined ? numberFlag(values.end, 'end', '10') : LR_FIND_DEFAULTS.end,
    steps: values.steps !== undefined ? intFlag(values.steps, 'steps', '100') : LR_FIND_DEFAULTS.steps,
    windowSteps: values['window-steps'] !== undefined ? intFlag(values['window-steps'], 'window-steps', '1') : LR_FIND_DEFAULTS.windowSteps,
  };
  // validate everything before training: the options, the data, the output folder
  validateLrFindOptions(options);
  const data = loadDataset(config);
  checkFitsData(config, data);
  const out = values.out ?? defaultOutDir().replace(/^runs\//, 'runs/lr-find-');
  checkExportTarget(out, NEW_FOLDER_ONLY, null);
  const environment = await nodeEnvironment();
  const say = (s: string) => {
    if (!values.quiet) (values.json ? process.stderr : process.stdout).write(s);
  };
  say(`lr-find: ${config.model} on ${config.data}, ${config.optimizer}, η ${lrLabel(options.start)} → ${lrLabel(options.end)} over ${options.steps} steps\n`);
  let shown = 0;
  const result = await lrFind(data, config, options, config.seeds[0], environment, {
    onStep: (p) => {
      if (p.step >= shown + Math.max(1, Math.floor(options.steps / 10))) {
        shown = p.step;
        say(`  step ${p.step}: η ${num(p.lr)}, smoothed loss ${num(p.smoothed)}\n`);
      }
    },
  });
  await writeLrFindFolder(out, result);
  if (values.json) process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
  say(`${summaryLines(result)}\nresults: ${join(out, 'lr-find.json')}\nreport: ${join(out, 'lr-find.html')}\n`);
  return 0;
}

/** The terminal summary: how the ramp ended and the suggestions. */
export function summaryLines(r: LrFindResult): string {
  const lines = [`stopped ${stopWords(r)}`];
  if (r.suggestions.length === 0) lines.push('no suggestion: the ramp stopped after fewer than 2 steps (lower --start or raise --steps)');
  for (const s of r.suggestions) lines.push(`  ${s.name.padEnd(11)} η = ${num(s.lr).padEnd(9)} ${s.method}`);
  return lines.join('\n');
}

/** Renders the charts and writes lr-find.json, lr-find.html and figures/ into `out`, all or nothing. */
export async function writeLrFindFolder(out: string, r: LrFindResult): Promise<void> {
  const { renderSvg, svgToPng } = await import('../../store/render.js');
  const { lrFindCharts } = await import('../../report/lrFindCharts.js');
  const { lrFindHtml } = await import('../../report/lrFindHtml.js');
  const { FLUCTLAB_VERSION } = await import('../../contract/version.js');
  const files: FolderFile[] = [{ path: 'lr-find.json', bytes: `${JSON.stringify(r, null, 1)}\n` }];
  const figures = [];
  for (const chart of lrFindCharts(r)) {
    const svg = await renderSvg(chart.spec);
    files.push({ path: `figures/${chart.id}.svg`, bytes: svg }, { path: `figures/${chart.id}.png`, bytes: svgToPng(svg) });
    figures.push({ id: chart.id, title: chart.title, caption: chart.caption, svg });
  }
  files.push({ path: 'lr-find.html', bytes: lrFindHtml(r, figures, new Date().toISOString(), FLUCTLAB_VERSION) });
  writeExportFolder(out, files, NEW_FOLDER_ONLY, null);
}

/**
 * The commands of the CLI: what each does, the settings it takes (a command of the settings table), the flags of its
 * own, and examples. The parser, `--help`, did-you-mean and docs/cli.md all read this table and the settings table;
 * cli.ts maps each name to the module that runs it.
 */
import { defaultValues, type SettingCommand, type SettingValues } from '../contract/settings.js';
import { paperSettingValues } from '../studies/paper/paperStudy.js';

/** A flag of one command that is not a setting of a run (where to write, how to print, how many workers). */
export interface CliFlag {
  flag: string;
  /** the value's placeholder in help (absent: a switch, which takes no value) */
  arg?: string;
  help: string;
}

/** One command. */
export interface CommandSpec {
  name: string;
  /** one line for the command list */
  summary: string;
  /** the usage line after `fluctlab` */
  usage: string;
  /** a paragraph for its own help */
  about?: string;
  /** the settings it takes (a command of the settings table), and the defaults they show */
  settings?: { command: SettingCommand; defaults: () => SettingValues; note?: string };
  flags: CliFlag[];
  /** flags of other commands that this one refuses with a reason, instead of "unknown option" */
  refuses?: Record<string, string>;
  examples: string[];
}

const OUT_SWEEP: CliFlag = {
  flag: 'out',
  arg: '<dir>',
  help: 'result folder (default runs/<UTC timestamp>); must be new or empty',
};
const RESUME: CliFlag = {
  flag: 'resume',
  arg: '<dir>',
  help: 'finish an interrupted sweep in <dir>: finished runs are kept, missing ones run again',
};
const WORKERS: CliFlag = {
  flag: 'workers',
  arg: '<n|auto>',
  help: 'runs trained in parallel, one per worker thread (default auto: the cores available)',
};
const JSON_OUT: CliFlag = { flag: 'json', help: 'print the result as JSON on stdout (progress goes to stderr)' };
const QUIET: CliFlag = { flag: 'quiet', help: 'print nothing but errors' };

/** Every command, in the order `fluctlab --help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'sweep',
    summary: 'train one run per (learning rate, seed) and write a result folder with its report',
    usage: 'sweep [flags]',
    settings: { command: 'sweep', defaults: () => defaultValues('sweep') },
    flags: [
      OUT_SWEEP,
      RESUME,
      WORKERS,
      {
        flag: 'shard',
        arg: '<i/n>',
        help: 'run only shard i of n (runs whose index ≡ i mod n); auto/n reads i from JOB_COMPLETION_INDEX (Kubernetes) or SLURM_ARRAY_TASK_ID (Slurm)',
      },
      JSON_OUT,
      QUIET,
      {
        flag: 'no-report',
        help: 'skip report.html, figures/ and summary.csv (fluctlab report <dir> makes them later)',
      },
      { flag: 'tensorboard', help: 'also write TensorBoard event files to <dir>/tensorboard, as each window closes' },
    ],
    examples: [
      'fluctlab sweep --lr 0.1,0.01,0.001 --epochs 2',
      'fluctlab sweep --model lenet --optimizer adam --lr 0.003,0.001 --seeds 3',
      'fluctlab sweep --resume runs/2026-12-04T10-00-00',
    ],
  },
  {
    name: 'lr-find',
    summary: "Smith's LR range test on one run, with the fluctuation recorder along the ramp",
    usage: 'lr-find [flags]',
    about:
      'Trains one run while the learning rate rises exponentially from --start to --end, prints suggested learning rates, and writes lr-find.json, lr-find.html and figures/.',
    settings: { command: 'lr-find', defaults: () => defaultValues('lr-find') },
    flags: [
      { flag: 'out', arg: '<dir>', help: 'result folder (default runs/lr-find-<UTC timestamp>); must be new' },
      JSON_OUT,
      QUIET,
    ],
    refuses: {
      lr: 'lr-find ramps the learning rate itself: set the range with --start and --end',
      epochs: 'lr-find trains for --steps steps, not epochs',
      seeds: 'lr-find trains one run: pick its seed with --seed',
      schedule: 'lr-find ramps the learning rate exponentially: it takes no schedule',
      'diverge-factor': 'lr-find stops when the smoothed loss passes 4 × its best: it takes no --diverge-factor',
    },
    examples: ['fluctlab lr-find', 'fluctlab lr-find --model lenet --optimizer adam --start 1e-6 --end 1'],
  },
  {
    name: 'report',
    summary: "(re)write a finished sweep's report.html, figures/ (SVG, PNG), summary.csv and aggregate",
    usage: 'report <dir> [flags]',
    flags: [QUIET],
    examples: ['fluctlab report runs/2026-12-04T10-00-00'],
  },
  {
    name: 'export',
    summary: 'write a sweep as NumPy .npy trajectories or TensorBoard event files',
    usage: 'export <dir> --npy|--tensorboard [flags]',
    about:
      'Writes per-run, per-layer statistic trajectories as .npy files (default <dir>/npy; index.json names the columns), or TensorBoard event files with scalars, Δ histograms and the HPARAMS tab (default <dir>/tensorboard).',
    flags: [
      { flag: 'npy', help: 'write NumPy .npy files' },
      { flag: 'tensorboard', help: 'write TensorBoard event files (then: tensorboard --logdir <dir>/tensorboard)' },
      { flag: 'out', arg: '<folder>', help: 'write there instead (one format at a time)' },
      QUIET,
    ],
    examples: [
      'fluctlab export runs/2026-12-04T10-00-00 --npy',
      'fluctlab export runs/2026-12-04T10-00-00 --tensorboard --out tb',
    ],
  },
  {
    name: 'merge',
    summary: 'build one sweep from the shard folders of a sharded sweep',
    usage: 'merge <dir> <dir>… --out <dir> [flags]',
    flags: [{ flag: 'out', arg: '<dir>', help: 'the new folder for the merged sweep (required)' }, QUIET],
    examples: ['fluctlab merge results/shard-0 results/shard-1 results/shard-2 results/shard-3 --out merged'],
  },
  {
    name: 'reproduce',
    summary: "the paper's study: an autoencoder on eight shapes at η 0.01, 0.001, 0.0001, and which claims hold",
    usage: 'reproduce [flags]',
    about:
      "Writes a sweep folder plus reproduce.html (the paper's view and which claims hold) and reproduce-summary.json. The defaults are the study's (docs/paper.md); every setting overrides them.",
    settings: { command: 'reproduce', defaults: paperSettingValues },
    flags: [
      OUT_SWEEP,
      {
        flag: 'resume',
        arg: '<dir>',
        help: 'finish an interrupted study, or add --equal-progress or --with-mnist to a finished one',
      },
      WORKERS,
      { flag: 'quick', help: 'a reduced study that runs in seconds (16×16 shapes, ae:32,8, 6 epochs, 2 seeds)' },
      {
        flag: 'equal-progress',
        help: 'also train each η for epochs·η_min/η epochs (equal η × steps): worse, or slower?',
      },
      {
        flag: 'target-loss',
        arg: '<x>',
        help: "the test loss whose first epoch the equal-progress table reports (default 1.1 × the largest η's final loss)",
      },
      { flag: 'with-mnist', help: 'also run the same learning rates on MNIST (mlp:128,64) for a side-by-side view' },
      { flag: 'mnist-epochs', arg: '<n>', help: 'epochs of that MNIST arm (default 2)' },
      { flag: 'mnist', arg: '<dir>', help: 'use an existing MNIST sweep folder instead of --with-mnist' },
      QUIET,
    ],
    examples: ['fluctlab reproduce --quick', 'fluctlab reproduce --epochs 300 --equal-progress --with-mnist'],
  },
  {
    name: 'serve',
    summary: "serve the web page (dist/web) or a result folder's report on http://127.0.0.1:8080",
    usage: 'serve [dir] [flags]',
    flags: [
      { flag: 'port', arg: '<n>', help: 'port (default 8080; 0 picks a free one, printed at start)' },
      { flag: 'host', arg: '<addr>', help: 'address to listen on (default 127.0.0.1, this machine only)' },
      { flag: 'no-isolation', help: 'leave out the COOP/COEP headers, as a static host that cannot set them would' },
    ],
    examples: ['fluctlab serve', 'fluctlab serve runs/2026-12-04T10-00-00 --port 0'],
  },
];

/** The command of that name, or undefined. */
export function commandNamed(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

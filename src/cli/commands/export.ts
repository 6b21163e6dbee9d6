/**
 * `fluctlab export <dir> --npy|--tensorboard [--out <folder>]`: write a finished
 * sweep's per-run, per-layer trajectories as NumPy .npy files (default folder
 * <dir>/npy; layout in src/store/npyExport.ts) or as TensorBoard event files
 * (default <dir>/tensorboard; src/store/tensorboardExport.ts).
 */
import { join } from 'node:path';
import { UsageError } from '../../contract/errors.js';
import { parseFlags } from '../args.js';
import { commandNamed } from '../commandTable.js';
import { isPreviousNpyExport, writeNpyExport } from '../../store/npyExport.js';
import { checkExportTarget } from '../../store/folderWriter.js';
import { readSweepFolder, type SweepFolder } from '../../store/readSweep.js';
import { onDiskFull } from '../../store/files.js';
import { isPreviousTensorboardExport, writeTensorboardExport } from '../../store/tensorboardExport.js';

const USAGE = 'fluctlab export <dir> --npy (or --tensorboard) [--out <folder>]';

/** Runs the export command; returns the exit code. */
export async function exportCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, commandNamed('export')!);
  const { positionals } = flags;
  const npy = flags.on('npy');
  const tensorboard = flags.on('tensorboard');
  const out = flags.text('out');
  const quiet = flags.on('quiet');
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0
        ? `no result folder given: ${USAGE}`
        : `one result folder expected, got ${positionals.length}: ${USAGE}`,
    );
  if (!npy && !tensorboard)
    throw new UsageError('no format chosen: pass --npy (NumPy .npy files) or --tensorboard (TensorBoard event files)');
  if (npy && tensorboard && out !== undefined)
    throw new UsageError(
      '--out names one folder but --npy and --tensorboard write two: export one format at a time with --out, or drop --out',
    );
  const folder = readSweepFolder(positionals[0]);
  const npyOut = out ?? join(folder.dir, 'npy');
  const tbOut = out ?? join(folder.dir, 'tensorboard');
  // both targets are checked before either is written
  if (npy) checkExportTarget(npyOut, isPreviousNpyExport, 'fluctlab export');
  if (tensorboard) checkExportTarget(tbOut, isPreviousTensorboardExport, 'TensorBoard export');
  await onDiskFull('run the export again', () => write(folder, npy && npyOut, tensorboard && tbOut, quiet));
  return 0;
}

/** Writes the formats asked for (a folder each, or false), saying where unless quiet. */
function write(folder: SweepFolder, npyOut: string | false, tbOut: string | false, quiet: boolean): void {
  if (npyOut) {
    const written = writeNpyExport(npyOut, folder.records);
    if (!quiet)
      process.stdout.write(
        `${written.files} files (${(written.bytes / 1e6).toFixed(1)} MB) in ${npyOut}; index.json names the columns\n`,
      );
  }
  if (tbOut) {
    const written = writeTensorboardExport(tbOut, folder.manifest.config, folder.records);
    if (!quiet)
      process.stdout.write(
        `${written.files} event files (${(written.bytes / 1e6).toFixed(1)} MB) in ${tbOut}; view them with: tensorboard --logdir ${tbOut}\n`,
      );
  }
}

/**
 * `fluctlab export <dir> --npy|--tensorboard [--out <folder>]`: write a finished
 * sweep's per-run, per-layer trajectories as NumPy .npy files (default folder
 * <dir>/npy; layout in src/store/npyExport.ts) or as TensorBoard event files
 * (default <dir>/tensorboard; src/store/tensorboardExport.ts).
 */
import { join } from 'node:path';
import { UsageError } from '../../contract/errors.js';
import { parseFlags } from '../args.js';
import { isPreviousNpyExport, writeNpyExport } from '../../store/npyExport.js';
import { checkExportTarget } from '../../store/folderWriter.js';
import { readSweepFolder } from '../../store/readSweep.js';
import { isPreviousTensorboardExport, writeTensorboardExport } from '../../store/tensorboardExport.js';

const USAGE = 'fluctlab export <dir> --npy (or --tensorboard) [--out <folder>]';

/** Runs the export command; returns the exit code. */
export async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { npy: { type: 'boolean' }, tensorboard: { type: 'boolean' }, out: { type: 'string' }, quiet: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? `no result folder given: ${USAGE}` : `one result folder expected, got ${positionals.length}: ${USAGE}`);
  if (!values.npy && !values.tensorboard) throw new UsageError('no format chosen: pass --npy (NumPy .npy files) or --tensorboard (TensorBoard event files)');
  if (values.npy && values.tensorboard && values.out !== undefined) throw new UsageError('--out names one folder but --npy and --tensorboard write two: export one format at a time with --out, or drop --out');
  const folder = readSweepFolder(positionals[0]);
  const npyOut = values.out ?? join(folder.dir, 'npy');
  const tbOut = values.out ?? join(folder.dir, 'tensorboard');
  // both targets are checked before either is written
  if (values.npy) checkExportTarget(npyOut, isPreviousNpyExport, 'fluctlab export');
  if (values.tensorboard) checkExportTarget(tbOut, isPreviousTensorboardExport, 'TensorBoard export');
  if (values.npy) {
    const written = writeNpyExport(npyOut, folder.records);
    if (!values.quiet) process.stdout.write(`${written.files} files (${(written.bytes / 1e6).toFixed(1)} MB) in ${npyOut}; index.json names the columns\n`);
  }
  if (values.tensorboard) {
    const written = writeTensorboardExport(tbOut, folder.manifest.config, folder.records);
    if (!values.quiet) process.stdout.write(`${written.files} event files (${(written.bytes / 1e6).toFixed(1)} MB) in ${tbOut}; view them with: tensorboard --logdir ${tbOut}\n`);
  }
  return 0;
}

/**
 * `fluctlab export <dir> --npy [--out <folder>]`: write a finished sweep's
 * per-run, per-layer statistic trajectories as NumPy .npy files (default
 * folder <dir>/npy) for `numpy.load`. See src/node/export.ts for the layout.
 */
import { join } from 'node:path';
import { UsageError } from '../../core/config.js';
import { parseFlags } from '../args.js';
import { writeNpyExport } from '../export.js';
import { readSweepFolder } from '../readSweep.js';

/** Runs the export command; returns the exit code. */
export async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { npy: { type: 'boolean' }, out: { type: 'string' }, quiet: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'no result folder given: fluctlab export <dir> --npy' : `one result folder expected, got ${positionals.length}: fluctlab export <dir> --npy`);
  if (!values.npy) throw new UsageError('no format chosen: pass --npy (NumPy .npy files)');
  const folder = readSweepFolder(positionals[0]);
  const out = values.out ?? join(folder.dir, 'npy');
  const written = writeNpyExport(out, folder.records);
  if (!values.quiet) process.stdout.write(`${written.files} files (${(written.bytes / 1e6).toFixed(1)} MB) in ${out}; index.json names the columns\n`);
  return 0;
}

/**
 * `fluctlab report <dir>`: (re)build a finished sweep's report from its run
 * records: report.html, figures/, summary.csv and sweep.json with the aggregate.
 * Refuses folders that are not finished sweeps, and damaged or inconsistent
 * files, before writing anything.
 */
import { UsageError } from '../../contract/errors.js';
import { parseFlags } from '../args.js';
import { commandNamed } from '../commandTable.js';
import { readSweepFolder } from '../../store/readSweep.js';
import { bandLine } from '../../report/table.js';
import { writeReport } from '../../store/reportFolder.js';
import { onDiskFull } from '../../store/files.js';

/** Runs the report command; returns the exit code. */
export async function reportCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, commandNamed('report')!);
  const { positionals } = flags;
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0
        ? 'no result folder given: fluctlab report <dir>'
        : `one result folder expected, got ${positionals.length}: fluctlab report <dir>`,
    );
  const folder = readSweepFolder(positionals[0]);
  const report = await onDiskFull(`run fluctlab report ${folder.dir}`, () =>
    writeReport(folder.dir, folder.result, folder.records),
  );
  if (process.env.FLUCTLAB_DEBUG)
    for (const w of report.warnings) process.stderr.write(`fluctlab report: chart ${w}\n`);
  if (!flags.on('quiet')) process.stdout.write(`${bandLine(folder.result.aggregate)}\nreport: ${report.html}\n`);
  return 0;
}

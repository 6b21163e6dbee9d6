/**
 * `fluctlab merge <dir>... --out <dir>`: build one sweep from shard folders
 * written by `fluctlab sweep --shard i/n` on many machines. Refuses shards
 * whose configs differ, overlapping or inconsistent shards, missing shards and
 * unfinished ones, before writing anything.
 */
import { rmSync } from 'node:fs';
import { runId } from '../../contract/config.js';
import { UsageError } from '../../contract/errors.js';
import { recordOfOtherModel, type RunRecord } from '../../contract/record.js';
import { mixedArithmetics } from '../../contract/recordArithmetic.js';
import { modelLayers } from '../../contract/modelSpec.js';
import { buildSweepResult } from '../../analysis/sweepResult.js';
import { parseFlags } from '../args.js';
import { commandNamed } from '../commandTable.js';
import { reportAfterSweep } from '../../store/reportFolder.js';
import { onDiskFull, writeJsonAtomic } from '../../store/files.js';
import { createResultDir, readManifest, readRunRecord, sweepPath, writeRunRecord } from '../../store/resultDir.js';
import { shardRuns } from '../../store/sweepFolder.js';
import { sweepTable } from '../../report/table.js';

/** Runs the merge command; returns the exit code. */
export async function mergeCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, commandNamed('merge')!);
  const dirs = flags.positionals;
  const out = flags.text('out');
  if (dirs.length === 0) throw new UsageError('no shard folders given: fluctlab merge <dir> <dir>… --out <dir>');
  if (!out) throw new UsageError('--out is required: name a new folder for the merged sweep');
  const manifests = dirs.map((d) => ({ dir: d, m: readManifest(d) }));
  const first = manifests[0];
  const config = first.m.config;
  for (const { dir, m } of manifests.slice(1)) {
    if (JSON.stringify(m.config) !== JSON.stringify(config))
      throw new UsageError(
        `${dir} holds a sweep with a different config than ${first.dir}: merge only shards of one sweep`,
      );
  }
  const count = first.m.shard?.count ?? 1;
  const seen = new Map<number, string>();
  for (const { dir, m } of manifests) {
    const shard = m.shard ?? { index: 0, count: 1 };
    if (shard.count !== count)
      throw new UsageError(
        `${dir} is shard ${shard.index}/${shard.count} but ${first.dir} splits the sweep into ${count}: merge shards of one split`,
      );
    if (seen.has(shard.index))
      throw new UsageError(
        `${dir} and ${seen.get(shard.index)} are both shard ${shard.index}/${count}: pass each shard once`,
      );
    seen.set(shard.index, dir);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length)
    throw new UsageError(
      `shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count} missing: pass every shard folder`,
    );
  const records: RunRecord[] = [];
  for (const { dir, m } of manifests) {
    for (const spec of shardRuns(config, m.shard)) {
      const r = readRunRecord(dir, spec);
      if (!r)
        throw new UsageError(
          `${dir} has not finished run ${runId(spec)}: finish it with fluctlab sweep --resume ${dir}`,
        );
      records.push(r);
    }
  }
  const other = recordOfOtherModel(config, records);
  if (other)
    throw new UsageError(
      `run ${other.id} trained ${other.modelLayers}, but model "${config.model}" is ${modelLayers(config.model)} in this fluctlab: merge shards written by one fluctlab, or run that shard again with this one`,
    );
  const mixed = mixedArithmetics(records);
  if (mixed)
    throw new UsageError(
      `the shards' runs used different arithmetics, ${mixed}, so their records would not be one sweep's: run the shards again with one --arithmetic (fma or exact)`,
    );
  createResultDir(out, config, null);
  const result = buildSweepResult(config, records);
  // a merge that cannot finish leaves no half-merged folder (a resume would train the runs it lacks)
  const reportLines = await onDiskFull('run the merge again', async () => {
    try {
      for (const r of records) writeRunRecord(out, r);
      writeJsonAtomic(sweepPath(out), result);
      return await reportAfterSweep(out, result, records);
    } catch (e) {
      rmSync(out, { recursive: true, force: true });
      throw e;
    }
  });
  if (!flags.on('quiet'))
    process.stdout.write(
      `${sweepTable(result.runs)}\n\nmerged ${dirs.length} shard folder${dirs.length > 1 ? 's' : ''}: ${sweepPath(out)}\n${reportLines}`,
    );
  return 0;
}

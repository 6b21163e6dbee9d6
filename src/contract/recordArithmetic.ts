/**
 * Which arithmetic finished records used (config.ts ARITHMETICS), for the places that must not mix them: a resumed
 * sweep (store/sweepFolder.ts) and a merge of shards (cli/commands/merge.ts).
 */
import type { Arithmetic } from './config.js';
import type { RunRecord } from './record.js';

/** The arithmetic a record's products used: exact where the record is older than the field (and for a failed run, none). */
export function arithmeticOf(r: RunRecord): Arithmetic | null {
  return r.arithmetic ?? (r.status === 'failed' ? null : 'exact');
}

/** The arithmetics of finished records, as "fma (3 runs), exact (2 runs)", or null when they agree (or there are none). */
export function mixedArithmetics(records: readonly RunRecord[]): string | null {
  const counts = new Map<Arithmetic, number>();
  for (const r of records) {
    const a = arithmeticOf(r);
    if (a) counts.set(a, (counts.get(a) ?? 0) + 1);
  }
  if (counts.size < 2) return null;
  return [...counts].map(([a, n]) => `${a} (${n} run${n === 1 ? '' : 's'})`).join(', ');
}

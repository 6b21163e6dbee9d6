/**
 * Writing an export folder all or nothing: files go to a staging folder that
 * replaces `out` only when every one was written. `out` may be new, empty, or
 * hold a previous export of the same kind (which is replaced); anything else is
 * refused, so nothing a user keeps there is lost.
 *
 *     writeExportFolder('runs/x/npy', files, isPreviousNpyExport, 'fluctlab export');
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../contract/errors.js';

/** One file of an export, by its path relative to the export folder. */
export interface FolderFile {
  path: string;
  bytes: Uint8Array | string;
}

/** Never a previous export: the folder must be new or empty. */
export const NEW_FOLDER_ONLY = (): boolean => false;

/** Refuses an `out` that is a file, or a non-empty folder that holds no previous export of this kind (`what`; null: none may be replaced). */
export function checkExportTarget(out: string, isPrevious: (dir: string) => boolean, what: string | null): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new UsageError(`${out} is a file, not a folder: choose a new or empty folder with --out`);
  if (readdirSync(out).length > 0 && !isPrevious(out)) throw new UsageError(`${out} is not empty${what ? ` and holds no previous ${what}` : ''}: choose a new or empty folder with --out`);
}

/** Writes the files under `out` (checked with checkExportTarget first); a previous export there is replaced. Returns the bytes written. */
export function writeExportFolder(out: string, files: readonly FolderFile[], isPrevious: (dir: string) => boolean, what: string | null): number {
  checkExportTarget(out, isPrevious, what);
  const stage = `${out}.tmp-${process.pid}`;
  rmSync(stage, { recursive: true, force: true });
  let bytes = 0;
  try {
    for (const f of files) {
      mkdirSync(dirname(join(stage, f.path)), { recursive: true });
      writeFileSync(join(stage, f.path), f.bytes);
      bytes += typeof f.bytes === 'string' ? Buffer.byteLength(f.bytes) : f.bytes.length;
    }
    mkdirSync(stage, { recursive: true });
    const old = `${out}.old-${process.pid}`;
    if (existsSync(out)) renameSync(out, old);
    renameSync(stage, out);
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  return bytes;
}

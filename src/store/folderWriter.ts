/**
 * All-or-nothing folder writes: the one writer of everything fluctlab writes as several files at once (a sweep's
 * report, the reproduction's page and figures, an export). Every file goes to a staging folder inside the target folder
 * first; only when all of them were written are they renamed into place, and on a failure the staging folder, with
 * all that was written, is removed: the folder keeps its old version whole. Nothing a user keeps is overwritten: a write
 * replaces the files it writes and the sub-folders the caller names as its own (each as a whole), nothing else.
 *
 *     writeFolder(dir, [{ path: 'figures/loss.svg', bytes: svg }, { path: 'report.html', bytes: html }], ['figures']);
 *     writeExportFolder('runs/x/npy', files, isPreviousNpyExport, 'fluctlab export');
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../contract/errors.js';
import { DiskFullError, isDiskFull } from './files.js';

/** One file of a folder write, by its path ('/'-separated) relative to the folder. */
export interface FolderFile {
  path: string;
  bytes: Uint8Array | string;
}

/** True for the name of a staging folder (a write killed before its end leaves one; removeTempFiles tidies it). */
export const isStagingFolder = (name: string): boolean => /^\.fluctlab-tmp-\d+$/.test(name);

/**
 * Writes `files` under `dir` (created if missing), all or nothing; returns the bytes written. Each name in `folders`
 * is a sub-folder of `dir` that this write replaces as a whole with the files written into it (an empty folder when
 * none are); every other file lies in `dir` itself and replaces only the file of its name. Folders are renamed into
 * place first, then the files in the order given: a page written last never links to figures not there yet.
 */
export function writeFolder(dir: string, files: readonly FolderFile[], folders: readonly string[] = []): number {
  const unsafe = [...folders, ...files.map((f) => f.path)].find((p) => !isPlainPath(p));
  if (unsafe !== undefined)
    throw new Error(`${unsafe} is not a plain relative path: a folder write stays inside ${dir}`);
  const outside = files.find((f) => f.path.includes('/') && !folders.includes(f.path.split('/')[0]));
  if (outside)
    throw new Error(`${outside.path} lies in no folder this write replaces (${folders.join(', ') || 'none'})`);
  const stage = join(dir, `.fluctlab-tmp-${process.pid}`);
  // New versions go to stage/new; the folders they replace are set aside in stage/old and go with the stage.
  const fresh = join(stage, 'new');
  const old = join(stage, 'old');
  rmSync(stage, { recursive: true, force: true });
  let bytes = 0;
  // the file being written, for the one line a full disk gives
  let writing = dir;
  try {
    mkdirSync(old, { recursive: true });
    for (const name of folders) mkdirSync(join(fresh, name), { recursive: true });
    for (const f of files) {
      writing = join(dir, f.path);
      mkdirSync(dirname(join(fresh, f.path)), { recursive: true });
      writeFileSync(join(fresh, f.path), f.bytes);
      bytes += typeof f.bytes === 'string' ? Buffer.byteLength(f.bytes) : f.bytes.length;
    }
    for (const name of folders) {
      if (existsSync(join(dir, name))) renameSync(join(dir, name), join(old, name));
      renameSync(join(fresh, name), join(dir, name));
    }
    for (const f of files) if (!f.path.includes('/')) renameSync(join(fresh, f.path), join(dir, f.path));
  } catch (e) {
    if (isDiskFull(e)) throw new DiskFullError(writing);
    throw e;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  return bytes;
}

/** A '/'-separated relative path of plain names: no empty, `.` or `..` segment, no backslash, NUL or leading slash. */
export const isPlainPath = (p: string): boolean =>
  p.split('/').every((s) => s !== '' && s !== '.' && s !== '..' && !/[\\\0]/.test(s));

/** Never a previous export: the folder must be new or empty. */
export const NEW_FOLDER_ONLY = (): boolean => false;

/** Refuses an `out` that is a file, or a non-empty folder that holds no previous export of this kind (`what`; null: none may be replaced). */
export function checkExportTarget(out: string, isPrevious: (dir: string) => boolean, what: string | null): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory())
    throw new UsageError(`${out} is a file, not a folder: choose a new or empty folder with --out`);
  if (readdirSync(out).length > 0 && !isPrevious(out))
    throw new UsageError(
      `${out} is not empty${what ? ` and holds no previous ${what}` : ''}: choose a new or empty folder with --out`,
    );
}

/** Writes an export folder `out` (checked with checkExportTarget first) as a whole: a previous export there is replaced. Returns the bytes written. */
export function writeExportFolder(
  out: string,
  files: readonly FolderFile[],
  isPrevious: (dir: string) => boolean,
  what: string | null,
): number {
  checkExportTarget(out, isPrevious, what);
  const name = basename(out);
  return writeFolder(
    dirname(out),
    files.map((f) => ({ path: `${name}/${f.path}`, bytes: f.bytes })),
    [name],
  );
}

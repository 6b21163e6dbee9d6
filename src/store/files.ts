/**
 * File I/O for result folders: atomic writes (temp file + rename, so a kill
 * at any moment leaves either the old file or the new one, never half of one)
 * and safe reads with one-line errors.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../contract/errors.js';

let counter = 0;

/**
 * The disk (or the user's quota) filled while writing `path`: one line that says what to do. `fix` is the command that
 * finishes the job once space is freed (the sweep command says `run fluctlab sweep --resume <dir>`).
 */
export class DiskFullError extends UsageError {
  constructor(
    readonly path: string,
    fix = 'run the command again',
  ) {
    super(`disk full while writing ${path}: free space and ${fix}`);
  }
}

/** True for the errors of a write that found no room: ENOSPC (no space), EDQUOT (over quota). */
export const isDiskFull = (e: unknown): boolean =>
  ['ENOSPC', 'EDQUOT'].includes((e as NodeJS.ErrnoException | null)?.code ?? '');

/** Runs `body`; a DiskFullError from it is given `fix` as the way to finish once space is freed. */
export async function onDiskFull<T>(fix: string, body: () => Promise<T> | T): Promise<T> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof DiskFullError) throw new DiskFullError(e.path, fix);
    throw e;
  }
}

/**
 * Writes a file atomically: a temp file in the same folder, written whole (a short write is continued, a failed one
 * is an error), fsynced, then renamed over the target; on any failure the temp file is removed and the target is left
 * as it was. A full disk is a DiskFullError naming `path`.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${counter++}`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const fd = openSync(tmp, 'w');
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    if (isDiskFull(e)) throw new DiskFullError(path);
    throw e;
  }
}

/** Writes JSON atomically, pretty-printed. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 1)}\n`);
}

/** The largest text file read: 500 MiB, below the longest string JavaScript holds (a record is a few MB). */
export const MAX_TEXT_BYTES = 500 * 2 ** 20;
/** The deepest nesting of a JSON file read (a record nests 7 deep): deeper overflows the stack of later walks. */
export const MAX_JSON_DEPTH = 64;

/**
 * A file's text; a folder (or anything else that is not a file) where the file should be is a UsageError naming it, as
 * is a file over MAX_TEXT_BYTES (refused unread) or a .json file nested deeper than MAX_JSON_DEPTH.
 */
export function readTextFile(path: string, what: string): string {
  const stat = statSync(path);
  if (!stat.isFile()) throw new UsageError(`${path} is a folder, not a file: ${what} expected there`);
  if (stat.size > MAX_TEXT_BYTES)
    throw new UsageError(
      `${path} is ${stat.size} bytes, more than the ${MAX_TEXT_BYTES} a fluctlab text file may hold: not ${what}`,
    );
  const text = readFileOrRefuse(path).toString('utf8');
  if (/\.json$/i.test(path)) {
    const depth = jsonDepth(text);
    if (depth > MAX_JSON_DEPTH)
      throw new UsageError(
        `${path} is nested ${depth} deep, more than the ${MAX_JSON_DEPTH} a fluctlab file needs: not ${what}`,
      );
  }
  return text;
}

/** The deepest nesting of [ and { in JSON text, strings skipped (a linear scan, before anything parses it). */
function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** A file's bytes; a file the system will not read (permissions, I/O error) is a UsageError naming it and the reason. */
export function readFileOrRefuse(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`${path} cannot be read (${err.code ?? err.message}): check that it is a readable file`);
  }
}

/** Reads and parses a JSON file; a missing or malformed file is a UsageError naming it. */
export function readJson<T>(path: string, what: string): T {
  if (!existsSync(path)) throw new UsageError(`${path} does not exist: ${what} expected there`);
  const text = readTextFile(path, what);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new UsageError(
      `${path} is not valid JSON (truncated or edited?): restore it or run the sweep again with --resume`,
    );
  }
}

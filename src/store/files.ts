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

/** Writes a file atomically: a temp file in the same folder, fsynced, then renamed over the target. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${counter++}`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Writes JSON atomically, pretty-printed. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 1)}\n`);
}

/** A file's text; a folder (or anything else that is not a file) where the file should be is a UsageError naming it. */
export function readTextFile(path: string, what: string): string {
  if (!statSync(path).isFile()) throw new UsageError(`${path} is a folder, not a file: ${what} expected there`);
  return readFileOrRefuse(path).toString('utf8');
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

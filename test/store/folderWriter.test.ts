import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeExportFolder, writeFolder } from '../../src/store/folderWriter.js';

/** A result folder with a user's file, an old report and an old figure that the new report no longer has. */
function folderWithOldReport(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fluctlab-fw-'));
  mkdirSync(join(dir, 'figures'));
  writeFileSync(join(dir, 'figures', 'gone.svg'), 'old');
  writeFileSync(join(dir, 'report.html'), 'old page');
  writeFileSync(join(dir, 'notes.txt'), 'mine');
  return dir;
}

describe('writeFolder', () => {
  it('replaces the folders it names as a whole and the files it writes, and nothing else', () => {
    const dir = folderWithOldReport();
    const bytes = writeFolder(
      dir,
      [
        { path: 'figures/a.svg', bytes: '<svg/>' },
        { path: 'report.html', bytes: 'new page' },
      ],
      ['figures'],
    );
    expect(bytes).toBe(14);
    expect(readdirSync(dir).sort()).toEqual(['figures', 'notes.txt', 'report.html']);
    expect(readdirSync(join(dir, 'figures'))).toEqual(['a.svg']);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe('new page');
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('leaves the folder as it was, and no staging folder, when a file cannot be written', () => {
    const dir = folderWithOldReport();
    // figures/x is a file, so figures/x/y cannot be written
    expect(() =>
      writeFolder(
        dir,
        [
          { path: 'report.html', bytes: 'new page' },
          { path: 'figures/x', bytes: 'a' },
          { path: 'figures/x/y', bytes: 'b' },
        ],
        ['figures'],
      ),
    ).toThrow();
    expect(readdirSync(dir).sort()).toEqual(['figures', 'notes.txt', 'report.html']);
    expect(readdirSync(join(dir, 'figures'))).toEqual(['gone.svg']);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe('old page');
  });

  it('refuses a file in a sub-folder it was not told it may replace', () => {
    const dir = folderWithOldReport();
    expect(() => writeFolder(dir, [{ path: 'runs/x.json', bytes: '{}' }], ['figures'])).toThrow(
      /runs\/x.json lies in no folder/,
    );
    expect(existsSync(join(dir, 'runs'))).toBe(false);
  });
});

describe('writeExportFolder', () => {
  it('replaces a previous export as a whole, in a folder that may not exist yet', () => {
    const root = mkdtempSync(join(tmpdir(), 'fluctlab-fw-'));
    const out = join(root, 'a', 'npy');
    writeExportFolder(
      out,
      [
        { path: 'index.json', bytes: '1' },
        { path: 'r/old.npy', bytes: 'x' },
      ],
      () => false,
      null,
    );
    writeExportFolder(out, [{ path: 'index.json', bytes: '2' }], () => true, 'test export');
    expect(readdirSync(out)).toEqual(['index.json']);
    expect(readFileSync(join(out, 'index.json'), 'utf8')).toBe('2');
    expect(readdirSync(join(root, 'a'))).toEqual(['npy']);
  });
});

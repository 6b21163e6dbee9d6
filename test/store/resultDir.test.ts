import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeTempFiles } from '../../src/store/resultDir.js';

describe('removeTempFiles', () => {
  it('removes what a killed process left (atomic-write temps, folder-write staging, old report staging) and keeps whole files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fluctlab-rd-'));
    mkdirSync(join(dir, 'runs'));
    mkdirSync(join(dir, '.report-tmp-123', 'figures'), { recursive: true });
    mkdirSync(join(dir, '.figures-old-77'));
    mkdirSync(join(dir, '.fluctlab-tmp-5', 'new'), { recursive: true });
    mkdirSync(join(dir, 'figures'));
    for (const f of ['manifest.json', 'sweep.json', 'sweep.json.tmp-99-0', 'report.html'])
      writeFileSync(join(dir, f), '{}');
    for (const f of ['lr0.1-seed1.json', 'lr0.01-seed1.json.tmp-99-3']) writeFileSync(join(dir, 'runs', f), '{}');
    removeTempFiles(dir);
    expect(readdirSync(dir).sort()).toEqual(['figures', 'manifest.json', 'report.html', 'runs', 'sweep.json']);
    expect(readdirSync(join(dir, 'runs'))).toEqual(['lr0.1-seed1.json']);
    expect(existsSync(join(dir, 'figures'))).toBe(true);
  });
});

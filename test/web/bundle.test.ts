/**
 * What a page that imports fluctlab/web downloads before it draws a chart: the entry and the chunks it imports
 * statically (dist/web, built by `npm run build`). The chart renderer (vega, vega-lite, vega-interpreter) is a chunk
 * of its own, reached only through a dynamic import.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const WEB = join(import.meta.dirname, '../../dist/web');

/** The files `entry` imports statically, itself included, and the files they import dynamically. */
function imports(entry: string): { statics: Set<string>; dynamics: Set<string> } {
  const statics = new Set<string>();
  const dynamics = new Set<string>();
  const visit = (file: string) => {
    if (statics.has(file)) return;
    statics.add(file);
    const code = readFileSync(join(WEB, file), 'utf8');
    for (const [, f] of code.matchAll(/\bfrom\s*["'`]\.\/([^"'`]+)["'`]/g)) visit(f);
    for (const [, f] of code.matchAll(/\bimport\(\s*["'`]\.\/([^"'`]+)["'`]\s*\)/g)) dynamics.add(f);
  };
  visit(entry);
  return { statics, dynamics };
}

describe('the fluctlab/web bundle', () => {
  it('loads the chart renderer only when a chart is drawn: its static imports stay small and hold no vega', () => {
    const { statics, dynamics } = imports('fluctlab-web.js');
    const renderer = [...dynamics].filter((f) => f.startsWith('vegaView-'));
    expect(renderer).toHaveLength(1);
    expect(statics.has(renderer[0])).toBe(false);
    // vega's own runtime names this error; the renderer chunk has it, the static ones must not
    expect(readFileSync(join(WEB, renderer[0]), 'utf8')).toContain('Unrecognized signal name');
    for (const f of statics) expect(readFileSync(join(WEB, f), 'utf8')).not.toContain('Unrecognized signal name');
    const bytes = [...statics].reduce((n, f) => n + readFileSync(join(WEB, f)).length, 0);
    expect(bytes).toBeLessThan(400_000);
  });
});

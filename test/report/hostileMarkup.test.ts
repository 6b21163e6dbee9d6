/**
 * Markup from a record never becomes markup of a page (issue 24, class 2): a record with hostile strings in every text
 * field (id, layer names, error, the config's names) renders into a report.html whose only elements are the page's own,
 * and every page fluctlab writes carries a Content-Security-Policy that forbids script.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SweepConfig } from '../../src/contract/config.js';
import type { RunRecord } from '../../src/contract/record.js';
import { buildSweepResult, type SweepResult } from '../../src/analysis/sweepResult.js';
import { sweepCharts } from '../../src/report/charts.js';
import { reportHtml } from '../../src/report/html.js';
import { lrFindHtml } from '../../src/report/lrFindHtml.js';
import type { LrFindResult } from '../../src/engine/training/lrFind.js';
import { renderFigures } from '../../src/store/render.js';
import { smallSweep, tmp } from '../helpers/cli.js';

const HOSTILE = [
  `x"><img src=x onerror=alert(1)>`,
  `y'><script>alert(2)</script>`,
  '</title></style><script>alert(3)</script>',
  '<svg onload=alert(4)>',
];
const FORBIDDEN_TAGS = new Set(['script', 'img', 'iframe', 'object', 'embed', 'base', 'form', 'meta-refresh']);

/** Every start tag of a page: its name and its attributes with quoted values blanked. */
function startTags(html: string): { name: string; attrs: string }[] {
  const out: { name: string; attrs: string }[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g))
    out.push({ name: m[1].toLowerCase(), attrs: m[2].replace(/"[^"]*"|'[^']*'/g, '""') });
  return out;
}

/** The elements and attributes a hostile string could have injected into a page. */
function injected(html: string): string[] {
  const found: string[] = [];
  for (const t of startTags(html)) {
    if (FORBIDDEN_TAGS.has(t.name)) found.push(`<${t.name}>`);
    const handler = /(?:^|\s)(on[a-z]+)\s*=/i.exec(t.attrs);
    if (handler) found.push(`<${t.name} ${handler[1]}=…>`);
  }
  for (const h of HOSTILE) if (html.includes(h)) found.push(`raw ${h}`);
  return found;
}

const CSP = /<meta http-equiv="Content-Security-Policy" content="[^"]*default-src 'none'[^"]*">/;

let records: RunRecord[] = [];
let config: SweepConfig;

beforeAll(() => {
  const dir = join(tmp(), 'sweep');
  const r = smallSweep(dir, '0.1,0.01,0.001');
  expect(r.code).toBe(0);
  records = readdirSync(join(dir, 'runs')).map((f) => JSON.parse(readFileSync(join(dir, 'runs', f), 'utf8')));
  config = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).config;
});

/**
 * A SweepResult whose every text field from a record or config holds a hostile string: layer names, run ids, an error,
 * the data and optimizer names. The validators refuse such records and configs, so the strings are put into the result
 * after it is built: the page must escape them even where a check upstream is missed.
 */
function hostileResult(): SweepResult {
  const rs = records.map((r) => structuredClone(r));
  // one run failed, with a hostile error message (an error is free text in a valid record)
  Object.assign(rs[2], { status: 'failed', error: HOSTILE[2], windows: [], epochs: [], testAccuracy: null });
  const result = buildSweepResult(config, rs);
  const names = new Map<string, string>([
    ['dense1', HOSTILE[0]],
    ['dense2', HOSTILE[1]],
    ['dense3', HOSTILE[3]],
    ...rs.map((r, i): [string, string] => [r.id, `${HOSTILE[i % HOSTILE.length]}-${i}`]),
  ]);
  const hostile: SweepResult = JSON.parse(JSON.stringify(result), (_k, v) =>
    typeof v === 'string' && names.has(v) ? names.get(v) : v,
  );
  Object.assign(hostile.config, { data: HOSTILE[0], optimizer: HOSTILE[1] });
  return hostile;
}

describe('report.html from a record with hostile strings in every text field', () => {
  it('holds no element or event handler the strings could inject', async () => {
    const result = hostileResult();
    const { figures } = await renderFigures(sweepCharts(result), 'figures', []);
    const html = reportHtml({ result, figures, generatedAt: HOSTILE[3], fluctlabVersion: HOSTILE[2] });
    expect(injected(html)).toEqual([]);
  });

  it('escapes the figure ids a layer name makes, in the id and in the links', async () => {
    const result = hostileResult();
    const { figures } = await renderFigures(sweepCharts(result), 'figures', []);
    const html = reportHtml({ result, figures, generatedAt: 'now', fluctlabVersion: '0' });
    expect(html).toContain('id="histogram-x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    expect(html).not.toContain('href="#histogram-x"');
  });
});

describe('the pages carry a Content-Security-Policy that forbids script', () => {
  it('report.html', () => {
    const result = buildSweepResult(config, records);
    expect(reportHtml({ result, figures: [], generatedAt: 'now', fluctlabVersion: '0' })).toMatch(CSP);
  });

  it('lr-find.html', () => {
    const r = {
      config: { ...config, data: HOSTILE[0], model: HOSTILE[1] },
      seed: 1,
      options: { start: 1e-5, end: 1, steps: 10, windowSteps: 2, smoothing: 0.98, stopFactor: 4 },
      suggestions: [{ name: HOSTILE[2], lr: 0.01, step: 3, smoothed: 1, method: HOSTILE[3] }],
      stop: { reason: 'end', step: 10 },
      points: [],
      windows: [],
    } as unknown as LrFindResult;
    const html = lrFindHtml(r, [], HOSTILE[0], '0');
    expect(html).toMatch(CSP);
    expect(injected(html)).toEqual([]);
  });
});

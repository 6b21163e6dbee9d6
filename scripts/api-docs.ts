/**
 * Writes docs/api.md, the API reference, from the doc comments: the four entries' declarations as
 * `tsc -p tsconfig.types.json` emits them (the .d.ts keep every doc comment), each exported name with its declaration
 * and its comment, then the types those declarations mention that no entry exports. A test fails when docs/api.md is
 * not what this produces. (TypeDoc needs the TypeScript 5/6 compiler API, which TypeScript 7 does not have.)
 *
 *     npx tsx scripts/api-docs.ts       (npm run docs runs it, with docs/cli.md)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  docText,
  emitDeclarations,
  entryExports,
  readDts,
  resolveLocal,
  sourcePath,
  type Declaration,
  type ExportedName,
} from './dts.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The package's entries (package.json "exports") and their emitted declaration files. */
export const ENTRIES = [
  { name: 'fluctlab', file: 'index.d.ts' },
  { name: 'fluctlab/node', file: 'node/index.d.ts' },
  { name: 'fluctlab/web', file: 'web/index.d.ts' },
  { name: 'fluctlab/tfjs', file: 'tfjs/index.d.ts' },
] as const;

/** Emits the declarations into a temporary folder, hands it to `use`, and removes it. */
export function withDeclarations<T>(use: (typesDir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'fluctlab-types-'));
  try {
    emitDeclarations(dir);
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A declaration's text as the reference shows it: without `export`/`declare`, without a class's private members. */
function signature(d: Declaration): string {
  return d.statements
    .map((s) => s.text.replace(/^export\s+/, '').replace(/^declare\s+/, ''))
    .map((t) =>
      d.kind === 'class'
        ? t
            .split('\n')
            .filter((l) => !/^\s+private\s/.test(l))
            .join('\n')
        : t,
    )
    .join('\n');
}

/** Markdown for a doc comment: indented example lines become fenced code. */
function docMarkdown(doc: string): string {
  const out: string[] = [];
  let code: string[] = [];
  const flush = () => {
    if (code.length === 0) return;
    while (code.at(-1) === '') code.pop();
    out.push(
      `\`\`\`${code[0].trimStart().startsWith('<') ? 'html' : 'ts'}`,
      ...code.map((l) => l.replace(/^ {4}/, '')),
      '```',
    );
    code = [];
  };
  for (const line of doc.split('\n')) {
    if (/^ {4}/.test(line) || (code.length > 0 && line === '')) code.push(line);
    else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out.join('\n');
}

/** The first sentence of a doc comment (up to a full stop outside brackets), for the index table. */
function firstSentence(doc: string): string {
  const para = doc.split(/\n\s*\n/)[0].replace(/\s*\n\s*/g, ' ');
  let depth = 0;
  let end = para.length;
  for (let i = 0; i < para.length; i++) {
    if ('([{'.includes(para[i])) depth++;
    else if (')]}'.includes(para[i])) depth--;
    else if (para[i] === '.' && depth === 0 && (i + 1 === para.length || para[i + 1] === ' ')) {
      end = i + 1;
      break;
    }
  }
  return para.slice(0, end).replace(/\|/g, '\\|');
}

const anchor = (entry: string, name: string) => `${entry.replace('fluctlab/', '').replace('fluctlab', 'core')}.${name}`;

/** What a declaration's text names of our modules: types (PascalCase), and the constants after `typeof`. */
function mentioned(d: Declaration): Declaration[] {
  const f = readDts(d.file);
  const text = d.statements.map((s) => s.text).join('\n');
  const found = new Map<string, Declaration>();
  for (const [, typeOf, id] of text.matchAll(/\b(typeof\s+)?([A-Za-z_$][\w$]*)\b/g)) {
    if (id === d.name || (!typeOf && !/^[A-Z][a-z]/.test(id))) continue;
    const r = resolveLocal(f, id);
    if (r && (typeOf ? r.kind === 'const' : TYPE_KINDS.includes(r.kind))) found.set(key(r), r);
  }
  return [...found.values()];
}

const TYPE_KINDS: readonly string[] = ['interface', 'type', 'enum'];

/** The reference: per entry an index and every name; then the types they mention that no entry exports. */
export function apiReference(typesDir: string): string {
  const entries = ENTRIES.map((e) => ({ ...e, names: entryExports(typesDir, e.file) }));
  const exported = new Map<string, string>(); // declaration → anchor of its first listing
  for (const e of entries)
    for (const n of e.names)
      if (!exported.has(key(n.declaration))) exported.set(key(n.declaration), anchor(e.name, n.name));
  const others = new Map<string, Declaration>();
  const visit = (d: Declaration) => {
    for (const m of mentioned(d)) {
      if (exported.has(key(m)) || others.has(key(m)) || m.kind === 'const') continue;
      others.set(key(m), m);
      visit(m);
    }
  };
  for (const e of entries) for (const n of e.names) visit(n.declaration);
  const otherList = [...others.values()].sort((a, b) => a.name.localeCompare(b.name) || a.file.localeCompare(b.file));
  const otherAnchor = (d: Declaration) => `other.${d.name}`;
  for (const d of otherList) exported.set(key(d), otherAnchor(d));
  // a constant no entry exports is shown after the declaration whose `typeof` names it; the rest are links
  const inline = (d: Declaration) => mentioned(d).filter((m) => !exported.has(key(m)));
  const refers = (d: Declaration) => {
    const links = mentioned(d)
      .filter((m) => exported.has(key(m)))
      .map((m) => `[\`${m.name}\`](#${exported.get(key(m))})`);
    return links.length > 0 ? [`Refers to ${links.join(', ')}.`, ''] : [];
  };
  const section = (id: string, title: string, d: Declaration, where: string) => [
    `<a id="${id}"></a>`,
    `### ${title}`,
    '',
    '```ts',
    signature(d),
    ...inline(d).map(signature),
    '```',
    '',
    ...(d.statements[0].doc ? [docMarkdown(docText(d.statements[0].doc)), ''] : []),
    ...refers(d),
    `Declared in ${where}.`,
    '',
  ];
  const lines = [
    '# API reference',
    '',
    '<!-- Generated by `npm run docs` (scripts/api-docs.ts) from the doc comments in src/: edit those, not this file. -->',
    '',
    'Every name the four entries of the package export, with its declaration as the shipped `.d.ts` has it and the',
    'doc comment written where it is declared; then the types those declarations mention that no entry exports.',
    'test/api/surface.test.ts lists the names, so a change of the surface is a visible decision.',
    '',
    ...entries.map((e) => `- [\`${e.name}\`](#${anchor(e.name, 'entry')}): ${e.names.length} names`),
    `- [Other types](#other-types): ${otherList.length}`,
    '',
  ];
  for (const e of entries) {
    const moduleDoc = readDts(join(typesDir, e.file)).moduleDoc;
    lines.push(
      `<a id="${anchor(e.name, 'entry')}"></a>`,
      `## \`${e.name}\``,
      '',
      ...(moduleDoc ? [docMarkdown(docText(moduleDoc)), ''] : []),
    );
    lines.push('| name | kind | what it is |', '| --- | --- | --- |');
    for (const n of e.names)
      lines.push(
        `| [\`${n.name}\`](#${anchor(e.name, n.name)}) | ${kindWord(n)} | ${firstSentence(docText(n.declaration.statements[0].doc))} |`,
      );
    lines.push('');
    for (const n of e.names)
      lines.push(
        ...section(anchor(e.name, n.name), `\`${n.name}\``, n.declaration, sourcePath(typesDir, n.declaration.file)),
      );
  }
  lines.push(
    '<a id="other-types"></a>',
    '## Other types',
    '',
    'Types the declarations above mention that no entry exports (a value of one reaches you; its name does not).',
    '',
  );
  for (const d of otherList) lines.push(...section(otherAnchor(d), `\`${d.name}\``, d, sourcePath(typesDir, d.file)));
  return `${lines.join('\n').trimEnd()}\n`;
}

function key(d: Declaration): string {
  return `${d.file}#${d.name}`;
}

function kindWord(n: ExportedName): string {
  return n.typeOnly && n.declaration.kind !== 'interface' && n.declaration.kind !== 'type'
    ? `${n.declaration.kind} (type)`
    : n.declaration.kind;
}

/** Writes docs/api.md. */
export function writeApiDocs(): void {
  writeFileSync(join(root, 'docs', 'api.md'), withDeclarations(apiReference));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  writeApiDocs();
  console.log('wrote docs/api.md');
}

/**
 * A reader of the declaration files `tsc -p tsconfig.types.json` emits, enough for the API reference (api-docs.ts)
 * and the surface test: a file's top-level statements with the doc comment before each, its imports and re-exports,
 * and what an entry's exported names resolve to. TypeScript 7's compiler has no JavaScript API (so no TypeDoc); the
 * emitted .d.ts are regular enough to read with a bracket-counting scanner.
 *
 *     const names = entryExports('/tmp/types', 'index.d.ts'); // [{ name: 'DEFAULTS', kind: 'const', typeOnly: false, … }, …]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Emits the public declarations (tsconfig.types.json: the four entries and what they reach) into `dir`. */
export function emitDeclarations(dir: string): void {
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(root, 'tsconfig.types.json'),
      '--declarationDir',
      dir,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** One top-level statement and the doc comment right before it (null: none). */
export interface Statement {
  text: string;
  doc: string | null;
}

const BLOCK = /^(export\s+)?(declare\s+)?(abstract\s+)?(interface|class|enum|namespace|module)\b/;

/** Splits a .d.ts into its top-level statements: `;` at depth 0 ends one, and so does the `}` closing a block declaration. */
export function statements(text: string): Statement[] {
  const out: Statement[] = [];
  let doc: string | null = null;
  let i = 0;
  const skipString = (j: number): number => {
    const q = text[j];
    for (j++; j < text.length && text[j] !== q; j++) if (text[j] === '\\') j++;
    return j + 1;
  };
  while (i < text.length) {
    if (/\s/.test(text[i])) i++;
    else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i) + 2;
      if (text.startsWith('/**', i)) doc = text.slice(i, end);
      i = end;
    } else if (text.startsWith('//', i)) i = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
    else {
      const start = i;
      let depth = 0;
      let block: boolean | null = null;
      while (i < text.length) {
        const c = text[i];
        if (c === "'" || c === '"' || c === '`') i = skipString(i);
        else if (text.startsWith('/*', i)) i = text.indexOf('*/', i) + 2;
        else if (text.startsWith('//', i)) i = text.indexOf('\n', i);
        else {
          i++;
          if (c === '{' || c === '(' || c === '[') {
            if (depth === 0 && c === '{' && block === null) block = BLOCK.test(text.slice(start, i));
            depth++;
          } else if (c === '}' || c === ')' || c === ']') {
            depth--;
            if (depth === 0 && c === '}' && block) break;
          } else if (c === ';' && depth === 0) break;
        }
      }
      out.push({ text: text.slice(start, i).trim(), doc });
      doc = null;
    }
  }
  return out;
}

/** A declaration's kind, as the reference names it. */
export type DeclarationKind = 'function' | 'const' | 'class' | 'interface' | 'type' | 'enum' | 'namespace';

/** A declared name in one file: its kind, its statements (several for overloads), and whether the file exports it. */
export interface Declaration {
  name: string;
  kind: DeclarationKind;
  statements: Statement[];
  exported: boolean;
  file: string;
}

/** What one name of a module refers to: a module (relative path resolved, or a package name) and the name there. */
interface Link {
  module: string;
  name: string;
  typeOnly: boolean;
}

/** A .d.ts file read: its declarations, imports, re-exports (`export { a } from`), local export lists and `export *`. */
export interface DtsFile {
  path: string;
  /** the file's leading doc comment when an import or export-from follows it: the module's own comment */
  moduleDoc: string | null;
  declarations: Map<string, Declaration>;
  imports: Map<string, Link>;
  reexports: Map<string, Link>;
  /** `export { a as b }` without `from`: exported name → local name */
  localExports: Map<string, { local: string; typeOnly: boolean }>;
  stars: string[];
  /** exported names in the order the file lists them */
  order: string[];
}

const DECLARATION =
  /^(export\s+)?(declare\s+)?(abstract\s+)?(function|const|let|var|class|interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)/;
const LIST = /^(import|export)\s+(type\s+)?\{([^}]*)\}\s*(?:from\s+['"]([^'"]+)['"])?/;

function specifiers(list: string, typeOnly: boolean): { from: string; to: string; typeOnly: boolean }[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const t = s.startsWith('type ');
      const [from, to] = s.replace(/^type\s+/, '').split(/\s+as\s+/);
      return { from, to: to ?? from, typeOnly: typeOnly || t };
    });
}

const cache = new Map<string, DtsFile>();

/** Reads and indexes one .d.ts (cached by path). */
export function readDts(path: string): DtsFile {
  const cached = cache.get(path);
  if (cached) return cached;
  const text = readFileSync(path, 'utf8');
  const f: DtsFile = {
    path,
    moduleDoc: null,
    declarations: new Map(),
    imports: new Map(),
    reexports: new Map(),
    localExports: new Map(),
    stars: [],
    order: [],
  };
  const target = (m: string) => (m.startsWith('.') ? resolve(dirname(path), m.replace(/\.js$/, '.d.ts')) : m);
  const all = statements(text);
  for (const [n, s] of all.entries()) {
    const list = LIST.exec(s.text);
    if (n === 0 && s.doc && text.trimStart().startsWith(s.doc) && /^(import|export\s.*\sfrom\s)/s.test(s.text))
      f.moduleDoc = s.doc;
    if (list && list[1] === 'import') {
      for (const sp of specifiers(list[3], Boolean(list[2])))
        f.imports.set(sp.to, { module: target(list[4]), name: sp.from, typeOnly: sp.typeOnly });
    } else if (/^import\s/.test(s.text)) {
      const ns =
        /^import\s+(?:type\s+)?\*\s+as\s+(\w+)\s+from\s+['"]([^'"]+)/.exec(s.text) ??
        /^import\s+(?:type\s+)?(\w+)\s+from\s+['"]([^'"]+)/.exec(s.text);
      if (ns) f.imports.set(ns[1], { module: target(ns[2]), name: '*', typeOnly: false });
    } else if (list) {
      for (const sp of specifiers(list[3], Boolean(list[2]))) {
        if (list[4]) f.reexports.set(sp.to, { module: target(list[4]), name: sp.from, typeOnly: sp.typeOnly });
        else f.localExports.set(sp.to, { local: sp.from, typeOnly: sp.typeOnly });
        f.order.push(sp.to);
      }
    } else if (/^export\s+\*\s+from/.test(s.text)) f.stars.push(target(/['"]([^'"]+)['"]/.exec(s.text)![1]));
    else {
      const d = DECLARATION.exec(s.text);
      if (!d) continue;
      const kind = (['let', 'var'].includes(d[4]) ? 'const' : d[4]) as DeclarationKind;
      const known = f.declarations.get(d[5]);
      if (known) known.statements.push(s);
      else {
        f.declarations.set(d[5], { name: d[5], kind, statements: [s], exported: Boolean(d[1]), file: path });
        if (d[1]) f.order.push(d[5]);
      }
    }
  }
  cache.set(path, f);
  return f;
}

/** What a name exported by an entry is. */
export interface ExportedName {
  name: string;
  declaration: Declaration;
  /** exported as a type only: an interface or type alias, or `export type` of anything */
  typeOnly: boolean;
}

/** Follows `name` in the module at `path` (its own exports first) to its declaration; null for a package's name. */
export function resolveExport(path: string, name: string, typeOnly = false): ExportedName | null {
  if (!existsSync(path)) return null;
  const f = readDts(path);
  const own = f.declarations.get(name);
  if (own?.exported) return { name, declaration: own, typeOnly: typeOnly || !isValue(own) };
  const re = f.reexports.get(name);
  if (re) return resolveExport(re.module, re.name, typeOnly || re.typeOnly);
  const local = f.localExports.get(name);
  if (local) {
    const d = resolveLocal(f, local.local);
    return d && { name, declaration: d, typeOnly: typeOnly || local.typeOnly || !isValue(d) };
  }
  for (const star of f.stars) {
    const r = resolveExport(star, name, typeOnly);
    if (r) return r;
  }
  return null;
}

/** The declaration a name in a file's scope refers to: declared there, or imported from a module of ours. */
export function resolveLocal(f: DtsFile, name: string): Declaration | null {
  const d = f.declarations.get(name);
  if (d) return d;
  const imp = f.imports.get(name);
  if (!imp || imp.name === '*') return null;
  return resolveExport(imp.module, imp.name)?.declaration ?? null;
}

function isValue(d: Declaration): boolean {
  return d.kind !== 'interface' && d.kind !== 'type';
}

/** Every name an entry exports, in the order the entry lists them. */
export function entryExports(typesDir: string, entry: string): ExportedName[] {
  const path = join(typesDir, entry);
  return readDts(path).order.map((name) => {
    const r = resolveExport(path, name);
    if (!r) throw new Error(`${entry} exports ${name}, which resolves to no declaration`);
    return r;
  });
}

/** A declaration's source file, as the repository names it (src/…/x.ts for …/x.d.ts under `typesDir`). */
export function sourcePath(typesDir: string, file: string): string {
  return `src/${relative(typesDir, file)
    .split('\\')
    .join('/')
    .replace(/\.d\.ts$/, '.ts')}`;
}

/** The text of a doc comment without its delimiters and leading asterisks (lines kept, indentation after `* ` kept). */
export function docText(doc: string | null): string {
  if (!doc) return '';
  const lines = doc
    .replace(/^\/\*\*/, '')
    .replace(/\*\/$/, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, '').trimEnd());
  return lines.join('\n').trim();
}

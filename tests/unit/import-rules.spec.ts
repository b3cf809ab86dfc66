// Dependencies point down (README, "Folder map"): the import graph of src/, packages/emulator/ and packages/common/,
// read with TypeScript's own parser (static imports and re-exports, dynamic import(), `import type`
// told apart), must keep the rules below. A violation fails here with the importing file named.
import { test, expect } from '@playwright/test';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '../..');
const EMULATOR_PACKAGE = 'cognito-newman-emulator';

interface Edge {
  /** A repository-relative file (src/x.ts) or a package name (commander, cognito-newman-emulator/demo-api). */
  to: string;
  /** `import type`, `export type`, `typeof import()`: gone at run time. */
  typeOnly: boolean;
  /** `import('...')`: loaded only when that code runs. */
  dynamic: boolean;
}

const rel = (p: string) => relative(ROOT, p).split(sep).join('/');

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (entry === 'node_modules' || entry === 'dist') continue;
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else if (/\.(ts|tsx|mts)$/.test(entry) && !entry.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** `./x.js` from a file -> the source file it names (x.ts, x.tsx, x/index.ts), repository-relative. */
function resolveRelative(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return rel(candidate);
  }
  return rel(base); // outside the scanned trees, or a JSON file: kept as a path so rules still see where it points
}

const packageName = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

function edgesOf(file: string): Edge[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const edges: Edge[] = [];
  const add = (spec: string, typeOnly: boolean, dynamic: boolean) =>
    edges.push({ to: spec.startsWith('.') ? resolveRelative(file, spec) : spec, typeOnly, dynamic });
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      // Only `import type` is gone at run time: with verbatimModuleSyntax, `import { type A } from 'm'` still loads m.
      add(node.moduleSpecifier.text, !!node.importClause?.isTypeOnly, false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly, false);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      // A computed specifier (the emulator's `import(OIDC_PROVIDER)`) names a package kept out of the static graph on purpose.
      if (arg && ts.isStringLiteralLike(arg)) add(arg.text, false, true);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

const graph = new Map<string, Edge[]>();
for (const file of [...filesUnder(join(ROOT, 'src')), ...filesUnder(join(ROOT, 'packages', 'emulator')), ...filesUnder(join(ROOT, 'packages', 'common'))]) graph.set(rel(file), edgesOf(file));

/** Every module reachable from `entry` through run-time imports (static only, unless `withDynamic`). */
function reachable(entry: string, withDynamic: boolean): Set<string> {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  while (queue.length) {
    for (const e of graph.get(queue.shift()!) ?? []) {
      if (e.typeOnly || (e.dynamic && !withDynamic) || seen.has(e.to)) continue;
      seen.add(e.to);
      queue.push(e.to);
    }
  }
  return seen;
}

/** `from -> to` for every edge matching the predicate, for failure messages that name the file. */
function violations(filter: (from: string, e: Edge) => boolean): string[] {
  const out: string[] = [];
  for (const [from, edges] of graph) for (const e of edges) if (filter(from, e)) out.push(`${from} -> ${e.to}${e.typeOnly ? ' (type)' : e.dynamic ? ' (dynamic)' : ''}`);
  return out;
}

test('the scan sees the real graph: the library reaches the shared session and run modules, the CLI reaches its commands', () => {
  const library = reachable('src/index.ts', true);
  for (const m of ['src/session/sign-in.ts', 'src/session/run.ts', 'src/session/config.ts', 'src/tokens/acquire.ts', 'src/config/load.ts']) expect([...library]).toContain(m);
  expect([...reachable('src/cli.ts', true)]).toEqual(expect.arrayContaining(['src/commands/run-command.ts', 'commander', 'src/commands/demo.ts']));
  expect(graph.size).toBeGreaterThan(100);
});

test('the library (src/index.ts) and the Playwright fixture never load src/commands/, commander or the emulator package', () => {
  for (const entry of ['src/index.ts', 'src/playwright/index.ts']) {
    const bad = [...reachable(entry, true)].filter((m) => m.startsWith('src/commands/') || m === 'commander' || packageName(m) === EMULATOR_PACKAGE);
    expect(bad, `${entry} reaches`).toEqual([]);
  }
});

test('nothing under src/ imports examples/, packages/, scripts/ or tests/ (the emulator only by its package name)', () => {
  expect(violations((from, e) => from.startsWith('src/') && /^(examples|packages|scripts|tests)\//.test(e.to))).toEqual([]);
});

test('only src/cli.ts and the commands themselves import src/commands/', () => {
  expect(violations((from, e) => e.to.startsWith('src/commands/') && !from.startsWith('src/commands/') && from !== 'src/cli.ts')).toEqual([]);
});

test('src/config/ imports nothing from src/login/', () => {
  expect(violations((from, e) => from.startsWith('src/config/') && e.to.startsWith('src/login/'))).toEqual([]);
});

test('the emulator package imports nothing of the runner (no path out of packages/emulator/, no cognito-newman)', () => {
  expect(violations((from, e) => from.startsWith('packages/emulator/') && (/^(src|examples|scripts|tests)\//.test(e.to) || packageName(e.to) === 'cognito-newman'))).toEqual([]);
});

test('the runner starts without its optional packages: only the features that need one load it, on demand', () => {
  // Statically, neither the CLI nor the library reaches them: `cognito-newman run` works where none is installed.
  const optional = [EMULATOR_PACKAGE, '@aws-sdk/client-secrets-manager', 'newman-reporter-htmlextra', '@aws-sdk/client-s3', 'imapflow'];
  for (const entry of ['src/cli.ts', 'src/index.ts', 'src/playwright/index.ts']) {
    expect([...reachable(entry, false)].filter((m) => optional.includes(packageName(m)) || m.startsWith('packages/')), `${entry} reaches`).toEqual([]);
  }
  // Run-time imports of it live in these modules only (cli.ts loads them through src/optional-packages.ts).
  const allowed = ['src/emulator.ts', 'src/commands/demo.ts', 'src/commands/demo-serve.ts', 'src/commands/demo-factors.ts', 'src/cli.ts'];
  expect(violations((from, e) => from.startsWith('src/') && !e.typeOnly && packageName(e.to) === EMULATOR_PACKAGE && !allowed.includes(from))).toEqual([]);
});

test('the shared package (cognito-newman-common) imports nothing: both other packages stand on it', () => {
  expect([...graph.keys()].filter((f) => f.startsWith('packages/common/')).length).toBeGreaterThan(0);
  expect(violations((from) => from.startsWith('packages/common/'))).toEqual([]);
});

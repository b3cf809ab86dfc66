// Every package the code imports is declared in the package.json that owns the file: what works here
// only because another package brought it along (postman-collection through newman) breaks when that
// package changes. Imports are read with TypeScript's own parser: static and type imports,
// re-exports, import(), require() and require.resolve() with a literal name.
import { test, expect } from '@playwright/test';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '../..');
const SCANNED = ['src', 'tests', 'scripts', 'examples', 'packages', 'playwright.config.ts'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'test-results', 'reports']);
const CODE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

function codeFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return CODE.test(path) && !path.endsWith('.d.ts') ? [path] : [];
  return readdirSync(path).flatMap((name) => (SKIPPED_DIRS.has(name) ? [] : codeFiles(join(path, name))));
}

/** Bare module names a file imports (relative paths and node: builtins left out). */
function importedNames(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  const visit = (node: ts.Node) => {
    let spec: ts.Expression | undefined;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) spec = node.moduleSpecifier;
    else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isResolve = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'require' && callee.name.text === 'resolve';
      if (isImport || isRequire || isResolve) spec = node.arguments[0];
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) spec = node.argument.literal;
    if (spec && ts.isStringLiteralLike(spec)) names.push(spec.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names.filter((n) => !n.startsWith('.') && !n.startsWith('/') && !n.startsWith('node:') && !builtinModules.includes(n.split('/')[0]!));
}

const packageName = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

/** The package.json a file belongs to: the nearest one above it. */
function owner(file: string): { path: string; declared: Set<string> } {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      const json = JSON.parse(readFileSync(pj, 'utf8')) as Record<string, Record<string, string> | string | undefined>;
      const declared = new Set<string>([json.name as string]);
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
        for (const name of Object.keys((json[field] as Record<string, string> | undefined) ?? {})) declared.add(name);
      }
      return { path: pj, declared };
    }
    if (dir === ROOT || dir === dirname(dir)) throw new Error(`no package.json above ${file}`);
  }
}

test('every package imported by src/, tests/, scripts/, examples/ and packages/ is declared in its package.json', () => {
  const files = SCANNED.flatMap((p) => codeFiles(join(ROOT, p)));
  expect(files.length).toBeGreaterThan(100);
  const undeclared: string[] = [];
  for (const file of files) {
    const { path, declared } = owner(file);
    for (const name of new Set(importedNames(file).map(packageName))) {
      if (!declared.has(name)) undeclared.push(`${relative(ROOT, file).split(sep).join('/')} imports ${name}, which ${relative(ROOT, path)} does not declare`);
    }
  }
  expect(undeclared).toEqual([]);
});

test('the scan sees every form of import, and leaves builtins and relative paths alone', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'cn-imports-')), 'sample.ts');
  writeFileSync(
    file,
    [
      "import a from 'a';",
      "import type { B } from '@scope/b/sub';",
      "export * from 'c';",
      "const d = await import('d');",
      "const e = require('e');",
      "const f = require.resolve('f/package.json');",
      "type G = import('g').G;",
      "import { readFileSync } from 'node:fs';",
      "import path from 'path';",
      "import local from './local.js';",
    ].join('\n'),
  );
  expect(importedNames(file).map(packageName)).toEqual(['a', '@scope/b', 'c', 'd', 'e', 'f', 'g']);
});

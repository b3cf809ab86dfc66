// The global set-up's staleness check (tests/global-setup.ts): a source newer than what the build
// made of it, or one the build never compiled, is found, in this package and a workspace package.
import { test, expect } from '@playwright/test';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPairs, staleOutputs } from '../global-setup.js';

function write(file: string, text: string, ageSeconds: number): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  const t = Date.now() / 1000 - ageSeconds;
  utimesSync(file, t, t);
}

test('a source newer than its output, or without one, is stale; the Managed Login bundle counts its app', () => {
  const root = mkdtempSync(join(tmpdir(), 'cn-stale-'));
  write(join(root, 'tsconfig.build.json'), '{ "compilerOptions": { "outDir": "dist", "rootDir": "." }, "include": ["src"] }', 100);
  write(join(root, 'src', 'fresh.ts'), 'export const a = 1;', 100);
  write(join(root, 'dist', 'src', 'fresh.js'), 'export const a = 1;', 50);
  write(join(root, 'src', 'edited.ts'), 'export const b = 2;', 10);
  write(join(root, 'dist', 'src', 'edited.js'), 'export const b = 1;', 50);
  write(join(root, 'src', 'added.ts'), 'export const c = 3;', 10);
  const pkg = join(root, 'packages', 'emulator');
  write(join(pkg, 'tsconfig.build.json'), '{ "compilerOptions": { "outDir": "dist", "rootDir": "." }, "include": ["src"], "exclude": ["src/managed-login/app"] }', 100);
  write(join(pkg, 'src', 'index.ts'), 'export {};', 100);
  write(join(pkg, 'dist', 'src', 'index.js'), 'export {};', 50);
  write(join(pkg, 'src', 'managed-login', 'app', 'App.tsx'), 'export {};', 10);
  write(join(pkg, 'dist', 'managed-login', 'server.mjs'), '', 50);

  const stale = staleOutputs(buildPairs(root)).map((p) => p.output.slice(root.length + 1));
  expect(stale.sort()).toEqual(['dist/src/added.js', 'dist/src/edited.js', 'packages/emulator/dist/managed-login/server.mjs']);
});

test('this repository: after a build nothing is stale (the set-up ran before this test)', () => {
  expect(staleOutputs().map((p) => p.source)).toEqual([]);
});

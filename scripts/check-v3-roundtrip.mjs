#!/usr/bin/env node
// Round trip through the official Postman CLI: each v3 fixture (tests/fixtures/v3/<name>/), converted
// to 2.1 by our reader (what `cognito-newman convert` writes) and migrated back to v3 by
// `postman collection migrate`, must read back to the same collection (ids aside: migrate makes new
// ones). Run after `npm run build` and scripts/make-v3-fixtures.mjs:
//   POSTMAN_CLI=/path/to/postman node scripts/check-v3-roundtrip.mjs
// (without POSTMAN_CLI it installs @postman/pm-bin-linux-x64 into a temp dir, ~300 MB).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'tests', 'fixtures', 'v3');
const reader = join(ROOT, 'dist', 'src', 'newman', 'v3', 'index.js');
if (!existsSync(reader)) {
  process.stderr.write('run `npm run build` first\n');
  process.exit(2);
}
const { readV3Collection } = await import(pathToFileURL(reader).href);
const noIds = (o) => JSON.stringify(o, (k, v) => (k === 'id' || k === '_postman_id' ? undefined : v));

let cli = process.env.POSTMAN_CLI;
let scratch;
if (!cli) {
  scratch = mkdtempSync(join(tmpdir(), 'cn-pm-bin-'));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', scratch, '@postman/pm-bin-linux-x64@1.62.0'], { stdio: 'inherit' });
  cli = join(scratch, 'node_modules', '@postman', 'pm-bin-linux-x64', 'bin', 'postman');
}
const work = mkdtempSync(join(tmpdir(), 'cn-v3-roundtrip-'));
let failed = 0;
try {
  const names = readdirSync(OUT, { withFileTypes: true }).filter((d) => d.isDirectory() && !['sources', 'files'].includes(d.name)).map((d) => d.name);
  for (const name of names) {
    const folder = join(OUT, name);
    const { collection } = await readV3Collection(folder, { relativeTo: folder });
    writeFileSync(join(work, `${name}.json`), JSON.stringify(collection));
    execFileSync(cli, ['collection', 'migrate', join(work, `${name}.json`), '-o', join(work, name)], { stdio: ['ignore', 'ignore', 'inherit'] });
    // File references were written relative to the fixture: put the files where they then resolve.
    cpSync(folder, join(work, name), { recursive: true, filter: (src) => !/\.ya?ml$/.test(src) });
    const again = (await readV3Collection(join(work, name), { relativeTo: join(work, name) })).collection;
    const same = noIds(again) === noIds(collection);
    if (!same) failed++;
    process.stderr.write(`${name}: convert, then postman collection migrate, ${same ? 'reads back the same' : 'CHANGED the collection'}\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

#!/usr/bin/env node
// Regenerates the Postman v3 test fixtures (tests/fixtures/v3/<name>/) with the official Postman CLI's
// `postman collection migrate`, from 2.1 collections of ours, so the tests check the v3 reader
// against what Postman really writes, not against our idea of it.
//   node scripts/make-v3-fixtures.mjs            installs @postman/pm-bin-linux-x64 into a temp dir (~300 MB, npm registry)
//   POSTMAN_CLI=/path/to/postman node scripts/make-v3-fixtures.mjs     uses a Postman CLI you have
// The binary runs offline; it is not a devDependency because of its size.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'tests', 'fixtures', 'v3');
const PM_VERSION = '1.62.0';
const SOURCES = {
  demo: join(ROOT, 'collections', 'demo.postman_collection.json'),
  'guide-style': join(ROOT, 'collections', 'guide-style.postman_collection.json'),
  'every-feature': join(OUT, 'sources', 'every-feature.postman_collection.json'),
};

let cli = process.env.POSTMAN_CLI;
let scratch;
if (!cli) {
  scratch = mkdtempSync(join(tmpdir(), 'cn-pm-bin-'));
  process.stderr.write(`installing @postman/pm-bin-linux-x64@${PM_VERSION} into ${scratch}\n`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', scratch, `@postman/pm-bin-linux-x64@${PM_VERSION}`], { stdio: 'inherit' });
  cli = join(scratch, 'node_modules', '@postman', 'pm-bin-linux-x64', 'bin', 'postman');
}
try {
  process.stderr.write(`Postman CLI ${execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim()}\n`);
  for (const [name, source] of Object.entries(SOURCES)) {
    const target = join(OUT, name);
    rmSync(target, { recursive: true, force: true });
    execFileSync(cli, ['collection', 'migrate', source, '-o', target], { stdio: ['ignore', 'ignore', 'inherit'] });
    process.stderr.write(`${name}: ${target}\n`);
  }
  // The files the every-feature collection uploads. migrate copies a 2.1 `src` as written (relative
  // to Newman's working directory); one is put next to its request file (how a hand-written v3 tree
  // refers to files), the other in the collection's folder (where a migrated path resolves).
  const files = join(OUT, 'files');
  const ef = join(OUT, 'every-feature');
  mkdirSync(join(ef, 'Bodies', 'files'), { recursive: true });
  cpSync(join(files, 'upload.txt'), join(ef, 'Bodies', 'files', 'upload.txt'));
  mkdirSync(join(ef, 'files'), { recursive: true });
  cpSync(join(files, 'body.json'), join(ef, 'files', 'body.json'));
} finally {
  if (scratch && existsSync(scratch)) rmSync(scratch, { recursive: true, force: true });
}

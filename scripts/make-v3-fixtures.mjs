#!/usr/bin/env node
// Regenerates the Postman v3 test fixtures (tests/fixtures/v3/<name>/) with the official Postman CLI's
// `postman collection migrate`, from 2.1 collections of ours, so the tests check the v3 reader
// against what Postman really writes, not against our idea of it. Also the demo as shipped in v3
// (collections/postman/, laid out as Postman's Native Git writes a workspace): the collection by
// `collection migrate`, its environment by `environment new` + `environment var set` (the CLI has
// no environment migrate), both checked by `collection lint` / `environment lint`.
//   node scripts/make-v3-fixtures.mjs            installs @postman/pm-bin-linux-x64 into a temp dir (~300 MB, npm registry)
//   POSTMAN_CLI=/path/to/postman node scripts/make-v3-fixtures.mjs     uses a Postman CLI you have
// The binary runs offline; it is not a devDependency because of its size.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

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

  shipDemo(cli);
} finally {
  if (scratch && existsSync(scratch)) rmSync(scratch, { recursive: true, force: true });
}

/** The directory or file name Postman gives a name: / \\ : * ? " < > | replaced by "-". */
function fileStem(name) {
  return name.replace(/[/\\:*?"<>|]/g, '-');
}

/**
 * collections/postman/collections/<demo name>/ and collections/postman/environments/<name>.environment.yaml
 * (what `cognito-newman demo --v3` runs), made in a scratch local workspace (a folder holding
 * postman/, which the CLI's environment commands need) and copied over the previous ones.
 */
function shipDemo(cli) {
  const workspace = mkdtempSync(join(tmpdir(), 'cn-pm-workspace-'));
  const run = (args) => execFileSync(cli, args, { cwd: workspace, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const collection = JSON.parse(readFileSync(join(ROOT, 'collections', 'demo.postman_collection.json'), 'utf8'));
    const environment = JSON.parse(readFileSync(join(ROOT, 'collections', 'demo.postman_environment.json'), 'utf8'));
    const envName = collection.info.name;
    const made = {
      collection: join('postman', 'collections', fileStem(collection.info.name)),
      environment: join('postman', 'environments', `${fileStem(envName)}.environment.yaml`),
    };
    mkdirSync(join(workspace, 'postman', 'collections'), { recursive: true });
    run(['collection', 'migrate', join(ROOT, 'collections', 'demo.postman_collection.json'), '-o', join(workspace, made.collection)]);
    run(['environment', 'new', envName]);
    const envFile = join(workspace, made.environment);
    for (const v of environment.values ?? []) run(['environment', 'var', 'set', v.key, String(v.value ?? ''), '--environment', envFile]);
    // `var set` writes each value enabled, with no type: carry a 2.1 value's secret mark and enabled: false over.
    const doc = parseDocument(readFileSync(envFile, 'utf8'));
    (environment.values ?? []).forEach((v, i) => {
      if (v.type === 'secret') doc.setIn(['values', i, 'type'], 'secret');
      if (v.enabled === false) doc.setIn(['values', i, 'enabled'], false);
    });
    writeFileSync(envFile, doc.toString());
    process.stderr.write(run(['collection', 'lint', join(workspace, made.collection)]));
    process.stderr.write(run(['environment', 'lint', envFile]));
    for (const rel of Object.values(made)) {
      const target = join(ROOT, 'collections', rel);
      rmSync(target, { recursive: true, force: true });
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(workspace, rel), target, { recursive: true });
      process.stderr.write(`demo (shipped): ${target}\n`);
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

#!/usr/bin/env node
// Regenerates the Postman v3 (Git-native) copies of our 2.1 collections and environments with the
// official Postman CLI, so what we ship and test is Postman's real output, not our idea of it:
// `postman collection migrate` for a collection, `postman environment new` + `environment var set`
// for an environment (the CLI has no environment migrate), then `collection lint` / `environment
// lint` on the result. The CLI (npm @postman/pm-bin-linux-x64, a native binary that runs offline)
// is installed into a scratch folder outside the repository unless POSTMAN_CLI names one.
//
//   node scripts/postman-v3.mjs            every job below
//   node scripts/postman-v3.mjs demo       only the named jobs
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI_PACKAGE = '@postman/pm-bin-linux-x64@1.62.0';

/**
 * What to generate. `collection`: a 2.1 JSON file, migrated into `<workspace>/postman/collections/<its name>/`.
 * `environment`: a 2.1 JSON environment, written as `<workspace>/postman/environments/<envName>.environment.yaml`.
 * `workspace`: where the `postman/` tree goes in the repository (laid out as Postman's Native Git writes it).
 */
const JOBS = {
  demo: {
    collection: 'collections/demo.postman_collection.json',
    environment: 'collections/demo.postman_environment.json',
    envName: 'cognito-newman demo',
    workspace: 'collections',
  },
};

/** The directory name Postman gives a collection: its name with / \ : * ? " < > | replaced by "-". */
const fileStem = (name) => name.replace(/[/\\:*?"<>|]/g, '-');

function postmanCli() {
  if (process.env.POSTMAN_CLI) return process.env.POSTMAN_CLI;
  const prefix = join(tmpdir(), 'cognito-newman-postman-cli');
  const bin = join(prefix, 'node_modules', '@postman', 'pm-bin-linux-x64', 'bin', 'postman');
  if (!existsSync(bin)) {
    process.stderr.write(`Installing ${CLI_PACKAGE} into ${prefix} (outside the repository)...\n`);
    mkdirSync(prefix, { recursive: true });
    execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', CLI_PACKAGE], { stdio: 'inherit' });
  }
  return bin;
}

function run(cli, args, cwd) {
  return execFileSync(cli, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function generate(cli, name, job) {
  const ws = mkdtempSync(join(tmpdir(), `cn-postman-v3-${name}-`));
  try {
    // A local Postman workspace is a folder holding postman/ (the CLI's environment commands need one).
    mkdirSync(join(ws, 'postman', 'collections'), { recursive: true });
    const made = [];
    if (job.collection) {
      const source = JSON.parse(readFileSync(join(root, job.collection), 'utf8'));
      const rel = join('postman', 'collections', fileStem(source.info.name));
      run(cli, ['collection', 'migrate', join(root, job.collection), '-o', join(ws, rel)], ws);
      process.stdout.write(run(cli, ['collection', 'lint', join(ws, rel)], ws));
      made.push(rel);
    }
    if (job.environment) {
      const source = JSON.parse(readFileSync(join(root, job.environment), 'utf8'));
      const rel = join('postman', 'environments', `${fileStem(job.envName)}.environment.yaml`);
      run(cli, ['environment', 'new', job.envName], ws);
      for (const v of source.values ?? []) run(cli, ['environment', 'var', 'set', v.key, String(v.value ?? ''), '--environment', join(ws, rel)], ws);
      // `var set` writes every value enabled with no type; carry a 2.1 file's secret marks and disabled ones over.
      const doc = parseDocument(readFileSync(join(ws, rel), 'utf8'));
      (source.values ?? []).forEach((v, i) => {
        if (v.type === 'secret') doc.setIn(['values', i, 'type'], 'secret');
        if (v.enabled === false) doc.setIn(['values', i, 'enabled'], false);
      });
      writeFileSync(join(ws, rel), doc.toString());
      process.stdout.write(run(cli, ['environment', 'lint', join(ws, rel)], ws));
      made.push(rel);
    }
    for (const rel of made) {
      const target = join(root, job.workspace, rel);
      rmSync(target, { recursive: true, force: true });
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(ws, rel), target, { recursive: true });
      process.stdout.write(`${name}: ${join(job.workspace, rel)}\n`);
    }
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}

const wanted = process.argv.slice(2);
for (const w of wanted) {
  if (!(w in JOBS)) {
    process.stderr.write(`Unknown job "${w}"; the jobs are: ${Object.keys(JOBS).join(', ')}.\n`);
    process.exit(2);
  }
}
const cli = postmanCli();
process.stdout.write(`Postman CLI ${run(cli, ['--version'], root).trim()}\n`);
for (const [name, job] of Object.entries(JOBS)) if (wanted.length === 0 || wanted.includes(name)) generate(cli, name, job);

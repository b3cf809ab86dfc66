// The packages as a user gets them: `npm pack` of the runner and of the emulator, the runner's
// tarball installed alone into a scratch project (measured against Newman alone: it must bring no
// emulator-only dependency and stay within 1.6× Newman's node_modules), `demo` refusing with exit 5
// until the emulator's own tarball is added, then the consumer's own TypeScript (nodenext, strict)
// type-checks and runs the library, the emulator and the Playwright fixture, a deep import fails,
// and `npx cognito-newman demo`, `token` and `run` work from there. Tokens issued during the
// fixture run are searched for in every trace, report and attachment.
import { test, expect } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../packages/emulator/src/index.js';
import { startDemoApi, type DemoApi } from '../../packages/emulator/demo-api/server.js';
import { EMULATOR_ONLY_PACKAGES, SIZE_GOAL_RATIO, installRows, measureInstall, packTarballs, pinnedVersion, scratchProject, tarballFiles, type InstallFigure } from '../../scripts/bench/install.js';

const ROOT = join(import.meta.dirname, '../..');
const CONSUMER_FILES = join(import.meta.dirname, 'consumer');
const DEMO_COLLECTION = join(ROOT, 'collections', 'demo.postman_collection.json');

test.describe.configure({ mode: 'serial' });

let work: string;
let app: string; // the scratch consumer project
let emulator: RunningEmulator;
let api: DemoApi;
let env: Record<string, string>;
let tarballs: ReturnType<typeof packTarballs>;
let runnerAlone: InstallFigure;

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run a command in the consumer project, bounded; never a hang. */
function run(cmd: string, args: string[], extraEnv: Record<string, string> = {}, timeoutMs = 120_000): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: app, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const show = (r: Result) => `exit ${r.status}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`;

function allContentsOfZip(zip: string): [string, string][] {
  const list = spawnSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  return list.map((member) => [`${zip}:${member}`, spawnSync('unzip', ['-p', zip, member], { encoding: 'latin1', maxBuffer: 64 << 20 }).stdout]);
}

/** Every file under `dir`, zip archives (Playwright traces) opened, as [name, content]. */
function allContents(dir: string): [string, string][] {
  const out: [string, string][] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.zip')) out.push(...allContentsOfZip(p)); else {
        const text = readFileSync(p, 'latin1');
        out.push([p, text]);
        // The HTML report embeds its data (attachment bodies included) as a base64 zip.
        const embedded = /data:application\/zip;base64,([A-Za-z0-9+/=]+)/.exec(text);
        if (embedded) {
          const zip = join(work, `embedded-${out.length}.zip`);
          writeFileSync(zip, Buffer.from(embedded[1]!, 'base64'));
          for (const [name, content] of allContentsOfZip(zip)) out.push([`${p}:${name}`, content]);
        }
        // The JSON report carries attachment bodies in base64.
        if (p.endsWith('.json')) for (const m of text.matchAll(/"body": ?"([A-Za-z0-9+/=]+)"/g)) out.push([`${p}:body`, Buffer.from(m[1]!, 'base64').toString('latin1')]);
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  work = mkdtempSync(join(tmpdir(), 'cn-package-'));
  app = join(work, 'app');
  mkdirSync(app);
  // dist/ is built by `npm test` before the suite; --ignore-scripts so packing does not build again.
  const started = Date.now();
  tarballs = packTarballs(ROOT, work);
  scratchProject(app, 'consumer');
  emulator = await startEmulator({ port: 0 });
  api = await startDemoApi({ port: 0, issuer: emulator.issuer, clientIds: ['demo-public-client'] });
  env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    // Tokens never land in the user's real cache; each step of this file shares this one.
    COGNITO_NEWMAN_CACHE_DIR: join(work, 'token-cache'),
    COGNITO_NEWMAN_CACHE: '1',
    COGNITO_NEWMAN_ARTIFACTS_DIR: join(work, 'artifacts'),
    COGNITO_DOMAIN: emulator.baseUrl,
    COGNITO_CLIENT_ID: 'demo-public-client',
    COGNITO_USER_POOL_ID: emulator.poolId,
    COGNITO_ISSUER: emulator.issuer,
    TEST_USERS: 'admin,reader',
    TEST_USER_ADMIN_USERNAME: 'admin',
    TEST_USER_ADMIN_PASSWORD: 'Admin-Passw0rd!',
    TEST_USER_READER_USERNAME: 'reader',
    TEST_USER_READER_PASSWORD: 'Reader-Passw0rd!',
    DEMO_API_URL: api.baseUrl,
    DEMO_COLLECTION,
    ...(process.env.COGNITO_NEWMAN_BROWSER ? { COGNITO_NEWMAN_BROWSER: process.env.COGNITO_NEWMAN_BROWSER } : {}),
  };
  // The runner's tarball alone and its dependencies as npm installs them (from the npm cache when it has them).
  runnerAlone = await measureInstall(app, tarballs.runner, 'cognito-newman (runner tarball)', env);
  linkConsumerTools();
  mkdirSync(join(app, 'tests'));
  for (const f of ['script.ts', 'deep-import.ts', 'playwright.config.ts', 'tsconfig.json']) cpSync(join(CONSUMER_FILES, f), join(app, f));
  cpSync(join(CONSUMER_FILES, 'leak.spec.ts'), join(app, 'tests', 'leak.spec.ts'));
  // The sample from examples/ exactly as a user would copy it.
  cpSync(join(ROOT, 'examples', 'playwright', 'demo-api.spec.ts'), join(app, 'tests', 'demo-api.spec.ts'));
  process.stderr.write(`[package] packed and installed in ${Date.now() - started} ms\n`);
});

test.afterAll(async () => {
  await api?.stop();
  await emulator?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * The consumer's own tools come from this repository's node_modules (same versions a consumer
 * would add as devDependencies): @playwright/test is an optional peer, so npm did not install it.
 * Again after each `npm install`, which prunes what its lockfile does not know.
 */
function linkConsumerTools(): void {
  for (const dep of ['@playwright/test', '@types/node', 'typescript']) {
    mkdirSync(join(app, 'node_modules', dirnameOf(dep)), { recursive: true });
    // A dependency of the package may have brought it already (@types/node): keep npm's copy.
    if (!existsSync(join(app, 'node_modules', dep))) symlinkSync(join(ROOT, 'node_modules', dep), join(app, 'node_modules', dep));
  }
}

const dirnameOf = (dep: string) => (dep.includes('/') ? dep.split('/')[0]! : '.');

test('the runner installs lean: no emulator-only dependency, no build, bench or Managed Login output, within 1.6× Newman alone', async () => {
  test.setTimeout(180_000);
  const brought = EMULATOR_ONLY_PACKAGES.filter((p) => runnerAlone.names.has(p));
  expect(brought, 'emulator-only packages the runner brought').toEqual([]);
  // The other optional peers stay out too: a consumer adds them for the feature that needs them.
  expect(['@aws-sdk/client-secrets-manager', 'newman-reporter-htmlextra', '@aws-sdk/client-s3', 'imapflow'].filter((p) => runnerAlone.names.has(p))).toEqual([]);
  const files = tarballFiles(tarballs.runner.at(-1)!);
  expect(files.filter((f) => /^dist\/(scripts|managed-login|examples|packages)\/|^dist\/src\/emulator\/|\.map$|^src\/|^tests\//.test(f))).toEqual([]);
  expect(files).toEqual(expect.arrayContaining(['dist/src/cli.js', 'dist/src/index.d.ts', 'dist/src/emulator.d.ts', 'scripts/install-browser.mjs', 'collections/demo.postman_collection.json']));

  // Newman alone, installed the same way into its own scratch project: the yardstick.
  const newmanDir = join(work, 'newman-alone');
  scratchProject(newmanDir, 'newman-alone');
  const newman = await measureInstall(newmanDir, [`newman@${pinnedVersion(ROOT, 'newman')}`], 'Newman alone (`npm i newman`)', env);
  const table = installRows([newman, runnerAlone], { newman, ours: runnerAlone }).join('\n');
  process.stderr.write(`[package]${table}\n`);
  for (const f of [newman, runnerAlone]) test.info().annotations.push({ type: 'install', description: `${f.label}: ${f.packages} packages, ${(f.bytes / 1048576).toFixed(0)} MB, ${(f.ms / 1000).toFixed(1)} s` });
  expect(runnerAlone.bytes / newman.bytes, table).toBeLessThanOrEqual(SIZE_GOAL_RATIO);
});

test('installed as a dependency, the postinstall does nothing: no browser download, no apt-get, no output', async () => {
  // npm 11 would not even run it unasked; run it as npm would, from the installed package, with no browser configured.
  const noBrowser = Object.fromEntries(Object.entries(env).filter(([k]) => k !== 'COGNITO_NEWMAN_BROWSER'));
  const r = await new Promise<Result>((resolve) => {
    const child = spawn(process.execPath, [join(app, 'node_modules', 'cognito-newman', 'scripts', 'install-browser.mjs')], { cwd: app, env: noBrowser, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('close', (status) => (clearTimeout(timer), resolve({ status, stdout, stderr })));
  });
  expect(r.status, show(r)).toBe(0);
  expect(r.stdout + r.stderr).toBe('');
});

test('without its optional packages, the feature that needs one exits 5 with one paragraph naming `npm i -D <package>`', async () => {
  const cases: { args: string[]; env?: Record<string, string>; pkg: string }[] = [
    { args: ['demo'], pkg: 'cognito-newman-emulator' },
    { args: ['emulator', '--port', '0'], pkg: 'cognito-newman-emulator' },
    // A test user in Secrets Manager: the AWS SDK is loaded only then.
    { args: ['token', '--no-cache'], env: { TEST_USERS: '', TEST_USER_SECRET_ID: 'cn/test-user', AWS_REGION: 'us-east-1' }, pkg: '@aws-sdk/client-secrets-manager' },
    // Refused before any sign-in, as every other preflight problem.
    { args: ['run', DEMO_COLLECTION, '-r', 'htmlextra', '--no-cache'], pkg: 'newman-reporter-htmlextra' },
    // A user whose one-time codes arrive in S3 or an IMAP mailbox: refused before any browser starts.
    { args: ['token', '--no-cache'], env: { TEST_USERS: '', TEST_USER_USERNAME: 'coder@example.com', TEST_USER_SIGN_IN_FACTOR: 'email', TEST_USER_CODE_SOURCE: 's3://mail-bucket/inbound/' }, pkg: '@aws-sdk/client-s3' },
    { args: ['token', '--no-cache'], env: { TEST_USERS: '', TEST_USER_USERNAME: 'coder@example.com', TEST_USER_SIGN_IN_FACTOR: 'email', TEST_USER_CODE_SOURCE: 'imap://coder@127.0.0.1:1/INBOX', TEST_USER_CODE_SOURCE_PASSWORD: 'Mailbox-Passw0rd!' }, pkg: 'imapflow' },
  ];
  for (const c of cases) {
    const r = await run('npx', ['--no-install', 'cognito-newman', ...c.args], c.env ?? {}, 30_000);
    expect(r.status, show(r)).toBe(5);
    expect(r.stderr).toContain(`npm i -D ${c.pkg}`);
    expect(r.stderr.trim().split('\n'), show(r)).toHaveLength(1);
  }
});

test('the emulator installs from its own tarball beside the runner, bundles and all', async () => {
  test.setTimeout(180_000);
  const files = tarballFiles(tarballs.emulator);
  expect(files).toEqual(expect.arrayContaining(['dist/src/index.js', 'dist/src/index.d.ts', 'dist/demo-api/server.js', 'dist/managed-login/app.js', 'dist/managed-login/server.mjs']));
  expect(files.filter((f) => /^(src|tests|scripts)\/|\.tsx$/.test(f))).toEqual([]);
  const both = await measureInstall(app, [tarballs.emulator], '+ cognito-newman-emulator (its tarball)', env);
  linkConsumerTools();
  process.stderr.write(`[package]${installRows([runnerAlone, both]).join('\n')}\n`);
  test.info().annotations.push({ type: 'install', description: `${both.label}: ${both.packages} packages, ${(both.bytes / 1048576).toFixed(0)} MB, ${(both.ms / 1000).toFixed(1)} s` });
  expect(both.names.has('cognito-newman-emulator')).toBe(true);
  expect(both.names.has('oidc-provider')).toBe(true);
  // Nothing of the build came with it: React, Cloudscape and esbuild are its devDependencies.
  expect(['react', 'esbuild', '@cloudscape-design/components'].filter((p) => both.names.has(p))).toEqual([]);
});

test('the tarball ships dist/ with type declarations and no sources, tests or build step', () => {
  const pkg = JSON.parse(readFileSync(join(app, 'node_modules', 'cognito-newman', 'package.json'), 'utf8')) as { exports: Record<string, unknown>; peerDependenciesMeta: Record<string, { optional: boolean }> };
  expect(Object.keys(pkg.exports).sort()).toEqual(['.', './emulator', './package.json', './playwright']);
  for (const peer of ['@playwright/test', 'cognito-newman-emulator', '@aws-sdk/client-secrets-manager', 'newman-reporter-htmlextra', '@aws-sdk/client-s3', 'imapflow']) expect(pkg.peerDependenciesMeta[peer]?.optional, peer).toBe(true);
  const installed = join(app, 'node_modules', 'cognito-newman');
  for (const f of ['dist/src/index.d.ts', 'dist/src/emulator.d.ts', 'dist/src/playwright/index.d.ts', 'dist/src/cli.js']) expect(existsSync(join(installed, f)), f).toBe(true);
  for (const f of ['src', 'tests', 'tsconfig.json', 'dist/scripts', 'dist/managed-login']) expect(existsSync(join(installed, f)), f).toBe(false);
  // npm did not add the optional peer: the library and CLI work without Playwright Test.
  expect(statSync(join(app, 'node_modules', '@playwright', 'test')).isDirectory()).toBe(true); // our symlink
});

test('the consumer project type-checks with nodenext and strict (declarations included), except a deep import', async () => {
  // One compiler run (it checks Playwright's and Node's declarations too, skipLibCheck off): it emits
  // the script for the next test, and deep-import.ts must be its only error.
  const tsc = await run(process.execPath, [join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
  const errors = tsc.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
  expect(errors, show(tsc)).toHaveLength(1);
  expect(errors[0]).toMatch(/^deep-import\.ts\(\d+,\d+\): error TS2307: Cannot find module 'cognito-newman\/dist\/src\/errors\.js'/);
  expect(existsSync(join(app, 'out', 'script.js'))).toBe(true);
});

test('Node refuses a deep import too, and the main entry exports exactly the API', async () => {
  const node = await run(process.execPath, ['--input-type=module', '-e', "await import('cognito-newman/dist/src/errors.js')"]);
  expect(node.status).not.toBe(0);
  expect(node.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  const ok = await run(process.execPath, ['--input-type=module', '-e', "for (const m of ['cognito-newman', 'cognito-newman/emulator', 'cognito-newman/playwright']) console.log(m, Object.keys(await import(m)).sort().join(','))"]);
  expect(ok.status, show(ok)).toBe(0);
  const lines = ok.stdout.trim().split('\n');
  expect(lines[0]).toBe('cognito-newman CnError,ExitCode,convertV3ToV21,enrollPasskey,getTokens,isCnError,isV3CollectionPath,runCollection');
  expect(lines[1]).toContain('startEmulator');
  expect(lines[2]).toBe('cognito-newman/playwright expect,test');
});

test('a Node script: startEmulator, getTokens (and its error), runCollection with the tokens', async () => {
  const script = await run(process.execPath, ['out/script.js']);
  expect(script.status, show(script)).toBe(0);
  const out = JSON.parse(script.stdout.trim().split('\n').pop()!) as {
    own: Record<string, { user: string; jwt: number; id: boolean; refresh: boolean; expiresInS: number }>;
    rejected: { name: string; code: string; exitCode: number; hint: string; text: string };
    harnessUsers: string[];
    run: { exitCode: number; passed: boolean };
  };
  expect(Object.keys(out.own).sort()).toEqual(['admin', 'reader']);
  for (const t of Object.values(out.own)) {
    expect(t).toMatchObject({ jwt: 3, id: true, refresh: true });
    expect(t.expiresInS).toBeGreaterThan(3000);
  }
  // The CLI's code, exit code and hint, and never the password that was tried.
  expect(out.rejected).toMatchObject({ name: 'CnError', code: 'LOGIN_REJECTED', exitCode: 3 });
  expect(out.rejected.hint.length).toBeGreaterThan(10);
  expect(out.rejected.text).not.toContain('Wrong-Passw0rd-7781!');
  expect(out.harnessUsers.sort()).toEqual(['admin', 'reader']);
  expect(out.run).toEqual({ exitCode: 0, passed: true });
});

test('the fixture in a consumer Playwright run against the demo API; no token in any trace, report or attachment', async () => {
  const before = new Set(emulator.observed.tokens);
  const pw = await run(process.execPath, [join(app, 'node_modules', '@playwright', 'test', 'cli.js'), 'test']);
  expect(pw.status, show(pw)).toBe(0);
  const report = JSON.parse(readFileSync(join(app, 'reports-pw', 'report.json'), 'utf8')) as { stats: { expected: number; unexpected: number } };
  expect(report.stats).toMatchObject({ expected: 7, unexpected: 0 });
  // cognitoRequest's calls still show in the report, as steps titled by method and URL only.
  expect(readFileSync(join(app, 'reports-pw', 'report.json'), 'utf8')).toContain('"title": "cognitoRequest.get /admin/reports"');

  // Signed in once per worker: the token cache was warm from the script above, so the fixture
  // reused it and the emulator issued nothing new; either way, search for every token it ever issued.
  const issued = emulator.observed.tokens;
  expect(issued.length).toBeGreaterThan(0);
  const files = [...allContents(join(app, 'test-results')), ...allContents(join(app, 'playwright-report')), ...allContents(join(app, 'reports-pw'))];
  // The search is not vacuous: traces were written and recorded the request fixture's call.
  expect(files.some(([name]) => name.endsWith('.network'))).toBe(true);
  expect(files.some(([name, text]) => name.endsWith('.network') && text.includes('/health'))).toBe(true);
  // ...and the failing request's call log, which lists its headers, reached the attachments redacted.
  const attachments = files.filter(([, text]) => text.includes('ECONNREFUSED') && text.includes('Call log'));
  expect(attachments.length).toBeGreaterThan(1); // the HTML report's and the JSON report's copies
  for (const [, text] of attachments) expect(text).toMatch(/Authorization: Bearer \[REDACTED\]/);
  const leaks = files.filter(([, text]) => issued.some((t) => text.includes(t) || text.includes(t.slice(-40))));
  expect(leaks.map(([name]) => name)).toEqual([]);
  expect(pw.stdout + pw.stderr).not.toMatch(/eyJ[\w-]{20,}/);
  // Nothing new was issued: the fixture reused the cache the script filled (one sign-in per user per cache).
  expect(issued.filter((t) => !before.has(t))).toEqual([]);
});

test('npx cognito-newman demo, token and run work from the installed package (no build step)', async () => {
  const demo = await run('npx', ['--no-install', 'cognito-newman', 'demo', '--silent', '--reports-dir', 'reports/demo']);
  expect(demo.status, show(demo)).toBe(0);
  expect(existsSync(join(app, 'reports', 'demo', 'junit.xml'))).toBe(true);

  const token = await run('npx', ['--no-install', 'cognito-newman', 'token', '--user', 'admin', '--format', 'json']);
  expect(token.status, show(token)).toBe(0);
  const t = JSON.parse(token.stdout) as { accessToken: string; accessTokenExpiresAt: string };
  expect(t.accessToken.split('.')).toHaveLength(3);
  expect(new Date(t.accessTokenExpiresAt).getTime()).toBeGreaterThan(Date.now());

  const runCmd = await run('npx', ['--no-install', 'cognito-newman', 'run', DEMO_COLLECTION, '--env-var', `baseUrl=${api.baseUrl}`, '-r', 'cli,junit', '--reports-dir', 'reports/run']);
  expect(runCmd.status, show(runCmd)).toBe(0);
  expect(readFileSync(join(app, 'reports', 'run', 'junit.xml'), 'utf8')).toContain('<testsuites');
  expect(runCmd.stdout + runCmd.stderr).not.toContain(t.accessToken);
});

// Bad input is refused before any browser starts (issue 11, "Fail before the browser"): the built
// CLI against a counting emulator, so "no sign-in happened" is what the IdP saw, not what we print.
// Every case is a usage mistake that main only noticed after the sign-ins (or after the whole run).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import type { RunningEmulator } from '../../packages/emulator/src/index.js';
import { runCli, describe, REPO_ROOT } from '../fixtures/cli.js';
import { emulatorEnv, signIns, startCountingEmulator, type RequestLog } from './_emulator-requests.js';

const DEMO = join(REPO_ROOT, 'collections', 'demo.postman_collection.json');

let emulator: RunningEmulator;
let log: RequestLog;
let work: string;
test.beforeAll(async () => {
  ({ emulator, log } = await startCountingEmulator());
});
test.afterAll(async () => {
  await emulator.stop();
});
test.beforeEach(() => {
  log.lines.length = 0;
  work = mkdtempSync(join(tmpdir(), 'cn-pre-'));
});

const admin = { TEST_USER_USERNAME: 'admin', TEST_USER_PASSWORD: 'Admin-Passw0rd!' };
const twoUsers = {
  TEST_USERS: 'admin,reader',
  TEST_USER_ADMIN_USERNAME: 'admin',
  TEST_USER_ADMIN_PASSWORD: 'Admin-Passw0rd!',
  TEST_USER_READER_USERNAME: 'reader',
  TEST_USER_READER_PASSWORD: 'Reader-Passw0rd!',
};
const env = (extra: Record<string, string> = {}) => ({ CI: 'true', ...emulatorEnv(emulator), ...admin, ...extra });

test('run: every mistake that needs no IdP is listed in one exit-2 paragraph, before any sign-in', async () => {
  // A file where the reports folder should be: the run could never write its junit report.
  writeFileSync(join(work, 'blocked'), 'not a folder');
  const r = await runCli(
    [
      'run', DEMO, '-r', 'cli,junit', '--reports-dir', join(work, 'blocked', 'reports'),
      '-d', join(work, 'missing-data.csv'),
      '-g', join(work, 'missing-globals.json'),
      '--folder', 'No such folder',
      '--auth-token', 'id',
    ],
    { cwd: work, env: env({ COGNITO_SCOPES: 'email profile' }) },
  );
  expect(r.code, describe(r)).toBe(2);
  const paragraphs = r.stderr.trim().split('\n').filter((l) => l.startsWith('error'));
  expect(paragraphs, describe(r)).toHaveLength(1);
  const text = paragraphs[0]!;
  expect(text).toContain('5 problems');
  expect(text).toContain('missing-data.csv does not exist');
  expect(text).toContain('missing-globals.json does not exist');
  expect(text).toContain('"No such folder" is not in the collection');
  expect(text).toContain('--auth-token: "id" needs the openid scope');
  expect(text).toMatch(/blocked is a file, so the folder .*blocked\/reports cannot be created/);
  expect(signIns(log), 'no browser reached the sign-in page').toBe(0);
});

test('run: configuration problems and file problems come in the same paragraph', async () => {
  const r = await runCli(['run', DEMO, '-e', join(work, 'missing.postman_environment.json')], { cwd: work, env: env({ COGNITO_CLIENT_ID: '' }) });
  expect(r.code, describe(r)).toBe(2);
  expect(r.stderr).toContain('COGNITO_CLIENT_ID: required');
  expect(r.stderr).toContain('missing.postman_environment.json could not be read (ENOENT)');
  expect(signIns(log)).toBe(0);
});

test('token --format header with several users is a usage error before any sign-in', async () => {
  const r = await runCli(['token', '--format', 'header'], { cwd: work, env: { CI: 'true', ...emulatorEnv(emulator), ...twoUsers } });
  expect(r.code, describe(r)).toBe(2);
  expect(r.stderr).toMatch(/--format: "header" prints one Authorization header, but 2 users are configured \(admin, reader\); pick one with --user NAME/);
  expect(r.stdout).toBe('');
  expect(signIns(log)).toBe(0);
});

test('an unwritable artifacts folder is found before the sign-in (exit 5, the contract\'s local problem)', async () => {
  writeFileSync(join(work, 'artifacts'), 'a file, not a folder');
  const r = await runCli(['token'], { cwd: work, env: env({ COGNITO_NEWMAN_ARTIFACTS_DIR: join(work, 'artifacts') }) });
  expect(r.code, describe(r)).toBe(5);
  expect(r.stderr).toMatch(/COGNITO_NEWMAN_ARTIFACTS_DIR: .*artifacts is a file, not a folder/);
  expect(signIns(log)).toBe(0);
});

test('COGNITO_DOMAIN=127.0.0.1:PORT without a scheme is a clear exit 2, not https and a TLS error', async () => {
  const bare = emulator.baseUrl.replace(/^http:\/\//, '');
  const r = await runCli(['token'], { cwd: work, env: env({ COGNITO_DOMAIN: bare }) });
  expect(r.code, describe(r)).toBe(2);
  expect(r.stderr).toContain(`COGNITO_DOMAIN: "${bare}" has no scheme; write http://${bare}`);
  expect(r.stderr).not.toContain('SSL');
  expect(signIns(log)).toBe(0);
});

test('an unwritable token cache is a warning before the sign-in, and the command goes on without it', async () => {
  writeFileSync(join(work, 'not-a-folder'), 'x');
  const r = await runCli(['token', '--debug'], { cwd: work, env: { ...emulatorEnv(emulator), ...admin, COGNITO_NEWMAN_CACHE: '1', COGNITO_NEWMAN_CACHE_DIR: join(work, 'not-a-folder', 'cache') } });
  expect(r.code, describe(r)).toBe(0);
  const warning = r.stderr.indexOf('warning: The token cache cannot be used');
  expect(warning, describe(r)).toBeGreaterThanOrEqual(0);
  expect(warning, 'warned before the browser opened the sign-in page').toBeLessThan(r.stderr.indexOf('opening the sign-in page'));
  expect(r.stderr).not.toContain('CACHE_UNWRITABLE');
});

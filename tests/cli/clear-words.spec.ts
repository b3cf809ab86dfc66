// Clear words for the smaller hardening cases (issue 11), through the built CLI against the
// emulator: --dotenv (Node 20 intercepts a missing --env-file before our code runs), a warning naming
// the scopes the IdP dropped, and `logout` saying what it did and did not do when the IdP is down.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { startEmulator, type RunningEmulator } from '../../packages/emulator/src/index.js';
import { runCli, describe } from '../fixtures/cli.js';
import { emulatorEnv } from './_emulator-requests.js';

const ADMIN = { TEST_USER_USERNAME: 'admin', TEST_USER_PASSWORD: 'Admin-Passw0rd!' };
let emulator: RunningEmulator;
let work: string;
test.beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
  work = mkdtempSync(join(tmpdir(), 'cn-words-'));
});
test.afterEach(async () => {
  await emulator.stop();
});

test('--dotenv naming a missing file is exit 2 naming it; the old --env-file spelling still reads a file that exists', async () => {
  const missing = await runCli(['token', '--dotenv', 'missing.env'], { cwd: work, env: { CI: 'true', ...emulatorEnv(emulator), ...ADMIN } });
  expect(missing.code, describe(missing)).toBe(2);
  expect(missing.stderr).toContain(join(work, 'missing.env'));
  expect(missing.stderr).toContain('does not exist');

  writeFileSync(join(work, 'ci.env'), `TEST_USER_USERNAME=admin\nTEST_USER_PASSWORD='Admin-Passw0rd!'\n`);
  const old = await runCli(['token', '--env-file', 'ci.env', '--format', 'header'], { cwd: work, env: { CI: 'true', ...emulatorEnv(emulator) } });
  expect(old.code, describe(old)).toBe(0);
  expect(old.stdout).toMatch(/^Authorization: Bearer ey/);
});

test('scopes the app client does not allow: a warning names them (the IdP drops them without a word)', async () => {
  const r = await runCli(['token'], { cwd: work, env: { CI: 'true', ...emulatorEnv(emulator), ...ADMIN, COGNITO_SCOPES: 'openid email demo-api/write' } });
  expect(r.code, describe(r)).toBe(0);
  expect(r.stderr).toContain('did not grant "demo-api/write" to user admin');
  expect(r.stderr).not.toMatch(/did not grant[^\n]*"email"/);
});

test('logout with the IdP down says what it did (deleted the cache) and what it could not (revoke), exit 4', async () => {
  const cache = { COGNITO_NEWMAN_CACHE: '1', COGNITO_NEWMAN_CACHE_DIR: join(work, 'cache') };
  const env = { ...emulatorEnv(emulator), ...ADMIN, ...cache, COGNITO_NEWMAN_TOKEN_DEADLINE_MS: '1000' };
  const signedIn = await runCli(['token'], { cwd: work, env });
  expect(signedIn.code, describe(signedIn)).toBe(0);
  expect(readdirSync(join(work, 'cache'))).toHaveLength(1);
  await emulator.stop(); // the IdP is gone
  const r = await runCli(['logout'], { cwd: work, env });
  expect(r.code, describe(r)).toBe(4);
  expect(r.stderr).toContain('deleted the cached tokens');
  expect(r.stderr).toMatch(/error \[LOGOUT_INCOMPLETE\]: Logout done in part: the cached tokens of user admin were deleted, but .*\/oauth2\/revoke could not revoke the refresh token of user admin/);
  expect(r.stderr).toContain('admin-user-global-sign-out');
  expect(r.stderr).not.toMatch(/try again later/i);
  expect(readdirSync(join(work, 'cache'))).toEqual([]);
  emulator = await startEmulator({ port: 0 }); // for afterEach
});

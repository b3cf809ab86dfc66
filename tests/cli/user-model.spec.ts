// One clear user model (issue 14, item 6), through the built CLI: a username configured both as
// the default user and as a named user is one user: it signs in once, and the run summary, doctor
// and the injected variables all call it the same; conflicting secrets for it are a config error.
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { startDemoApi, type DemoApi } from '../../packages/emulator/demo-api/server.js';
import type { RunningEmulator } from '../../packages/emulator/src/index.js';
import { runCli, describe, REPO_ROOT } from '../fixtures/cli.js';
import { emulatorEnv, signIns, startCountingEmulator, type RequestLog } from './_emulator-requests.js';

const DEMO = join(REPO_ROOT, 'collections', 'demo.postman_collection.json');

let emulator: RunningEmulator;
let log: RequestLog;
let api: DemoApi;
test.beforeEach(async () => {
  ({ emulator, log } = await startCountingEmulator());
  api = await startDemoApi({ port: 0, issuer: emulator.issuer, clientIds: ['demo-public-client'] });
});
test.afterEach(async () => {
  await api.stop();
  await emulator.stop();
});

const env = (defaultPassword = 'Admin-Passw0rd!') => ({
  ...emulatorEnv(emulator),
  CI: 'true',
  TEST_USER_USERNAME: 'admin',
  TEST_USER_PASSWORD: defaultPassword,
  TEST_USERS: 'admin,reader',
  TEST_USER_ADMIN_USERNAME: 'admin',
  TEST_USER_ADMIN_PASSWORD: 'Admin-Passw0rd!',
  TEST_USER_READER_USERNAME: 'reader',
  TEST_USER_READER_PASSWORD: 'Reader-Passw0rd!',
});

test('default user = named user admin: admin signs in once, and gets both sets of variable names under one name', async () => {
  const r = await runCli(['run', DEMO, '--env-var', `baseUrl=${api.baseUrl}`], { env: env() });
  expect(r.code, describe(r)).toBe(0);
  expect(signIns(log), describe(r)).toBe(2); // admin and reader, not admin twice
  expect(r.stderr).toContain('user "admin" (admin): accessToken, idToken, refreshToken, tokenType, accessTokenExpiresAt, admin_accessToken,');
  expect(r.stderr).toContain('user "reader" (reader): reader_accessToken,');
  expect(r.stderr).not.toMatch(/user default|user admin:/);

  const d = await runCli(['doctor'], { env: env() });
  expect(d.code, describe(d)).toBe(0);
  expect(d.stdout, describe(d)).toContain('2 test users: admin (admin; {{accessToken}}, {{admin_accessToken}}), reader (reader; {{reader_accessToken}})');
});

test('the same username with a different password is a configuration error naming both variables, exit 2', async () => {
  const r = await runCli(['token'], { env: env('Other-Passw0rd!') });
  expect(r.code, describe(r)).toBe(2);
  expect(r.stderr).toContain('TEST_USER_USERNAME: names the same user as TEST_USER_ADMIN_USERNAME (admin) but with a different password or TOTP secret');
  expect(r.stderr).not.toContain('Other-Passw0rd!');
});

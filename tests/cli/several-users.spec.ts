// Several named users (issue 5, item 4) through the built CLI: TEST_USERS are signed in on one
// browser with bounded concurrency and each gets its `<name>_accessToken`; one user's failure fails
// the whole run before Newman starts, and the error names that user.
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

function env(readerPassword: string): Record<string, string> {
  return {
    ...emulatorEnv(emulator),
    COGNITO_SCOPES: 'openid email profile',
    TEST_USERS: 'admin,reader',
    TEST_USER_ADMIN_USERNAME: 'admin',
    TEST_USER_ADMIN_PASSWORD: 'Admin-Passw0rd!',
    TEST_USER_READER_USERNAME: 'reader',
    TEST_USER_READER_PASSWORD: readerPassword,
    COGNITO_NEWMAN_CONCURRENCY: '2',
    CI: 'true',
  };
}

test('named users are each signed in and the demo collection passes for both', async () => {
  const r = await runCli(['run', DEMO, '--env-var', `baseUrl=${api.baseUrl}`], { env: env('Reader-Passw0rd!') });
  expect(r.code, describe(r)).toBe(0);
  expect(signIns(log)).toBe(2);
  expect(r.stderr).toContain('user "admin" (admin)');
  expect(r.stderr).toContain('user "reader" (reader)');
});

test("one user's failed sign-in fails the run, names that user, and Newman never starts", async () => {
  const r = await runCli(['run', DEMO, '--env-var', `baseUrl=${api.baseUrl}`], { env: env('Wrong-Passw0rd!') });
  expect(r.code, describe(r)).toBe(3);
  expect(r.stderr).toMatch(/error \[[A-Z_]+\]: Test user "reader" \(reader\): /);
  expect(r.stderr).not.toContain('Test user "admin"');
  // No request reached the API: the collection did not run with half the users.
  expect(r.stdout).not.toContain('GET /me as admin');
});

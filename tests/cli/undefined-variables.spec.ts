// A {{variable}} in a request URL that nothing defines stops `cognito-newman run` with exit 2 before
// any sign-in (issue 14, item 2), naming the variable, the first request and where it belongs;
// --allow-undefined-variables makes it a warning. Through the built CLI, as a user runs it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { runCli, describe, REPO_ROOT } from '../fixtures/cli.js';

const GUIDE = join(REPO_ROOT, 'collections', 'guide-style.postman_collection.json');
// Nothing listens on port 9 (discard) of loopback: a sign-in attempt would fail with exit 4, not 2.
const ENV = {
  CI: 'true',
  COGNITO_DOMAIN: 'http://127.0.0.1:9',
  COGNITO_CLIENT_ID: 'demo-public-client',
  TEST_USERS: 'admin',
  TEST_USER_ADMIN_USERNAME: 'admin',
  TEST_USER_ADMIN_PASSWORD: 'Admin-Passw0rd!',
};

function collection(dir: string, url: object, prerequest: string[]): string {
  const file = join(dir, 'c.postman_collection.json');
  writeFileSync(
    file,
    JSON.stringify({
      info: { name: 'vars', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      item: [
        { name: 'Setup', item: [{ name: 'first', request: { method: 'GET', url: 'https://example.invalid/ok' } }] },
        { name: 'Reports', item: [{ name: 'list', event: [{ listen: 'prerequest', script: { exec: prerequest } }], request: { method: 'GET', url } }] },
      ],
    }),
  );
  return file;
}

test('an undefined {{baseUrl}} stops the run with exit 2 before any sign-in, naming the request and where it belongs', async () => {
  const r = await runCli(['run', GUIDE], { env: ENV });
  expect(r.code, describe(r)).toBe(2);
  expect(r.stderr).toContain('error [VARIABLE_UNDEFINED]');
  expect(r.stderr).toContain('{{baseUrl}} (first used in the host of "GET /me")');
  expect(r.stderr).toContain('Postman environment (-e, or API_TEST_ENVIRONMENT for npm run api-test) or --env-var baseUrl=<value>');
  expect(r.stderr).not.toContain('signed in');
});

test('a misspelt variable is named with the defined one it is closest to', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cn-vars-'));
  const file = collection(dir, { raw: '{{baseURl}}/reports', host: ['{{baseURl}}'], path: ['reports'] }, []);
  const r = await runCli(['run', file, '--env-var', 'baseUrl=http://127.0.0.1:9'], { env: ENV });
  expect(r.code, describe(r)).toBe(2);
  expect(r.stderr).toContain('{{baseURl}} (first used in the host of "Reports / list")');
  expect(r.stderr).toContain('(did you mean {{baseUrl}}?)');
});

test('defined by --env-var or an environment file: no complaint (the run goes on to the sign-in)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cn-vars-'));
  const envFile = join(dir, 'e.json');
  writeFileSync(envFile, JSON.stringify({ values: [{ key: 'baseUrl', value: 'http://127.0.0.1:9', enabled: true }] }));
  for (const args of [['--env-var', 'baseUrl=http://127.0.0.1:9'], ['-e', envFile]]) {
    const r = await runCli(['run', GUIDE, ...args], { env: { ...ENV, COGNITO_NEWMAN_LOGIN_TIMEOUT_MS: '5000' } });
    expect(r.stderr, describe(r)).not.toContain('VARIABLE_UNDEFINED');
    expect(r.code, describe(r)).toBe(4); // the unreachable domain: the check let it through
  }
});

test('a script-set variable counts as defined; a token variable of an unconfigured user is named with the TEST_USERS fix; computed names are mentioned', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cn-vars-'));
  const file = collection(
    dir,
    { raw: '{{host}}/reports?as={{ghost_accessToken}}', host: ['{{host}}'], path: ['reports'], query: [{ key: 'as', value: '{{ghost_accessToken}}' }, { key: 'off', value: '{{disabledOnly}}', disabled: true }] },
    ["pm.variables.set('host', 'http://127.0.0.1:9');", 'pm.environment.set(name, 1);'],
  );
  const r = await runCli(['run', file], { env: ENV });
  expect(r.code, describe(r)).toBe(2);
  expect(r.stderr).toContain('{{ghost_accessToken}} (first used in the query of "Reports / list") is the accessToken of a user "ghost", who is not configured (configured: admin); add ghost to TEST_USERS');
  expect(r.stderr).toContain('might define it');
  expect(r.stderr).not.toContain('{{host}}');
  expect(r.stderr).not.toContain('disabledOnly');
  // --folder Setup runs no request that needs it.
  const setup = await runCli(['run', file, '--folder', 'Setup'], { env: { ...ENV, COGNITO_NEWMAN_LOGIN_TIMEOUT_MS: '5000' } });
  expect(setup.stderr, describe(setup)).not.toContain('VARIABLE_UNDEFINED');
});

test('--allow-undefined-variables turns it into a warning and the run goes on', async () => {
  const r = await runCli(['run', GUIDE, '--allow-undefined-variables'], { env: { ...ENV, COGNITO_NEWMAN_LOGIN_TIMEOUT_MS: '5000' } });
  expect(r.stderr, describe(r)).toMatch(/warning: A request URL uses a variable .*\{\{baseUrl\}\}.* Running anyway \(--allow-undefined-variables\)\./);
  expect(r.code, describe(r)).toBe(4);
});

// `cognito-newman doctor` as a user runs it: the built CLI in a child process against the emulator
// (and moto for Secrets Manager), with only the environment a user would set. Proves the wiring,
// the stdout/stderr split, the exit codes, and that the password never appears in either stream.
import { mergeTests } from '@playwright/test';
import { createServer } from 'node:net';
import { test as emulatorTest, expect, type RunningEmulator } from '../fixtures/emulator.js';
import { test as motoTest } from '../fixtures/moto.js';
import { runCli, describe, type CliResult } from '../fixtures/cli.js';

const test = mergeTests(emulatorTest, motoTest);

const PASSWORD = 'Admin-Passw0rd!';

function goodEnv(emu: RunningEmulator): Record<string, string> {
  return {
    COGNITO_DOMAIN: emu.baseUrl,
    COGNITO_CLIENT_ID: 'demo-public-client',
    COGNITO_USER_POOL_ID: emu.poolId,
    COGNITO_ISSUER: emu.issuer,
    TEST_USER_USERNAME: 'admin',
    TEST_USER_PASSWORD: PASSWORD,
    COGNITO_REDIRECT_URI: 'https://oauth.pstmn.io/v1/callback',
  };
}

const lines = (r: CliResult) => r.stdout.split('\n');
const checkLine = (r: CliResult, symbol: '✓' | '✗' | '-', name: string) => lines(r).find((l) => l.startsWith(`${symbol} ${name}`));
const summary = (r: CliResult) => r.stdout.trimEnd().split('\n').at(-1);

function expectNoPassword(r: CliResult): void {
  for (const stream of [r.stdout, r.stderr]) {
    expect(stream, describe(r)).not.toContain(PASSWORD);
    expect(stream, describe(r)).not.toContain(encodeURIComponent(PASSWORD));
  }
}

test('a good configuration: every check ✓ on stdout, the summary last, exit 0', async ({ emulator }) => {
  const r = await runCli(['doctor'], { env: goodEnv(emulator) });
  expect(r.code, describe(r)).toBe(0);
  for (const name of ['configuration complete', 'browser found', 'domain answers', '/oauth2/authorize leads to /login', 'login page is classic or managed', 'JWKS reachable with RS256 keys']) {
    expect(checkLine(r, '✓', name), describe(r)).toBeTruthy();
  }
  expect(r.stdout, describe(r)).not.toContain('✗');
  expect(summary(r), describe(r)).toBe('6 checks passed, 0 failed, 2 skipped');
  expectNoPassword(r);
});

test('a good configuration with --login signs in for real and passes the test login, exit 0', async ({ emulator }) => {
  test.setTimeout(90_000);
  const r = await runCli(['doctor', '--login'], { env: goodEnv(emulator), timeoutMs: 80_000 });
  expect(r.code, describe(r)).toBe(0);
  expect(checkLine(r, '✓', 'test login'), describe(r)).toContain('signed in and verified the tokens: admin');
  expect(summary(r), describe(r)).toBe('7 checks passed, 0 failed, 1 skipped');
  expectNoPassword(r);
});

test('a wrong client id: ✗ at the authorize check with the fix under it, exit 2', async ({ emulator }) => {
  const r = await runCli(['doctor'], { env: { ...goodEnv(emulator), COGNITO_CLIENT_ID: 'no-such-client' } });
  expect(r.code, describe(r)).toBe(2);
  expect(checkLine(r, '✗', '/oauth2/authorize leads to /login'), describe(r)).toContain('redirect_mismatch');
  expect(r.stdout, describe(r)).toContain('fix: Register this exact callback URL https://oauth.pstmn.io/v1/callback on app client no-such-client, or the client id is wrong');
  expectNoPassword(r);
});

test('a client id given as a flag wins over the environment (the auth flags reach doctor)', async ({ emulator }) => {
  const r = await runCli(['doctor', '--client-id', 'no-such-client'], { env: goodEnv(emulator) });
  expect(r.code, describe(r)).toBe(2);
  expect(checkLine(r, '✗', '/oauth2/authorize leads to /login'), describe(r)).toContain('app client no-such-client');
});

test('an unregistered redirect URI: ✗ naming that URI, exit 2', async ({ emulator }) => {
  const uri = 'https://app.example.com/unregistered/callback';
  const r = await runCli(['doctor'], { env: { ...goodEnv(emulator), COGNITO_REDIRECT_URI: uri } });
  expect(r.code, describe(r)).toBe(2);
  expect(checkLine(r, '✗', '/oauth2/authorize leads to /login'), describe(r)).toContain(uri);
  expect(r.stdout, describe(r)).toContain(`fix: Register this exact callback URL ${uri} on app client demo-public-client`);
  expectNoPassword(r);
});

test('an unreachable domain (closed port): ✗ "unreachable" with the URL, the run ends on its own, exit 4', async ({ emulator }) => {
  const port = await closedPort();
  const domain = `http://127.0.0.1:${port}`;
  // The child is killed (code null) if doctor hangs: exit 4 proves the check is bounded.
  const r = await runCli(['doctor'], { env: { ...goodEnv(emulator), COGNITO_DOMAIN: domain }, timeoutMs: 30_000 });
  expect(r.code, describe(r)).toBe(4);
  expect(checkLine(r, '✗', 'domain answers'), describe(r)).toContain(`unreachable: ${domain}/login: connection refused`);
  expect(r.stdout, describe(r)).toMatch(/\n {4}fix: Nothing listens at http:\/\/127\.0\.0\.1:\d+/);
  expect(checkLine(r, '-', '/oauth2/authorize leads to /login'), describe(r)).toBeTruthy();
  expectNoPassword(r);
});

test('an unreadable secret (not in Secrets Manager): ✗ with the mapped message and hint, exit 2', async ({ emulator, moto }) => {
  const env = goodEnv(emulator);
  delete env.TEST_USER_USERNAME;
  delete env.TEST_USER_PASSWORD;
  const r = await runCli(['doctor'], {
    env: { ...env, ...moto.env, TEST_USER_SECRET_ID: 'cognito-newman/no-such-secret', AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint },
  });
  expect(r.code, describe(r)).toBe(2);
  expect(checkLine(r, '✗', 'secret readable: cognito-newman/no-such-secret'), describe(r)).toContain('[SECRET_NOT_FOUND]');
  expect(r.stdout, describe(r)).toContain('fix: Check the name and the region');
  // The rest of the set-up is still checked.
  expect(checkLine(r, '✓', 'login page is classic or managed'), describe(r)).toBeTruthy();
  expectNoPassword(r);
});

test('missing configuration: each missing variable on its own ✗ line, exit 2', async () => {
  const r = await runCli(['doctor'], { env: {} });
  expect(r.code, describe(r)).toBe(2);
  expect(checkLine(r, '✗', 'configuration complete'), describe(r)).toBeTruthy();
  expect(r.stdout, describe(r)).toMatch(/\n {4}✗ COGNITO_DOMAIN: required/);
  expect(r.stdout, describe(r)).toMatch(/\n {4}✗ COGNITO_CLIENT_ID: required/);
  expect(summary(r), describe(r)).toMatch(/^\d+ checks? passed, 1 failed, \d+ skipped$/);
});

/** A port nothing listens on: bound, noted, released. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

test('a user\'s own IdP (TEST_USER_<NAME>_IDENTITY_PROVIDER) is checked too: ✗ when the app client does not offer it, exit 2', async ({ emulator }) => {
  const env = {
    ...goodEnv(emulator),
    TEST_USERS: 'partner',
    TEST_USER_PARTNER_USERNAME: 'pat@partner.example',
    TEST_USER_PARTNER_PASSWORD: 'Partner-Passw0rd!',
    TEST_USER_PARTNER_IDENTITY_PROVIDER: 'PartnerOkta',
    TEST_USER_PARTNER_IDP_LOGIN_UI: 'okta',
  };
  const r = await runCli(['doctor'], { env });
  expect(r.code, describe(r)).toBe(2);
  // The default pool has no IdPs: Cognito's "Login option is not available" for PartnerOkta.
  expect(checkLine(r, '✗', 'identity provider offered and answering'), describe(r)).toContain('does not offer identity provider PartnerOkta');
  expect(r.stdout + r.stderr).not.toContain('Partner-Passw0rd!');
  expectNoPassword(r);
});

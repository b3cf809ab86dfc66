// `cognito-newman token` end to end: the built CLI as a child process, real Chromium, the emulator
// on port 0. Every acceptance scenario of issue 3 (the table in _token-scenarios.ts), then the
// output contract: formats, stdout only for tokens, --silent, configuration errors, stack traces.
// Proven elsewhere, not repeated here: request shapes of Basic/body/public auth and retry timing in
// tests/unit/token-client.spec.ts; code reuse against the real emulator, refresh and revocation in
// tests/http/token-client.spec.ts; refresh through the CLI's cache in tests/cli/token-cache.spec.ts;
// driver-level page handling in tests/e2e/login-*.spec.ts.
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect } from '@playwright/test';
import { startEmulator, type RunningEmulator } from '../../packages/emulator/src/index.js';
import { runCli, describe } from '../fixtures/cli.js';
import { SCENARIOS, baseEnv, claims, expectRefused, printedTokens, runScenario, USERS, M2M } from './_token-scenarios.js';

test.describe.configure({ mode: 'parallel' });

test.describe('acceptance scenarios', () => {
  // Refresh through the CLI (cache -> refresh grant, no browser) is proven in tests/cli/token-cache.spec.ts.
  for (const s of SCENARIOS.filter((x) => !x.provenIn)) {
    test(s.title, async () => {
      await runScenario(s);
    });
  }
});

test.describe('output', () => {
  let emulator: RunningEmulator;
  test.beforeEach(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  test.afterEach(async () => {
    await emulator.stop();
  });

  test('--format env: shell lines a POSIX shell can eval, holding the issued tokens', async () => {
    const r = await runCli(['token', '--format', 'env'], { env: baseEnv(emulator, USERS.admin) });
    expect(r.code, describe(r)).toBe(0);
    const names = r.stdout.trimEnd().split('\n').map((l) => l.slice(0, l.indexOf('=')));
    expect(names).toEqual(['ACCESS_TOKEN', 'ID_TOKEN', 'REFRESH_TOKEN', 'TOKEN_TYPE', 'ACCESS_TOKEN_EXPIRES_AT']);
    // Evaluated by a real shell: the quoting holds, and the values are the tokens the emulator issued.
    const sh = spawnSync('sh', ['-c', `${r.stdout}\nprintf '%s\\n' "$ACCESS_TOKEN" "$ID_TOKEN" "$REFRESH_TOKEN" "$TOKEN_TYPE"`], { encoding: 'utf8', env: {} });
    expect(sh.status, sh.stderr).toBe(0);
    const [access, id, refresh, type] = sh.stdout.split('\n');
    expect(emulator.observed.tokens).toEqual(expect.arrayContaining([access, id, refresh]));
    expect(claims(access!).token_use).toBe('access');
    expect(claims(id!).token_use).toBe('id');
    expect(type).toBe('Bearer');
  });

  test('--format header --auth-token id: exactly one Authorization header line carrying the ID token', async () => {
    const r = await runCli(['token', '--format', 'header', '--auth-token', 'id'], { env: baseEnv(emulator, USERS.admin) });
    expect(r.code, describe(r)).toBe(0);
    const m = /^Authorization: Bearer (\S+)\n$/.exec(r.stdout);
    expect(m, describe(r)).not.toBeNull();
    expect(emulator.observed.tokens).toContain(m![1]);
    expect(claims(m![1]!)).toMatchObject({ token_use: 'id', 'cognito:username': 'admin' });
  });

  test('--format header (default access token) for client credentials: the access token', async () => {
    const env = { ...baseEnv(emulator, null), COGNITO_CLIENT_ID: M2M.id, COGNITO_CLIENT_SECRET: M2M.secret };
    const r = await runCli(['token', '--grant', 'client-credentials', '--format', 'header'], { env });
    expect(r.code, describe(r)).toBe(0);
    expect(r.stdout).toBe(`Authorization: Bearer ${emulator.observed.tokens[0]}\n`);
    // COGNITO_SCOPES left at its sign-in default asks for nothing: the client gets all its scopes.
    expect(claims(emulator.observed.tokens[0]!).scope).toBe('demo-api/read demo-api/write');
  });

  test('--silent: the tokens on stdout and nothing at all on stderr', async () => {
    const r = await runCli(['token', '--silent'], { env: baseEnv(emulator, USERS.admin) });
    expect(r.code, describe(r)).toBe(0);
    expect(r.stderr).toBe('');
    expect(emulator.observed.tokens).toContain(printedTokens(r).accessToken);
  });

  test('--silent still reports a failure: one error paragraph on stderr, exit 3', async () => {
    const r = await runCli(['token', '--silent'], { env: baseEnv(emulator, { ...USERS.admin, password: 'Wrong-Passw0rd!' }) });
    expect(r.code, describe(r)).toBe(3);
    expect(expectRefused(r)).toContain('Incorrect username or password.');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

test.describe('configuration and errors', () => {
  test('nothing configured: exit 2, one paragraph naming every missing variable, nothing on stdout', async () => {
    const r = await runCli(['token'], { env: { CI: 'true' } });
    expect(r.code, describe(r)).toBe(2);
    expect(r.stdout).toBe('');
    const text = r.stderr.trimEnd();
    expect(text.split('\n'), 'one paragraph').toHaveLength(1);
    expect(text).toMatch(/^error \[CONFIG_INVALID\]: The configuration has 4 problems: /);
    for (const v of ['COGNITO_DOMAIN', 'COGNITO_CLIENT_ID', 'TEST_USER_USERNAME', 'TEST_USER_PASSWORD']) expect(text).toContain(`${v}: required`);
  });

  test('client credentials needs no test user: only the client is required', async () => {
    const r = await runCli(['token', '--grant', 'client-credentials'], { env: { CI: 'true', COGNITO_DOMAIN: 'https://example.auth.us-east-1.amazoncognito.com' } });
    expect(r.code, describe(r)).toBe(2);
    expect(r.stderr).toContain('COGNITO_CLIENT_ID: required');
    expect(r.stderr).not.toContain('TEST_USER_');
  });

  test('an error is one paragraph without a stack trace; --debug adds the protocol details and the stack', async () => {
    // A token endpoint that refuses connections: a third-party (undici) error under our own.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const env = {
      CI: 'true',
      COGNITO_DOMAIN: `http://127.0.0.1:${port}`,
      COGNITO_CLIENT_ID: M2M.id,
      COGNITO_CLIENT_SECRET: M2M.secret,
      COGNITO_NEWMAN_TOKEN_DEADLINE_MS: '500',
    };
    const plain = await runCli(['token', '--grant', 'client-credentials'], { env });
    expect(plain.code, describe(plain)).toBe(4);
    // Retry progress lines may precede it; the error itself is the last line, and the only one.
    const lines = plain.stderr.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('error [')), describe(plain)).toEqual([lines.at(-1)]);
    expect(lines.at(-1)).toMatch(/^error \[TOKEN_ENDPOINT_UNAVAILABLE\]: /);
    expect(plain.stderr).not.toMatch(/^\s+at /m);
    expect(plain.stderr).not.toContain('details: ');

    const debug = await runCli(['token', '--grant', 'client-credentials', '--debug'], { env });
    expect(debug.code, describe(debug)).toBe(4);
    expect(debug.stderr).toContain('  details: ');
    expect(debug.stderr).toMatch(/^\s+at /m);
  });

  test('an unknown flag is a usage error (exit 2) with no stack trace', async () => {
    const r = await runCli(['token', '--no-such-flag'], { env: { CI: 'true' } });
    expect(r.code, describe(r)).toBe(2);
    expect(r.stderr).toMatch(/^error \[USAGE\]: .*--no-such-flag/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

// The token cache through the built CLI (issue 5): a second run within the margin and a run after
// the access token expired launch no browser (proved by a browser path that cannot start and by the
// emulator seeing no sign-in), files are private and hold no credentials, --no-cache and CI=true
// sign in, and logout revokes and deletes. Real emulator, real Chromium for the first sign-in.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { DEFAULT_MFA_SECRET, type RunningEmulator } from '../../packages/emulator/src/index.js';
import { runCli, describe, type CliResult } from '../fixtures/cli.js';
import { codeExchanges, emulatorEnv, refreshGrants, signIns, startCountingEmulator, type RequestLog } from './_emulator-requests.js';

const ADMIN = { TEST_USER_USERNAME: 'admin', TEST_USER_PASSWORD: 'Admin-Passw0rd!' };
const MFA_PASSWORD = 'Mfa-Passw0rd!';

let emulator: RunningEmulator;
let log: RequestLog;
let work: string;
let cache: string;
/** A "browser" that cannot start: if a run needed a sign-in it would fail with BROWSER_NOT_FOUND (exit 5). */
let brokenBrowser: string;

test.beforeEach(async () => {
  ({ emulator, log } = await startCountingEmulator());
  work = mkdtempSync(join(tmpdir(), 'cn-cache-'));
  cache = join(work, 'cache');
  brokenBrowser = join(work, 'not-a-browser');
  writeFileSync(brokenBrowser, 'not executable\n', { mode: 0o644 });
});

test.afterEach(async () => {
  await emulator.stop();
});

function env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  // CI unset: the cache is on, as on a laptop (runCli passes only PATH/HOME/... of the parent anyway).
  return { ...emulatorEnv(emulator), ...ADMIN, COGNITO_NEWMAN_CACHE_DIR: cache, CI: undefined, ...extra };
}

const token = (args: string[] = [], extra: Record<string, string | undefined> = {}) => runCli(['token', '--format', 'json', ...args], { env: env(extra) });
const tokens = (r: CliResult) => JSON.parse(r.stdout) as { accessToken: string; refreshToken?: string };
const cacheFiles = () => (existsSync(cache) ? readdirSync(cache).filter((f) => f.endsWith('.json')) : []);
const mode = (path: string) => statSync(path).mode & 0o777;

test('a second run within the margin reuses the cached token and launches no browser', async () => {
  const first = await token();
  expect(first.code, describe(first)).toBe(0);
  expect(signIns(log), 'the first run signs in through the Hosted UI').toBe(1);
  expect(codeExchanges(log)).toBe(1);

  const second = await token([], { COGNITO_NEWMAN_BROWSER: brokenBrowser });
  expect(second.code, describe(second)).toBe(0);
  expect(tokens(second).accessToken, 'the very token of the first run').toBe(tokens(first).accessToken);
  expect(signIns(log), 'no new sign-in').toBe(1);
  expect(log.count('POST', '/oauth2/token'), 'not even the token endpoint').toBe(1);
  expect(second.stderr).toContain('(cache,');
});

test('a run after the access token expired uses the refresh grant and no browser', async () => {
  const first = await token();
  expect(first.code, describe(first)).toBe(0);
  const [file] = cacheFiles();
  expect(file).toBeDefined();
  // The CLI judges expiry by the expiry time it stored: move that into the past, as an hour would.
  const path = join(cache, file!);
  const stored = JSON.parse(readFileSync(path, 'utf8')) as { tokens: { accessTokenExpiresAt: number } };
  stored.tokens.accessTokenExpiresAt = Date.now() - 1000;
  writeFileSync(path, JSON.stringify(stored));

  const second = await token([], { COGNITO_NEWMAN_BROWSER: brokenBrowser });
  expect(second.code, describe(second)).toBe(0);
  expect(refreshGrants(log), 'one refresh grant').toBe(1);
  expect(signIns(log), 'no new sign-in').toBe(1);
  expect(tokens(second).accessToken).not.toBe(tokens(first).accessToken);
  expect(second.stderr).toContain('(refresh,');
  // The refreshed tokens replace the cached ones, so the next run is a cache hit again.
  const third = await token([], { COGNITO_NEWMAN_BROWSER: brokenBrowser });
  expect(third.code, describe(third)).toBe(0);
  expect(tokens(third).accessToken).toBe(tokens(second).accessToken);
  expect(refreshGrants(log)).toBe(1);
});

test('cache files are 0600 in a 0700 folder and hold neither the password nor the TOTP secret', async () => {
  // A folder someone left world-readable is tightened, not trusted.
  mkdirSync(cache, { mode: 0o755 });
  chmodSync(cache, 0o755);
  const r = await token([], { TEST_USER_USERNAME: 'mfa-user', TEST_USER_PASSWORD: MFA_PASSWORD, TEST_USER_TOTP_SECRET: DEFAULT_MFA_SECRET });
  expect(r.code, describe(r)).toBe(0);
  const files = cacheFiles();
  expect(files).toHaveLength(1);
  expect(mode(cache).toString(8)).toBe('700');
  expect(mode(join(cache, files[0]!)).toString(8)).toBe('600');
  const text = readFileSync(join(cache, files[0]!), 'utf8');
  expect(text).toContain(tokens(r).accessToken);
  expect(text).not.toContain(MFA_PASSWORD);
  expect(text).not.toContain(DEFAULT_MFA_SECRET);
  expect(text).not.toContain(encodeURIComponent(MFA_PASSWORD));
  // No leftover temporary file from the atomic write.
  expect(readdirSync(cache)).toEqual(files);
});

test('--no-cache signs in even when a fresh cached token exists', async () => {
  const first = await token();
  expect(first.code, describe(first)).toBe(0);
  const second = await token(['--no-cache']);
  expect(second.code, describe(second)).toBe(0);
  expect(signIns(log)).toBe(2);
  expect(tokens(second).accessToken).not.toBe(tokens(first).accessToken);
});

test('CI=true signs in every time and writes no cache', async () => {
  const first = await token([], { CI: 'true' });
  expect(first.code, describe(first)).toBe(0);
  expect(cacheFiles()).toEqual([]);
  const second = await token([], { CI: 'true' });
  expect(second.code, describe(second)).toBe(0);
  expect(signIns(log)).toBe(2);
});

test('logout revokes the cached refresh token and deletes the cache file', async () => {
  const first = await token();
  expect(first.code, describe(first)).toBe(0);
  const refreshToken = tokens(first).refreshToken;
  expect(refreshToken).toBeTruthy();
  expect(cacheFiles()).toHaveLength(1);

  const out = await runCli(['logout'], { env: env() });
  expect(out.code, describe(out)).toBe(0);
  expect(out.stderr).toContain('revoked the refresh token');
  expect(out.stderr).toContain('deleted the cached tokens');
  expect(log.count('POST', '/oauth2/revoke')).toBe(1);
  expect(cacheFiles()).toEqual([]);

  // The emulator now refuses the revoked refresh token.
  const res = await fetch(`${emulator.baseUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'demo-public-client', refresh_token: refreshToken! }),
  });
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: string }).error).toBe('invalid_grant');

  // And the next run signs in again.
  const after = await token();
  expect(after.code, describe(after)).toBe(0);
  expect(signIns(log)).toBe(2);
});

test('logout with nothing cached says so and succeeds', async () => {
  const out = await runCli(['logout'], { env: env() });
  expect(out.code, describe(out)).toBe(0);
  expect(out.stderr).toContain('no cached tokens');
  expect(log.count('POST', '/oauth2/revoke')).toBe(0);
});

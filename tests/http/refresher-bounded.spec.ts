// The background refresher is bounded (issue 11): one due refresh makes exactly the attempts README
// states (4 HTTP requests, not 4 refresher attempts of up to 9 requests each), and stop() returns
// within STOP_BOUND_MS whatever the IdP does, aborting a request the IdP holds. The run's refresher
// (startRunRefresher) against the real emulator on 127.0.0.1; the clock is real, the backoff short.
import { test, expect } from '@playwright/test';
import { loadConfig } from '../../src/config/load.js';
import type { TokenSet } from '../../src/oauth/types.js';
import { startRunRefresher, STOP_BOUND_MS } from '../../src/tokens/refresher.js';
import { startCountingEmulator, refreshGrants, type RequestLog } from '../cli/_emulator-requests.js';
import type { RunningEmulator } from '../../packages/emulator/src/index.js';

let emulator: RunningEmulator;
let log: RequestLog;
test.beforeEach(async () => {
  ({ emulator, log } = await startCountingEmulator());
});
test.afterEach(async () => {
  await emulator.stop();
});

/** Tokens that are due for a refresh in `ms` (their content never reaches a check: every refresh fails). */
function dueIn(ms: number): TokenSet {
  return { accessToken: 'opaque-access', refreshToken: 'opaque-refresh', tokenType: 'Bearer', expiresIn: 1, accessTokenExpiresAt: Date.now() + ms };
}

async function config() {
  return loadConfig({
    envFile: false,
    env: { COGNITO_DOMAIN: emulator.baseUrl, COGNITO_CLIENT_ID: 'demo-public-client', TEST_USER_USERNAME: 'admin', TEST_USER_PASSWORD: 'Admin-Passw0rd!' },
  });
}

/** Warnings the refresher gives, kept for assertions. */
function warnings() {
  const lines: string[] = [];
  return { lines, logger: { level: 'info' as const, info: () => undefined, debug: () => undefined, warn: (m: string) => void lines.push(m) } };
}

test('a refresh the IdP keeps failing makes exactly 4 HTTP requests, as README says, then gives up', async () => {
  emulator.faults.failNext('token', 50, 503);
  const w = warnings();
  const refresher = startRunRefresher({ config: await config(), logger: w.logger, users: [{ name: 'default', tokens: dueIn(200) }], retryBaseMs: 50 });
  try {
    await expect.poll(() => w.lines.some((l) => l.includes('giving up')), { timeout: 15_000 }).toBe(true);
    expect(log.count('POST', '/oauth2/token')).toBe(4);
    expect(w.lines.at(-1)).toContain('after 4 attempt(s)');
  } finally {
    await refresher.stop();
  }
});

test('stop() returns within its bound while the IdP holds the refresh request, and nothing is retried after', async () => {
  emulator.faults.setLatency('token', 30_000);
  const w = warnings();
  const refresher = startRunRefresher({ config: await config(), logger: w.logger, users: [{ name: 'default', tokens: dueIn(100) }], retryBaseMs: 50 });
  await expect.poll(() => log.lines.some((l) => l.includes('holding POST /oauth2/token')), { timeout: 10_000 }).toBe(true);
  const started = Date.now();
  await refresher.stop();
  expect(Date.now() - started).toBeLessThanOrEqual(STOP_BOUND_MS + 250);
  expect(w.lines.filter((l) => l.includes('retrying'))).toEqual([]);
  expect(refreshGrants(log)).toBe(0); // the held request was never answered to us
});

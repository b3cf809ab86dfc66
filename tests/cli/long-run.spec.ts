// Long runs (issue 5): with the emulator's access tokens living 5 seconds, a collection that keeps
// calling the demo API for 20 seconds passes with no 401, through the built CLI (real Chromium,
// real Newman), because tokens are refreshed during the run. The same collection without the
// refresher gets 401s, so the collection really outlives its token.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test, expect } from '@playwright/test';
import { startDemoApi, type DemoApi } from '../../packages/emulator/demo-api/server.js';
import { loadConfig } from '../../src/config/load.js';
import { DEFAULT_POOL, type PoolConfig, type RunningEmulator } from '../../packages/emulator/src/index.js';
import { silentLogger } from '../../src/log.js';
import { toNewmanRunOptions } from '../../src/newman/options.js';
import { runCollection } from '../../src/newman/run.js';
import { refreshTokens } from '../../src/oauth/token-client.js';
import { startTokenRefresher } from '../../src/tokens/refresher.js';
import { runCli, describe, REPO_ROOT } from '../fixtures/cli.js';
import { userTokens } from '../fixtures/newman-tokens.js';
import { emulatorEnv, refreshGrants, startCountingEmulator, type RequestLog } from './_emulator-requests.js';

const COLLECTION = join(REPO_ROOT, 'collections', 'long-run.postman_collection.json');
const LIFETIME_S = 5;

/** The default pool, its public client's access tokens living 5 seconds (an emulator-only allowance). */
function shortLivedPool(): PoolConfig {
  const pool = structuredClone(DEFAULT_POOL);
  const client = (pool.UserPoolClients ?? []).find((c) => (c as { ClientId?: unknown }).ClientId === 'demo-public-client');
  if (!client) throw new Error('the default pool has no demo-public-client');
  Object.assign(client, { AccessTokenValidity: LIFETIME_S, TokenValidityUnits: { AccessToken: 'seconds' }, AllowShortTokenValidity: true });
  return pool;
}

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

interface JsonReport {
  run: { timings: { started: number; completed: number }; executions: Array<{ response?: { code: number } }> };
}

let emulator: RunningEmulator;
let log: RequestLog;
let api: DemoApi;
let work: string;

test.beforeEach(async () => {
  ({ emulator, log } = await startCountingEmulator({ config: shortLivedPool() }));
  api = await startDemoApi({ port: 0, issuer: emulator.issuer, clientIds: ['demo-public-client'] });
  work = mkdtempSync(join(tmpdir(), 'cn-long-'));
});

test.afterEach(async () => {
  await api.stop();
  await emulator.stop();
});

test('a 20-second run with 5-second access tokens passes with no 401, tokens refreshed during the run', async () => {
  test.setTimeout(120_000);
  const report = join(work, 'report.json');
  const r = await runCli(
    ['run', COLLECTION, '--env-var', `baseUrl=${api.baseUrl}`, '--delay-request', '500', '-r', 'cli,json', '--reporter-json-export', report],
    { env: { ...emulatorEnv(emulator), TEST_USER_USERNAME: 'admin', TEST_USER_PASSWORD: 'Admin-Passw0rd!', CI: 'true' }, timeoutMs: 110_000 },
  );
  expect(r.code, describe(r)).toBe(0);
  const json = JSON.parse(readFileSync(report, 'utf8')) as JsonReport;
  const codes = json.run.executions.map((e) => e.response?.code);
  expect(codes.length, 'the collection went round several times').toBeGreaterThan(9);
  expect(codes.filter((c) => c !== 200), 'every request got 200: no 401').toEqual([]);
  // The collection decides its own length (runSeconds, default 20): four token lifetimes at least.
  expect(json.run.timings.completed - json.run.timings.started).toBeGreaterThanOrEqual(20_000);
  // 20 s of valid requests on tokens that live 5 s needs at least three new tokens.
  expect(refreshGrants(log), log.lines.join('\n')).toBeGreaterThanOrEqual(3);
  expect(r.stderr).toContain('refreshed the tokens of the default user during the run');
});

test('without the refresher the same collection gets 401 once the first token expires (the negative)', async () => {
  const tokens = await userTokens(emulator.baseUrl, 'admin');
  expect(tokens.expiresIn).toBe(LIFETIME_S);
  const sink = new Sink();
  const result = await runCollection({
    collection: COLLECTION,
    // 8 s is enough to outlive one 5-second token.
    plan: toNewmanRunOptions({ envVar: [{ key: 'baseUrl', value: api.baseUrl }, { key: 'runSeconds', value: '8' }], delayRequest: 500 }),
    users: [{ name: 'default', tokens }],
    authBlockToken: 'access',
    reportsDir: join(work, 'reports'),
    logger: silentLogger,
    stdout: sink,
    stderr: sink,
  });
  expect(result.exitCode).toBe(1);
  expect(sink.text).toContain('401 Unauthorized');
});

test('in process, a refresher given as liveTokens keeps all three token styles working past the lifetime', async () => {
  const tokens = await userTokens(emulator.baseUrl, 'admin');
  const config = await loadConfig({ envFile: false, env: { ...emulatorEnv(emulator), TEST_USER_USERNAME: 'admin', TEST_USER_PASSWORD: 'Admin-Passw0rd!' }, logger: silentLogger });
  const refresher = startTokenRefresher({
    users: [{ name: 'default', tokens }],
    logger: silentLogger,
    refresh: (_name, refreshToken) => refreshTokens(config.idp, refreshToken),
  });
  const sink = new Sink();
  try {
    const result = await runCollection({
      collection: COLLECTION,
      plan: toNewmanRunOptions({ envVar: [{ key: 'baseUrl', value: api.baseUrl }, { key: 'runSeconds', value: '8' }], delayRequest: 500 }),
      users: [{ name: 'default', tokens }],
      authBlockToken: 'access',
      reportsDir: join(work, 'reports'),
      logger: silentLogger,
      stdout: sink,
      stderr: sink,
      liveTokens: refresher,
    });
    expect(result.exitCode, sink.text).toBe(0);
    expect(refresher.refreshes).toBeGreaterThanOrEqual(1);
    expect(refresher.current('default')!.accessToken).not.toBe(tokens.accessToken);
  } finally {
    await refresher.stop();
  }
});

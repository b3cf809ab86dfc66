// The Playwright Test fixture (src/playwright/) used as a project would use it, against the emulator
// and the demo API with access tokens that live 5 seconds: one sign-in per worker and user, the same
// tokens for every test, new ones from the refresh grant (not a new sign-in) when they expire during
// the worker, the chosen user per describe block, and the CLI's error codes when a sign-in fails.
import { test as fixtureTest, expect } from '../../src/playwright/index.js';
import { startEmulator, DEFAULT_POOL, type PoolConfig, type RunningEmulator } from '../../packages/emulator/src/index.js';
import { startDemoApi, type DemoApi } from '../../packages/emulator/demo-api/server.js';
import { CnError } from '../../src/errors.js';
import { WorkerSessions } from '../../src/playwright/session.js';
import { silentLogger } from '../../src/log.js';

const LIFETIME_S = 5;

function shortLivedPool(): PoolConfig {
  const pool = structuredClone(DEFAULT_POOL);
  const client = (pool.UserPoolClients ?? []).find((c) => (c as { ClientId?: unknown }).ClientId === 'demo-public-client');
  Object.assign(client!, { AccessTokenValidity: LIFETIME_S, TokenValidityUnits: { AccessToken: 'seconds' }, AllowShortTokenValidity: true });
  return pool;
}

interface Servers {
  emulator: RunningEmulator;
  api: DemoApi;
  settings: Record<string, string>;
}

// One emulator and demo API per worker, started before the fixture's worker-scoped configuration.
const test = fixtureTest.extend<object, { servers: Servers }>({
  servers: [
    async ({}, use) => {
      const emulator = await startEmulator({ port: 0, config: shortLivedPool() });
      const api = await startDemoApi({ port: 0, issuer: emulator.issuer, clientIds: ['demo-public-client'] });
      const settings = {
        COGNITO_DOMAIN: emulator.baseUrl,
        COGNITO_CLIENT_ID: 'demo-public-client',
        COGNITO_USER_POOL_ID: emulator.poolId,
        COGNITO_ISSUER: emulator.issuer,
        TEST_USERS: 'admin,reader',
        TEST_USER_ADMIN_USERNAME: 'admin',
        TEST_USER_ADMIN_PASSWORD: 'Admin-Passw0rd!',
        TEST_USER_READER_USERNAME: 'reader',
        TEST_USER_READER_PASSWORD: 'Reader-Passw0rd!',
      };
      await use({ emulator, api, settings });
      await api.stop();
      await emulator.stop();
    },
    { scope: 'worker' },
  ],
  cognitoConfig: [async ({ servers }, use) => use({ settings: servers.settings, env: {}, cache: false }), { scope: 'worker' }],
  baseURL: async ({ servers }, use) => use(servers.api.baseUrl),
});

test.describe.configure({ mode: 'serial' });

let first: string | undefined;

test.describe('as admin', () => {
  test.use({ cognitoUser: 'admin' });

  test('signs in once and sends the access token', async ({ cognitoRequest, cognitoTokens, servers }) => {
    const me = (await (await cognitoRequest.get('/me')).json()) as { username: string; token_use: string };
    expect(me).toMatchObject({ username: 'admin', token_use: 'access' });
    expect(cognitoTokens.user).toBe('admin');
    expect(servers.emulator.observed.codes).toHaveLength(1);
    first = cognitoTokens.accessToken;
  });

  test('the next test reuses the same tokens: no second sign-in', async ({ cognitoTokens, servers }) => {
    expect(cognitoTokens.accessToken).toBe(first);
    expect(servers.emulator.observed.codes).toHaveLength(1);
    // Wait (bounded) until those tokens have expired: the worker lives on past their lifetime.
    await expect.poll(() => cognitoTokens.expiresAt.getTime() < Date.now(), { timeout: (LIFETIME_S + 5) * 1000 }).toBe(true);
  });

  test('after they expired: new tokens from the refresh grant, still no second sign-in', async ({ cognitoRequest, cognitoTokens, servers }) => {
    expect(cognitoTokens.accessToken).not.toBe(first);
    expect(cognitoTokens.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(servers.emulator.observed.codes).toHaveLength(1);
    expect((await cognitoRequest.get('/admin/reports')).status()).toBe(200);
  });
});

test.describe('as reader', () => {
  test.use({ cognitoUser: 'reader', cognitoAuthToken: 'id' });

  test('another user signs in once for itself; cognitoAuthToken id sends the ID token', async ({ cognitoRequest, servers }) => {
    const me = (await (await cognitoRequest.get('/me')).json()) as { username: string; token_use: string };
    expect(me).toMatchObject({ username: 'reader', token_use: 'id' });
    expect(servers.emulator.observed.codes).toHaveLength(2);
    expect((await cognitoRequest.get('/admin/reports')).status()).toBe(403);
  });
});

test('a rejected sign-in fails with the CLI’s code, exit code and hint, and no password; the next call tries again', async ({ servers }) => {
  const password = 'Not-The-Passw0rd-4417!';
  const sessions = new WorkerSessions({ flags: { cache: false }, logger: silentLogger, env: {}, settings: { ...servers.settings, TEST_USER_ADMIN_PASSWORD: password } });
  const { asLibraryCall } = await import('../../src/library.js');
  for (let i = 0; i < 2; i++) {
    const err = await asLibraryCall(() => sessions.tokens('admin')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CnError);
    expect(err).toMatchObject({ code: 'LOGIN_REJECTED', exitCode: 3 });
    expect((err as CnError).hint).toBeTruthy();
    expect(`${(err as Error).message} ${(err as CnError).hint} ${String((err as Error).cause)} ${(err as Error).stack}`).not.toContain(password);
  }
  await sessions.close();
});

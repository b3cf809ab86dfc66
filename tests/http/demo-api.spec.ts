// HTTP tests of the demo API against the emulator's real tokens: who may read what, and the
// RFC 6750 answers for missing, forged, expired and foreign tokens.
import { test as base, expect } from '../fixtures/emulator.js';
import { M2M, PUBLIC } from '../fixtures/emulator-http.js';
import { forge, m2mAccessToken, userTokens } from '../fixtures/newman-tokens.js';
import { startDemoApi, type DemoApi } from '../../packages/emulator/demo-api/server.js';

const test = base.extend<{ api: DemoApi }>({
  api: async ({ emulator }, use) => {
    const api = await startDemoApi({ port: 0, issuer: emulator.issuer, clientIds: [PUBLIC, M2M] });
    await use(api);
    await api.stop();
  },
});

async function call(api: DemoApi, path: string, token?: string, init: RequestInit = {}) {
  const res = await fetch(api.baseUrl + path, { ...init, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return { status: res.status, challenge: res.headers.get('www-authenticate'), body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

test('GET /me with an access token returns the username, groups and token_use', async ({ api, emulator }) => {
  const admin = await userTokens(emulator.baseUrl, 'admin');
  const r = await call(api, '/me', admin.accessToken);
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ username: 'admin', groups: ['admin'], token_use: 'access', client_id: PUBLIC });
});

test('GET /me with an ID token returns the same user from cognito:username', async ({ api, emulator }) => {
  const reader = await userTokens(emulator.baseUrl, 'reader');
  const r = await call(api, '/me', reader.idToken);
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ username: 'reader', groups: ['reader'], token_use: 'id', client_id: PUBLIC });
});

test('GET /admin/reports: 200 for the admin group, 403 forbidden for reader and for a machine client', async ({ api, emulator }) => {
  const [admin, reader, m2m] = await Promise.all([userTokens(emulator.baseUrl, 'admin'), userTokens(emulator.baseUrl, 'reader'), m2mAccessToken(emulator.baseUrl)]);
  expect((await call(api, '/admin/reports', admin.accessToken)).status).toBe(200);
  for (const token of [reader.accessToken, m2m]) {
    const r = await call(api, '/admin/reports', token);
    expect(r.status).toBe(403);
    expect(r.body.error).toBe('forbidden');
  }
});

test('GET /reports/scoped accepts an access token with demo-api/read', async ({ api, emulator }) => {
  const r = await call(api, '/reports/scoped', await m2mAccessToken(emulator.baseUrl, 'demo-api/read'));
  expect(r.status).toBe(200);
  expect(r.body.grantedBy).toBe('scope demo-api/read');
});

test('GET /reports/scoped refuses an access token without the scope with 403 insufficient_scope', async ({ api, emulator }) => {
  const reader = await userTokens(emulator.baseUrl, 'reader', 'openid email profile');
  const r = await call(api, '/reports/scoped', reader.accessToken);
  expect(r.status).toBe(403);
  expect(r.challenge).toContain('error="insufficient_scope"');
  expect(r.challenge).toContain('scope="demo-api/read"');
});

test('GET /reports/scoped accepts any valid ID token', async ({ api, emulator }) => {
  const reader = await userTokens(emulator.baseUrl, 'reader', 'openid email profile');
  const r = await call(api, '/reports/scoped', reader.idToken);
  expect(r.status).toBe(200);
  expect(r.body.grantedBy).toBe('id token');
});

test('no token: 401 with a bare Bearer challenge, no error code (RFC 6750 §3.1)', async ({ api }) => {
  const r = await call(api, '/me');
  expect(r.status).toBe(401);
  expect(r.challenge).toBe('Bearer realm="demo-api"');
});

test('a forged token (signature changed) is 401 invalid_token', async ({ api, emulator }) => {
  const admin = await userTokens(emulator.baseUrl, 'admin');
  const r = await call(api, '/admin/reports', forge(admin.accessToken));
  expect(r.status).toBe(401);
  expect(r.challenge).toContain('error="invalid_token"');
  expect(r.challenge).toContain('signature');
});

test('an expired token (issued two hours ago by the emulator clock) is 401 invalid_token', async ({ api, emulator }) => {
  emulator.clock.advance(-2 * 60 * 60 * 1000);
  const admin = await userTokens(emulator.baseUrl, 'admin');
  emulator.clock.reset();
  const r = await call(api, '/me', admin.accessToken);
  expect(r.status).toBe(401);
  expect(r.challenge).toContain('error="invalid_token"');
  expect(r.challenge).toContain('error_description="The token has expired."');
});

test('a token of an app client the API does not accept is 401 invalid_token', async ({ emulator }) => {
  const api = await startDemoApi({ port: 0, issuer: emulator.issuer, clientIds: [M2M] });
  try {
    const admin = await userTokens(emulator.baseUrl, 'admin');
    for (const token of [admin.accessToken, admin.idToken]) {
      const r = await call(api, '/me', token);
      expect(r.status).toBe(401);
      expect(r.challenge).toContain('another app client');
    }
  } finally {
    await api.stop();
  }
});

test('a token from another issuer is 401 invalid_token', async ({ emulator }) => {
  const api = await startDemoApi({ port: 0, issuer: `${emulator.baseUrl}/us-east-1_OtherPool`, jwksUri: `${emulator.issuer}/.well-known/jwks.json`, clientIds: [PUBLIC] });
  try {
    const r = await call(api, '/me', (await userTokens(emulator.baseUrl, 'admin')).accessToken);
    expect(r.status).toBe(401);
    expect(r.challenge).toContain('claim iss');
  } finally {
    await api.stop();
  }
});

test('a garbage bearer value is 401 invalid_token, not a server error', async ({ api }) => {
  const r = await call(api, '/me', 'not-a-jwt');
  expect(r.status).toBe(401);
  expect(r.challenge).toContain('error="invalid_token"');
});

test('/health needs no token; unknown paths are 404 and other methods 405', async ({ api }) => {
  expect((await call(api, '/health')).status).toBe(200);
  expect((await call(api, '/nope')).status).toBe(404);
  expect((await call(api, '/me', undefined, { method: 'DELETE' })).status).toBe(405);
});

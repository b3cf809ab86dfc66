// /oauth2/userInfo (attributes by scope, *_verified as strings, errors in WWW-Authenticate) and
// /oauth2/revoke (200 for unknown tokens, revoked refresh and its access tokens refused, 401 invalid_client).
import { test, expect } from '../fixtures/emulator.js';
import { authorizeQuery, basic, codeFor, CONFIDENTIAL, CONFIDENTIAL_SECRET, exchange, M2M, M2M_SECRET, POSTMAN, postForm, PUBLIC } from '../fixtures/emulator-http.js';

async function tokensFor(base: string, scope = 'openid email profile', clientId = PUBLIC): Promise<Record<string, string>> {
  const code = await codeFor(base, 'admin', 'Admin-Passw0rd!', authorizeQuery({ scope, client_id: clientId }));
  const extra: Record<string, string> = clientId === CONFIDENTIAL ? { client_secret: CONFIDENTIAL_SECRET } : {};
  return (await (await exchange(base, { grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: POSTMAN, ...extra })).json()) as Record<string, string>;
}
const userInfo = (base: string, token?: string) => fetch(`${base}/oauth2/userInfo`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

test('userInfo returns the user with email_verified as the string "true"', async ({ emulator }) => {
  const t = await tokensFor(emulator.baseUrl);
  const res = await userInfo(emulator.baseUrl, t.access_token);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ email: 'admin@example.com', email_verified: 'true', username: 'admin', given_name: 'Ada' });
  expect(typeof body.sub).toBe('string');
});

test('userInfo releases attributes by scope: email alone gives no profile claims', async ({ emulator }) => {
  const t = await tokensFor(emulator.baseUrl, 'openid email');
  const body = (await (await userInfo(emulator.baseUrl, t.access_token)).json()) as Record<string, unknown>;
  expect(body.email).toBe('admin@example.com');
  expect(body).not.toHaveProperty('given_name');
});

test('userInfo without a bearer token is 400 with the error in WWW-Authenticate', async ({ emulator }) => {
  const res = await userInfo(emulator.baseUrl);
  expect(res.status).toBe(400);
  expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"');
  expect(await res.text()).toBe('');
});

test('userInfo refuses a garbage token, an id token and a token without openid (401 invalid_token)', async ({ emulator }) => {
  const t = await tokensFor(emulator.baseUrl);
  const noOpenid = await tokensFor(emulator.baseUrl, 'demo-api/read');
  for (const token of ['abc.def.ghi', t.id_token!, noOpenid.access_token!]) {
    const res = await userInfo(emulator.baseUrl, token);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  }
});

test('userInfo refuses a client_credentials token', async ({ emulator }) => {
  const t = (await (await exchange(emulator.baseUrl, { grant_type: 'client_credentials' }, { authorization: basic(M2M, M2M_SECRET) })).json()) as Record<string, string>;
  expect((await userInfo(emulator.baseUrl, t.access_token)).status).toBe(401);
});

test('revoke: the refresh token stops working and its access tokens are refused by userInfo', async ({ emulator }) => {
  const t = await tokensFor(emulator.baseUrl);
  const res = await postForm(emulator.baseUrl, '/oauth2/revoke', { token: t.refresh_token!, client_id: PUBLIC });
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('');
  const refresh = await exchange(emulator.baseUrl, { grant_type: 'refresh_token', client_id: PUBLIC, refresh_token: t.refresh_token! });
  expect(await refresh.json()).toEqual({ error: 'invalid_grant' });
  expect((await userInfo(emulator.baseUrl, t.access_token)).status).toBe(401);
});

test('revoke of an unknown or already revoked token is 200', async ({ emulator }) => {
  expect((await postForm(emulator.baseUrl, '/oauth2/revoke', { token: 'eyJjunknown', client_id: PUBLIC })).status).toBe(200);
  const t = await tokensFor(emulator.baseUrl);
  await postForm(emulator.baseUrl, '/oauth2/revoke', { token: t.refresh_token!, client_id: PUBLIC });
  expect((await postForm(emulator.baseUrl, '/oauth2/revoke', { token: t.refresh_token!, client_id: PUBLIC })).status).toBe(200);
});

test('revoke with bad client credentials is 401 invalid_client', async ({ emulator }) => {
  const t = await tokensFor(emulator.baseUrl, 'openid', CONFIDENTIAL);
  const res = await postForm(emulator.baseUrl, '/oauth2/revoke', { token: t.refresh_token! }, undefined, { authorization: basic(CONFIDENTIAL, 'wrong') });
  expect(res.status).toBe(401);
  expect(await res.json()).toEqual({ error: 'invalid_client' });
  const ok = await postForm(emulator.baseUrl, '/oauth2/revoke', { token: t.refresh_token! }, undefined, { authorization: basic(CONFIDENTIAL, CONFIDENTIAL_SECRET) });
  expect(ok.status).toBe(200);
});

test('revoke errors: no token is invalid_request, an access token is unsupported_token_type', async ({ emulator }) => {
  const none = await postForm(emulator.baseUrl, '/oauth2/revoke', { client_id: PUBLIC });
  expect([none.status, await none.json()]).toEqual([400, { error: 'invalid_request' }]);
  const t = await tokensFor(emulator.baseUrl);
  const access = await postForm(emulator.baseUrl, '/oauth2/revoke', { token: t.access_token!, client_id: PUBLIC });
  expect([access.status, await access.json()]).toEqual([400, { error: 'unsupported_token_type' }]);
});

test('another client cannot revoke a token it does not own', async ({ emulator }) => {
  const t = await tokensFor(emulator.baseUrl);
  const res = await postForm(emulator.baseUrl, '/oauth2/revoke', { token: t.refresh_token! }, undefined, { authorization: basic(CONFIDENTIAL, CONFIDENTIAL_SECRET) });
  expect(res.status).toBe(200);
  expect((await exchange(emulator.baseUrl, { grant_type: 'refresh_token', client_id: PUBLIC, refresh_token: t.refresh_token! })).status).toBe(200);
});

test('reset() forgets revocations', async ({ emulator }) => {
  const t = await tokensFor(emulator.baseUrl);
  await postForm(emulator.baseUrl, '/oauth2/revoke', { token: t.refresh_token!, client_id: PUBLIC });
  emulator.reset();
  // The refresh token itself is forgotten too, so the access token is the one that comes back.
  expect((await userInfo(emulator.baseUrl, t.access_token)).status).toBe(200);
});

// /oauth2/token: single-use 5-minute codes (clock, not waiting), redirect_uri and PKCE re-checks,
// client authentication, refresh (with and without rotation), client_credentials, error bodies.
import { test, expect } from '../fixtures/emulator.js';
import { startEmulator, type PoolConfig } from '../../packages/emulator/src/index.js';
import {
  authorizeQuery, basic, claims, codeFor, CONFIDENTIAL, CONFIDENTIAL_SECRET, exchange, M2M, M2M_SECRET, pkce, POSTMAN, PUBLIC,
} from '../fixtures/emulator-http.js';

const codeGrant = (code: string, extra: Record<string, string> = {}) => ({ grant_type: 'authorization_code', client_id: PUBLIC, code, redirect_uri: POSTMAN, ...extra });
const errorOf = async (res: Response) => ({ status: res.status, body: (await res.json()) as Record<string, string> });

test('a code works once: the second exchange is invalid_grant', async ({ emulator }) => {
  const code = await codeFor(emulator.baseUrl);
  expect((await exchange(emulator.baseUrl, codeGrant(code))).status).toBe(200);
  const again = await exchange(emulator.baseUrl, codeGrant(code));
  expect(await errorOf(again)).toEqual({ status: 400, body: { error: 'invalid_grant' } });
  expect(again.headers.get('content-type')).toBe('application/json;charset=UTF-8');
});

test('a code is refused after 5 minutes (emulator clock), and accepted just before', async ({ emulator }) => {
  const late = await codeFor(emulator.baseUrl);
  const early = await codeFor(emulator.baseUrl);
  emulator.clock.advance(5 * 60_000 - 2000);
  expect((await exchange(emulator.baseUrl, codeGrant(early))).status).toBe(200);
  emulator.clock.advance(2001);
  expect(await errorOf(await exchange(emulator.baseUrl, codeGrant(late)))).toEqual({ status: 400, body: { error: 'invalid_grant' } });
});

test('an unknown code is invalid_grant', async ({ emulator }) => {
  expect((await errorOf(await exchange(emulator.baseUrl, codeGrant('00000000-0000-4000-8000-000000000000')))).body.error).toBe('invalid_grant');
});

test('another redirect_uri at the token endpoint is unauthorized_client / invalid_redirect', async ({ emulator }) => {
  const code = await codeFor(emulator.baseUrl);
  const res = await exchange(emulator.baseUrl, codeGrant(code, { redirect_uri: 'https://oauth.pstmn.io/v1/browser-callback' }));
  expect(await errorOf(res)).toEqual({ status: 400, body: { error: 'unauthorized_client', error_description: 'invalid_redirect' } });
});

test('PKCE: the right verifier passes, a wrong one is invalid_grant, a missing one invalid_request', async ({ emulator }) => {
  const { verifier, challenge } = pkce();
  const q = authorizeQuery({ code_challenge: challenge, code_challenge_method: 'S256' });
  const c1 = await codeFor(emulator.baseUrl, 'admin', 'Admin-Passw0rd!', q);
  expect((await errorOf(await exchange(emulator.baseUrl, codeGrant(c1, { code_verifier: pkce().verifier })))).body.error).toBe('invalid_grant');
  const c2 = await codeFor(emulator.baseUrl, 'admin', 'Admin-Passw0rd!', q);
  expect((await errorOf(await exchange(emulator.baseUrl, codeGrant(c2)))).body.error).toBe('invalid_request');
  const c3 = await codeFor(emulator.baseUrl, 'admin', 'Admin-Passw0rd!', q);
  expect((await exchange(emulator.baseUrl, codeGrant(c3, { code_verifier: verifier }))).status).toBe(200);
});

test('a confidential client must authenticate: no secret or a wrong one is invalid_client (400)', async ({ emulator }) => {
  const q = authorizeQuery({ client_id: CONFIDENTIAL });
  const code = await codeFor(emulator.baseUrl, 'admin', 'Admin-Passw0rd!', q);
  const noSecret = await exchange(emulator.baseUrl, codeGrant(code, { client_id: CONFIDENTIAL }));
  expect(await errorOf(noSecret)).toEqual({ status: 400, body: { error: 'invalid_client' } });
  const wrong = await exchange(emulator.baseUrl, codeGrant(code, { client_id: CONFIDENTIAL }), { authorization: basic(CONFIDENTIAL, 'nope') });
  expect((await errorOf(wrong)).body.error).toBe('invalid_client');
  // client_secret_post works too (the failed attempts did not spend the code).
  const ok = await exchange(emulator.baseUrl, codeGrant(code, { client_id: CONFIDENTIAL, client_secret: CONFIDENTIAL_SECRET }));
  expect(ok.status).toBe(200);
});

test('a Basic header naming another client than the body is invalid_client', async ({ emulator }) => {
  const res = await exchange(emulator.baseUrl, { grant_type: 'client_credentials', client_id: PUBLIC }, { authorization: basic(M2M, M2M_SECRET) });
  expect((await errorOf(res)).body.error).toBe('invalid_client');
});

test('a public client that sends a secret is invalid_client; an empty secret is ignored', async ({ emulator }) => {
  const code = await codeFor(emulator.baseUrl);
  expect((await errorOf(await exchange(emulator.baseUrl, codeGrant(code, { client_secret: 'x1234' })))).body.error).toBe('invalid_client');
  expect((await exchange(emulator.baseUrl, codeGrant(code, { client_secret: '' }))).status).toBe(200);
});

test('invalid_client can answer 401 instead (uncertain behaviour)', async () => {
  const emu = await startEmulator({ behaviour: { tokenInvalidClientStatus: 401 } });
  try {
    expect((await exchange(emu.baseUrl, { grant_type: 'client_credentials', client_id: 'nobody' })).status).toBe(401);
  } finally {
    await emu.stop();
  }
});

test('request errors: no grant_type, an unknown grant_type, no code, a JSON body', async ({ emulator }) => {
  expect(await errorOf(await exchange(emulator.baseUrl, { client_id: PUBLIC }))).toEqual({ status: 400, body: { error: 'invalid_request' } });
  expect(await errorOf(await exchange(emulator.baseUrl, { grant_type: 'password', client_id: PUBLIC }))).toEqual({ status: 400, body: { error: 'unsupported_grant_type' } });
  expect(await errorOf(await exchange(emulator.baseUrl, { grant_type: 'authorization_code', client_id: PUBLIC, redirect_uri: POSTMAN }))).toEqual({ status: 400, body: { error: 'invalid_request' } });
  const json = await fetch(`${emulator.baseUrl}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":"client_credentials"}' });
  expect((await errorOf(json)).body.error).toBe('invalid_request');
});

test('the token endpoint answers CORS preflight with Access-Control-Allow-Origin: *', async ({ emulator }) => {
  const res = await fetch(`${emulator.baseUrl}/oauth2/token`, { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' } });
  expect(res.status).toBe(204);
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
});

test('refresh_token gives new id and access tokens, keeps auth_time, and no new refresh token', async ({ emulator }) => {
  const first = (await (await exchange(emulator.baseUrl, codeGrant(await codeFor(emulator.baseUrl)))).json()) as Record<string, string>;
  emulator.clock.advance(10 * 60_000);
  const res = await exchange(emulator.baseUrl, { grant_type: 'refresh_token', client_id: PUBLIC, refresh_token: first.refresh_token! });
  expect(res.status).toBe(200);
  const next = (await res.json()) as Record<string, string>;
  expect(Object.keys(next).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'token_type']);
  const a1 = claims(first.access_token!);
  const a2 = claims(next.access_token!);
  expect(a2.auth_time).toBe(a1.auth_time);
  expect(Number(a2.iat)).toBeGreaterThanOrEqual(Number(a1.iat) + 600);
  expect(a2.origin_jti).toBe(a1.origin_jti);
  expect(claims(next.id_token!)).not.toHaveProperty('nonce');
});

test('refresh_token errors: missing is invalid_request, unknown or another client\'s is invalid_grant', async ({ emulator }) => {
  expect((await errorOf(await exchange(emulator.baseUrl, { grant_type: 'refresh_token', client_id: PUBLIC }))).body.error).toBe('invalid_request');
  expect((await errorOf(await exchange(emulator.baseUrl, { grant_type: 'refresh_token', client_id: PUBLIC, refresh_token: 'eyJjnope' }))).body.error).toBe('invalid_grant');
  const t = (await (await exchange(emulator.baseUrl, codeGrant(await codeFor(emulator.baseUrl)))).json()) as Record<string, string>;
  const other = await exchange(emulator.baseUrl, { grant_type: 'refresh_token', refresh_token: t.refresh_token! }, { authorization: basic(CONFIDENTIAL, CONFIDENTIAL_SECRET) });
  expect((await errorOf(other)).body.error).toBe('invalid_grant');
});

test('a refresh token expires after the client\'s RefreshTokenValidity (30 days by default)', async ({ emulator }) => {
  const t = (await (await exchange(emulator.baseUrl, codeGrant(await codeFor(emulator.baseUrl)))).json()) as Record<string, string>;
  emulator.clock.advance(30 * 86_400_000 + 1000);
  expect((await errorOf(await exchange(emulator.baseUrl, { grant_type: 'refresh_token', client_id: PUBLIC, refresh_token: t.refresh_token! }))).body.error).toBe('invalid_grant');
});

const rotatingPool = (): PoolConfig => ({
  UserPoolId: 'eu-west-1_Rotate1',
  UserPoolClients: [
    {
      ClientId: 'rot',
      CallbackURLs: [POSTMAN],
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
      AccessTokenValidity: 5,
      IdTokenValidity: 10,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes' },
    },
  ],
  Users: [{ Username: 'u1', Password: 'U1-Passw0rd!', Attributes: [{ Name: 'email', Value: 'u1@example.com' }] }],
});

test('with rotation on, refresh returns a new refresh token and the old one stops working', async () => {
  const emu = await startEmulator({ config: rotatingPool() });
  try {
    const code = await codeFor(emu.baseUrl, 'u1', 'U1-Passw0rd!', authorizeQuery({ client_id: 'rot', scope: 'openid' }));
    const t = (await (await exchange(emu.baseUrl, { grant_type: 'authorization_code', client_id: 'rot', code, redirect_uri: POSTMAN })).json()) as Record<string, string>;
    expect(claims(t.access_token!).exp).toBe(Number(claims(t.access_token!).iat) + 300);
    expect(claims(t.id_token!).exp).toBe(Number(claims(t.id_token!).iat) + 600);
    expect(t.expires_in).toBe(300);
    const r = (await (await exchange(emu.baseUrl, { grant_type: 'refresh_token', client_id: 'rot', refresh_token: t.refresh_token! })).json()) as Record<string, string>;
    expect(r.refresh_token).toBeTruthy();
    expect(r.refresh_token).not.toBe(t.refresh_token);
    expect((await errorOf(await exchange(emu.baseUrl, { grant_type: 'refresh_token', client_id: 'rot', refresh_token: t.refresh_token! }))).body.error).toBe('invalid_grant');
    expect((await exchange(emu.baseUrl, { grant_type: 'refresh_token', client_id: 'rot', refresh_token: r.refresh_token! })).status).toBe(200);
  } finally {
    await emu.stop();
  }
});

test('client_credentials gives an access token with resource-server scopes only', async ({ emulator }) => {
  const res = await exchange(emulator.baseUrl, { grant_type: 'client_credentials', scope: 'demo-api/read' }, { authorization: basic(M2M, M2M_SECRET) });
  expect(res.status).toBe(200);
  const body = (await res.json()) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
  expect(claims(String(body.access_token))).toMatchObject({ sub: M2M, client_id: M2M, token_use: 'access', scope: 'demo-api/read', iss: emulator.issuer });
  const all = (await (await exchange(emulator.baseUrl, { grant_type: 'client_credentials', client_id: M2M, client_secret: M2M_SECRET })).json()) as Record<string, string>;
  expect(claims(all.access_token!).scope).toBe('demo-api/read demo-api/write');
});

test('client_credentials errors: unknown scope invalid_scope, a user client unauthorized_client', async ({ emulator }) => {
  const bad = await exchange(emulator.baseUrl, { grant_type: 'client_credentials', scope: 'demo-api/delete' }, { authorization: basic(M2M, M2M_SECRET) });
  expect(await errorOf(bad)).toEqual({ status: 400, body: { error: 'invalid_scope' } });
  const user = await exchange(emulator.baseUrl, { grant_type: 'client_credentials' }, { authorization: basic(CONFIDENTIAL, CONFIDENTIAL_SECRET) });
  expect((await errorOf(user)).body.error).toBe('unauthorized_client');
  const pub = await exchange(emulator.baseUrl, { grant_type: 'client_credentials', client_id: PUBLIC });
  expect((await errorOf(pub)).body.error).toBe('unauthorized_client');
});

test('the M2M client cannot redeem a code (unauthorized_client)', async ({ emulator }) => {
  const res = await exchange(emulator.baseUrl, { grant_type: 'authorization_code', code: 'x', redirect_uri: POSTMAN }, { authorization: basic(M2M, M2M_SECRET) });
  expect((await errorOf(res)).body.error).toBe('unauthorized_client');
});

test('access tokens expire by the emulator clock as seen by userInfo', async ({ emulator }) => {
  const t = (await (await exchange(emulator.baseUrl, codeGrant(await codeFor(emulator.baseUrl)))).json()) as Record<string, string>;
  const ui = () => fetch(`${emulator.baseUrl}/oauth2/userInfo`, { headers: { authorization: `Bearer ${t.access_token}` } });
  expect((await ui()).status).toBe(200);
  emulator.clock.advance(3600_000 + 1000);
  expect((await ui()).status).toBe(401);
});

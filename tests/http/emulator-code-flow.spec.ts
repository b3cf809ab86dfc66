// The authorization code flow done in plain HTTP, as community scrapers do it: GET the form,
// POST with _csrf and the cookie, read Location, exchange, verify the JWTs against the JWKS.
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { test, expect } from '../fixtures/emulator.js';
import {
  authorizeQuery, basic, claims, CONFIDENTIAL, CONFIDENTIAL_SECRET, exchange, get, header, Jar, pkce, POSTMAN, postForm, PUBLIC, scrapeForm,
} from '../fixtures/emulator-http.js';

test('authorize answers 302 to /login with the same query', async ({ emulator }) => {
  const q = authorizeQuery();
  const res = await get(emulator.baseUrl, `/oauth2/authorize?${q}`);
  expect(res.status).toBe(302);
  expect(res.headers.get('location')).toBe(`/login?${q}`);
});

test('a complete code flow in plain HTTP yields tokens that verify against the JWKS with Cognito claims', async ({ emulator }) => {
  const base = emulator.baseUrl;
  const { verifier, challenge } = pkce();
  const q = authorizeQuery({ nonce: 'n-42', code_challenge: challenge, code_challenge_method: 'S256' });
  const jar = new Jar();
  const auth = await get(base, `/oauth2/authorize?${q}`, jar);
  const page = await get(base, auth.headers.get('location')!, jar);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('name="cognitoSignInForm"');
  const { action, csrf } = scrapeForm(html);
  expect(jar.get('XSRF-TOKEN')).toBe(csrf);
  expect(action).toBe(`/login?${q}`);
  const post = await postForm(base, action, { _csrf: csrf, username: 'admin', password: 'Admin-Passw0rd!', cognitoAsfData: '' }, jar);
  expect(post.status).toBe(302);
  const cb = new URL(post.headers.get('location')!);
  expect(`${cb.origin}${cb.pathname}`).toBe(POSTMAN);
  expect(cb.searchParams.get('state')).toBe('st-123');
  const code = cb.searchParams.get('code')!;
  expect(code).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(jar.get('cognito')).toBeTruthy();

  const tok = await exchange(base, { grant_type: 'authorization_code', client_id: PUBLIC, code, redirect_uri: POSTMAN, code_verifier: verifier });
  expect(tok.status).toBe(200);
  expect(tok.headers.get('content-type')).toBe('application/json;charset=UTF-8');
  expect(tok.headers.get('access-control-allow-origin')).toBe('*');
  expect(tok.headers.get('x-amz-cognito-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  const body = (await tok.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
  expect(String(body.refresh_token)).toMatch(/^eyJj/);
  expect(String(body.refresh_token).split('.')).toHaveLength(5);

  const disc = (await (await get(base, `/${emulator.poolId}/.well-known/openid-configuration`)).json()) as Record<string, string>;
  expect(disc.issuer).toBe(emulator.issuer);
  const jwks = (await (await fetch(disc.jwks_uri!)).json()) as JSONWebKeySet;
  expect(jwks.keys).toHaveLength(2);
  const keySet = createLocalJWKSet(jwks);
  const idToken = String(body.id_token);
  const accessToken = String(body.access_token);
  expect(header(idToken).kid).not.toBe(header(accessToken).kid);
  const { payload: id } = await jwtVerify(idToken, keySet, { issuer: emulator.issuer, audience: PUBLIC, algorithms: ['RS256'] });
  const { payload: access } = await jwtVerify(accessToken, keySet, { issuer: emulator.issuer, algorithms: ['RS256'] });
  expect(id).toMatchObject({ token_use: 'id', 'cognito:username': 'admin', 'cognito:groups': ['admin'], email: 'admin@example.com', email_verified: true, nonce: 'n-42' });
  for (const k of ['sub', 'auth_time', 'at_hash', 'jti', 'origin_jti', 'event_id', 'exp', 'iat']) expect(id, k).toHaveProperty(k);
  expect(access).toMatchObject({ token_use: 'access', client_id: PUBLIC, username: 'admin', scope: 'openid email profile', 'cognito:groups': ['admin'], version: 2, sub: id.sub, origin_jti: id.origin_jti });
  for (const k of ['jti', 'event_id', 'auth_time', 'exp', 'iat']) expect(access, k).toHaveProperty(k);
  expect(access).not.toHaveProperty('aud');
  expect(access.exp! - access.iat!).toBe(3600);
});

test('a confidential client authenticates with a Basic header', async ({ emulator }) => {
  const { codeFor } = await import('../fixtures/emulator-http.js');
  const q = authorizeQuery({ client_id: CONFIDENTIAL });
  const code = await codeFor(emulator.baseUrl, 'reader', 'Reader-Passw0rd!', q);
  const res = await exchange(emulator.baseUrl, { grant_type: 'authorization_code', code, redirect_uri: POSTMAN }, { authorization: basic(CONFIDENTIAL, CONFIDENTIAL_SECRET) });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { access_token: string };
  expect(claims(body.access_token)).toMatchObject({ client_id: CONFIDENTIAL, username: 'reader', 'cognito:groups': ['reader'] });
});

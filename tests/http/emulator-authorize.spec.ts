// /oauth2/authorize and /login as auth URL: client and redirect_uri checks (Cognito's /error page),
// errors redirected with state, PKCE S256 only, scope filtering, implicit grant, session shortcut.
import { test, expect } from '../fixtures/emulator.js';
import { authorizeQuery, claims, CONFIDENTIAL, get, Jar, localPath, M2M, POSTMAN, signIn } from '../fixtures/emulator-http.js';

const location = (res: Response) => res.headers.get('location') ?? '';

test('an unknown client goes to /error?error=redirect_mismatch, which answers 400 with Cognito\'s text', async ({ emulator }) => {
  const res = await get(emulator.baseUrl, `/oauth2/authorize?${authorizeQuery({ client_id: 'nope' })}`);
  expect(res.status).toBe(302);
  expect(location(res)).toBe('/error?error=redirect_mismatch&client_id=nope');
  const page = await get(emulator.baseUrl, location(res));
  expect(page.status).toBe(400);
  expect(await page.text()).toContain('An error was encountered with the requested page.');
});

for (const [name, uri] of [
  ['a trailing slash', `${POSTMAN}/`],
  ['a subdomain', 'https://x.oauth.pstmn.io/v1/callback'],
  ['another path', 'https://oauth.pstmn.io/v1/callback2'],
  ['userinfo@ in the host', 'https://user@oauth.pstmn.io/v1/callback'],
  ['another port on a non-wildcard URI', 'https://oauth.pstmn.io:8443/v1/callback'],
  ['http instead of https', 'http://oauth.pstmn.io/v1/callback'],
  ['the any-port pattern with another path', 'http://localhost:4000/callback/extra'],
  ['127.0.0.1 for a localhost pattern', 'http://127.0.0.1:4000/callback'],
  ['a missing redirect_uri', ''],
] as const) {
  test(`redirect_uri with ${name} is a redirect_mismatch, never a redirect to the app`, async ({ emulator }) => {
    const res = await get(emulator.baseUrl, `/oauth2/authorize?${authorizeQuery({ redirect_uri: uri || undefined })}`);
    expect(res.status).toBe(302);
    expect(location(res)).toBe('/error?error=redirect_mismatch&client_id=demo-public-client');
  });
}

test('the emulator-only http://localhost:*/callback pattern accepts any port', async ({ emulator }) => {
  for (const uri of ['http://localhost:1234/callback', 'http://localhost:65000/callback']) {
    const res = await get(emulator.baseUrl, `/oauth2/authorize?${authorizeQuery({ redirect_uri: uri })}`);
    expect(location(res)).toMatch(/^\/login\?/);
  }
});

test('a custom-scheme callback is accepted', async ({ emulator }) => {
  const { location: loc } = await signIn(emulator.baseUrl, 'admin', 'Admin-Passw0rd!', authorizeQuery({ redirect_uri: 'myapp://callback' }));
  expect(loc).toMatch(/^myapp:\/\/callback\?code=[0-9a-f-]{36}&state=st-123$/);
});

const redirectedError = async (emulatorBase: string, params: Record<string, string | undefined>) => {
  const res = await get(emulatorBase, `/oauth2/authorize?${authorizeQuery(params)}`);
  expect(res.status).toBe(302);
  const u = new URL(location(res));
  expect(`${u.origin}${u.pathname}`).toBe(params.redirect_uri ?? POSTMAN);
  return u.searchParams;
};

test('a missing response_type is redirected as error=invalid_request with the state', async ({ emulator }) => {
  const q = await redirectedError(emulator.baseUrl, { response_type: undefined });
  expect(q.get('error')).toBe('invalid_request');
  expect(q.get('state')).toBe('st-123');
});

test('PKCE plain is refused with error=invalid_request', async ({ emulator }) => {
  const q = await redirectedError(emulator.baseUrl, { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' });
  expect(q.get('error')).toBe('invalid_request');
});

test('a code_challenge without a method is error=invalid_request', async ({ emulator }) => {
  const q = await redirectedError(emulator.baseUrl, { code_challenge: 'a'.repeat(43) });
  expect(q.get('error')).toBe('invalid_request');
});

test('a response_type the client does not allow is error=unauthorized_client', async ({ emulator }) => {
  const q = await redirectedError(emulator.baseUrl, { client_id: CONFIDENTIAL, response_type: 'token' });
  expect(q.get('error')).toBe('unauthorized_client');
});

test('an unknown response_type is error=invalid_request by default', async ({ emulator }) => {
  const q = await redirectedError(emulator.baseUrl, { response_type: 'id_token' });
  expect(q.get('error')).toBe('invalid_request');
});

test('scopes the client does not allow are dropped; none left is error=invalid_scope', async ({ emulator }) => {
  const q = await redirectedError(emulator.baseUrl, { scope: 'demo-api/write other' });
  expect(q.get('error')).toBe('invalid_scope');
  const { location: loc, jar } = await signIn(emulator.baseUrl, 'admin', 'Admin-Passw0rd!', authorizeQuery({ scope: 'openid email demo-api/write made-up' }));
  expect(jar.get('cognito')).toBeTruthy();
  const code = new URL(loc).searchParams.get('code')!;
  const tok = await fetch(`${emulator.baseUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'demo-public-client', code, redirect_uri: POSTMAN }),
  });
  const body = (await tok.json()) as { access_token: string };
  expect(claims(body.access_token).scope).toBe('openid email');
});

test('without a scope parameter every scope the client allows is granted', async ({ emulator }) => {
  const { location: loc } = await signIn(emulator.baseUrl, 'admin', 'Admin-Passw0rd!', authorizeQuery({ scope: undefined }));
  const code = new URL(loc).searchParams.get('code')!;
  const tok = await fetch(`${emulator.baseUrl}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'demo-public-client', code, redirect_uri: POSTMAN }),
  });
  const body = (await tok.json()) as { access_token: string };
  expect(String(claims(body.access_token).scope).split(' ').sort()).toEqual(['aws.cognito.signin.user.admin', 'demo-api/read', 'email', 'openid', 'phone', 'profile']);
});

test('a client limited to client_credentials cannot start the code flow', async ({ emulator }) => {
  // The M2M client has no callback URLs, so Cognito cannot redirect the error: the /error page.
  const res = await get(emulator.baseUrl, `/oauth2/authorize?${authorizeQuery({ client_id: M2M })}`);
  expect(location(res)).toBe('/error?error=redirect_mismatch&client_id=demo-m2m-client');
});

test('/login works directly as the auth URL and validates the same parameters', async ({ emulator }) => {
  const ok = await get(emulator.baseUrl, `/login?${authorizeQuery()}`);
  expect(ok.status).toBe(200);
  const bad = await get(emulator.baseUrl, `/login?${authorizeQuery({ redirect_uri: `${POSTMAN}/` })}`);
  expect(location(bad)).toBe('/error?error=redirect_mismatch&client_id=demo-public-client');
});

test('the implicit grant puts tokens in the fragment with lowercase bearer and no refresh token', async ({ emulator }) => {
  const { location: loc } = await signIn(emulator.baseUrl, 'admin', 'Admin-Passw0rd!', authorizeQuery({ response_type: 'token', nonce: 'nn' }));
  const u = new URL(loc);
  expect(u.search).toBe('');
  const f = new URLSearchParams(u.hash.slice(1));
  expect(f.get('token_type')).toBe('bearer');
  expect(f.get('expires_in')).toBe('3600');
  expect(f.get('state')).toBe('st-123');
  expect(f.get('refresh_token')).toBeNull();
  expect(claims(f.get('access_token')!).token_use).toBe('access');
  expect(claims(f.get('id_token')!)).toMatchObject({ token_use: 'id', nonce: 'nn' });
});

test('the implicit grant without openid gives no id_token', async ({ emulator }) => {
  const { location: loc } = await signIn(emulator.baseUrl, 'admin', 'Admin-Passw0rd!', authorizeQuery({ response_type: 'token', scope: 'demo-api/read' }));
  const f = new URLSearchParams(new URL(loc).hash.slice(1));
  expect(f.get('id_token')).toBeNull();
  expect(f.get('access_token')).toBeTruthy();
});

test('with a session cookie a second authorize returns a new code without the form', async ({ emulator }) => {
  const { location: first, jar } = await signIn(emulator.baseUrl, 'admin', 'Admin-Passw0rd!');
  const res = await get(emulator.baseUrl, `/oauth2/authorize?${authorizeQuery({ state: 'second' })}`, jar);
  expect(res.status).toBe(302);
  const u = new URL(location(res));
  expect(u.searchParams.get('state')).toBe('second');
  expect(u.searchParams.get('code')).not.toBe(new URL(first).searchParams.get('code'));
});

test('the session cookie expires after 1 hour of emulator time', async ({ emulator }) => {
  const { jar } = await signIn(emulator.baseUrl, 'admin', 'Admin-Passw0rd!');
  emulator.clock.advance(60 * 60_000 + 1000);
  const res = await get(emulator.baseUrl, `/oauth2/authorize?${authorizeQuery()}`, jar);
  expect(localPath(res)).toMatch(/^\/login\?/);
});

test('GET /login with a live session shows "Sign In as <user>" and continues with one click', async ({ emulator }) => {
  const { jar } = await signIn(emulator.baseUrl, 'reader', 'Reader-Passw0rd!');
  const page = await get(emulator.baseUrl, `/login?${authorizeQuery()}`, jar);
  const html = await page.text();
  expect(html).toContain('Sign In as reader');
  const { scrapeForm, postForm } = await import('../fixtures/emulator-http.js');
  const { action, csrf } = scrapeForm(html);
  const res = await postForm(emulator.baseUrl, action, { _csrf: csrf, signInAs: 'true' }, jar);
  expect(new URL(location(res)).searchParams.get('code')).toBeTruthy();
});

test('prompt is ignored by the classic UI', async ({ emulator }) => {
  const res = await get(emulator.baseUrl, `/oauth2/authorize?${authorizeQuery({ prompt: 'none' })}`, new Jar());
  expect(localPath(res)).toMatch(/^\/login\?/);
});

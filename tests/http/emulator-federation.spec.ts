// Federation at HTTP level (no page involved where it matters): routing by identity_provider and
// idp_identifier, "Login option is not available", the redirect upstream (OIDC and SAML), IdP errors
// passed back, and the SAML checks (signature, audience, replay, RelayState, the 5-minute limit)
// against the real local SAML IdP.
import { inflateRawSync } from 'node:zlib';
import { Secret, TOTP } from 'otpauth';
import { claims, get, Jar, pkce, postForm } from '../fixtures/emulator-http.js';
import { authorizeUrl, BAD_SECRET_IDP, CALLBACK, expect, FED_CLIENT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_IDP, SAML_IDP, SAML_TOTP_USER, SAML_USER, test } from '../fixtures/federation.js';

const location = (res: Response) => res.headers.get('location') ?? '';
const unescapeHtml = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const hidden = (html: string, name: string) => unescapeHtml(new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '');

/** Authorize straight to the SAML IdP, sign in on its page, and return the auto-post form's fields (not posted yet). */
async function samlAssertion(base: string, jar: Jar, extra: Record<string, string> = {}): Promise<{ SAMLResponse: string; RelayState: string; acs: string }> {
  const res = await get('', authorizeUrl(base, { identity_provider: SAML_IDP, ...extra }), jar);
  expect(res.status).toBe(302);
  const sso = location(res);
  const idpPage = await fetch(sso);
  expect(idpPage.status).toBe(200);
  const interaction = hidden(await idpPage.text(), 'interaction');
  const posted = await fetch(new URL('/sso/login', sso), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ interaction, ...SAML_USER }).toString(),
  });
  const html = await posted.text();
  const acs = unescapeHtml(/<form id="saml-post" method="post" action="([^"]+)"/.exec(html)?.[1] ?? '');
  return { SAMLResponse: hidden(html, 'SAMLResponse'), RelayState: hidden(html, 'RelayState'), acs };
}

async function postAssertion(base: string, jar: Jar, a: { SAMLResponse: string; RelayState: string }): Promise<Response> {
  return postForm(base, '/saml2/idpresponse', { SAMLResponse: a.SAMLResponse, RelayState: a.RelayState }, jar);
}

test('identity_provider=<SAML IdP> redirects to its SSO URL with a deflated AuthnRequest for urn:amazon:cognito:sp:<poolId> and an opaque RelayState', async ({ federation }) => {
  const { emulator } = federation;
  const jar = new Jar();
  const res = await get('', authorizeUrl(emulator.baseUrl, { identity_provider: SAML_IDP }), jar);
  expect(res.status).toBe(302);
  const to = new URL(location(res));
  expect(to.origin + to.pathname).toBe(`${emulator.upstreams.get(SAML_IDP)!.baseUrl}/sso`);
  const xml = inflateRawSync(Buffer.from(to.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
  expect(xml).toContain(`<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">urn:amazon:cognito:sp:${emulator.poolId}</saml:Issuer>`);
  expect(xml).toContain(`AssertionConsumerServiceURL="${emulator.baseUrl}/saml2/idpresponse"`);
  const relay = to.searchParams.get('RelayState')!;
  expect(relay.length).toBeGreaterThan(80);
  expect(relay).not.toContain('app-state-1');
  expect(jar.get('csrf-state')).toBeTruthy();
});

test('identity_provider=<OIDC IdP> redirects to its authorize endpoint with its own client, authorize_scopes, Cognito\'s state and no PKCE', async ({ federation }) => {
  const { emulator, oidcIssuer } = federation;
  const { challenge } = pkce();
  const res = await get('', authorizeUrl(emulator.baseUrl, { identity_provider: OIDC_IDP, code_challenge: challenge, code_challenge_method: 'S256', scope: 'openid' }));
  const to = new URL(location(res));
  expect(to.origin).toBe(oidcIssuer);
  expect(Object.fromEntries(to.searchParams)).toEqual({
    client_id: OIDC_CLIENT_ID,
    redirect_uri: `${emulator.baseUrl}/oauth2/idpresponse`,
    scope: 'openid email profile',
    response_type: 'code',
    state: expect.stringMatching(/^[\w-]{60,}$/) as unknown as string,
  });
});

test('idp_identifier picks the IdP whose IdpIdentifiers hold it, case-insensitively', async ({ federation }) => {
  const { emulator, oidcIssuer } = federation;
  const saml = await get('', authorizeUrl(emulator.baseUrl, { idp_identifier: 'Corp.Example' }));
  expect(location(saml)).toContain(`${emulator.upstreams.get(SAML_IDP)!.baseUrl}/sso?SAMLRequest=`);
  const oidc = await get('', authorizeUrl(emulator.baseUrl, { idp_identifier: 'oidc.example' }));
  expect(location(oidc).startsWith(oidcIssuer)).toBe(true);
});

for (const [what, params] of [
  ['an IdP the client does not support', { client_id: 'demo-public-client', identity_provider: OIDC_IDP }],
  ['an IdP the pool does not have', { identity_provider: 'NoSuchIdP' }],
  ['an identifier no IdP has', { idp_identifier: 'unknown.example' }],
  ['COGNITO on a client without it', { client_id: 'saml-only-client', identity_provider: 'COGNITO' }],
] as const) {
  test(`${what} gives Cognito's "Login option is not available" page, not a redirect`, async ({ federation }) => {
    const res = await get('', authorizeUrl(federation.emulator.baseUrl, params));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Login option is not available. Please try another one');
  });
}

test('a password sign-in is refused for a client that does not support COGNITO', async ({ federation }) => {
  const base = federation.emulator.baseUrl;
  const jar = new Jar();
  const page = await get('', authorizeUrl(base, { client_id: 'saml-only-client' }), jar);
  expect(page.status).toBe(302);
  const login = await get(base, location(page), jar);
  const html = await login.text();
  expect(html).not.toContain('name="password"');
  expect(html).toContain(`value="${SAML_IDP}"`);
  const csrf = jar.get('XSRF-TOKEN')!;
  const res = await postForm(base, new URL(location(page), base).pathname + new URL(location(page), base).search, { _csrf: csrf, username: 'admin', password: 'Admin-Passw0rd!' }, jar);
  expect(res.status).toBe(400);
  expect(await res.text()).toContain('Login option is not available');
});

test('an IdP error on the way back (access_denied) reaches the app as error_description with the IdP name', async ({ federation }) => {
  const { emulator } = federation;
  const jar = new Jar();
  const res = await get('', authorizeUrl(emulator.baseUrl, { identity_provider: OIDC_IDP }), jar);
  const state = new URL(location(res)).searchParams.get('state')!;
  const back = await get(emulator.baseUrl, `/oauth2/idpresponse?${new URLSearchParams({ error: 'access_denied', error_description: 'End-User aborted interaction', state })}`, jar);
  expect(back.status).toBe(302);
  const app = new URL(location(back));
  expect(app.origin + app.pathname).toBe(CALLBACK);
  expect(Object.fromEntries(app.searchParams)).toEqual({ error: 'invalid_request', error_description: `${OIDC_IDP} Error - access_denied End-User aborted interaction`, state: 'app-state-1' });
});

test('an unknown state, or a state from another browser, is Cognito\'s "Invalid State/RelayState provided." page', async ({ federation }) => {
  const { emulator } = federation;
  const unknown = await get(emulator.baseUrl, '/oauth2/idpresponse?code=x&state=nope');
  expect(unknown.status).toBe(400);
  expect(await unknown.text()).toContain('Invalid State/RelayState provided.');
  const res = await get('', authorizeUrl(emulator.baseUrl, { identity_provider: OIDC_IDP }), new Jar());
  const state = new URL(location(res)).searchParams.get('state')!;
  const other = await get(emulator.baseUrl, `/oauth2/idpresponse?code=x&state=${state}`, new Jar());
  expect(await other.text()).toContain('Invalid State/RelayState provided.');
});

test('SAML: a valid assertion signs the user in as <ProviderName>_<NameID> with the mapped attributes, and a code that works at /oauth2/token', async ({ federation }) => {
  const { emulator } = federation;
  const jar = new Jar();
  const { verifier, challenge } = pkce();
  const a = await samlAssertion(emulator.baseUrl, jar, { code_challenge: challenge, code_challenge_method: 'S256' });
  expect(a.acs).toBe(`${emulator.baseUrl}/saml2/idpresponse`);
  const res = await postAssertion(emulator.baseUrl, jar, a);
  expect(res.status).toBe(302);
  const app = new URL(location(res));
  expect(app.searchParams.get('state')).toBe('app-state-1');
  const tokens = await postForm(emulator.baseUrl, '/oauth2/token', { grant_type: 'authorization_code', client_id: FED_CLIENT, code: app.searchParams.get('code')!, redirect_uri: CALLBACK, code_verifier: verifier });
  expect(tokens.status, await tokens.clone().text()).toBe(200);
  const body = (await tokens.json()) as { id_token: string; access_token: string };
  const id = claims(body.id_token);
  expect(id['cognito:username']).toBe(`${SAML_IDP}_bob`);
  expect(id).toMatchObject({ email: 'bob@corp.example', given_name: 'Bob', 'custom:department': 'QA', 'cognito:groups': [`${emulator.poolId}_${SAML_IDP}`] });
  expect(id.identities).toEqual([{ userId: 'bob', providerName: SAML_IDP, providerType: 'SAML', issuer: null, primary: 'true', dateCreated: expect.stringMatching(/^\d{13}$/) as unknown as string }]);
  expect(claims(body.access_token).username).toBe(`${SAML_IDP}_bob`);
});

test('SAML: a replayed assertion is refused with "Error in SAML response processing"', async ({ federation }) => {
  const { emulator } = federation;
  const jar = new Jar();
  const a = await samlAssertion(emulator.baseUrl, jar);
  expect((await postAssertion(emulator.baseUrl, jar, a)).status).toBe(302);
  const again = await postAssertion(emulator.baseUrl, jar, a);
  expect(again.status).toBe(302);
  const app = new URL(location(again));
  expect(app.searchParams.get('code')).toBeNull();
  expect(app.searchParams.get('error')).toBe('server_error');
  expect(app.searchParams.get('error_description')).toBe('Error in SAML response processing: Invalid SAML response received: the assertion has already been used.');
});

test('SAML: a tampered assertion (bad signature) is refused and no code is issued', async ({ federation }) => {
  const { emulator } = federation;
  const jar = new Jar();
  const a = await samlAssertion(emulator.baseUrl, jar);
  const xml = Buffer.from(a.SAMLResponse, 'base64').toString('utf8');
  expect(xml).toContain('>QA<');
  const tampered = Buffer.from(xml.replace('>QA<', '>Admins<')).toString('base64');
  const res = await postAssertion(emulator.baseUrl, jar, { ...a, SAMLResponse: tampered });
  const app = new URL(location(res));
  expect(app.searchParams.get('code')).toBeNull();
  expect(app.searchParams.get('error')).toBe('server_error');
  expect(app.searchParams.get('error_description')).toBe('Error in SAML response processing: Invalid SAML response received: SAML Assertion signature is invalid.');
});

test('SAML: an assertion for another audience is refused', async ({ federation }) => {
  const { emulator } = federation;
  const up = emulator.upstreams.get(SAML_IDP)!.saml!;
  const acsUrl = `${emulator.baseUrl}/saml2/idpresponse`;
  up.setServiceProvider({ entityId: 'urn:amazon:cognito:sp:us-east-1_OtherPool', acsUrl });
  try {
    const jar = new Jar();
    const a = await samlAssertion(emulator.baseUrl, jar);
    const res = await postAssertion(emulator.baseUrl, jar, a);
    const app = new URL(location(res));
    expect(app.searchParams.get('code')).toBeNull();
    expect(app.searchParams.get('error_description')).toMatch(/^Error in SAML response processing: Invalid SAML response received: SAML assertion audience mismatch\. Expected: urn:amazon:cognito:sp:us-east-1_DemoPool1/);
  } finally {
    up.setServiceProvider({ entityId: `urn:amazon:cognito:sp:${emulator.poolId}`, acsUrl });
  }
});

test('SAML: an answer after the 5-minute limit goes back to the sign-in page with "Something went wrong"', async ({ federation }) => {
  const { emulator } = federation;
  const jar = new Jar();
  const a = await samlAssertion(emulator.baseUrl, jar);
  emulator.clock.advance(5 * 60_000 + 1000);
  const res = await postAssertion(emulator.baseUrl, jar, a);
  expect(res.status).toBe(302);
  const to = new URL(location(res), emulator.baseUrl);
  expect(to.pathname).toBe('/login');
  expect(to.searchParams.get('identity_provider')).toBeNull();
  expect(to.searchParams.get('client_id')).toBe(FED_CLIENT);
  const page = await get(emulator.baseUrl, to.pathname + to.search, jar);
  expect(await page.text()).toContain('Something went wrong');
});

test('SAML: a response without a known RelayState is refused on Cognito\'s page', async ({ federation }) => {
  const { emulator } = federation;
  const jar = new Jar();
  const a = await samlAssertion(emulator.baseUrl, jar);
  const res = await postAssertion(emulator.baseUrl, jar, { ...a, RelayState: 'forged' });
  expect(res.status).toBe(400);
  expect(await res.text()).toContain('Invalid samlResponse or relayState from identity provider');
});

test(`OIDC: a token endpoint that refuses the exchange is passed back as "<IdP> Error - <status> <error>"`, async ({ federation }) => {
  const { emulator } = federation;
  const jar = new Jar();
  const res = await get('', authorizeUrl(emulator.baseUrl, { identity_provider: BAD_SECRET_IDP }), jar);
  const state = new URL(location(res)).searchParams.get('state')!;
  // No page needed: the exchange fails on the client secret before any code is checked.
  const back = await get(emulator.baseUrl, `/oauth2/idpresponse?code=some-code&state=${state}`, jar);
  const app = new URL(location(back));
  expect(app.searchParams.get('error')).toBe('invalid_request');
  expect(app.searchParams.get('error_description')).toMatch(new RegExp(`^${BAD_SECRET_IDP} Error - 40[01] invalid_client`));
  expect(app.searchParams.get('error_description')).not.toContain('not-the-secret');
});

test('OIDC: login_hint and prompt (but not prompt=none) are forwarded to the IdP', async ({ federation }) => {
  const res = await get('', authorizeUrl(federation.emulator.baseUrl, { identity_provider: OIDC_IDP, login_hint: 'alice@oidc.example', prompt: 'login none' }));
  const q = new URL(location(res)).searchParams;
  expect(q.get('login_hint')).toBe('alice@oidc.example');
  expect(q.get('prompt')).toBe('login');
  expect(q.get('code_challenge')).toBeNull();
  expect(q.get('nonce')).toBeNull();
});

test('SAML IdP: a user with TOTP gets the code page; a wrong code is refused, the right one completes the sign-in', async ({ federation }) => {
  const { emulator } = federation;
  const jar = new Jar();
  const sso = location(await get('', authorizeUrl(emulator.baseUrl, { identity_provider: SAML_IDP }), jar));
  const interaction = hidden(await (await fetch(sso)).text(), 'interaction');
  const post = (path: string, body: Record<string, string>) =>
    fetch(new URL(path, sso), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ interaction, ...body }).toString() }).then((r) => r.text());
  const otpPage = await post('/sso/login', { username: SAML_TOTP_USER.username, password: SAML_TOTP_USER.password });
  expect(otpPage).toContain('name="otp"');
  expect(otpPage).not.toContain('SAMLResponse');
  expect(await post('/sso/otp', { otp: '000000' })).toContain('The code is wrong or has expired.');
  const totp = new TOTP({ secret: Secret.fromBase32(SAML_TOTP_USER.totpSecret), digits: 6, period: 30, algorithm: 'SHA1' });
  const html = await post('/sso/otp', { otp: totp.generate() });
  const res = await postAssertion(emulator.baseUrl, jar, { SAMLResponse: hidden(html, 'SAMLResponse'), RelayState: hidden(html, 'RelayState') });
  expect(new URL(location(res)).searchParams.get('code')).toBeTruthy();
});

test('OIDC: an answer after the 5-minute limit returns to the sign-in page with "Something went wrong", and the state is spent', async ({ federation }) => {
  const { emulator } = federation;
  const jar = new Jar();
  const state = new URL(location(await get('', authorizeUrl(emulator.baseUrl, { identity_provider: OIDC_IDP }), jar))).searchParams.get('state')!;
  emulator.clock.advance(5 * 60_000);
  const late = await get(emulator.baseUrl, `/oauth2/idpresponse?code=whatever&state=${state}`, jar);
  const to = new URL(location(late), emulator.baseUrl);
  expect(to.pathname).toBe('/login');
  expect(await (await get(emulator.baseUrl, to.pathname + to.search, jar)).text()).toContain('Something went wrong');
  const again = await get(emulator.baseUrl, `/oauth2/idpresponse?code=whatever&state=${state}`, jar);
  expect(await again.text()).toContain('Invalid State/RelayState provided.');
});

test('the emulator\'s debug log of federated sign-ins holds no secret: no IdP client secret, password, assertion, code or token', async ({ federation }) => {
  const { emulator, log } = federation;
  const jar = new Jar();
  const a = await samlAssertion(emulator.baseUrl, jar);
  const res = await postAssertion(emulator.baseUrl, jar, a);
  const code = new URL(location(res)).searchParams.get('code')!;
  const tokens = (await (await postForm(emulator.baseUrl, '/oauth2/token', { grant_type: 'authorization_code', client_id: FED_CLIENT, code, redirect_uri: CALLBACK })).json()) as Record<string, string>;
  const oidc = await get('', authorizeUrl(emulator.baseUrl, { identity_provider: BAD_SECRET_IDP }), jar);
  await get(emulator.baseUrl, `/oauth2/idpresponse?code=upstream-code-123&state=${new URL(location(oidc)).searchParams.get('state')!}`, jar);
  const text = log.join('\n');
  expect(text).toContain('/saml2/idpresponse');
  for (const secret of [OIDC_CLIENT_SECRET, 'not-the-secret', SAML_USER.password, a.SAMLResponse.slice(0, 40), code, 'upstream-code-123', tokens.access_token!, tokens.id_token!]) {
    expect(text).not.toContain(secret);
  }
});

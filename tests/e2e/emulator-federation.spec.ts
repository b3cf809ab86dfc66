// Real Chromium through federated sign-ins against the emulator: straight to oidc-provider's
// devInteractions pages by identity_provider, to the local SAML IdP's password page by idp_identifier,
// and through the classic page's "Sign in with your corporate ID" section and corporate-email box;
// then the Cognito code exchanged and the federated user's claims checked (and linked next time).
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../../src/login/browser.js';
import { startCallbackServer, type CallbackServer } from '../fixtures/emulator-browser.js';
import { claims, postForm } from '../fixtures/emulator-http.js';
import { authorizeUrl, expect, FED_CLIENT, OIDC_IDP, SAML_IDP, SAML_USER, test, WRONG_ISSUER_IDP } from '../fixtures/federation.js';

let browser: Browser;
let callback: CallbackServer;
test.beforeAll(async () => {
  browser = await launchBrowser({ blockedHosts: ['oauth.pstmn.io'] });
  callback = await startCallbackServer();
});
test.afterAll(async () => {
  await browser?.close();
  await callback?.close();
});

const url = (base: string, p: Record<string, string> = {}) => authorizeUrl(base, { redirect_uri: callback.url, ...p });

/** Exchange the callback's Cognito code and return the ID and access token claims. */
async function tokensFrom(base: string, cb: URL): Promise<{ id: Record<string, unknown>; access: Record<string, unknown> }> {
  expect(cb.searchParams.get('state')).toBe('app-state-1');
  const code = cb.searchParams.get('code');
  expect(code, `callback carried ${cb.search}`).toBeTruthy();
  const res = await postForm(base, '/oauth2/token', { grant_type: 'authorization_code', client_id: FED_CLIENT, code: code!, redirect_uri: callback.url });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { id_token: string; access_token: string };
  return { id: claims(body.id_token), access: claims(body.access_token) };
}

async function withPage<T>(fn: (p: Page) => Promise<T>): Promise<T> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    return await fn(await ctx.newPage());
  } finally {
    await ctx.close();
  }
}

/** oidc-provider's devInteractions: its login page, then its consent page. */
async function oidcProviderSignIn(p: Page, login: string): Promise<void> {
  await p.fill('input[name="login"]', login);
  await p.fill('input[name="password"]', 'any-Passw0rd!');
  await p.click('button[type="submit"]');
  await p.click('form:has(input[name="prompt"][value="consent"]) button[type="submit"]');
}

async function samlIdpSignIn(p: Page, password = SAML_USER.password): Promise<void> {
  await p.fill('#username', SAML_USER.username);
  await p.fill('#password', password);
  await p.click('#kc-login');
}

test('identity_provider goes straight to the OIDC IdP; the user comes back as CorpOIDC_<sub>, and is the same linked user next time', async ({ federation }) => {
  const { emulator, oidcIssuer } = federation;
  const first = await withPage(async (p) => {
    await p.goto(url(emulator.baseUrl, { identity_provider: OIDC_IDP }));
    expect(p.url().startsWith(oidcIssuer)).toBe(true);
    await expect(p).toHaveTitle('Sign-in');
    const cb = callback.next();
    await oidcProviderSignIn(p, 'alice');
    return tokensFrom(emulator.baseUrl, await cb);
  });
  expect(first.id).toMatchObject({
    'cognito:username': `${OIDC_IDP}_alice`,
    email: 'alice@oidc.example',
    email_verified: true,
    name: 'User alice',
    'cognito:groups': [`${emulator.poolId}_${OIDC_IDP}`],
    identities: [{ userId: 'alice', providerName: OIDC_IDP, providerType: 'OIDC', issuer: null, primary: 'true' }],
  });
  expect(first.access.username).toBe(`${OIDC_IDP}_alice`);
  // A new browser (no session anywhere): the IdP asks again, Cognito links the same pool user.
  const second = await withPage(async (p) => {
    await p.goto(url(emulator.baseUrl, { identity_provider: OIDC_IDP }));
    const cb = callback.next();
    await oidcProviderSignIn(p, 'alice');
    return tokensFrom(emulator.baseUrl, await cb);
  });
  expect(second.id.sub).toBe(first.id.sub);
  expect(second.id['cognito:username']).toBe(`${OIDC_IDP}_alice`);
  expect((second.id.identities as { dateCreated: string }[])[0]?.dateCreated).toBe((first.id.identities as { dateCreated: string }[])[0]?.dateCreated);
});

test('idp_identifier goes straight to the SAML IdP; a wrong password shows its error, the right one returns with mapped attributes', async ({ federation }) => {
  const { emulator } = federation;
  const samlBase = emulator.upstreams.get(SAML_IDP)!.baseUrl;
  const tokens = await withPage(async (p) => {
    await p.goto(url(emulator.baseUrl, { idp_identifier: 'corp.example' }));
    expect(p.url().startsWith(`${samlBase}/sso?`)).toBe(true);
    await samlIdpSignIn(p, 'wrong-password');
    await expect(p.locator('#input-error')).toHaveText('Incorrect username or password.');
    await p.screenshot({ path: test.info().outputPath('saml-idp-wrong-password.png') });
    const cb = callback.next();
    await samlIdpSignIn(p);
    return tokensFrom(emulator.baseUrl, await cb);
  });
  expect(tokens.id).toMatchObject({
    'cognito:username': `${SAML_IDP}_bob`,
    email: 'bob@corp.example',
    given_name: 'Bob',
    'custom:department': 'QA',
    identities: [{ userId: 'bob', providerName: SAML_IDP, providerType: 'SAML' }],
  });
});

test('the classic page offers "Sign in with your corporate ID" with one visible button per IdP; the button leads to that IdP', async ({ federation }) => {
  const { emulator } = federation;
  await withPage(async (p) => {
    await p.goto(url(emulator.baseUrl));
    // Every form twice, like the rest of the classic page; exactly one copy visible.
    await expect(p.locator('form[name="loginWithIdentityProvider"]')).toHaveCount(2);
    await expect(p.locator('span.idpDescription-customizable >> visible=true').first()).toHaveText('Sign in with your corporate ID');
    for (const name of [OIDC_IDP, SAML_IDP]) {
      await expect(p.locator(`input[type="button"].idpButton-customizable[value="${name}"][aria-label="${name}"] >> visible=true`)).toHaveCount(1);
    }
    await expect(p.locator('input[name="username"] >> visible=true')).toHaveCount(1);
    await p.screenshot({ path: test.info().outputPath('classic-corporate.png') });
    await p.getByRole('button', { name: SAML_IDP }).locator('visible=true').click();
    await p.waitForURL(`${emulator.upstreams.get(SAML_IDP)!.baseUrl}/sso?**`);
    await p.screenshot({ path: test.info().outputPath('saml-idp-page.png') });
    const cb = callback.next();
    await samlIdpSignIn(p);
    const tokens = await tokensFrom(emulator.baseUrl, await cb);
    expect(tokens.id['cognito:username']).toBe(`${SAML_IDP}_bob`);
  });
});

test('the corporate-email box routes by the email\'s domain (IdpIdentifiers)', async ({ federation }) => {
  const { emulator } = federation;
  await withPage(async (p) => {
    await p.goto(url(emulator.baseUrl));
    await p.fill('input[name="idpIdentifier"] >> visible=true', 'bob@corp.example');
    await p.click('input[name="idpIdentifierSubmitButton"] >> visible=true');
    await p.waitForURL(`${emulator.upstreams.get(SAML_IDP)!.baseUrl}/sso?**`);
    await expect(p.locator('#username')).toBeVisible();
  });
});

test('a client with only one IdP shows only its button, no username/password form', async ({ federation }) => {
  await withPage(async (p) => {
    await p.goto(url(federation.emulator.baseUrl, { client_id: 'saml-only-client' }));
    await expect(p.locator(`input.idpButton-customizable[value="${SAML_IDP}"] >> visible=true`)).toHaveCount(1);
    await expect(p.locator('input[name="password"]')).toHaveCount(0);
    await expect(p.locator('input[name="idpIdentifier"] >> visible=true')).toHaveCount(1);
  });
});

test('an ID token whose iss is not the configured oidc_issuer is refused: the app gets "Bad id_token issuer", no code', async ({ federation }) => {
  const { emulator, oidcIssuer } = federation;
  const cb = await withPage(async (p) => {
    await p.goto(url(emulator.baseUrl, { identity_provider: WRONG_ISSUER_IDP }));
    expect(p.url().startsWith(`${oidcIssuer}/interaction/`)).toBe(true);
    const next = callback.next();
    await oidcProviderSignIn(p, 'mallory');
    return next;
  });
  expect(cb.searchParams.get('code')).toBeNull();
  expect(Object.fromEntries(cb.searchParams)).toEqual({ error: 'invalid_request', error_description: `Bad id_token issuer ${oidcIssuer}`, state: 'app-state-1' });
});

// Managed Login over plain HTTP: the server-rendered React + Cloudscape page (one form, useId ids,
// hidden csrf and cognitoAsfData, button[type=submit]), errors in Cloudscape's form-field error
// markup (no role=alert), username-first ("Next" then /verifyPassword), the app's JSON answers,
// login_hint, prompt=none/login, and "Login pages unavailable" (403) for a client without branding.
import { test, expect } from '../fixtures/emulator.js';
import { startEmulator, type PoolConfig, DEFAULT_POOL, type RunningEmulator } from '../../packages/emulator/src/index.js';
import { authorizeQuery, get, Jar, localPath, POSTMAN, postForm, scrapeForm, signIn, submitPage } from '../fixtures/emulator-http.js';

test.use({ emulatorOptions: { ui: 'managed' } });

const Q = authorizeQuery();
/** Texts of Cloudscape form-field errors: `<div id="<controlId>-error">…<span …>text</span>`. */
const fieldErrors = (html: string) => [...html.matchAll(/<div id="[^"]*-error"[^>]*>.*?<span class="[^"]*error__message[^"]*"[^>]*>([^<]*)<\/span>/g)].map((m) => m[1]);
const json = { accept: 'application/json' };

test('the managed page is server-rendered Cloudscape: one form, useId ids, hidden csrf + cognitoAsfData, no classic ids', async ({ emulator }) => {
  const html = await (await get(emulator.baseUrl, `/login?${Q}`, new Jar())).text();
  expect(html.match(/<form /g)).toHaveLength(1);
  expect(html).toMatch(/<input type="hidden" name="csrf" value="[0-9a-f-]{36}"\/>/);
  expect(html).toContain('<input type="hidden" name="cognitoAsfData" value=""/>');
  expect(html).toMatch(/<input [^>]*name="username" id="formField:R[0-9a-z]+:"/);
  expect(html).toMatch(/<input [^>]*name="password" id="formField:R[0-9a-z]+:"[^>]*type="password"/);
  expect(html).toMatch(/<button [^>]*type="submit"><span [^>]*>Sign in<\/span><\/button>/);
  expect(html).toContain('Show password');
  expect(html).toMatch(/class="awsui_/);
  // The browser gets the prebuilt bundle from the emulator itself: no CDN.
  const script = /<script src="([^"]+)" defer>/.exec(html)?.[1] ?? '';
  expect(script).toMatch(/^\/managed-login\/assets\/app\.js/);
  expect((await get(emulator.baseUrl, script)).status).toBe(200);
  expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[^"']*\.(js|css)/);
  expect(html).not.toContain('signInFormUsername');
  expect(html).not.toContain('name="_csrf"');
  expect(html).not.toMatch(/class="[^"]*visible-xs/);
});

test('a managed form post redirects with a code; a wrong password shows Cognito\'s text as a Cloudscape field error', async ({ emulator }) => {
  const { location } = await signIn(emulator.baseUrl, 'admin', 'Admin-Passw0rd!');
  expect(new URL(location).searchParams.get('code')).toBeTruthy();
  const jar = new Jar();
  const bad = await submitPage(emulator.baseUrl, `/login?${Q}`, { username: 'admin', password: 'nope' }, jar);
  const html = await (await get(emulator.baseUrl, localPath(bad), jar)).text();
  expect(fieldErrors(html)).toEqual(['Invalid input: Incorrect username or password.']);
  expect(html).not.toContain('role="alert"');
});

test('the app\'s JSON posts: errors, lockout, redirect, MFA step, and CSRF still checked', async ({ emulator }) => {
  const jar = new Jar();
  const { action, csrf } = scrapeForm(await (await get(emulator.baseUrl, `/login?${Q}`, jar)).text());
  const post = async (fields: Record<string, string>, path = action) => {
    const res = await postForm(emulator.baseUrl, path, fields, jar, json);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  expect(await post({ csrf, username: 'admin', password: 'Admin-Passw0rd!' }, action)).toMatchObject({ status: 200, body: { redirect: expect.stringMatching(/^https:\/\/oauth\.pstmn\.io\/v1\/callback\?code=/) } });
  expect(await post({ username: 'admin', password: 'Admin-Passw0rd!' })).toMatchObject({ status: 403 });
  expect(await post({ csrf: 'forged', username: 'admin', password: 'Admin-Passw0rd!' })).toMatchObject({ status: 403 });
  expect(await post({ csrf, username: 'mfa-user', password: 'Mfa-Passw0rd!' })).toEqual({ status: 200, body: { step: 'totp' } });
  expect(await post({ csrf, username: 'disabled-user', password: 'Disabled-Passw0rd!' })).toEqual({ status: 400, body: { error: 'Invalid input: User is disabled.', field: 'password' } });
  for (let i = 0; i < 4; i++) expect((await post({ csrf, username: 'reader', password: 'bad' })).body.error).toBe('Invalid input: Incorrect username or password.');
  expect((await post({ csrf, username: 'reader', password: 'bad' })).body.error).toBe('Invalid input: Password attempts exceeded');
  // Locked out: even the right password is refused until the lockout ends.
  expect((await post({ csrf, username: 'reader', password: 'Reader-Passw0rd!' })).body.error).toBe('Invalid input: Password attempts exceeded');
});

test('login_hint pre-fills the username on Managed Login', async ({ emulator }) => {
  const html = await (await get(emulator.baseUrl, `/login?${authorizeQuery({ login_hint: 'reader' })}`, new Jar())).text();
  expect(html).toMatch(/name="username"[^>]*value="reader"/);
  expect(html).toContain('"username":"reader"');
});

test('prompt=none without a session redirects error=login_required; with one it returns a code', async ({ emulator }) => {
  const res = await get(emulator.baseUrl, `/oauth2/authorize?${authorizeQuery({ prompt: 'none' })}`, new Jar());
  const u = new URL(res.headers.get('location')!);
  expect([u.searchParams.get('error'), u.searchParams.get('state')]).toEqual(['login_required', 'st-123']);
  const { jar } = await signIn(emulator.baseUrl, 'admin', 'Admin-Passw0rd!');
  const again = await get(emulator.baseUrl, `/oauth2/authorize?${authorizeQuery({ prompt: 'none' })}`, jar);
  expect(new URL(again.headers.get('location')!).searchParams.get('code')).toBeTruthy();
});

test('prompt=login shows the form even with a session', async ({ emulator }) => {
  const { jar } = await signIn(emulator.baseUrl, 'admin', 'Admin-Passw0rd!');
  const res = await get(emulator.baseUrl, `/oauth2/authorize?${authorizeQuery({ prompt: 'login' })}`, jar);
  expect(localPath(res)).toMatch(/^\/login\?.*prompt=login/);
  const html = await (await get(emulator.baseUrl, localPath(res), jar)).text();
  expect(html).toContain('name="password"');
});

test('the managed TOTP page is a Cloudscape field with a generated id, no totpCodeInput', async ({ emulator }) => {
  const jar = new Jar();
  const res = await submitPage(emulator.baseUrl, `/login?${Q}`, { username: 'mfa-user', password: 'Mfa-Passw0rd!' }, jar);
  const html = await (await get(emulator.baseUrl, localPath(res), jar)).text();
  expect(html).not.toContain('totpCodeInput');
  expect(html).not.toContain('authentication_code');
  expect(html).toMatch(/<input [^>]*id="formField:R[0-9a-z]+:"[^>]*autoComplete="one-time-code"[^>]*inputMode="numeric"|<input [^>]*id="formField:R[0-9a-z]+:"[^>]*inputMode="numeric"/i);
  expect(html).toContain('Enter the code from your authenticator app');
  expect(html).toMatch(/<button [^>]*type="submit">/);
});

test('a client without branding shows "Login pages unavailable"', async () => {
  const config = structuredClone(DEFAULT_POOL) as PoolConfig;
  (config.UserPoolClients![0] as Record<string, unknown>).ManagedLoginBranding = false;
  const emu = await startEmulator({ ui: 'managed', config });
  try {
    const res = await get(emu.baseUrl, `/login?${Q}`);
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain('Login pages unavailable');
    expect(html).not.toContain('name="password"');
    expect(html).not.toContain('awsui_');
  } finally {
    await emu.stop();
  }
});

test.describe('username-first', () => {
  let emu: RunningEmulator;
  test.beforeAll(async () => {
    emu = await startEmulator({ ui: 'managed', usernameFirst: true });
  });
  test.afterAll(async () => {
    await emu.stop();
  });
  test.beforeEach(() => emu.reset());

  test('the first step asks only for the username with "Next"', async () => {
    const html = await (await get(emu.baseUrl, `/login?${Q}`, new Jar())).text();
    expect(html).toContain('name="username"');
    expect(html).not.toContain('name="password"');
    expect(html).toMatch(/<button [^>]*type="submit"><span [^>]*>Next<\/span><\/button>/);
  });

  test('the app\'s "Next" answers the password step as JSON; the password goes to /verifyPassword', async () => {
    const jar = new Jar();
    const { action, csrf } = scrapeForm(await (await get(emu.baseUrl, `/login?${Q}`, jar)).text());
    const next = await postForm(emu.baseUrl, action, { csrf, username: 'admin' }, jar, json);
    expect(await next.json()).toEqual({ step: 'password' });
    const bad = await postForm(emu.baseUrl, `/verifyPassword?${Q}`, { csrf, password: 'bad' }, jar, json);
    expect([bad.status, await bad.json()]).toEqual([400, { error: 'Invalid input: Incorrect username or password.', field: 'password' }]);
    const good = await postForm(emu.baseUrl, `/verifyPassword?${Q}`, { csrf, password: 'Admin-Passw0rd!' }, jar, json);
    expect(((await good.json()) as { redirect: string }).redirect).toMatch(/^https:\/\/oauth\.pstmn\.io\/v1\/callback\?code=/);
  });

  test('"Next" answers with the password step posting to /verifyPassword, which signs in', async () => {
    const jar = new Jar();
    const step = await submitPage(emu.baseUrl, `/login?${Q}`, { username: 'admin' }, jar);
    expect(step.status).toBe(200);
    const html = await step.text();
    expect(html).toContain('name="password"');
    expect(html).toMatch(/<button [^>]*type="submit"><span [^>]*>Continue<\/span><\/button>/);
    const { action, csrf } = scrapeForm(html);
    expect(action).toBe(`/verifyPassword?${Q}`);
    const res = await postForm(emu.baseUrl, action, { _csrf: csrf, password: 'Admin-Passw0rd!' }, jar);
    const u = new URL(res.headers.get('location')!);
    expect(`${u.origin}${u.pathname}`).toBe(POSTMAN);
    expect(u.searchParams.get('code')).toBeTruthy();
  });

  test('a wrong password returns to the password step with the error', async () => {
    const jar = new Jar();
    const step = await submitPage(emu.baseUrl, `/login?${Q}`, { username: 'admin' }, jar);
    const { action, csrf } = scrapeForm(await step.text());
    const res = await postForm(emu.baseUrl, action, { _csrf: csrf, password: 'bad' }, jar);
    expect(localPath(res)).toBe(`/verifyPassword?${Q}`);
    const html = await (await get(emu.baseUrl, localPath(res), jar)).text();
    expect(fieldErrors(html)).toEqual(['Invalid input: Incorrect username or password.']);
    expect(html).toContain('name="password"');
  });

  test('an unknown user still gets a password step (no user-existence leak)', async () => {
    const step = await submitPage(emu.baseUrl, `/login?${Q}`, { username: 'ghost' }, new Jar());
    expect(await step.text()).toContain('name="password"');
  });
});

test.describe('screens driven by the pool config', () => {
  const POOL: PoolConfig = {
    ...DEFAULT_POOL,
    Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
    IdentityProviders: [
      // Only rendered here, never contacted: the metadata and issuer are not fetched for a page.
      { ProviderName: 'CorpIdP', ProviderType: 'SAML', ProviderDetails: { MetadataURL: 'https://idp.example.org/metadata' }, IdpIdentifiers: ['example.org'] },
      { ProviderName: 'Google', ProviderType: 'OIDC', ProviderDetails: { client_id: 'g', client_secret: 'g-secret', authorize_scopes: 'openid email', oidc_issuer: 'https://accounts.example.net' } },
    ],
    UserPoolClients: (DEFAULT_POOL.UserPoolClients ?? []).map((c) => ({ ...c, SupportedIdentityProviders: ['COGNITO', 'CorpIdP', 'Google'] })),
  };
  const started: RunningEmulator[] = [];
  test.afterAll(async () => Promise.all(started.map((e) => e.stop())));
  const page = async (o: Parameters<typeof startEmulator>[0]) => {
    const e = await startEmulator({ ui: 'managed', config: POOL, ...o });
    started.push(e);
    return (await get(e.baseUrl, `/login?${Q}`, new Jar())).text();
  };

  test('WEB_AUTHN adds a "Sign in with passkey" button (not a submit); IdpIdentifiers add the corporate form after the personal one; one button per IdP', async () => {
    const html = await page({});
    expect(html).toMatch(/<button [^>]*type="button"><span [^>]*>Sign in with passkey<\/span><\/button>/);
    expect(html.match(/<form /g)).toHaveLength(2);
    expect(html.indexOf('name="username"')).toBeLessThan(html.indexOf('Corporate email'));
    expect(html).toContain(`href="/oauth2/authorize?${Q.replace(/&/g, '&amp;')}&amp;identity_provider=CorpIdP"`);
    expect(html).toContain('Continue with Google');
  });

  test('corporateForm "before" puts the corporate form first in the DOM; texts are replaceable', async () => {
    const html = await page({ managedLogin: { corporateForm: 'before', texts: { corporateLabel: 'Work email', passkeyButton: 'Use a passkey', idpButton: 'Sign in with {provider}' } } });
    expect(html.indexOf('Work email')).toBeGreaterThan(0);
    expect(html.indexOf('Work email')).toBeLessThan(html.indexOf('name="username"'));
    expect(html).toContain('Use a passkey');
    expect(html).toContain('Sign in with Google');
    expect(html).not.toContain('Corporate email');
  });
});

// Managed Login over plain HTTP: one form with button[type=submit], errors in role=alert,
// username-first ("Next" then /verifyPassword), login_hint, prompt=none/login, and
// "Login pages unavailable" for a client without branding.
import { test, expect } from '../fixtures/emulator.js';
import { startEmulator, type PoolConfig, DEFAULT_POOL, type RunningEmulator } from '../../src/emulator/index.js';
import { authorizeQuery, get, Jar, localPath, POSTMAN, postForm, scrapeForm, signIn, submitPage } from '../fixtures/emulator-http.js';

test.use({ emulatorOptions: { ui: 'managed' } });

const Q = authorizeQuery();
const alerts = (html: string) => [...html.matchAll(/<div role="alert"[^>]*>([^<]*)<\/div>/g)].map((m) => m[1]);

test('the managed page has one form, name=username/password inputs and a submit button, no classic ids', async ({ emulator }) => {
  const html = await (await get(emulator.baseUrl, `/login?${Q}`, new Jar())).text();
  expect(html.match(/<form /g)).toHaveLength(1);
  expect(html).toContain('name="username"');
  expect(html).toContain('name="password" type="password"');
  expect(html).toMatch(/<button type="submit">Sign in<\/button>/);
  expect(html).not.toContain('signInFormUsername');
  expect(html).not.toMatch(/class="[^"]*visible-xs/);
});

test('a managed sign-in redirects with a code; a wrong password shows the message in role=alert', async ({ emulator }) => {
  const { location } = await signIn(emulator.baseUrl, 'admin', 'Admin-Passw0rd!');
  expect(new URL(location).searchParams.get('code')).toBeTruthy();
  const jar = new Jar();
  const bad = await submitPage(emulator.baseUrl, `/login?${Q}`, { username: 'admin', password: 'nope' }, jar);
  expect(alerts(await (await get(emulator.baseUrl, localPath(bad), jar)).text())).toEqual(['Incorrect username or password.']);
});

test('login_hint pre-fills the username on Managed Login', async ({ emulator }) => {
  const html = await (await get(emulator.baseUrl, `/login?${authorizeQuery({ login_hint: 'reader' })}`, new Jar())).text();
  expect(html).toMatch(/name="username"[^>]*value="reader"/);
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

test('the managed TOTP page has #totpCodeInput and a submit button', async ({ emulator }) => {
  const jar = new Jar();
  const res = await submitPage(emulator.baseUrl, `/login?${Q}`, { username: 'mfa-user', password: 'Mfa-Passw0rd!' }, jar);
  const html = await (await get(emulator.baseUrl, localPath(res), jar)).text();
  expect(html).toContain('id="totpCodeInput" name="authentication_code"');
  expect(html).toContain('Enter the code from your authenticator app');
  expect(html).toMatch(/<button type="submit">/);
});

test('a client without branding shows "Login pages unavailable"', async () => {
  const config = structuredClone(DEFAULT_POOL) as PoolConfig;
  (config.UserPoolClients![0] as Record<string, unknown>).ManagedLoginBranding = false;
  const emu = await startEmulator({ ui: 'managed', config });
  try {
    const html = await (await get(emu.baseUrl, `/login?${Q}`)).text();
    expect(html).toContain('Login pages unavailable');
    expect(html).not.toContain('name="password"');
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
    expect(html).toMatch(/<button type="submit">Next<\/button>/);
  });

  test('"Next" answers with the password step posting to /verifyPassword, which signs in', async () => {
    const jar = new Jar();
    const step = await submitPage(emu.baseUrl, `/login?${Q}`, { username: 'admin' }, jar);
    expect(step.status).toBe(200);
    const html = await step.text();
    expect(html).toContain('name="password"');
    expect(html).toMatch(/<button type="submit">Sign in<\/button>/);
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
    expect(alerts(html)).toEqual(['Incorrect username or password.']);
    expect(html).toContain('name="password"');
  });

  test('an unknown user still gets a password step (no user-existence leak)', async () => {
    const step = await submitPage(emu.baseUrl, `/login?${Q}`, { username: 'ghost' }, new Jar());
    expect(await step.text()).toContain('name="password"');
  });
});

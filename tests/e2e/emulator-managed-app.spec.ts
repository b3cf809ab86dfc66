// The emulator's Managed Login app in real Chromium, driven by hand (no login driver): the hazard
// the driver must guard against is real (text typed before hydration is gone afterwards), later
// steps render in the same document with client ids, and the errors are Cloudscape's.
import type { Browser, Page } from 'playwright-core';
import { test, expect } from '@playwright/test';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../packages/emulator/src/index.js';
import { launchBrowser } from '../../src/login/browser.js';
import { startCallbackServer, type CallbackServer } from '../fixtures/emulator-browser.js';

let browser: Browser;
let callback: CallbackServer;
const emulators: RunningEmulator[] = [];
test.beforeAll(async () => {
  browser = await launchBrowser({ blockedHosts: ['oauth.pstmn.io'] });
  callback = await startCallbackServer();
});
test.afterAll(async () => {
  await browser?.close();
  await callback?.close();
  await Promise.all(emulators.map((e) => e.stop()));
});

async function emulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const e = await startEmulator({ ui: 'managed', ...options });
  emulators.push(e);
  return e;
}

const loginUrl = (base: string) =>
  `${base}/login?${new URLSearchParams({ response_type: 'code', client_id: 'demo-public-client', redirect_uri: callback.url, state: 'm1', scope: 'openid' })}`;

async function withPage(fn: (p: Page) => Promise<void>): Promise<void> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    await fn(await ctx.newPage());
  } finally {
    await ctx.close();
  }
}

/** React has taken over the field (its own property on the DOM node): hydrated. */
const hydrated = (p: Page, selector: string) =>
  p.waitForFunction((s) => {
    const el = document.querySelector(s);
    return !!el && Object.keys(el).some((k) => k.startsWith('__reactProps$'));
  }, selector);

test('the hazard is real: text typed into the server-rendered fields before hydration is gone afterwards, and a submit says "Missing username."', async () => {
  const emu = await emulator({ managedLogin: { hydrationDelayMs: 1_500 } });
  await withPage(async (p) => {
    await p.goto(loginUrl(emu.baseUrl), { waitUntil: 'domcontentloaded' });
    await p.locator('input[name="username"]').fill('admin');
    await p.locator('input[name="password"]').fill('Admin-Passw0rd!');
    // Before hydration the typed text is there...
    await expect(p.locator('input[name="username"]')).toHaveValue('admin');
    await hydrated(p, 'input[name="username"]');
    // ...after it, React's state (empty) wins: the values are gone.
    await expect(p.locator('input[name="username"]')).toHaveValue('');
    await expect(p.locator('input[name="password"]')).toHaveValue('');
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(p.getByText('Missing username.')).toBeVisible();
    await expect(p.getByText('Missing password.')).toBeVisible();
    await expect(p.locator('[role="alert"]')).toHaveCount(0);
  });
});

test('username-first: the password step renders in the same document (client ids, "Continue", "Show Password", "Forgot your password?"), then TOTP without totpCodeInput', async () => {
  const emu = await emulator({ usernameFirst: true, managedLogin: { hydrationDelayMs: 0, stepDelayMs: 300 } });
  await withPage(async (p) => {
    let documents = 0;
    p.on('framenavigated', (f) => {
      if (f === p.mainFrame()) documents += 1;
    });
    await p.goto(loginUrl(emu.baseUrl));
    const user = p.getByLabel('Username');
    await expect(user).toHaveAttribute('id', /^formField:R[0-9a-z]+:$/);
    await hydrated(p, 'input[name="username"]');
    await user.fill('mfa-user');
    await p.getByRole('button', { name: 'Next' }).click();
    const password = p.getByLabel('Password', { exact: true });
    await expect(password).toBeVisible();
    expect(documents).toBe(1);
    await expect(password).toHaveAttribute('id', /^formField:r[0-9a-z]+:$/);
    await expect(p.getByRole('button', { name: 'Continue' })).toBeVisible();
    await expect(p.getByText('Show Password')).toBeVisible();
    await expect(p.getByRole('link', { name: 'Forgot your password?' })).toBeVisible();
    await expect(p.locator('form')).toHaveCount(1);
    // A wrong password: Cognito's text in Cloudscape's field error, no role=alert, same document.
    await password.fill('Wrong-Passw0rd!');
    await p.getByRole('button', { name: 'Continue' }).click();
    await expect(p.locator('[id$="-error"]')).toHaveText('Invalid input: Incorrect username or password.');
    await expect(p.locator('[role="alert"]')).toHaveCount(0);
    await password.fill('Mfa-Passw0rd!');
    await p.getByRole('button', { name: 'Continue' }).click();
    const code = p.getByLabel('Authenticator code');
    await expect(code).toBeVisible();
    expect(documents).toBe(1);
    await expect(p.locator('#totpCodeInput, [name="authentication_code"]')).toHaveCount(0);
    await expect(code).toHaveAttribute('id', /^formField:r[0-9a-z]+:$/);
  });
});

test('"Login pages unavailable" answers 403 without the app', async () => {
  const emu = await emulator({
    config: {
      UserPoolId: 'us-east-1_NoBrand1',
      UserPoolClients: [{ ClientId: 'demo-public-client', CallbackURLs: ['http://localhost:*/callback'], AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], ManagedLoginBranding: false }],
    },
  });
  await withPage(async (p) => {
    const res = await p.goto(loginUrl(emu.baseUrl));
    expect(res?.status()).toBe(403);
    await expect(p.getByRole('heading', { name: 'Login pages unavailable' })).toBeVisible();
    await expect(p.locator('script[src]')).toHaveCount(0);
  });
});

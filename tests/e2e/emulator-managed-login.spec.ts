// Real Chromium against Managed Login (one form) in one-step and username-first modes, driven by
// hand once React has hydrated (typing earlier is lost, see emulator-managed-app.spec.ts), and the
// classic FORCE_CHANGE_PASSWORD page driven with visible-only selectors.
import type { Browser } from 'playwright-core';
import { test, expect } from '@playwright/test';
import { startEmulator, type RunningEmulator } from '../../packages/emulator/src/index.js';
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

async function emulator(options: Parameters<typeof startEmulator>[0]): Promise<RunningEmulator> {
  const e = await startEmulator(options);
  emulators.push(e);
  return e;
}

/** Typing waits for hydration, as a person's first keystroke comes after the page is ready. */
const hydrated = (p: import('playwright-core').Page) =>
  p.waitForFunction(() => {
    const el = document.querySelector('input[name="username"]');
    return !!el && Object.keys(el).some((k) => k.startsWith('__reactProps$'));
  });

const authorizeUrl = (base: string) =>
  `${base}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'demo-public-client', redirect_uri: callback.url, state: 'm1', scope: 'openid' })}`;

test('Managed Login: one visible form, signed in with name selectors and button[type=submit]', async () => {
  const emu = await emulator({ ui: 'managed' });
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    const p = await ctx.newPage();
    await p.goto(authorizeUrl(emu.baseUrl));
    await expect(p.locator('input[name="username"]')).toHaveCount(1);
    await hydrated(p);
    await p.locator('input[name="username"]').fill('admin');
    await p.locator('input[name="password"]').fill('Admin-Passw0rd!');
    const arrived = callback.next();
    await p.locator('button[type="submit"]').click();
    expect((await arrived).searchParams.get('code')).toBeTruthy();
  } finally {
    await ctx.close();
  }
});

test('Managed Login username-first: "Next", then the password step, then the callback', async () => {
  const emu = await emulator({ ui: 'managed', usernameFirst: true });
  const ctx = await browser.newContext();
  try {
    const p = await ctx.newPage();
    await p.goto(authorizeUrl(emu.baseUrl));
    await expect(p.locator('input[name="password"]')).toHaveCount(0);
    await hydrated(p);
    await p.locator('input[name="username"]').fill('reader');
    await p.getByRole('button', { name: 'Next' }).click();
    await expect(p.locator('input[name="password"]')).toBeVisible();
    await p.locator('input[name="password"]').fill('Reader-Passw0rd!');
    const arrived = callback.next();
    await p.getByRole('button', { name: 'Continue' }).click();
    expect((await arrived).searchParams.get('state')).toBe('m1');
  } finally {
    await ctx.close();
  }
});

test('classic FORCE_CHANGE_PASSWORD: the visible new-password fields lead to the callback', async () => {
  const emu = await emulator({});
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    const p = await ctx.newPage();
    await p.goto(authorizeUrl(emu.baseUrl));
    await p.locator('input[name="username"]:visible').fill('new-password-user');
    await p.locator('input[name="password"]:visible').fill('Temp-Passw0rd!');
    await p.locator('input[name="signInSubmitButton"]:visible').click();
    await expect(p.getByText('Please enter a new password.').locator('visible=true')).toHaveCount(1);
    await p.locator('input[name="newPassword"]:visible').fill('Brand-New-Passw0rd!');
    await p.locator('input[name="confirmPassword"]:visible').fill('Brand-New-Passw0rd!');
    const arrived = callback.next();
    await p.locator('button[name="reset_password"]:visible').click();
    expect((await arrived).searchParams.get('code')).toBeTruthy();
  } finally {
    await ctx.close();
  }
});

// Real Chromium against the classic Hosted UI: at 1280x720 exactly one copy of each field is
// visible (Bootstrap-3 visibility CSS), visible-only selectors sign in and reach the callback,
// errors and MFA show once, the session skips the form, and everything works without JavaScript.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TOTP, Secret } from 'otpauth';
import { test, expect } from '../fixtures/emulator.js';
import { startCallbackServer, type CallbackServer } from '../fixtures/emulator-browser.js';
import { launchBrowser } from '../../src/login/browser.js';
import { DEFAULT_MFA_SECRET } from '../../packages/emulator/src/index.js';

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

const authorizeUrl = (base: string, extra: Record<string, string> = {}) =>
  `${base}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'demo-public-client', redirect_uri: callback.url, state: 'browser-state', scope: 'openid email', ...extra })}`;

async function page(viewport = { width: 1280, height: 720 }, javaScriptEnabled = true): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport, javaScriptEnabled });
  return { ctx, page: await ctx.newPage() };
}

const FIELDS = ['input[name="username"]', 'input[name="password"]', 'input[name="signInSubmitButton"]', 'span.textDescription-customizable', 'a[href^="/forgotPassword"]'];

test('at 1280x720 exactly one copy of each classic field is visible, and it is the desktop (second) copy', async ({ emulator }) => {
  const { ctx, page: p } = await page();
  try {
    await p.goto(authorizeUrl(emulator.baseUrl));
    for (const sel of FIELDS) {
      await expect(p.locator(sel)).toHaveCount(2);
      await expect(p.locator(`${sel} >> visible=true`)).toHaveCount(1);
    }
    await expect(p.locator('#signInFormUsername').nth(0)).toBeHidden();
    await expect(p.locator('#signInFormUsername').nth(1)).toBeVisible();
  } finally {
    await ctx.close();
  }
});

for (const [width, visibleIndex] of [
  [375, 0],
  [800, 0],
  [1000, 1],
  [1920, 1],
] as const) {
  test(`at width ${width} only copy ${visibleIndex + 1} of the form is visible (Bootstrap 3 breakpoints)`, async ({ emulator }) => {
    const { ctx, page: p } = await page({ width, height: 800 });
    try {
      await p.goto(authorizeUrl(emulator.baseUrl));
      await expect(p.locator('#signInFormUsername').nth(visibleIndex)).toBeVisible();
      await expect(p.locator('#signInFormUsername').nth(1 - visibleIndex)).toBeHidden();
    } finally {
      await ctx.close();
    }
  });
}

async function signInVisible(p: Page, username: string, password: string): Promise<void> {
  await p.locator('input[name="username"]:visible').fill(username);
  await p.locator('input[name="password"]:visible').fill(password);
  await p.locator('input[name="signInSubmitButton"]:visible').click();
}

test('Playwright signs in with visible-only selectors and reaches the callback with code and state', async ({ emulator }) => {
  const { ctx, page: p } = await page();
  try {
    await p.goto(authorizeUrl(emulator.baseUrl));
    const arrived = callback.next();
    await signInVisible(p, 'admin', 'Admin-Passw0rd!');
    const u = await arrived;
    expect(u.searchParams.get('state')).toBe('browser-state');
    expect(u.searchParams.get('code')).toMatch(/^[0-9a-f-]{36}$/);
    await expect(p.locator('#done')).toBeVisible();
  } finally {
    await ctx.close();
  }
});

test('a wrong password shows exactly one visible "Incorrect username or password."', async ({ emulator }) => {
  const { ctx, page: p } = await page();
  try {
    await p.goto(authorizeUrl(emulator.baseUrl));
    await signInVisible(p, 'admin', 'wrong');
    await expect(p.locator('#loginErrorMessage >> visible=true')).toHaveText('Incorrect username or password.');
    await expect(p.locator('#loginErrorMessage >> visible=true')).toHaveCount(1);
    expect(new URL(p.url()).pathname).toBe('/login');
  } finally {
    await ctx.close();
  }
});

test('TOTP MFA in the browser: the visible code field, then the callback', async ({ emulator }) => {
  const { ctx, page: p } = await page();
  try {
    // Mid-window so the generated code cannot roll over between generation and check.
    emulator.clock.set(Math.floor(Date.now() / 30_000) * 30_000 + 5000);
    await p.goto(authorizeUrl(emulator.baseUrl));
    await signInVisible(p, 'mfa-user', 'Mfa-Passw0rd!');
    await expect(p.locator('input[name="authentication_code"]#totpCodeInput:visible')).toHaveCount(1);
    const code = new TOTP({ secret: Secret.fromBase32(DEFAULT_MFA_SECRET) }).generate({ timestamp: emulator.clock.now() });
    const arrived = callback.next();
    await p.locator('input[name="authentication_code"]:visible').fill(code);
    await p.locator('input[name="signInSubmitButton"]:visible').click();
    expect((await arrived).searchParams.get('code')).toBeTruthy();
  } finally {
    await ctx.close();
  }
});

test('a second authorize in the same browser context returns a code without the form', async ({ emulator }) => {
  const { ctx, page: p } = await page();
  try {
    await p.goto(authorizeUrl(emulator.baseUrl));
    const first = callback.next();
    await signInVisible(p, 'reader', 'Reader-Passw0rd!');
    await first;
    const second = callback.next();
    await p.goto(authorizeUrl(emulator.baseUrl, { state: 'again' }));
    expect((await second).searchParams.get('state')).toBe('again');
    expect(new URL(p.url()).pathname).toBe('/callback');
  } finally {
    await ctx.close();
  }
});

test('the pages work without JavaScript (plain form posts)', async ({ emulator }) => {
  const { ctx, page: p } = await page({ width: 1280, height: 720 }, false);
  try {
    await p.goto(authorizeUrl(emulator.baseUrl));
    const arrived = callback.next();
    await signInVisible(p, 'admin', 'Admin-Passw0rd!');
    expect((await arrived).searchParams.get('code')).toBeTruthy();
  } finally {
    await ctx.close();
  }
});

test('the Postman callback is captured with CDP Fetch interception and never reaches oauth.pstmn.io', async ({ emulator }) => {
  const { ctx, page: p } = await page();
  try {
    const cdp = await ctx.newCDPSession(p);
    const captured = new Promise<string>((resolve) => {
      cdp.on('Fetch.requestPaused', (ev: { requestId: string; request: { url: string } }) => {
        // Answer the hop locally, then report it: nothing may stay pending when the context closes.
        const done = () => resolve(ev.request.url);
        cdp.send('Fetch.fulfillRequest', { requestId: ev.requestId, responseCode: 200, body: Buffer.from('captured').toString('base64') }).then(done, done);
      });
    });
    await cdp.send('Fetch.enable', { patterns: [{ urlPattern: 'https://oauth.pstmn.io/*', requestStage: 'Request' }] });
    await p.goto(authorizeUrl(emulator.baseUrl, { redirect_uri: 'https://oauth.pstmn.io/v1/callback' }));
    await signInVisible(p, 'admin', 'Admin-Passw0rd!');
    const u = new URL(await captured);
    expect(`${u.origin}${u.pathname}`).toBe('https://oauth.pstmn.io/v1/callback');
    expect(u.searchParams.get('code')).toBeTruthy();
  } finally {
    await ctx.close();
  }
});

// The sign-in factors on the emulator's Managed Login in real Chromium, driven by hand (no login
// driver): a code sign-in followed by the passkey offer, a passkey registered by the page through
// Playwright's software authenticator and used again from fresh contexts (the counter checked),
// /passkeys/add, email MFA with a wrong code first, the MFA choice with a passkey, SMS codes in a file.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { test, expect } from '@playwright/test';
import { createPasskeyCredential, DEFAULT_POOL, passkeyUserHandle, startEmulator, type EmulatorOptions, type PasskeyCredential, type PoolConfig, type RunningEmulator } from '../../src/emulator/index.js';
import { DEMO_EMAIL_MFA_USER, DEMO_PASSKEY_USER, demoPasskey, demoPoolWith } from '../../src/emulator/demo-pool.js';
import { silentLogger } from '../../src/log.js';
import { launchBrowser } from '../../src/login/browser.js';
import { startCallbackServer, type CallbackServer } from '../fixtures/emulator-browser.js';

let browser: Browser;
let callback: CallbackServer;
let dir: string;
const emulators: RunningEmulator[] = [];
test.beforeAll(async () => {
  browser = await launchBrowser({ blockedHosts: ['oauth.pstmn.io'] });
  callback = await startCallbackServer();
  dir = await mkdtemp(join(tmpdir(), 'cn-factors-'));
});
test.afterAll(async () => {
  await browser?.close();
  await callback?.close();
  await Promise.all(emulators.map((e) => e.stop()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

const POOL_ID = 'us-east-1_Factors1';
const RP_ID = '127.0.0.1';
const mia = createPasskeyCredential(RP_ID, passkeyUserHandle(POOL_ID, 'mia'));
const email = (u: string) => ({ Name: 'email', Value: `${u}@example.com` });
const POOL: PoolConfig = {
  ...DEFAULT_POOL,
  UserPoolId: POOL_ID,
  Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN', 'EMAIL_OTP', 'SMS_OTP'] } },
  WebAuthnConfiguration: { UserVerification: 'required', FactorConfiguration: 'MULTI_FACTOR_WITH_USER_VERIFICATION' },
  UserPoolClients: (DEFAULT_POOL.UserPoolClients ?? []).map((c) => ({ ...c, ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })),
  Users: [
    // Passwordless: an email code first, then a passkey of its own.
    { Username: 'pat', Attributes: [email('pat')] },
    { Username: 'olga', Password: 'Olga-Passw0rd!', Attributes: [email('olga')] },
    // Password, then MFA: authenticator app, email or passkey.
    {
      Username: 'mia',
      Password: 'Mia-Passw0rd!',
      TotpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
      EmailMfaSettings: { Enabled: true },
      WebAuthnMfaSettings: { Enabled: true },
      Attributes: [email('mia')],
      Passkeys: [mia.poolEntry],
    },
    { Username: 'sam', Attributes: [{ Name: 'phone_number', Value: '+15555550123' }] },
  ],
};

async function emulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const e = await startEmulator({ ui: 'managed', config: POOL, managedLogin: { hydrationDelayMs: 50, stepDelayMs: 50 }, ...options });
  emulators.push(e);
  return e;
}

const loginUrl = (base: string, state: string) =>
  `${base}/login?${new URLSearchParams({ response_type: 'code', client_id: 'demo-public-client', redirect_uri: callback.url, state, scope: 'openid' })}`;

/** A fresh browser context with Playwright's software authenticator, holding `seed` if given. */
async function withContext(fn: (p: Page, ctx: BrowserContext) => Promise<void>, seed?: PasskeyCredential): Promise<void> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    if (seed) await ctx.credentials.create(seed.rpId, seed);
    await ctx.credentials.install();
    await fn(await ctx.newPage(), ctx);
  } finally {
    await ctx.close();
  }
}

async function typeUsername(p: Page, emu: RunningEmulator, username: string, state: string): Promise<void> {
  await p.goto(loginUrl(emu.baseUrl, state));
  const field = p.locator('input[name="username"]');
  await p.waitForFunction(() => Object.keys(document.querySelector('input[name="username"]') ?? {}).some((k) => k.startsWith('__reactProps$')));
  await field.fill(username);
  await p.getByRole('button', { name: 'Next', exact: true }).click();
}

/** The code in the latest message the emulator sent this user. */
function lastCode(emu: RunningEmulator, username: string): string {
  const m = emu.observed.messages.filter((x) => x.username === username).pop();
  const code = /\b\d{6,8}\b/.exec(m?.text ?? '')?.[0];
  if (!code) throw new Error(`no code sent to ${username}`);
  return code;
}

const codeField = (p: Page) => p.locator('input[autocomplete="one-time-code"]');

async function expectCallback(p: Page, state: string): Promise<void> {
  await p.waitForURL((u) => u.href.startsWith(callback.url));
  const u = new URL(p.url());
  expect([u.searchParams.get('state'), !!u.searchParams.get('code')]).toEqual([state, true]);
}

test('a passwordless user: email code, passkey offer accepted, then three passkey sign-ins from fresh contexts; an old counter is refused', async () => {
  const debug: string[] = [];
  const emu = await emulator({ logger: { ...silentLogger, debug: (m: string) => debug.push(m) } });
  let credential: PasskeyCredential | undefined;
  await withContext(async (p, ctx) => {
    await typeUsername(p, emu, 'pat', 'p0');
    // The only factor pat can use now is an email code: straight to its screen, 8 digits.
    await expect(p.getByRole('heading', { name: 'Enter the code we sent to your email' })).toBeVisible();
    await expect(p.getByText('We sent a code to p***@e***.com.')).toBeVisible();
    const code = lastCode(emu, 'pat');
    expect(code).toMatch(/^\d{8}$/);
    await codeField(p).fill(code);
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(p.getByRole('heading', { name: 'Add a passkey' })).toBeVisible();
    await p.getByRole('button', { name: 'Add passkey', exact: true }).click();
    await expectCallback(p, 'p0');
    [credential] = await ctx.credentials.get({ rpId: RP_ID });
  });
  expect(emu.passkeys('pat').map((k) => k.id)).toEqual([credential!.id]);
  for (let run = 1; run <= 3; run++) {
    await withContext(async (p, ctx) => {
      if (run < 3) {
        await typeUsername(p, emu, 'pat', `p${run}`);
        await expect(p.getByRole('heading', { name: 'Choose a sign-in method' })).toBeVisible();
        await p.getByRole('button', { name: 'Passkey', exact: true }).click();
        await expect(p.getByRole('heading', { name: 'Sign in with passkey' })).toBeVisible();
        await p.getByRole('button', { name: 'Continue', exact: true }).click();
      } else {
        // The first page's button with no username: a discoverable credential finds the user.
        await p.goto(loginUrl(emu.baseUrl, `p${run}`));
        await p.waitForFunction(() => Object.keys(document.querySelector('input[name="username"]') ?? {}).some((k) => k.startsWith('__reactProps$')));
        await p.getByRole('button', { name: 'Sign in with passkey', exact: true }).click();
      }
      await expectCallback(p, `p${run}`);
      [credential] = await ctx.credentials.get({ rpId: RP_ID });
    }, credential);
  }
  expect(emu.passkeys('pat')[0]!.signCount).toBe(credential!.signCount);
  // The same key with its counter back at zero: a cloned authenticator, refused (strict counter).
  await withContext(async (p) => {
    await p.goto(loginUrl(emu.baseUrl, 'p4'));
    await p.waitForFunction(() => Object.keys(document.querySelector('input[name="username"]') ?? {}).some((k) => k.startsWith('__reactProps$')));
    await p.getByRole('button', { name: 'Sign in with passkey', exact: true }).click();
    await expect(p.getByText('Passkey sign-in failed. Try again.')).toBeVisible();
  }, { ...credential!, signCount: 0 });
  expect(debug.filter((m) => m.includes('passkey rejected'))).toEqual([expect.stringContaining('counter value 1 was lower than expected 3')]);
});

test('/passkeys/add for a signed-in user: "Add passkey", then "Passkey added" in the same document; without a session it goes to /login', async () => {
  const emu = await emulator();
  const q = new URLSearchParams({ client_id: 'demo-public-client', redirect_uri: callback.url });
  await withContext(async (p) => {
    await p.goto(`${emu.baseUrl}/passkeys/add?${q}`);
    expect(new URL(p.url()).pathname).toBe('/login');
    await p.waitForFunction(() => Object.keys(document.querySelector('input[name="username"]') ?? {}).some((k) => k.startsWith('__reactProps$')));
    await p.locator('input[name="username"]').fill('olga');
    await p.getByRole('button', { name: 'Next', exact: true }).click();
    await p.getByRole('button', { name: 'Password', exact: true }).click();
    await p.locator('input[name="password"]').fill('Olga-Passw0rd!');
    await p.getByRole('button', { name: 'Continue', exact: true }).click();
    await p.getByRole('button', { name: 'Not now', exact: true }).click();
    await p.waitForURL((u) => u.href.startsWith(callback.url));
    await p.goto(`${emu.baseUrl}/passkeys/add?${q}`);
    await p.getByRole('button', { name: 'Add passkey', exact: true }).click();
    await expect(p.getByRole('heading', { name: 'Passkey added' })).toBeVisible();
    await expect(p.getByRole('link', { name: 'Continue' })).toHaveAttribute('href', callback.url);
  });
  expect(emu.passkeys('olga')).toHaveLength(1);
});

test('MFA choice after the password: email (a wrong code first, then the right one), and passkey as second factor', async () => {
  const emu = await emulator();
  const password = async (p: Page, state: string) => {
    await typeUsername(p, emu, 'mia', state);
    await p.getByRole('button', { name: 'Password', exact: true }).click();
    await p.locator('input[name="password"]').fill('Mia-Passw0rd!');
    await p.getByRole('button', { name: 'Continue', exact: true }).click();
    await expect(p.getByRole('heading', { name: 'Choose a multi-factor authentication method' })).toBeVisible();
    await expect(p.getByRole('radio')).toHaveCount(3);
  };
  await withContext(async (p) => {
    await password(p, 'm1');
    await p.getByText('Email message', { exact: true }).click();
    await p.getByRole('button', { name: 'Continue', exact: true }).click();
    await expect(p.getByRole('heading', { name: 'Enter the code we sent to your email' })).toBeVisible();
    const code = lastCode(emu, 'mia');
    expect(code).toMatch(/^\d{6}$/);
    await codeField(p).fill(code === '000000' ? '111111' : '000000');
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(p.getByText('Invalid code received for user')).toBeVisible();
    await codeField(p).fill(code);
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    // mia has a passkey: no offer, straight to the app.
    await expectCallback(p, 'm1');
  });
  await withContext(async (p) => {
    await password(p, 'm2');
    await p.getByText('Passkey', { exact: true }).click();
    await p.getByRole('button', { name: 'Continue', exact: true }).click();
    await expect(p.getByRole('heading', { name: 'Verify with your passkey' })).toBeVisible();
    await p.getByRole('button', { name: 'Continue', exact: true }).click();
    await expectCallback(p, 'm2');
  }, mia.credential);
});

test('an SMS sign-in code goes to the file sink as one JSON line with the phone number and text; the code screen\'s texts are configurable', async () => {
  const smsFile = join(dir, 'sms.jsonl');
  const texts = { smsHeading: 'Check your phone', codeSentTo: 'A code is on its way to {destination}', smsLabel: 'Verification code', mfaSubmit: 'Verify' };
  const emu = await emulator({ messageSinks: { sms: { type: 'file', path: smsFile } }, managedLogin: { hydrationDelayMs: 50, stepDelayMs: 50, texts } });
  await withContext(async (p) => {
    await typeUsername(p, emu, 'sam', 's1');
    await expect(p.getByRole('heading', { name: 'Check your phone' })).toBeVisible();
    await expect(p.getByText('A code is on its way to +*******0123')).toBeVisible();
    await expect(p.getByLabel('Verification code')).toHaveAttribute('autocomplete', 'one-time-code');
    const [line] = (await readFile(smsFile, 'utf8')).trim().split('\n');
    const sms = JSON.parse(line!) as { phoneNumber: string; message: string; username: string };
    expect([sms.phoneNumber, sms.username]).toEqual(['+15555550123', 'sam']);
    const code = /\d{8}/.exec(sms.message)![0];
    expect(sms.message).toBe(`Your authentication code is ${code}.`);
    await codeField(p).fill(code);
    await p.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(p.getByRole('heading', { name: 'Add a passkey' })).toBeVisible();
    await p.getByRole('button', { name: 'Not now', exact: true }).click();
    await expectCallback(p, 's1');
  });
});

test('the demo pool: the passwordless user signs in with the passkey the demo made, the email-MFA user with the code from the .eml file sink', async () => {
  const { credential, poolEntry } = demoPasskey();
  const mailDir = join(dir, 'demo-mail');
  const emu = await emulator({ config: demoPoolWith({ passkeys: [poolEntry], mailDir }) });
  await withContext(async (p) => {
    await typeUsername(p, emu, DEMO_PASSKEY_USER.username, 'd1');
    await p.getByRole('button', { name: 'Passkey', exact: true }).click();
    await p.getByRole('button', { name: 'Continue', exact: true }).click();
    await expectCallback(p, 'd1');
  }, credential);
  await withContext(async (p) => {
    await typeUsername(p, emu, DEMO_EMAIL_MFA_USER.username, 'd2');
    // A choice of the password or an email code; the password leads on to email MFA.
    await p.getByRole('button', { name: 'Password', exact: true }).click();
    await p.locator('input[name="password"]').fill(DEMO_EMAIL_MFA_USER.password);
    await p.getByRole('button', { name: 'Continue', exact: true }).click();
    await expect(p.getByRole('heading', { name: 'Enter the code we sent to your email' })).toBeVisible();
    const [eml, ...more] = await readdir(mailDir);
    expect([eml, more]).toEqual([expect.stringMatching(/\.eml$/), []]);
    const raw = await readFile(join(mailDir, eml!), 'utf8');
    expect(raw).toMatch(/^To: email-mfa-user@example\.com\r?$/m);
    await codeField(p).fill(/Your verification code is (\d{6})\./.exec(raw)![1]!);
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    await p.getByRole('button', { name: 'Not now', exact: true }).click();
    await expectCallback(p, 'd2');
  });
});

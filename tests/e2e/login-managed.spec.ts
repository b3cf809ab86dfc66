// End-to-end: Managed Login (one step) in real Chromium: recognised by content in auto mode, forced
// with loginUi managed, its Cloudscape field errors, and "Login pages unavailable" for a client without branding.
import { test, expect, emulatorIdp, signIn, signInError, USERS } from './_login-fixtures.js';
import { validateCallback } from '../../src/oauth/authorize.js';
import { DEFAULT_POOL } from '../../packages/emulator/src/default-pool.js';

const NO_BRANDING = 'no-branding-client';

test.use({
  emulatorOptions: {
    ui: 'managed',
    // Hydration itself is the subject of login-managed-app.spec.ts; here it only costs time.
    managedLogin: { hydrationDelayMs: 50, stepDelayMs: 50 },
    config: {
      ...DEFAULT_POOL,
      UserPoolClients: [
        ...(DEFAULT_POOL.UserPoolClients ?? []),
        {
          ClientId: NO_BRANDING,
          CallbackURLs: ['https://oauth.pstmn.io/v1/callback'],
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid', 'email', 'profile'],
          AllowedOAuthFlowsUserPoolClient: true,
          ManagedLoginBranding: false,
        },
      ],
    },
  },
});

test('managed one-step: auto recognises Managed Login and signs in', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  expect(emulator.ui).toBe('managed');
  const { url, attempt } = await signIn({ browser: loginBrowser, idp: emulatorIdp(emulator), user: USERS.admin, artifactsDir, logger: logs });
  expect(validateCallback(url, attempt).kind).toBe('code');
  expect(logs.lines.join('\n')).toContain('sign-in page: login (managed)');
  expect(logs.lines.filter((l) => l.includes('waiting locator'))).toEqual([]);
});

test('managed one-step with loginUi forced to managed', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const { url, attempt } = await signIn({ browser: loginBrowser, idp: emulatorIdp(emulator, { loginUi: 'managed' }), user: USERS.reader, artifactsDir, logger: logs });
  expect(validateCallback(url, attempt).kind).toBe('code');
});

test('managed: a wrong password shown as a Cloudscape field error is exit 3 LOGIN_REJECTED with the text', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emulator), user: { ...USERS.admin, password: 'Nope-Passw0rd!' }, artifactsDir, logger: logs });
  expect(err.code).toBe('LOGIN_REJECTED');
  expect(err.message).toContain('Incorrect username or password.');
});

test('managed: TOTP MFA works on the managed code page', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const { url, attempt } = await signIn({ browser: loginBrowser, idp: emulatorIdp(emulator), user: USERS.mfa, artifactsDir, logger: logs, timeoutMs: 45_000 });
  expect(validateCallback(url, attempt).kind).toBe('code');
});

test('"Login pages unavailable": exit 2 LOGIN_PAGES_UNAVAILABLE with the branding-style hint', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emulator, { clientId: NO_BRANDING }), user: USERS.admin, artifactsDir, logger: logs });
  expect(err.code).toBe('LOGIN_PAGES_UNAVAILABLE');
  expect(err.exitCode).toBe(2);
  expect(err.hint).toContain(`Assign a Managed Login branding style to app client ${NO_BRANDING}`);
  expect(err.hint).toContain('classic Hosted UI');
});

// End-to-end: the classic Hosted UI in real Chromium against the emulator: sign-in, the /login start
// URL, the session-cookie shortcut, and the implicit grant; each callback checked by validateCallback.
import { test, expect, emulatorIdp, signIn, USERS } from './_login-fixtures.js';
import { validateCallback } from '../../src/oauth/authorize.js';

test('classic: fills the visible copy of the form and captures a code with the right state', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const idp = emulatorIdp(emulator);
  const { url, attempt } = await signIn({ browser: loginBrowser, idp, user: USERS.admin, artifactsDir, logger: logs });
  expect(url.startsWith('https://oauth.pstmn.io/v1/callback?')).toBe(true);
  const cb = validateCallback(url, attempt);
  expect(cb.kind).toBe('code');
  expect(logs.lines.join('\n')).toContain('sign-in page: login (classic)');
  // Every action took the direct path (tests/e2e/login-actions.spec.ts): no waiting-locator fallback.
  expect(logs.lines.filter((l) => l.includes('waiting locator'))).toEqual([]);
});

test('classic: starting at /login (Postman\'s auth URL form) works the same', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const idp = emulatorIdp(emulator, { authStart: 'login' });
  const { url, attempt } = await signIn({ browser: loginBrowser, idp, user: USERS.reader, artifactsDir, logger: logs });
  expect(validateCallback(url, attempt).kind).toBe('code');
});

test('forcing loginUi classic uses the classic profile on the classic page', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const idp = emulatorIdp(emulator, { loginUi: 'classic' });
  const { url, attempt } = await signIn({ browser: loginBrowser, idp, user: USERS.admin, artifactsDir, logger: logs });
  expect(validateCallback(url, attempt).kind).toBe('code');
});

test('session cookie: a second sign-in in the same context gets a code without any form', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const idp = emulatorIdp(emulator);
  const context = await loginBrowser.newContext();
  try {
    const first = await signIn({ browser: loginBrowser, idp, user: USERS.admin, artifactsDir, logger: logs, context });
    expect(validateCallback(first.url, first.attempt).kind).toBe('code');
    logs.lines.length = 0;
    const second = await signIn({ browser: loginBrowser, idp, user: USERS.admin, artifactsDir, logger: logs, context });
    expect(validateCallback(second.url, second.attempt).kind).toBe('code');
    expect(second.url).not.toBe(first.url);
    // No page was recognised or filled: /oauth2/authorize answered with the callback at once.
    expect(logs.lines.filter((l) => /sign-in page:|submitting/.test(l))).toEqual([]);
  } finally {
    await context.close();
  }
});

test('session cookie when starting at /login: the "Sign in as" page is confirmed, nothing typed', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const idp = emulatorIdp(emulator, { authStart: 'login' });
  const context = await loginBrowser.newContext();
  try {
    await signIn({ browser: loginBrowser, idp, user: USERS.admin, artifactsDir, logger: logs, context });
    logs.lines.length = 0;
    const second = await signIn({ browser: loginBrowser, idp, user: USERS.admin, artifactsDir, logger: logs, context });
    expect(validateCallback(second.url, second.attempt).kind).toBe('code');
    const text = logs.lines.join('\n');
    expect(text).toContain('sign-in page: signed-in-as');
    expect(text).not.toContain('submitting username and password');
  } finally {
    await context.close();
  }
});

test('implicit grant: the tokens in the fragment are captured', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const idp = emulatorIdp(emulator, { responseType: 'token' });
  const { url, attempt } = await signIn({ browser: loginBrowser, idp, user: USERS.admin, artifactsDir, logger: logs });
  expect(url).toContain('#');
  const cb = validateCallback(url, attempt);
  expect(cb.kind).toBe('token');
  if (cb.kind === 'token') expect(cb.tokens.accessToken.split('.')).toHaveLength(3);
});

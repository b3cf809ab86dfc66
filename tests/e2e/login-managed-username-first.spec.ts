// End-to-end: Managed Login asking for the username first ("Next"), then the password.
import { test, expect, emulatorIdp, signIn, signInError, USERS } from './_login-fixtures.js';
import { validateCallback } from '../../src/oauth/authorize.js';

test.use({ emulatorOptions: { ui: 'managed', usernameFirst: true, managedLogin: { hydrationDelayMs: 50, stepDelayMs: 50 } } });

test('username-first: Next with the username, then the password, then the callback', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const { url, attempt } = await signIn({ browser: loginBrowser, idp: emulatorIdp(emulator), user: USERS.admin, artifactsDir, logger: logs });
  expect(validateCallback(url, attempt).kind).toBe('code');
  const text = logs.lines.join('\n');
  expect(text).toContain('sign-in page: username (managed)');
  expect(text).toContain('sign-in page: password (managed)');
  expect(logs.lines.filter((l) => l.includes('waiting locator'))).toEqual([]);
});

test('username-first: a wrong password on the second step is exit 3 LOGIN_REJECTED', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emulator), user: { ...USERS.admin, password: 'Nope-Passw0rd!' }, artifactsDir, logger: logs });
  expect(err.code).toBe('LOGIN_REJECTED');
  expect(err.message).toContain('Incorrect username or password.');
});

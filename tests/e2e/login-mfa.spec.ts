// End-to-end: TOTP MFA in real Chromium against the emulator: a fresh code signs in; a wrong secret
// and a missing secret are refused with the contract's codes, naming the variable, never the secret.
import { test, expect, emulatorIdp, signIn, signInError, USERS } from './_login-fixtures.js';
import { validateCallback } from '../../src/oauth/authorize.js';

test('TOTP MFA: the password, then a fresh code, then the callback', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const { url, attempt } = await signIn({ browser: loginBrowser, idp: emulatorIdp(emulator), user: USERS.mfa, artifactsDir, logger: logs, timeoutMs: 45_000 });
  expect(validateCallback(url, attempt).kind).toBe('code');
  const text = logs.lines.join('\n');
  expect(text).toContain('sign-in page: totp');
  expect(text).toContain('submitting a TOTP code');
  expect(logs.lines.filter((l) => l.includes('waiting locator'))).toEqual([]);
});

test('a wrong TOTP secret: exit 3 MFA_REJECTED, hint about the secret and the clock, no secret shown', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const user = { ...USERS.mfa, totpSecret: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU' };
  const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emulator), user, artifactsDir, logger: logs, timeoutMs: 45_000 });
  expect(err.code).toBe('MFA_REJECTED');
  expect(err.exitCode).toBe(3);
  expect(err.message).toContain('Invalid code received for user');
  expect(err.hint).toContain('TEST_USER_TOTP_SECRET');
  expect(err.hint).toMatch(/clock/);
  for (const s of [user.totpSecret, user.password]) expect(`${err.message} ${err.hint}`).not.toContain(s);
});

test('the TOTP page with no secret configured: exit 3 MFA_SECRET_MISSING naming the variable', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const { totpSecret: _dropped, ...noSecret } = USERS.mfa;
  const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emulator), user: noSecret, artifactsDir, logger: logs });
  expect(err.code).toBe('MFA_SECRET_MISSING');
  expect(err.exitCode).toBe(3);
  expect(err.hint).toContain('TEST_USER_TOTP_SECRET');
});

test('for a named user the missing-secret hint names that user\'s variable', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const { totpSecret: _dropped, ...noSecret } = USERS.mfa;
  const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emulator), user: { ...noSecret, name: 'ops' }, artifactsDir, logger: logs });
  expect(err.code).toBe('MFA_SECRET_MISSING');
  expect(err.hint).toContain('TEST_USER_OPS_TOTP_SECRET');
});

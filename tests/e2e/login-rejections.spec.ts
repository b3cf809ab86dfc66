// End-to-end: sign-ins Cognito refuses, in real Chromium against the classic emulator: each ends with
// its stable code, the contract's exit code, Cognito's text or the exact fix, and no secret.
import { test, expect, emulatorIdp, signIn, signInError, USERS, POSTMAN_CALLBACK, secretsOf } from './_login-fixtures.js';
import { Jar, submitPage, authorizeQuery } from '../fixtures/emulator-http.js';
import { CnError } from '../../src/errors.js';
import { validateCallback } from '../../src/oauth/authorize.js';
import type { UserCredentials } from '../../src/config/types.js';

/** No password, TOTP secret or hint of them in the message or hint. */
function expectNoSecrets(err: CnError, user: UserCredentials) {
  for (const s of secretsOf(user)) {
    expect(err.message).not.toContain(s);
    expect(err.hint ?? '').not.toContain(s);
  }
}

test('wrong password: exit 3 LOGIN_REJECTED with Cognito\'s text', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const user = { ...USERS.admin, password: 'Wrong-Passw0rd!' };
  const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emulator), user, artifactsDir, logger: logs });
  expect(err.code).toBe('LOGIN_REJECTED');
  expect(err.exitCode).toBe(3);
  expect(err.message).toContain('Incorrect username or password.');
  expect(err.hint).toContain('TEST_USER_PASSWORD');
  expectNoSecrets(err, user);
  expect(logs.lines.join('\n')).not.toContain(user.password);
});

test('an unknown user reads the same as a wrong password (PreventUserExistenceErrors)', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const user = { name: 'default', username: 'nobody-here', password: 'Some-Passw0rd!' };
  const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emulator), user, artifactsDir, logger: logs });
  expect(err.code).toBe('LOGIN_REJECTED');
});

test('locked out after five failures: exit 3 LOGIN_LOCKED_OUT with a hint to wait', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  // Four failures over plain HTTP, the fifth in the browser: the page then says "Password attempts exceeded".
  for (let i = 0; i < 4; i++) {
    const jar = new Jar();
    const res = await submitPage(emulator.baseUrl, `/login?${authorizeQuery()}`, { username: 'reader', password: `bad-${i}` }, jar);
    expect(res.status).toBe(302);
  }
  const user = { ...USERS.reader, password: 'Still-Wrong-1!' };
  const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emulator), user, artifactsDir, logger: logs });
  expect(err.code).toBe('LOGIN_LOCKED_OUT');
  expect(err.exitCode).toBe(3);
  expect(err.message).toContain('Password attempts exceeded');
  expect(err.hint).toMatch(/wait/i);
  expect(err.hint).toMatch(/grows/);
  expectNoSecrets(err, user);
});

test('new password required: exit 3 NEW_PASSWORD_REQUIRED with the admin-set-user-password fix', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emulator), user: USERS.newPassword, artifactsDir, logger: logs });
  expect(err.code).toBe('NEW_PASSWORD_REQUIRED');
  expect(err.exitCode).toBe(3);
  expect(err.hint).toContain(
    `aws cognito-idp admin-set-user-password --user-pool-id ${emulator.poolId} --username new-password-user --password '<new password>' --permanent`,
  );
  expectNoSecrets(err, USERS.newPassword);
});

test('unconfirmed user: exit 3 USER_NOT_CONFIRMED with admin-confirm-sign-up', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emulator), user: USERS.unconfirmed, artifactsDir, logger: logs });
  expect(err.code).toBe('USER_NOT_CONFIRMED');
  expect(err.exitCode).toBe(3);
  expect(err.hint).toContain(`aws cognito-idp admin-confirm-sign-up --user-pool-id ${emulator.poolId} --username unconfirmed-user`);
});

test('password reset required: exit 3 PASSWORD_RESET_REQUIRED with a permanent password fix', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emulator), user: USERS.reset, artifactsDir, logger: logs });
  expect(err.code).toBe('PASSWORD_RESET_REQUIRED');
  expect(err.exitCode).toBe(3);
  expect(err.hint).toContain('admin-set-user-password');
  expect(err.hint).toContain('--permanent');
});

test('disabled user: exit 3 USER_DISABLED with admin-enable-user', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emulator), user: USERS.disabled, artifactsDir, logger: logs });
  expect(err.code).toBe('USER_DISABLED');
  expect(err.exitCode).toBe(3);
  expect(err.message).toContain('User is disabled.');
  expect(err.hint).toContain(`aws cognito-idp admin-enable-user --user-pool-id ${emulator.poolId} --username disabled-user`);
});

test('unregistered redirect URI: exit 2 REDIRECT_MISMATCH whose hint names the URI and the client', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const redirectUri = 'https://app.example.com/not-registered';
  const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emulator, { redirectUri }), user: USERS.admin, artifactsDir, logger: logs });
  expect(err.code).toBe('REDIRECT_MISMATCH');
  expect(err.exitCode).toBe(2);
  expect(err.hint).toContain(`Register this exact callback URL ${redirectUri} on app client demo-public-client (Allowed callback URLs)`);
  expect(err.hint).toContain('COGNITO_REDIRECT_URI');
});

test('unknown client: the same error page, and the message says the client may not exist', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emulator, { clientId: 'no-such-client' }), user: USERS.admin, artifactsDir, logger: logs });
  expect(err.code).toBe('REDIRECT_MISMATCH');
  expect(err.exitCode).toBe(2);
  expect(err.message).toContain('no app client no-such-client exists');
  expect(err.hint).toContain('COGNITO_CLIENT_ID');
  expect(err.hint).toContain(POSTMAN_CALLBACK);
});

test('a redirected authorize error (?error=) is captured as a callback and becomes a typed error there', async ({ emulator, loginBrowser, artifactsDir, logs }) => {
  // The confidential client does not allow the implicit grant: Cognito redirects with unauthorized_client.
  const idp = emulatorIdp(emulator, { clientId: 'demo-confidential-client', responseType: 'token' });
  const { url, attempt } = await signIn({ browser: loginBrowser, idp, user: USERS.admin, artifactsDir, logger: logs });
  expect(new URL(url).searchParams.get('error')).toBe('unauthorized_client');
  let err: unknown;
  try {
    validateCallback(url, attempt);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(CnError);
  expect((err as CnError).code).toBe('OAUTH_UNAUTHORIZED_CLIENT');
});

// Unit tests of page classification from snapshots (the same function also runs in the browser).
import { test, expect } from '@playwright/test';
import { classifyPage, errorMeaning, predicateSource, probesFor, type PageSnapshot } from '../../src/login/pages.js';
import { CLASSIC_PROFILE } from '../../src/config/selector-profile.js';

const snap = (over: Partial<PageSnapshot> & { visible?: Record<string, number> }): PageSnapshot => ({
  url: 'https://d.auth.us-east-1.amazoncognito.com/login?client_id=c',
  readyState: 'complete',
  title: '',
  text: '',
  errors: [],
  invalidProbes: [],
  callbackMarker: false,
  ...over,
  visible: { ...over.visible },
});

test('classic sign-in: visible username and password inside the Cognito form', () => {
  const s = classifyPage(snap({ text: 'Sign in with your username and password', visible: { username: 1, usernameEditable: 1, password: 1, submit: 1, cognitoForm: 1 } }), 'auto');
  expect(s).toMatchObject({ kind: 'login', variant: 'classic', errorText: undefined });
});

test('managed one-step: the same fields without the Cognito form are Managed Login', () => {
  expect(classifyPage(snap({ visible: { username: 1, usernameEditable: 1, password: 1, submit: 1 } }), 'auto')).toMatchObject({ kind: 'login', variant: 'managed' });
});

test('username-first: an editable username with Next, then a password step', () => {
  expect(classifyPage(snap({ visible: { username: 1, usernameEditable: 1, next: 1, submit: 1 } }), 'auto').kind).toBe('username');
  // A read-only echo of the username on the second step does not make it a one-step page.
  expect(classifyPage(snap({ visible: { username: 1, usernameEditable: 0, password: 1, submit: 1 } }), 'auto').kind).toBe('password');
});

test('an error message is reported with the page it is on', () => {
  const s = classifyPage(snap({ errors: ['Incorrect username or password.'], visible: { usernameEditable: 1, password: 1, submit: 1, cognitoForm: 1 } }), 'auto');
  expect(s).toMatchObject({ kind: 'login', errorText: 'Incorrect username or password.' });
});

test('TOTP page by its field, or by its words and a code input', () => {
  expect(classifyPage(snap({ visible: { otp: 1, submit: 1 } }), 'auto').kind).toBe('totp');
  expect(classifyPage(snap({ text: 'Enter the code from your authenticator app', visible: { textInput: 1, submit: 1 } }), 'auto').kind).toBe('totp');
});

test('user-state pages: change password, confirm, reset required', () => {
  expect(classifyPage(snap({ text: 'Change Password\nPlease enter a new password.', visible: { newPassword: 2, anyPassword: 2 } }), 'auto').kind).toBe('new-password');
  expect(classifyPage(snap({ text: 'Change Password', visible: { anyPassword: 2 } }), 'auto').kind).toBe('new-password');
  expect(classifyPage(snap({ text: 'Confirm your account', visible: { confirmCode: 1 } }), 'auto').kind).toBe('confirm');
  expect(classifyPage(snap({ url: 'https://d/confirm?client_id=c&username=u', text: 'We sent a code' }), 'auto').kind).toBe('confirm');
  // The reset page also has password fields: it must not read as a change-password page.
  expect(classifyPage(snap({ text: 'Reset your password\nWe have sent a password reset code', visible: { newPassword: 1, anyPassword: 2 } }), 'auto').kind).toBe('reset-required');
});

test('redirect_mismatch error page by its text or its URL, other error codes apart', () => {
  expect(classifyPage(snap({ text: 'An error was encountered with the requested page.' }), 'auto').kind).toBe('redirect-mismatch');
  const byUrl = classifyPage(snap({ url: 'https://d/error?error=redirect_mismatch&client_id=c', text: 'Something went wrong' }), 'auto');
  expect(byUrl).toMatchObject({ kind: 'redirect-mismatch', errorParam: 'redirect_mismatch' });
  expect(classifyPage(snap({ url: 'https://d/error?error=invalid_request', text: 'An error was encountered with the requested page.' }), 'auto')).toMatchObject({
    kind: 'error-page',
    errorParam: 'invalid_request',
  });
});

test('"Login pages unavailable" is recognised', () => {
  expect(classifyPage(snap({ text: 'Login pages unavailable\nPlease contact an administrator.' }), 'auto').kind).toBe('pages-unavailable');
});

test('custom mode ignores Cognito wording and uses only the profile (consent included)', () => {
  expect(classifyPage(snap({ text: 'An error was encountered with the requested page.', visible: { usernameEditable: 1, password: 1, submit: 1 } }), 'custom')).toMatchObject({
    kind: 'login',
    variant: 'custom',
  });
  expect(classifyPage(snap({ visible: { consent: 1, submit: 1 } }), 'custom').kind).toBe('consent');
});

test('the capture page and unknown pages', () => {
  expect(classifyPage(snap({ callbackMarker: true }), 'auto').kind).toBe('callback');
  expect(classifyPage(snap({ text: 'Welcome to our blog' }), 'auto').kind).toBe('unknown');
});

test('error meanings follow Cognito texts loosely', () => {
  expect(errorMeaning('Incorrect username or password.', false)).toBe('rejected');
  expect(errorMeaning('Password attempts exceeded', false)).toBe('locked-out');
  expect(errorMeaning('User is disabled.', false)).toBe('disabled');
  expect(errorMeaning('User is not confirmed.', false)).toBe('not-confirmed');
  expect(errorMeaning('Password reset required for the user', false)).toBe('reset-required');
  expect(errorMeaning('Invalid code received for user', false)).toBe('mfa-rejected');
  expect(errorMeaning('Something else', true)).toBe('mfa-rejected');
});

test('probes include the Cognito content probes except for custom profiles', () => {
  expect(probesFor(CLASSIC_PROFILE, true)).toHaveProperty('cognitoForm');
  expect(probesFor(CLASSIC_PROFILE, false)).not.toHaveProperty('cognitoForm');
  expect(probesFor(CLASSIC_PROFILE, true).usernameEditable).toContain(':not([readonly])');
});

test('the predicate source is a self-contained expression', () => {
  const src = predicateSource({ probes: { a: 'b' }, mode: 'auto', after: undefined, step: 1, unknownGraceMs: 10 });
  // It must parse on its own (no imports, no outer names but browser globals).
  expect(() => new Function(`return ${src}`)).not.toThrow();
  expect(src).toContain('function collectSnapshot');
  expect(src).toContain('function classifyPage');
});

test('upstream IdP interstitials (custom mode): "Pick an account", an MFA method list, "Stay signed in?"', () => {
  expect(classifyPage(snap({ visible: { accountPicker: 1 } }), 'custom').kind).toBe('account-picker');
  expect(classifyPage(snap({ visible: { mfaMethod: 1 } }), 'custom').kind).toBe('mfa-method');
  // "Stay signed in?" has a submit button but no fields: not a password or username page.
  expect(classifyPage(snap({ visible: { staySignedIn: 1, submit: 1 } }), 'custom').kind).toBe('stay-signed-in');
  // A code field wins over the method list still in the document.
  expect(classifyPage(snap({ visible: { otp: 1, mfaMethod: 1, submit: 1 } }), 'custom').kind).toBe('totp');
  // Profiles without these fields get no such probes.
  expect(Object.keys(probesFor(CLASSIC_PROFILE, true))).not.toContain('staySignedIn');
});

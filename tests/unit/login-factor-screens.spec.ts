// Unit tests of the factor screens as a person sees them, in wordings the emulator never uses (the
// real texts are not public, cognito-reference 3.2): a factor choice without a password option, an
// MFA choice, a passkey prompt, which option the user's configuration picks, and the passkey's
// clock-derived counter.
import { test, expect } from '@playwright/test';
import { classifyPage, type PageSnapshot } from '../../src/login/pages.js';
import { firstFactorsOf, mfaMethodsOf, pickOption } from '../../src/login/factors.js';
import { clockSignCount } from '../../src/login/passkey.js';
import type { UserCredentials } from '../../src/config/types.js';

const snap = (text: string, choices: string[], visible: Record<string, number> = {}): PageSnapshot => ({
  url: 'https://d.auth.us-east-1.amazoncognito.com/login?client_id=c',
  readyState: 'complete',
  title: '',
  text,
  errors: [],
  invalidProbes: [],
  callbackMarker: false,
  choices,
  visible,
});

test('choice screens are told apart by their options and words, with or without a password option', () => {
  expect(classifyPage(snap('How do you want to sign in?', ['Use a passkey', 'Email me a code']), 'managed').kind).toBe('factor-choice');
  expect(classifyPage(snap('Select a sign-in option', ['Password', 'Text message (SMS)']), 'managed').kind).toBe('factor-choice');
  expect(classifyPage(snap('Choose a multi-factor authentication method', ['Email message', 'Passkey', 'Continue']), 'managed').kind).toBe('mfa-choice');
  expect(classifyPage(snap('Verify it is you', ['Authenticator app', 'SMS message']), 'managed').kind).toBe('mfa-choice');
});

test('a passkey prompt is one passkey call to action with nothing to type; an offer can be declined', () => {
  expect(classifyPage(snap('Sign in with passkey\nUse the passkey saved on this device.', ['Continue', 'Other sign-in options']), 'managed').kind).toBe('passkey-prompt');
  expect(classifyPage(snap('Verify with your passkey', ['Use passkey']), 'managed').kind).toBe('passkey-prompt');
  expect(classifyPage(snap('Add a passkey for faster sign-in', ['Add passkey', 'Not now']), 'managed').kind).toBe('passkey-offer');
});

test('the option is picked from what the user has, a configured factor alone', () => {
  const offered = ['Password', 'Passkey', 'Email message', 'SMS message', 'Other sign-in options'];
  const passwordless: UserCredentials = { name: 'default', username: 'u', passkey: { id: 'a', rpId: 'x', userHandle: 'b', privateKey: 'c', publicKey: 'd' }, signInFactor: 'passkey' };
  expect(pickOption(offered, firstFactorsOf(passwordless))?.factor).toBe('passkey');
  const sms: UserCredentials = { name: 'default', username: 'u', codeSource: { kind: 'file', path: '/x', display: '/x' }, signInFactor: 'sms', signInFactorConfigured: true };
  expect(firstFactorsOf(sms)).toEqual(['sms']);
  expect(pickOption(['Password', 'Email message'], firstFactorsOf(sms))).toBeUndefined();
  // The MFA order: the app first (no delivery to wait for), then passkey, email, SMS.
  const both: UserCredentials = { name: 'default', username: 'u', password: 'p', totpSecret: 'JBSWY3DPEHPK3PXP', codeSource: { kind: 'file', path: '/x', display: '/x' } };
  expect(mfaMethodsOf(both)).toEqual(['totp', 'email', 'sms']);
  expect(pickOption(['Email message', 'Authenticator app'], mfaMethodsOf(both))?.factor).toBe('totp');
});

test('the passkey counter grows with the clock, never below a stored floor, within 32 bits', () => {
  const t = Date.UTC(2026, 11, 7, 0, 0, 0);
  expect(clockSignCount(t + 100)).toBeGreaterThan(clockSignCount(t));
  expect(clockSignCount(t, 4_000_000_000)).toBe(4_000_000_000);
  expect(clockSignCount(Date.UTC(2039, 0, 1))).toBeLessThan(2 ** 32);
  expect(clockSignCount(Date.UTC(2025, 0, 1))).toBe(0);
});

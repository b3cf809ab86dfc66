// Unit tests of selector profiles: the built-ins and validation of custom JSON profiles.
import { test, expect } from '@playwright/test';
import { CLASSIC_PROFILE, MANAGED_PROFILE, parseSelectorProfile } from '../../src/config/selector-profile.js';
import { CnError } from '../../src/errors.js';

const catchErr = (fn: () => unknown): CnError => {
  try {
    fn();
  } catch (e) {
    return e as CnError;
  }
  throw new Error('expected an error');
};

test('a valid custom profile parses, with optional fields kept and the name defaulted', () => {
  const p = parseSelectorProfile('{"username":"input[name=login]","password":"input[name=password]","submit":"button[type=submit]","consent":"button.consent"}', 'X');
  expect(p).toEqual({ name: 'custom', username: 'input[name=login]', password: 'input[name=password]', submit: 'button[type=submit]', consent: 'button.consent' });
});

test('an already parsed object is accepted too', () => {
  expect(parseSelectorProfile({ name: 'okta', username: '#u', password: '#p', submit: '#s', otp: '#o' }, 'X').name).toBe('okta');
});

test('invalid JSON is exit 2 naming the source', () => {
  const e = catchErr(() => parseSelectorProfile('{nope', 'COGNITO_SELECTOR_PROFILE'));
  expect(e.code).toBe('SELECTOR_PROFILE_INVALID');
  expect(e.exitCode).toBe(2);
  expect(e.message).toContain('COGNITO_SELECTOR_PROFILE');
});

test('a missing field is named', () => {
  const e = catchErr(() => parseSelectorProfile('{"username":"a","password":"b"}', 'profile.json'));
  expect(e.exitCode).toBe(2);
  expect(e.message).toContain('field "submit" is required');
  expect(e.message).toContain('profile.json');
});

test('a wrong type, an empty selector and an unknown field are each named', () => {
  const e = catchErr(() => parseSelectorProfile({ username: 1, password: '  ', submit: 's', usernme: 'x' }, 'X'));
  expect(e.message).toContain('field "username" must be a CSS selector string');
  expect(e.message).toContain('field "password" must not be empty');
  expect(e.message).toContain('"usernme"');
});

test('the built-in profiles find Cognito fields by name and id', () => {
  expect(CLASSIC_PROFILE.username).toContain('#signInFormUsername');
  expect(CLASSIC_PROFILE.submit).toContain('signInSubmitButton');
  expect(MANAGED_PROFILE.submit).toContain('button[type="submit"]');
  expect(Object.isFrozen(CLASSIC_PROFILE)).toBe(true);
});

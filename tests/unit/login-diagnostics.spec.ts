// Unit tests of the pure parts of diagnostics and the driver: URL masking, folder names, profiles, variable names.
import { test, expect } from '@playwright/test';
import { diagnosticsFolderName, maskUrl } from '../../src/login/diagnostics.js';
import { profileFor, userVariable } from '../../src/login/driver.js';
import { CLASSIC_PROFILE, MANAGED_PROFILE } from '../../src/config/selector-profile.js';
import { clearSecrets, registerSecret } from '../../src/log.js';

test('maskUrl replaces every query and fragment value, keeping the keys', () => {
  expect(maskUrl('https://d/login?client_id=c&state=s&code=abc#access_token=t&x')).toBe('https://d/login?client_id=…&state=…&code=…#access_token=…&x');
  expect(maskUrl('myapp://callback?code=1')).toBe('myapp://callback?code=…');
  expect(maskUrl('https://d/path')).toBe('https://d/path');
});

test('maskUrl also redacts registered secrets in the path', () => {
  clearSecrets();
  registerSecret('Secret-Path-Part');
  expect(maskUrl('https://d/Secret-Path-Part/x')).not.toContain('Secret-Path-Part');
  clearSecrets();
});

test('the folder is <user>-<timestamp>, safe for any file system', () => {
  expect(diagnosticsFolderName('admin', new Date('2025-01-02T03:04:05.678Z'))).toBe('admin-2025-01-02T03-04-05-678Z');
  expect(diagnosticsFolderName('../x y', new Date(0))).toMatch(/^\.\._x_y-/);
});

test('login UI modes pick profiles; auto merges both without duplicates', () => {
  expect(profileFor({ loginUi: 'classic' })).toBe(CLASSIC_PROFILE);
  expect(profileFor({ loginUi: 'managed' })).toBe(MANAGED_PROFILE);
  const auto = profileFor({ loginUi: 'auto' });
  const parts = auto.submit.split(', ');
  expect(new Set(parts).size).toBe(parts.length);
  expect(auto.submit).toContain('signInSubmitButton');
  expect(auto.submit).toContain('button[type="submit"]');
  expect(() => profileFor({ loginUi: 'custom' })).toThrow(/selector profile/);
});

test('variable names follow the contract for default and named users', () => {
  expect(userVariable({ name: 'default' }, 'TOTP_SECRET')).toBe('TEST_USER_TOTP_SECRET');
  expect(userVariable({ name: 'admin' }, 'PASSWORD')).toBe('TEST_USER_ADMIN_PASSWORD');
});

// A custom selector profile through the built CLI, as a user gives it: a misspelt field is a usage
// error naming it (exit 2) before anything signs in, for the Cognito page and for an IdP's pages.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { runCli, describe } from '../fixtures/cli.js';

// Nothing is contacted: the configuration is refused first. The domain is a real-looking one so no
// loopback or HTTP rule is what fails.
const BASE = {
  COGNITO_DOMAIN: 'https://example.auth.us-east-1.amazoncognito.com',
  COGNITO_CLIENT_ID: 'c1',
  TEST_USER_USERNAME: 'user@example.com',
  TEST_USER_PASSWORD: 'Passw0rd-Example!',
  CI: 'true',
};
const MISSPELT = JSON.stringify({ username: '#u', password: '#p', submit: '#go', otpp: '#code' });

test('COGNITO_SELECTOR_PROFILE with a misspelt field (otpp) is exit 2 naming the field', async () => {
  const r = await runCli(['token'], { env: { ...BASE, COGNITO_SELECTOR_PROFILE: MISSPELT } });
  expect(r.code, describe(r)).toBe(2);
  expect(r.stderr).toContain('COGNITO_SELECTOR_PROFILE');
  expect(r.stderr).toContain('"otpp"');
  expect(r.stdout).toBe('');
});

test('COGNITO_IDP_SELECTOR_PROFILE from a file with a misspelt field (otpp) is exit 2 naming the field', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'cn-profile-'));
  writeFileSync(join(cwd, 'idp-profile.json'), MISSPELT);
  const r = await runCli(['token'], { cwd, env: { ...BASE, COGNITO_IDENTITY_PROVIDER: 'Corp', COGNITO_IDP_LOGIN_UI: 'custom', COGNITO_IDP_SELECTOR_PROFILE: 'idp-profile.json' } });
  expect(r.code, describe(r)).toBe(2);
  expect(r.stderr).toContain('COGNITO_IDP_SELECTOR_PROFILE');
  expect(r.stderr).toContain('"otpp"');
});

// `cognito-newman demo` (Managed Login by default): the whole demo through the emulator's React
// Managed Login, with the driver left on COGNITO_LOGIN_UI auto (configuration alone).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { describe, runCli } from '../fixtures/cli.js';

test('demo (Managed Login, the default) passes for its five users through Managed Login (partner through the PartnerOkta IdP, passwordless with the passkey the demo enrolled, email-mfa with an emailed code)', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'cn-demo-managed-'));
  const r = await runCli(['demo'], { cwd, timeoutMs: 90_000 });
  expect(r.code, describe(r)).toBe(0);
  expect(r.stderr).toContain('Cognito emulator (Managed Login)');
  expect(r.stderr).toContain('enrolled a passkey for passkey-user (the passwordless user) through /passkeys/add');
  expect(r.stderr).toMatch(/demo passed .* for users admin, reader, partner, passwordless \(passkey\) and email-mfa \(email code\)\. 20\/20 assertions passed\./);
  expect(r.stdout).toContain('the API sees passkey-user, who signed in with a passkey');
  expect(r.stdout).toContain('the API sees email-mfa-user, who signed in with a password and an emailed code');
  expect(r.stdout).toContain('the API sees the federated user PartnerOkta_<sub>');
  for (const secret of ['Admin-Passw0rd!', 'Partner-Passw0rd!', 'EmailMfa-Passw0rd!']) expect(r.stdout + r.stderr).not.toContain(secret);
});

// `cognito-newman demo --ui managed`: the whole demo through the emulator's React Managed Login,
// with the driver left on COGNITO_LOGIN_UI auto (configuration alone).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { describe, runCli } from '../fixtures/cli.js';

test('demo --ui managed passes for both users through Managed Login', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'cn-demo-managed-'));
  const r = await runCli(['demo', '--ui', 'managed'], { cwd, timeoutMs: 90_000 });
  expect(r.code, describe(r)).toBe(0);
  expect(r.stderr).toContain('Cognito emulator (Managed Login)');
  expect(r.stderr).toMatch(/demo passed .* for users admin and reader\. 11\/11 assertions passed\./);
  expect(r.stdout + r.stderr).not.toContain('Admin-Passw0rd!');
});

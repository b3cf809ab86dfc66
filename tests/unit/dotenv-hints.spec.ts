// A .env secret with an unquoted `#` (issue 11): dotenv cuts the value there, so the sign-in later
// fails as a wrong password. Loading the configuration warns, naming the variable, never the value.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { loadConfig } from '../../src/config/load.js';

function recording() {
  const warnings: string[] = [];
  return { warnings, logger: { level: 'info' as const, info: () => undefined, debug: () => undefined, warn: (m: string) => void warnings.push(m) } };
}

test('an unquoted # in a .env password is named in a warning; quoted values and real comments are not', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'cn-dotenv-'));
  writeFileSync(
    join(cwd, '.env'),
    [
      'COGNITO_DOMAIN=https://auth.example.com',
      'COGNITO_CLIENT_ID=client-1',
      'TEST_USER_USERNAME=admin',
      'TEST_USER_PASSWORD=Adm1n#Secret',
      'TEST_USERS=reader',
      'TEST_USER_READER_USERNAME=reader # the read-only user',
      "TEST_USER_READER_PASSWORD='Read#er-Pass'",
      '',
    ].join('\n'),
  );
  const l = recording();
  const config = await loadConfig({ cwd, env: {}, logger: l.logger });
  expect(config.users.find((u) => u.name === 'default')?.password).toBe('Adm1n'); // what dotenv made of it
  expect(l.warnings).toHaveLength(1);
  expect(l.warnings[0]).toContain(`TEST_USER_PASSWORD in ${join(cwd, '.env')} has an unquoted # in its value`);
  expect(l.warnings[0]).not.toContain('Secret');
});

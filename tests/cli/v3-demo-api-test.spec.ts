// The Postman v3 (Git-native) copy of the demo (collections/postman/, made by the official Postman
// CLI) through the built CLI: `demo --v3` for its three users, `npm run api-test` with
// API_TEST_COLLECTION at the v3 folder and API_TEST_ENVIRONMENT at a v12 YAML environment, and a
// bad YAML environment stopped with exit 2 before any sign-in.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '../fixtures/emulator.js';
import { baseEnv, describe, REPO_ROOT, runCli, runNode, type CliResult } from '../fixtures/cli.js';
import { startDemoApi } from '../../packages/emulator/demo-api/server.js';
import { runDemoServe } from '../../src/commands/demo-serve.js';
import { createLogger } from '../../src/log.js';

const V3_DEMO = join(REPO_ROOT, 'collections', 'postman', 'collections', 'cognito-newman demo');

function runApiTest(cwd: string, env: Record<string, string>, args: string[] = []): Promise<CliResult> {
  return runNode(join(REPO_ROOT, 'scripts', 'api-test.mjs'), args, { cwd, env });
}

test('demo --v3 runs the v3 folder with its YAML environment and passes for its five users (partner federated, passwordless, email MFA)', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'cn-demo-v3-'));
  const r = await runCli(['demo', '--v3'], { cwd, timeoutMs: 90_000 });
  expect(r.code, describe(r)).toBe(0);
  expect(r.stderr).toContain('demo: the Postman v3 collection folder collections/postman/collections/cognito-newman demo with the environment collections/postman/environments/cognito-newman demo.environment.yaml');
  // The same checks as the 2.1 demo, in the same order (folders by their `order`, not by file name).
  const checks = ['the API sees user admin in group admin', 'reader is forbidden (403)', 'the ID token names the IdP partner signed in at', 'the API sees passkey-user, who signed in with a passkey', 'a forged token gives 401 invalid_token'];
  const at = checks.map((c) => r.stdout.indexOf(c));
  expect(at.every((i) => i >= 0), describe(r)).toBe(true);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
  expect(r.stderr).toMatch(/demo passed .* for users admin, reader, partner, passwordless \(passkey\) and email-mfa \(email code\)\. 20\/20 assertions passed\. Reports: reports\/demo\/junit\.xml/);
  expect(readdirSync(join(cwd, 'reports', 'demo')).sort()).toEqual(['junit.xml', 'report.html']);
});

test('npm run api-test: API_TEST_COLLECTION a v3 folder, API_TEST_ENVIRONMENT a v12 YAML environment with a secret value', async ({ emulator }) => {
  const api = await startDemoApi({ port: 0, issuer: emulator.issuer, clientIds: ['demo-public-client'] });
  try {
    const cwd = mkdtempSync(join(tmpdir(), 'cn-api-test-v3-'));
    const apiKey = 'v3-environment-secret-0451';
    const envFile = join(cwd, 'Local.environment.yaml');
    writeFileSync(envFile, `name: Local\nvalues:\n  - key: baseUrl\n    value: ${api.baseUrl}\n    enabled: true\n  - key: apiKey\n    value: ${apiKey}\n    enabled: true\n    type: secret\n`);
    // What a team puts in .env: the folder Postman's Native Git writes, spaces and all.
    writeFileSync(
      join(cwd, '.env'),
      [
        `COGNITO_DOMAIN=${emulator.baseUrl}`,
        'COGNITO_CLIENT_ID=demo-public-client',
        `COGNITO_USER_POOL_ID=${emulator.poolId}`,
        `COGNITO_ISSUER=${emulator.issuer}`,
        'TEST_USERS=admin,reader',
        'TEST_USER_ADMIN_USERNAME=admin',
        'TEST_USER_ADMIN_PASSWORD=Admin-Passw0rd!',
        'TEST_USER_READER_USERNAME=reader',
        'TEST_USER_READER_PASSWORD=Reader-Passw0rd!',
        `API_TEST_COLLECTION=${V3_DEMO}`,
        `API_TEST_ENVIRONMENT=${envFile}`,
        '',
      ].join('\n'),
    );
    const r = await runApiTest(cwd, { ...baseEnv(), CI: 'true' }, ['-r', 'cli,json', '--export-environment', 'out/environment.json']);
    expect(r.code, describe(r)).toBe(0);
    // Two users: the partner's requests skip themselves, as with the 2.1 collection.
    expect(r.stderr).toContain('assertions: 11 (0 failed)');
    expect(r.stdout).toContain('reader is forbidden (403)');
    const exported = readFileSync(join(cwd, 'out', 'environment.json'), 'utf8');
    expect(JSON.parse(exported).values).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'apiKey', value: '[REDACTED]' })]));
    for (const [where, text] of Object.entries({ stdout: r.stdout, stderr: r.stderr, json: readFileSync(join(cwd, 'reports', 'newman-report.json'), 'utf8'), exported })) {
      expect(text.includes(apiKey), `the secret value in ${where}`).toBe(false);
    }
  } finally {
    await api.stop();
  }
});

test('a v12 environment or globals YAML that does not parse is exit 2 naming the file and line, before any sign-in', async ({ emulator }) => {
  const cwd = mkdtempSync(join(tmpdir(), 'cn-v3-bad-env-'));
  writeFileSync(join(cwd, 'Bad.environment.yaml'), 'name: Bad\nvalues:\n  - key: baseUrl\n    value: http://127.0.0.1:1\n   enabled: true\n');
  writeFileSync(join(cwd, 'Bad.globals.yaml'), 'name: Bad\nvalues:\n  key: g\n');
  const r = await runCli(['run', V3_DEMO, '-e', 'Bad.environment.yaml', '-g', 'Bad.globals.yaml'], {
    cwd,
    env: { CI: 'true', COGNITO_DOMAIN: emulator.baseUrl, COGNITO_CLIENT_ID: 'demo-public-client', TEST_USER_USERNAME: 'admin', TEST_USER_PASSWORD: 'Admin-Passw0rd!' },
  });
  expect(r.code, describe(r)).toBe(2);
  expect(r.stderr).toContain('--environment: The environment Bad.environment.yaml is not valid YAML: line 5, column 4: bad indentation of a sequence entry');
  expect(r.stderr).toContain('--globals: The globals file Bad.globals.yaml is not a Postman globals file: line 2, values must be a list');
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(emulator.observed.codes, 'no sign-in was attempted').toEqual([]);
});

test('demo --serve --v3 prints the v3 folder and YAML environment as the api-test settings, quoted in commands', async () => {
  let out = '';
  let err = '';
  let printed!: () => void;
  const until = new Promise<void>((resolve) => (printed = resolve));
  const sink = (add: (s: string) => void) => ({ write: (s: string) => (add(s), s.includes('Press Ctrl-C') && printed(), true) }) as unknown as NodeJS.WritableStream;
  const code = await runDemoServe({ port: 0, apiPort: 0, v3: true }, createLogger('silent'), { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), cwd: REPO_ROOT, until });
  expect(code).toBe(0);
  expect(out).toMatch(/^API_TEST_COLLECTION=collections\/postman\/collections\/cognito-newman demo$/m);
  expect(err).toContain("  npm run -s cn -- run 'collections/postman/collections/cognito-newman demo' --env-var baseUrl=");
});

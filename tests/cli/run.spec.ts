// `cognito-newman run` and `demo` end to end through the built CLI: real Chromium sign-ins against
// the emulator, real Newman against the demo API, the guide-style collection unchanged, shards.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '../fixtures/emulator.js';
import { runCli, describe, REPO_ROOT } from '../fixtures/cli.js';
import { startDemoApi, type DemoApi } from '../../packages/emulator/demo-api/server.js';

const DEMO = join(REPO_ROOT, 'collections', 'demo.postman_collection.json');
const FAILING = join(REPO_ROOT, 'collections', 'failing.postman_collection.json');
const GUIDE = join(REPO_ROOT, 'collections', 'guide-style.postman_collection.json');

let api: DemoApi;
test.beforeEach(async ({ emulator }) => {
  api = await startDemoApi({ port: 0, issuer: emulator.issuer, clientIds: ['demo-public-client'] });
});
test.afterEach(async () => {
  await api.stop();
});

function twoUsers(emu: { baseUrl: string; poolId: string; issuer: string }): Record<string, string> {
  return {
    CI: 'true',
    COGNITO_DOMAIN: emu.baseUrl,
    COGNITO_CLIENT_ID: 'demo-public-client',
    COGNITO_USER_POOL_ID: emu.poolId,
    COGNITO_ISSUER: emu.issuer,
    TEST_USERS: 'admin,reader',
    TEST_USER_ADMIN_USERNAME: 'admin',
    TEST_USER_ADMIN_PASSWORD: 'Admin-Passw0rd!',
    TEST_USER_READER_USERNAME: 'reader',
    TEST_USER_READER_PASSWORD: 'Reader-Passw0rd!',
  };
}

/** A Postman environment file like the guide's, pointing at the emulator. */
function guideEnvironment(dir: string, values: Record<string, string>): string {
  const file = join(dir, 'guide.postman_environment.json');
  writeFileSync(file, JSON.stringify({ name: 'guide', values: Object.entries(values).map(([key, value]) => ({ key, value, enabled: true })) }));
  return file;
}

test('demo --ui classic passes for its three users (partner federated; no passkeys on the classic Hosted UI) and says where the reports are', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'cn-demo-'));
  const r = await runCli(['demo', '--ui', 'classic'], { cwd, timeoutMs: 90_000 });
  expect(r.code, describe(r)).toBe(0);
  expect(r.stdout).toContain('the API sees user admin in group admin');
  expect(r.stdout).toContain('reader is forbidden (403)');
  expect(r.stdout).toContain('the ID token names the IdP partner signed in at');
  expect(r.stderr).toMatch(/demo passed .* for users admin, reader and partner\. 16\/16 assertions passed\. Reports: reports\/demo\/junit\.xml/);
  expect(readdirSync(join(cwd, 'reports', 'demo')).sort()).toEqual(['junit.xml', 'report.html']);
});

test('run: the demo collection passes for two signed-in users; junit report written', async ({ emulator }) => {
  const cwd = mkdtempSync(join(tmpdir(), 'cn-run-'));
  const r = await runCli(['run', DEMO, '--env-var', `baseUrl=${api.baseUrl}`, '-r', 'cli,junit'], { cwd, env: twoUsers(emulator) });
  expect(r.code, describe(r)).toBe(0);
  expect(r.stderr).toContain('assertions: 11 (0 failed)');
  const junit = readFileSync(join(cwd, 'reports', 'junit.xml'), 'utf8');
  expect(junit).toContain('failures="0"');
});

test('run: a failing assertion exits 1', async ({ emulator }) => {
  const r = await runCli(['run', FAILING, '--env-var', `baseUrl=${api.baseUrl}`], { env: twoUsers(emulator) });
  expect(r.code, describe(r)).toBe(1);
});

test('run: the guide-style collection passes unchanged with only COGNITO_* and TEST_USER_* set', async ({ emulator }) => {
  const cwd = mkdtempSync(join(tmpdir(), 'cn-guide-'));
  // The environment file carries only the API's base URL; the IdP settings come from the variables.
  const env = guideEnvironment(cwd, { baseUrl: api.baseUrl, cognitoDomain: 'https://unused.example', clientId: 'unused' });
  const r = await runCli(['run', GUIDE, '-e', env], {
    cwd,
    env: {
      CI: 'true',
      COGNITO_DOMAIN: emulator.baseUrl,
      COGNITO_CLIENT_ID: 'demo-public-client',
      COGNITO_USER_POOL_ID: emulator.poolId,
      COGNITO_ISSUER: emulator.issuer,
      TEST_USER_USERNAME: 'reader',
      TEST_USER_PASSWORD: 'Reader-Passw0rd!',
    },
  });
  expect(r.code, describe(r)).toBe(0);
  expect(r.stderr).toMatch(/assertions: \d+ \(0 failed\)/);
});

test('run: the guide-style collection passes with the IdP settings only in its auth block', async ({ emulator }) => {
  const cwd = mkdtempSync(join(tmpdir(), 'cn-guide-'));
  // Exactly the guide's set-up: {{cognitoDomain}} and {{clientId}} from the Postman environment.
  const env = guideEnvironment(cwd, { baseUrl: api.baseUrl, cognitoDomain: emulator.baseUrl, clientId: 'demo-public-client' });
  const r = await runCli(['run', GUIDE, '-e', env], { cwd, env: { CI: 'true', TEST_USER_USERNAME: 'reader', TEST_USER_PASSWORD: 'Reader-Passw0rd!' } });
  expect(r.code, describe(r)).toBe(0);
  expect(r.stderr).toMatch(/assertions: \d+ \(0 failed\)/);
});

test('run: an unknown flag is exit 2 naming the closest flag', async () => {
  const r = await runCli(['run', DEMO, '--foldr', 'Admin']);
  expect(r.code, describe(r)).toBe(2);
  expect(r.stderr).toContain('did you mean --folder?');
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

test('run: GitHub mode masks every secret before anything else prints and writes the job summary', async ({ emulator }) => {
  const cwd = mkdtempSync(join(tmpdir(), 'cn-gh-'));
  const summary = join(cwd, 'summary.md');
  writeFileSync(summary, '');
  const r = await runCli(['run', DEMO, '--env-var', `baseUrl=${api.baseUrl}`], {
    cwd,
    env: { ...twoUsers(emulator), GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
  });
  expect(r.code, describe(r)).toBe(0);
  const lines = r.stdout.split('\n');
  const firstOther = lines.findIndex((l) => l !== '' && !l.startsWith('::add-mask::'));
  const masks = lines.slice(0, firstOther).filter((l) => l.startsWith('::add-mask::')).map((l) => l.slice('::add-mask::'.length));
  // Both passwords are announced before the first line of any other output.
  expect(masks).toEqual(expect.arrayContaining(['Admin-Passw0rd!', 'Reader-Passw0rd!']));
  expect(lines.slice(firstOther).some((l) => l.startsWith('::add-mask::eyJ'))).toBe(false);
  expect(readFileSync(summary, 'utf8')).toMatch(/assertions/i);
});

test('run --shard: two shards of the demo collection together equal the whole run', async ({ emulator }) => {
  test.setTimeout(180_000); // three full runs, each with two browser sign-ins
  const cases = async (args: string[]) => {
    const cwd = mkdtempSync(join(tmpdir(), 'cn-shard-'));
    const r = await runCli(['run', DEMO, '--env-var', `baseUrl=${api.baseUrl}`, '-r', 'junit', ...args], { cwd, env: twoUsers(emulator) });
    expect(r.code, describe(r)).toBe(0);
    const xml = readFileSync(join(cwd, 'reports', 'junit.xml'), 'utf8');
    return { names: [...xml.matchAll(/<testcase name="([^"]+)"/g)].map((m) => m[1]!), folders: /shard \d\/2: ([^(]+) \(/.exec(r.stderr)?.[1] ?? '' };
  };
  const whole = await cases([]);
  const one = await cases(['--shard', '1/2']);
  const two = await cases(['--shard', '2/2']);
  // Each shard gets folders (one may hold only folders these two users skip: partner's, the passkey users').
  expect(one.folders).not.toBe('');
  expect(two.folders).not.toBe('');
  expect(whole.names.length).toBeGreaterThan(0);
  expect([...one.names, ...two.names].sort()).toEqual([...whole.names].sort());
});

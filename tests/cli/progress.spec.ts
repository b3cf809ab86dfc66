// Sign-in progress and colour discipline (issue 14, item 5), through the built CLI: in a real
// terminal (a pseudo-terminal from util-linux `script`) a live line per user that ends in the
// `signed in` line; in a pipe one line as each sign-in starts and one as it ends, and not a single
// ANSI code on stdout or stderr, Newman's failure table included.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '../fixtures/emulator.js';
import { CLI, REPO_ROOT, baseEnv, runCli, describe } from '../fixtures/cli.js';
import { startDemoApi, type DemoApi } from '../../packages/emulator/demo-api/server.js';

const FAILING = join(REPO_ROOT, 'collections', 'failing.postman_collection.json');
const ANSI = /\x1b\[/;

let api: DemoApi;
test.beforeEach(async ({ emulator }) => {
  api = await startDemoApi({ port: 0, issuer: emulator.issuer, clientIds: ['demo-public-client'] });
});
test.afterEach(async () => {
  await api.stop();
});

function users(emu: { baseUrl: string; poolId: string; issuer: string }, dir: string): Record<string, string> {
  return {
    // Not CI (CI=true alone turns the table colours off): a laptop, with its cache in this test's folder.
    COGNITO_NEWMAN_CACHE_DIR: join(dir, 'cache'),
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

test('in a pipe: a start and an end line per user, and no ANSI code anywhere, failure table included', async ({ emulator }) => {
  const dir = mkdtempSync(join(tmpdir(), 'cn-progress-'));
  const r = await runCli(['run', FAILING, '--env-var', `baseUrl=${api.baseUrl}`], { cwd: dir, env: users(emulator, dir) });
  expect(r.code, describe(r)).toBe(1);
  expect(r.stdout, describe(r)).toContain('AssertionError'); // the failure table is there...
  expect(ANSI.test(r.stdout), 'ANSI codes on stdout').toBe(false); // ...without colour codes
  expect(ANSI.test(r.stderr), 'ANSI codes on stderr').toBe(false);
  const lines = r.stderr.split('\n');
  for (const who of ['user "admin" (admin)', 'user "reader" (reader)']) {
    const start = lines.indexOf(`signing in ${who} ...`);
    const end = lines.findIndex((l) => new RegExp(`^signed in ${who.replace(/[()"]/g, '\\$&')} \\(login, \\d+ ms\\)$`).test(l));
    expect(start, describe(r)).toBeGreaterThanOrEqual(0);
    expect(end, describe(r)).toBeGreaterThan(start);
  }
});

test('on a terminal: a live status line per user (steps as they happen) that ends in the signed in line', async ({ emulator }) => {
  const dir = mkdtempSync(join(tmpdir(), 'cn-progress-'));
  // `script` runs the CLI on a pseudo-terminal and copies what it draws; stdout goes to /dev/null
  // inside, so what we read is the terminal stream of stderr.
  const command = `${process.execPath} ${CLI} token --no-cache --format env > /dev/null`;
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
    cwd: dir,
    env: { ...baseEnv(), ...users(emulator, dir), TERM: 'xterm', COLUMNS: '120' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
  clearTimeout(timer);
  expect(code, out).toBe(0);
  // Redrawn in place: cursor up and clear line, a status per step, then the final lines.
  expect(out).toContain('\x1b[2K');
  expect(out).toMatch(/\x1b\[2A/);
  expect(out).toContain('user "admin" (admin): browser started');
  expect(out).toContain('user "reader" (reader): sign-in page submitted');
  expect(out).toMatch(/signed in user "admin" \(admin\) \(login, \d+ ms\)/);
  expect(out).toMatch(/signed in user "reader" \(reader\) \(login, \d+ ms\)/);
  // The last thing drawn for each user is its signed in line: no spinner is left behind.
  const lastFrame = out.slice(out.lastIndexOf('\x1b[2A'));
  expect(lastFrame).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
});

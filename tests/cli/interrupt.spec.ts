// Interruptions are interruptions (issue 11): SIGTERM or Ctrl-C (SIGINT) at any moment of the built
// CLI (reading Secrets Manager, signing in, running Newman) prints one line saying so and where,
// closes the browser, leaves nothing half-written in the token cache, and exits 143/130 — never the
// IDP_UNREACHABLE paragraph an outage gets. Each case waits for the CLI to reach the moment first.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { startEmulator, type RunningEmulator } from '../../packages/emulator/src/index.js';
import { baseEnv, CLI } from '../fixtures/cli.js';
import { emulatorEnv } from './_emulator-requests.js';

interface Running {
  pid: number;
  output: () => { stdout: string; stderr: string };
  /** Resolves once the output (stdout and stderr) matches. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[], env: Record<string, string>, cwd: string): Running {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const w of waiters.splice(0)) if (w.pattern.test(stdout + stderr)) w.resolve();
    else waiters.push(w);
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => ((stdout += d), check()));
  child.stderr.setEncoding('utf8').on('data', (d: string) => ((stderr += d), check()));
  const hardStop = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(hardStop);
      resolve({ code, signal });
    }),
  );
  return {
    pid: child.pid!,
    output: () => ({ stdout, stderr }),
    waitFor: (pattern, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(stdout + stderr)) return resolve();
        const t = setTimeout(() => reject(new Error(`the output never matched ${pattern}:\n${stdout}\n${stderr}`)), timeoutMs);
        waiters.push({ pattern, resolve: () => (clearTimeout(t), resolve()) });
      }),
    exited,
  };
}

/** Every process below `pid` (Chromium and its helpers), read from /proc. */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, pp] of parent) if (pp === p) (out.push(child), walk(child));
  };
  walk(pid);
  return out;
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

/** A server that accepts every request and never answers (a hung API, a hung AWS endpoint). */
async function hungServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = http.createServer(() => undefined);
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const ADMIN = { TEST_USER_USERNAME: 'admin', TEST_USER_PASSWORD: 'Admin-Passw0rd!' };

let emulator: RunningEmulator;
test.beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
});
test.afterEach(async () => {
  await emulator.stop();
});

function expectOneInterruptionLine(stderr: string, signal: string, where: RegExp): void {
  const lines = stderr.split('\n').filter((l) => /interrupted/i.test(l));
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toContain(`interrupted by ${signal} while`);
  expect(lines[0]).toMatch(where);
  expect(stderr).not.toContain('IDP_UNREACHABLE');
  expect(stderr).not.toMatch(/^error \[/m);
}

test('SIGTERM during a sign-in: one line, the browser closed, nothing in the cache, exit 143', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'cn-int-'));
  const cacheDir = join(cwd, 'cache');
  // The sign-in page takes 20 s to answer: the signal lands while the browser waits for it.
  emulator.faults.setSlowLoginPage(20_000);
  const cli = start(['token', '--debug'], { ...emulatorEnv(emulator), ...ADMIN, COGNITO_NEWMAN_CACHE: '1', COGNITO_NEWMAN_CACHE_DIR: cacheDir }, cwd);
  await cli.waitFor(/opening the sign-in page/);
  const browsers = descendants(cli.pid);
  expect(browsers.length, 'Chromium runs under the CLI').toBeGreaterThan(0);
  const sent = Date.now();
  process.kill(cli.pid, 'SIGTERM');
  const { code } = await cli.exited;
  const { stdout, stderr } = cli.output();
  expect(code, stderr).toBe(143);
  expect(Date.now() - sent).toBeLessThan(5_000);
  expectOneInterruptionLine(stderr, 'SIGTERM', /while signing in user admin/);
  expect(stdout).toBe('');
  await expect.poll(() => browsers.filter(alive), { timeout: 5_000, message: 'no browser process outlives the CLI' }).toEqual([]);
  let files: string[] = [];
  try {
    files = readdirSync(cacheDir);
  } catch {
    // never created: nothing cached, as it should be
  }
  expect(files).toEqual([]);
});

test('Ctrl-C (SIGINT) during the Newman run against a hung API: one line naming the run, exit 130', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'cn-int-'));
  const api = await hungServer();
  try {
    const collection = join(cwd, 'c.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(collection, JSON.stringify({ info: { name: 'hung', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' }, item: [{ name: 'GET hung', request: { method: 'GET', url: `${api.url}/hang` } }] }));
    const cli = start(['run', collection, '--timeout-request', '0'], { CI: 'true', ...emulatorEnv(emulator), ...ADMIN }, cwd);
    await cli.waitFor(/signed in user admin/);
    await cli.waitFor(/GET hung/);
    process.kill(cli.pid, 'SIGINT');
    const { code } = await cli.exited;
    const { stderr, stdout } = cli.output();
    expect(code, stdout + stderr).toBe(130);
    expectOneInterruptionLine(stderr, 'SIGINT', /while running the collection with Newman/);
  } finally {
    await api.stop();
  }
});

test('SIGTERM while Secrets Manager does not answer: one line naming it, exit 143, no browser started', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'cn-int-'));
  const aws = await hungServer();
  try {
    const cli = start(['token', '--debug'], {
      CI: 'true',
      ...emulatorEnv(emulator),
      TEST_USER_SECRET_ID: 'ci/test-user',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_EC2_METADATA_DISABLED: 'true',
      HOME: cwd,
    }, cwd);
    await cli.waitFor(/reading secret ci\/test-user/);
    process.kill(cli.pid, 'SIGTERM');
    const { code } = await cli.exited;
    const { stderr } = cli.output();
    expect(code, stderr).toBe(143);
    expectOneInterruptionLine(stderr, 'SIGTERM', /while reading secrets from AWS Secrets Manager/);
  } finally {
    await aws.stop();
  }
});

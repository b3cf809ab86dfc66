// `cognito-newman demo --serve` as a newcomer uses it: the built CLI keeps the emulator and the
// demo API up, prints .env lines and commands; those lines written to .env and exactly the printed
// commands (api-test, run, token, doctor --login) then pass; Ctrl-C ends it cleanly with exit 0.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { CLI, REPO_ROOT, baseEnv, describe, runNode } from '../fixtures/cli.js';
import { DEMO_API_PORT, DEMO_EMULATOR_PORT, demoEnvLines, runDemoServe } from '../../src/commands/demo-serve.js';
import { createLogger } from '../../src/log.js';
import { DEFAULT_POOL } from '../../packages/emulator/src/index.js';

interface Serving {
  stdout: string;
  stderr: () => string;
  /** Ctrl-C; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Start `demo --serve` and wait until both streams are complete (the two pipes deliver in no fixed order). */
async function serve(cwd: string, env: Record<string, string>, ports: [string, string] = ['0', '0']): Promise<Serving> {
  const child = spawn(process.execPath, [CLI, 'demo', '--serve', '--port', ports[0], '--api-port', ports[1]], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const closed = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  await new Promise<void>((resolve, reject) => {
    const ready = () => stderr.includes('Press Ctrl-C to stop.') && /^API_TEST_COLLECTION=.*\n/m.test(stdout) && resolve();
    child.stdout.setEncoding('utf8').on('data', (d: string) => ((stdout += d), ready()));
    child.stderr.setEncoding('utf8').on('data', (d: string) => ((stderr += d), ready()));
    void closed.then((code) => reject(new Error(`demo --serve exited ${code} before it was ready:\n${stderr}`)));
  });
  return {
    stdout,
    stderr: () => stderr,
    stop: () => {
      child.kill('SIGINT');
      return closed;
    },
  };
}

/** The `--env-var baseUrl=...` the printed commands carry when the demo API is not on its default port. */
const baseUrlArgs = (stderr: string) => {
  const m = /--env-var (baseUrl=\S+)/.exec(stderr);
  expect(m, stderr).toBeTruthy();
  return ['--env-var', m![1]!];
};

test('demo --serve: the printed .env lines and commands pass, and Ctrl-C stops it with exit 0', async () => {
  test.setTimeout(120_000);
  const cwd = mkdtempSync(join(tmpdir(), 'cn-serve-'));
  // A user's laptop: the token cache is on (not CI), kept in a folder of this test.
  const env = { ...baseEnv(), COGNITO_NEWMAN_CACHE_DIR: join(cwd, 'cache') };
  const demo = await serve(cwd, env);
  try {
    // stdout is the .env block itself, so `demo --serve > .env` would work too.
    writeFileSync(join(cwd, '.env'), demo.stdout);
    expect(demo.stdout).toContain('TEST_USERS=admin,reader,partner');
    expect(demo.stdout).toMatch(/^TEST_USER_PARTNER_IDENTITY_PROVIDER=PartnerOkta$/m);
    expect(demo.stdout).toMatch(/^API_TEST_COLLECTION=.*collections\/demo\.postman_collection\.json$/m);

    const printed = demo.stderr().split('\n').map((l) => l.replace(/\s+#.*$/, '').trim());
    // Outside the checkout (this test's cwd) the printed form is npx, as in a project that installed the package.
    const cnCommands = printed.filter((l) => l.startsWith('npx cognito-newman ') && !l.includes('"'));
    expect(cnCommands.map((c) => c.split(' ')[2]), demo.stderr()).toEqual(['run', 'token', 'doctor']);

    // `npm run api-test` (scripts/api-test.mjs) with these .env lines: what the checkout prints (next test), here with the run line's --env-var.
    const api = await runNode(join(REPO_ROOT, 'scripts', 'api-test.mjs'), baseUrlArgs(demo.stderr()), { cwd, env });
    expect(api.code, describe(api)).toBe(0);
    expect(api.stderr, describe(api)).toContain('assertions: 20 (0 failed)');
    for (const command of cnCommands) {
      const r = await runNode(CLI, command.split(/\s+/).slice(2), { cwd, env });
      expect(r.code, `${command}\n${describe(r)}`).toBe(0);
      if (command.includes(' token ')) expect(r.stdout).toMatch(/^Authorization: Bearer eyJ/);
      if (command.includes(' doctor ')) expect(r.stdout).toContain('signed in and verified the tokens');
      if (command.includes(' doctor ')) expect(r.stdout).toContain('✓ identity provider offered and answering: identity provider PartnerOkta');
      if (command.includes(' run ')) expect(r.stderr).toContain('assertions: 20 (0 failed)');
    }
  } finally {
    expect(await demo.stop(), demo.stderr()).toBe(0);
  }
  expect(demo.stderr()).toContain('stopping the demo API and the emulator');
});

test('demo --serve started again on the same ports: the same .env still passes (tokens cached from the last session are dropped)', async () => {
  test.setTimeout(90_000);
  const cwd = mkdtempSync(join(tmpdir(), 'cn-serve-'));
  const env = { ...baseEnv(), COGNITO_NEWMAN_CACHE_DIR: join(cwd, 'cache') };
  const first = await serve(cwd, env);
  writeFileSync(join(cwd, '.env'), first.stdout);
  const args = baseUrlArgs(first.stderr());
  const once = await runNode(join(REPO_ROOT, 'scripts', 'api-test.mjs'), args, { cwd, env });
  expect(once.code, describe(once)).toBe(0);
  expect(await first.stop()).toBe(0);
  // The ports the first session was given, reused as a user's fixed ports would be.
  const ports = [/COGNITO_DOMAIN=http:\/\/127\.0\.0\.1:(\d+)/.exec(first.stdout)![1]!, /baseUrl=http:\/\/127\.0\.0\.1:(\d+)/.exec(args.join(' '))![1]!] as [string, string];
  const second = await serve(cwd, env, ports);
  try {
    expect(second.stdout).toBe(first.stdout);
    // New signing keys: a token cached in the first session would now get 401 from the demo API.
    const again = await runNode(join(REPO_ROOT, 'scripts', 'api-test.mjs'), args, { cwd, env });
    expect(again.code, describe(again)).toBe(0);
    expect(again.stderr).toMatch(/signed in user "admin" \(admin\) \(login, /);
  } finally {
    expect(await second.stop()).toBe(0);
  }
});

test('in the checkout the printed commands are npm run api-test and npm run -s cn (npx would rebuild the checkout)', async () => {
  let out = '';
  let err = '';
  let printed!: () => void;
  const until = new Promise<void>((resolve) => (printed = resolve));
  const sink = (add: (s: string) => void) => ({ write: (s: string) => (add(s), s.includes('Press Ctrl-C') && printed(), true) }) as unknown as NodeJS.WritableStream;
  const code = await runDemoServe({ port: 0, apiPort: 0 }, createLogger('silent'), { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), cwd: REPO_ROOT, until });
  expect(code).toBe(0);
  const api = /demo API at (http:\/\/127\.0\.0\.1:\d+)/.exec(err)![1]!;
  expect(err).toContain('`cp .env.example .env` gives you exactly these, except the ports');
  expect(err).toContain(`  npm run api-test -- --env-var baseUrl=${api}  `);
  expect(err).toContain(`  npm run -s cn -- run collections/demo.postman_collection.json --env-var baseUrl=${api}\n`);
  expect(err).toContain('  npm run -s cn -- doctor --login\n');
  expect(err).not.toContain('npx cognito-newman');
  expect(out).toMatch(/^API_TEST_COLLECTION=collections\/demo\.postman_collection\.json$/m);
});

test('.env.example as shipped is the demo --serve .env at its default ports', () => {
  const active = readFileSync(join(REPO_ROOT, '.env.example'), 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l));
  const base = `http://127.0.0.1:${DEMO_EMULATOR_PORT}`;
  const poolId = String(DEFAULT_POOL.UserPoolId);
  const expected = demoEnvLines(
    { baseUrl: base, issuer: `${base}/${poolId}`, poolId },
    { collection: 'collections/demo.postman_collection.json', environment: 'collections/demo.postman_environment.json' },
  );
  expect(active.sort()).toEqual([...expected].sort());
  const environment = JSON.parse(readFileSync(join(REPO_ROOT, 'collections', 'demo.postman_environment.json'), 'utf8')) as { values: { key: string; value: string }[] };
  expect(environment.values.find((v) => v.key === 'baseUrl')?.value).toBe(`http://127.0.0.1:${DEMO_API_PORT}`);
});

// `cognito-newman demo --serve` as a newcomer uses it: the built CLI keeps the emulator and the
// demo API up, prints .env lines and commands; those lines written to .env and exactly the printed
// commands (api-test, run, token, doctor --login) then pass; Ctrl-C ends it cleanly with exit 0.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { CLI, REPO_ROOT, baseEnv, describe, type CliResult } from '../fixtures/cli.js';
import { DEMO_API_PORT, DEMO_EMULATOR_PORT, demoEnvLines } from '../../src/commands/demo-serve.js';
import { DEFAULT_POOL } from '../../src/emulator/index.js';

/** Run a node script (the CLI or scripts/api-test.mjs) in `cwd` with `env`, bounded. */
function runNode(script: string, args: string[], cwd: string, env: Record<string, string>): Promise<CliResult> {
  const started = Date.now();
  const child = spawn(process.execPath, [script, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((res) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr, durationMs: Date.now() - started });
    }),
  );
}

test('demo --serve: the printed .env lines and commands pass, and Ctrl-C stops it with exit 0', async () => {
  test.setTimeout(120_000);
  const cwd = mkdtempSync(join(tmpdir(), 'cn-serve-'));
  // A user's laptop: the token cache is on (not CI), kept in a folder of this test.
  const env = { ...baseEnv(), COGNITO_NEWMAN_CACHE_DIR: join(cwd, 'cache') };
  const child = spawn(process.execPath, [CLI, 'demo', '--serve', '--port', '0', '--api-port', '0'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const closed = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  // Ready when both streams are complete: the two pipes deliver in no fixed order.
  await new Promise<void>((resolve, reject) => {
    const ready = () => stderr.includes('Press Ctrl-C to stop.') && /^API_TEST_COLLECTION=.*\n/m.test(stdout) && resolve();
    child.stdout.setEncoding('utf8').on('data', (d: string) => ((stdout += d), ready()));
    child.stderr.setEncoding('utf8').on('data', (d: string) => ((stderr += d), ready()));
    void closed.then((code) => reject(new Error(`demo --serve exited ${code} before it was ready:\n${stderr}`)));
  });
  try {
    // stdout is the .env block itself, so `demo --serve > .env` would work too.
    writeFileSync(join(cwd, '.env'), stdout);
    expect(stdout).toContain('TEST_USERS=admin,reader');
    expect(stdout).toMatch(/^API_TEST_COLLECTION=.*collections\/demo\.postman_collection\.json$/m);

    const printed = stderr.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim());
    const apiTest = printed.find((l) => l.startsWith('npm run api-test'));
    // Outside the checkout (this test's cwd) the printed form is npx, as in a project that installed the package.
    const cnCommands = printed.filter((l) => l.startsWith('npx cognito-newman ') && !l.includes('"'));
    expect(apiTest, stderr).toBeTruthy();
    expect(cnCommands.map((c) => c.split(' ')[2]), stderr).toEqual(['run', 'token', 'doctor']);

    // Exactly the printed commands (npm run api-test -- X is scripts/api-test.mjs X; npx is the bin).
    const apiArgs = apiTest!.replace(/^npm run api-test( --)?/, '').trim().split(/\s+/).filter(Boolean);
    const api = await runNode(join(REPO_ROOT, 'scripts', 'api-test.mjs'), apiArgs, cwd, env);
    expect(api.code, describe(api)).toBe(0);
    expect(api.stderr, describe(api)).toContain('assertions: 11 (0 failed)');
    for (const command of cnCommands) {
      const r = await runNode(CLI, command.split(/\s+/).slice(2), cwd, env);
      expect(r.code, `${command}\n${describe(r)}`).toBe(0);
      if (command.includes(' token ')) expect(r.stdout).toMatch(/^Authorization: Bearer eyJ/);
      if (command.includes(' doctor ')) expect(r.stdout).toContain('signed in and verified the tokens');
      if (command.includes(' run ')) expect(r.stderr).toContain('assertions: 11 (0 failed)');
    }
  } finally {
    child.kill('SIGINT');
  }
  expect(await closed, stderr).toBe(0);
  expect(stderr).toContain('stopping the demo API and the emulator');
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

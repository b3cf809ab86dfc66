// `passkey enroll` and the passkey it prints, through the built CLI as a user runs them: a user
// who signs in with an emailed code enrols a passkey (stdout: the credential JSON only), then that
// passkey signs the passwordless user in from three fresh processes in a row with no token cache,
// against the emulator's strict counter check. Nothing secret (private key, codes) appears in
// stderr, in the token runs' stdout, or in any file the runs wrote.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { runCli, describe } from '../fixtures/cli.js';
import { startEmulator, type RunningEmulator } from '../../packages/emulator/src/index.js';
import { DEFAULT_POOL } from '../../packages/emulator/src/default-pool.js';
import { enrollPasskey } from '../../src/index.js';
import type { PoolConfig } from '../../packages/emulator/src/config.js';
import { filesUnder } from '../fixtures/files.js';

const USER = 'enrol-me@example.com';
let emu: RunningEmulator;
let mailDir: string;
let work: string;

test.beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'cn-enroll-'));
  mailDir = join(work, 'mail');
  mkdirSync(mailDir);
  const pool = {
    ...DEFAULT_POOL,
    Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN', 'EMAIL_OTP'] } },
    Users: [...(DEFAULT_POOL.Users ?? []), { Username: USER, Attributes: [{ Name: 'email', Value: USER }, { Name: 'email_verified', Value: 'true' }] }],
  } as PoolConfig;
  emu = await startEmulator({ port: 0, config: pool, ui: 'managed', usernameFirst: true, messageSinks: { email: { type: 'file', path: mailDir } }, behaviour: { passkeyCounter: 'strict' } });
});
test.afterAll(async () => {
  await emu?.stop();
});

const baseEnv = () => ({
  COGNITO_DOMAIN: emu.baseUrl,
  COGNITO_CLIENT_ID: 'demo-public-client',
  COGNITO_USER_POOL_ID: emu.poolId,
  COGNITO_ISSUER: emu.issuer,
  TEST_USER_USERNAME: USER,
  COGNITO_NEWMAN_ARTIFACTS_DIR: join(work, 'artifacts'),
});


test('a passkey enrolled once signs in from three fresh processes in a row; nothing secret leaks', async () => {
  test.setTimeout(120_000);
  const cwd = join(work, 'cwd');
  mkdirSync(cwd, { recursive: true });
  const enrol = await runCli(['passkey', 'enroll'], { cwd, env: { ...baseEnv(), TEST_USER_SIGN_IN_FACTOR: 'email', TEST_USER_CODE_SOURCE: mailDir } });
  expect(enrol.code, describe(enrol)).toBe(0);
  const credential = JSON.parse(enrol.stdout.trim()) as Record<string, string>;
  expect(Object.keys(credential).sort()).toEqual(['id', 'privateKey', 'publicKey', 'rpId', 'userHandle']);
  expect(credential.rpId).toBe('127.0.0.1');
  expect(emu.passkeys(USER).map((p) => p.id)).toEqual([credential.id]);

  const secrets = [credential.privateKey!];
  const runs = [enrol];
  const counters: number[] = [];
  for (let i = 0; i < 3; i++) {
    // No password, no code source: the passkey alone, from a fresh process with no cache.
    const r = await runCli(['token', '--format', 'json', '--no-cache'], { cwd, env: { ...baseEnv(), TEST_USER_PASSKEY: enrol.stdout.trim() } });
    expect(r.code, describe(r)).toBe(0);
    expect(JSON.parse(r.stdout)).toBeTruthy();
    runs.push(r);
    counters.push(emu.passkeys(USER)[0]!.signCount);
  }
  expect(counters[1]).toBeGreaterThan(counters[0]!);
  expect(counters[2]).toBeGreaterThan(counters[1]!);

  // The codes the emulator sent during enrolment are secrets too.
  for (const m of emu.observed.messages) secrets.push(/\d{6,8}/.exec(m.text)![0]);
  expect(secrets.length).toBeGreaterThan(1);
  for (const [i, r] of runs.entries()) {
    for (const s of secrets) {
      expect(r.stderr, `stderr of run ${i}`).not.toContain(s);
      if (i > 0) expect(r.stdout, `stdout of token run ${i}`).not.toContain(s);
    }
  }
  for (const f of filesUnder(work).filter((p) => !p.startsWith(mailDir))) {
    const text = readFileSync(f, 'latin1');
    for (const s of secrets) expect(text, f).not.toContain(s);
  }
});

test('enroll for a user who cannot sign in is exit 2 before any browser, naming the variable', async () => {
  const r = await runCli(['passkey', 'enroll'], { env: { ...baseEnv(), TEST_USER_SIGN_IN_FACTOR: 'email' } });
  expect(r.code, describe(r)).toBe(2);
  expect(r.stderr).toContain('TEST_USER_CODE_SOURCE: required');
  expect(r.stdout).toBe('');
});

test('the library enrolls too: enrollPasskey() resolves to the credential the pool now holds', async () => {
  test.setTimeout(60_000);
  writeFileSync(join(work, 'empty.env'), '');
  const credential = await enrollPasskey({ env: {}, envFile: join(work, 'empty.env'), settings: { ...baseEnv(), TEST_USER_SIGN_IN_FACTOR: 'email', TEST_USER_CODE_SOURCE: mailDir }, cache: false }).catch((e: unknown) => e);
  expect(credential, String(credential)).toMatchObject({ rpId: '127.0.0.1' });
  expect(emu.passkeys(USER).map((p) => p.id)).toContain((credential as { id: string }).id);
});

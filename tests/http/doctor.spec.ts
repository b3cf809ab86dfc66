// `runDoctorCommand` in-process against the real emulator (and moto for Secrets Manager): each
// check's ✓, each ✗ with its fix, the skips that follow a failure, the exit code of the first
// failure, and that no password ever reaches the output.
import { mergeTests } from '@playwright/test';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { test as emulatorTest, expect, type RunningEmulator } from '../fixtures/emulator.js';
import { test as motoTest, type MotoServer } from '../fixtures/moto.js';
import { runDoctorCommand, type DoctorDeps, type DoctorFlags } from '../../src/commands/doctor.js';
import { startEmulator, DEFAULT_POOL, type PoolConfig } from '../../packages/emulator/src/index.js';
import { createSecretsManagerResolver } from '../../src/secrets/secrets-manager.js';
import { loginRejected } from '../../src/errors.js';
import { clearSecrets, silentLogger } from '../../src/log.js';

const test = mergeTests(emulatorTest, motoTest);

// The redaction registry is process-wide: a username read from a secret must not mask later tests.
test.afterEach(() => clearSecrets());

const PASSWORD = 'Admin-Passw0rd!';

function goodEnv(emu: RunningEmulator): Record<string, string> {
  return {
    COGNITO_DOMAIN: emu.baseUrl,
    COGNITO_CLIENT_ID: 'demo-public-client',
    COGNITO_USER_POOL_ID: emu.poolId,
    COGNITO_ISSUER: emu.issuer,
    TEST_USER_USERNAME: 'admin',
    TEST_USER_PASSWORD: PASSWORD,
    COGNITO_REDIRECT_URI: 'https://oauth.pstmn.io/v1/callback',
    ...(process.env.COGNITO_NEWMAN_BROWSER ? { COGNITO_NEWMAN_BROWSER: process.env.COGNITO_NEWMAN_BROWSER } : {}),
  };
}

interface DoctorRun {
  code: number;
  text: string;
  /** The check line that starts with `symbol name`, e.g. line('✗', 'domain answers'). */
  line(symbol: '✓' | '✗' | '-', name: string): string | undefined;
  lines: string[];
}

async function doctor(env: Record<string, string>, flags: DoctorFlags = {}, deps: DoctorDeps = {}): Promise<DoctorRun> {
  let text = '';
  const out = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  // A fresh folder: no .env of the repository (or the developer) is read.
  const cwd = mkdtempSync(join(tmpdir(), 'cn-doctor-'));
  const code = await runDoctorCommand(flags, silentLogger, out, { env, cwd, ...deps });
  const lines = text.split('\n');
  return { code, text, lines, line: (symbol, name) => lines.find((l) => l.startsWith(`${symbol} ${name}`)) };
}

/** The fix line printed right under a check's ✗ line (after its problem lines). */
function fixUnder(run: DoctorRun, name: string): string | undefined {
  const i = run.lines.findIndex((l) => l.startsWith(`✗ ${name}`));
  if (i < 0) return undefined;
  return run.lines.slice(i + 1).find((l) => l.trimStart().startsWith('fix:'));
}

function expectNoPassword(run: DoctorRun, password = PASSWORD): void {
  expect(run.text).not.toContain(password);
  expect(run.text).not.toContain(encodeURIComponent(password));
}

test('a good configuration passes every check, skips secrets and the opt-in login, and exits 0', async ({ emulator }) => {
  const run = await doctor(goodEnv(emulator));
  expect(run.code, run.text).toBe(0);
  expect(run.line('✓', 'configuration complete'), run.text).toContain(`app client demo-public-client`);
  expect(run.line('✓', 'browser found'), run.text).toBeTruthy();
  expect(run.line('✓', 'domain answers'), run.text).toContain(`${emulator.baseUrl}/login answered HTTP`);
  expect(run.line('✓', '/oauth2/authorize leads to /login'), run.text).toContain(`${emulator.baseUrl}/login`);
  expect(run.line('✓', 'login page is classic or managed'), run.text).toContain('classic Hosted UI');
  expect(run.line('✓', 'JWKS reachable with RS256 keys'), run.text).toMatch(/\d+ RS256 keys?/);
  expect(run.line('-', 'secret readable'), run.text).toContain('no TEST_USER_*_SECRET_ID');
  expect(run.line('-', 'test login'), run.text).toContain('--login');
  expect(run.text.trimEnd().split('\n').at(-1)).toBe('6 checks passed, 0 failed, 2 skipped');
  expect(run.text).not.toContain('✗');
  expectNoPassword(run);
});

test('a client id the pool does not know fails the authorize check with the register-or-wrong-client fix, exit 2', async ({ emulator }) => {
  const run = await doctor({ ...goodEnv(emulator), COGNITO_CLIENT_ID: 'no-such-client' });
  expect(run.code, run.text).toBe(2);
  expect(run.line('✓', 'domain answers'), run.text).toBeTruthy();
  expect(run.line('✗', '/oauth2/authorize leads to /login'), run.text).toContain('/error?error=redirect_mismatch');
  expect(fixUnder(run, '/oauth2/authorize'), run.text).toContain('on app client no-such-client, or the client id is wrong');
  expect(run.line('-', 'login page is classic or managed'), run.text).toContain('needs the /oauth2/authorize check to pass');
  expect(run.text).toMatch(/\d+ checks passed, 1 failed, 3 skipped\n$/);
  expectNoPassword(run);
});

test('an unregistered redirect URI fails the authorize check naming that exact URI, exit 2', async ({ emulator }) => {
  const uri = 'https://app.example.com/not-registered/callback';
  const run = await doctor({ ...goodEnv(emulator), COGNITO_REDIRECT_URI: uri });
  expect(run.code, run.text).toBe(2);
  expect(run.line('✗', '/oauth2/authorize leads to /login'), run.text).toContain(`redirect URI ${uri}`);
  expect(fixUnder(run, '/oauth2/authorize'), run.text).toContain(`Register this exact callback URL ${uri} on app client demo-public-client`);
});

test('scopes the app client does not allow come back as error=invalid_scope with the scope fix', async ({ emulator }) => {
  const run = await doctor({ ...goodEnv(emulator), COGNITO_SCOPES: 'not-a-scope' });
  expect(run.code, run.text).toBe(2);
  expect(run.line('✗', '/oauth2/authorize leads to /login'), run.text).toContain('error=invalid_scope');
  expect(fixUnder(run, '/oauth2/authorize'), run.text).toContain('Allow the scopes not-a-scope on app client demo-public-client');
});

test('a closed port fails the domain check as unreachable with the URL, skips what needs the domain, exit 4', async ({ emulator }) => {
  const closed = await closedPort();
  const domain = `http://127.0.0.1:${closed}`;
  const run = await doctor({ ...goodEnv(emulator), COGNITO_DOMAIN: domain });
  expect(run.code, run.text).toBe(4);
  expect(run.line('✗', 'domain answers'), run.text).toContain(`unreachable: ${domain}/login: connection refused`);
  expect(fixUnder(run, 'domain answers'), run.text).toContain('start the emulator');
  expect(run.line('-', '/oauth2/authorize leads to /login'), run.text).toContain('the domain did not answer');
  expect(run.line('-', 'login page is classic or managed'), run.text).toBeTruthy();
  // The issuer is another host in real life: its check still runs.
  expect(run.line('✓', 'JWKS reachable with RS256 keys'), run.text).toBeTruthy();
});

test('a domain that accepts connections but never answers fails within the timeout given', async ({ emulator }) => {
  const silent = await silentServer();
  try {
    const run = await doctor({ ...goodEnv(emulator), COGNITO_DOMAIN: silent.url }, { timeoutMs: 300 });
    expect(run.code, run.text).toBe(4);
    expect(run.line('✗', 'domain answers'), run.text).toContain(`unreachable: ${silent.url}/login: no answer within 300 ms`);
    expect(fixUnder(run, 'domain answers'), run.text).toContain('--timeout-ms');
  } finally {
    await silent.close();
  }
});

test('missing configuration lists every missing variable as its own ✗ line and skips the network checks, exit 2', async () => {
  const run = await doctor({});
  expect(run.code, run.text).toBe(2);
  expect(run.line('✗', 'configuration complete'), run.text).toBeTruthy();
  const problems = run.lines.filter((l) => l.startsWith('    ✗ '));
  expect(problems.some((l) => l.startsWith('    ✗ COGNITO_DOMAIN: required')), run.text).toBe(true);
  expect(problems.some((l) => l.startsWith('    ✗ COGNITO_CLIENT_ID: required')), run.text).toBe(true);
  expect(fixUnder(run, 'configuration complete'), run.text).toContain('.env.example');
  for (const name of ['domain answers', '/oauth2/authorize leads to /login', 'login page is classic or managed', 'JWKS reachable with RS256 keys']) {
    expect(run.line('-', name), run.text).toContain('needs a valid configuration');
  }
});

test('a configuration without any test user fails the configuration check but still runs the network checks', async ({ emulator }) => {
  const env = goodEnv(emulator);
  delete env.TEST_USER_USERNAME;
  delete env.TEST_USER_PASSWORD;
  const run = await doctor(env);
  expect(run.code, run.text).toBe(2);
  expect(run.lines.some((l) => l.startsWith('    ✗ TEST_USER_USERNAME: no test user')), run.text).toBe(true);
  expect(run.line('✓', '/oauth2/authorize leads to /login'), run.text).toBeTruthy();
});

test('without a pool id or issuer the JWKS check is skipped with how to enable it, and the run still passes', async ({ emulator }) => {
  const env = goodEnv(emulator);
  delete env.COGNITO_USER_POOL_ID;
  delete env.COGNITO_ISSUER;
  const run = await doctor(env);
  expect(run.code, run.text).toBe(0);
  expect(run.line('-', 'JWKS reachable with RS256 keys'), run.text).toContain('set COGNITO_USER_POOL_ID to enable');
});

test('an issuer that is not the pool fails the JWKS check (HTTP 404) with the pool-id fix, exit 2', async ({ emulator }) => {
  const run = await doctor({ ...goodEnv(emulator), COGNITO_ISSUER: `${emulator.baseUrl}/us-east-1_NoSuchPool` });
  expect(run.code, run.text).toBe(2);
  expect(run.line('✗', 'JWKS reachable with RS256 keys'), run.text).toContain('answered HTTP 404');
  expect(fixUnder(run, 'JWKS reachable'), run.text).toContain('COGNITO_USER_POOL_ID');
});

test('Managed Login is recognised as such', async ({ emulator }) => {
  const managed = await startEmulator({ port: 0, ui: 'managed' });
  try {
    const run = await doctor({ ...goodEnv(emulator), COGNITO_DOMAIN: managed.baseUrl, COGNITO_ISSUER: managed.issuer });
    expect(run.code, run.text).toBe(0);
    expect(run.line('✓', 'login page is classic or managed'), run.text).toContain('Managed Login');
  } finally {
    await managed.stop();
  }
});

test('"Login pages unavailable" (Managed Login, client without branding) fails with the branding-style fix, exit 2', async ({ emulator }) => {
  const config = structuredClone(DEFAULT_POOL) as PoolConfig;
  const client = config.UserPoolClients!.find((c) => (c as { ClientId?: string }).ClientId === 'demo-public-client')!;
  (client as Record<string, unknown>).ManagedLoginBranding = false;
  const managed = await startEmulator({ port: 0, ui: 'managed', config });
  try {
    const run = await doctor({ ...goodEnv(emulator), COGNITO_DOMAIN: managed.baseUrl, COGNITO_ISSUER: managed.issuer });
    expect(run.code, run.text).toBe(2);
    expect(run.line('✗', 'login page is classic or managed'), run.text).toContain('Login pages unavailable');
    expect(fixUnder(run, 'login page'), run.text).toContain('create-managed-login-branding');
  } finally {
    await managed.stop();
  }
});

test('COGNITO_LOGIN_UI that contradicts the page fails the login-page check', async ({ emulator }) => {
  const run = await doctor({ ...goodEnv(emulator), COGNITO_LOGIN_UI: 'managed' });
  expect(run.code, run.text).toBe(2);
  expect(run.line('✗', 'login page is classic or managed'), run.text).toContain('classic Hosted UI page, but COGNITO_LOGIN_UI=managed');
});

test('a secret that does not exist fails its own check with the mapped message and hint; the IdP checks still run', async ({ emulator, moto }) => {
  const env = goodEnv(emulator);
  delete env.TEST_USER_USERNAME;
  delete env.TEST_USER_PASSWORD;
  const run = await doctor({ ...env, TEST_USER_SECRET_ID: 'cognito-newman/missing-user', AWS_REGION: moto.env.AWS_REGION }, {}, { secretResolver: motoResolver(moto) });
  expect(run.code, run.text).toBe(2);
  expect(run.line('✓', 'configuration complete'), run.text).toBeTruthy();
  expect(run.line('✓', '/oauth2/authorize leads to /login'), run.text).toBeTruthy();
  expect(run.line('✗', 'secret readable: cognito-newman/missing-user'), run.text).toContain('[SECRET_NOT_FOUND] Secret cognito-newman/missing-user was not found');
  expect(fixUnder(run, 'secret readable'), run.text).toContain('Check the name and the region');
});

test('a readable secret passes, names its fields, and its password never appears', async ({ emulator, moto }) => {
  const secret = { username: 'admin', password: PASSWORD };
  await motoClient(moto).send(new CreateSecretCommand({ Name: 'cognito-newman/doctor-user', SecretString: JSON.stringify(secret) }));
  const env = goodEnv(emulator);
  delete env.TEST_USER_USERNAME;
  delete env.TEST_USER_PASSWORD;
  const run = await doctor({ ...env, TEST_USER_SECRET_ID: 'cognito-newman/doctor-user' }, {}, { secretResolver: motoResolver(moto) });
  expect(run.code, run.text).toBe(0);
  // Every value of a secret is masked once read, except the username: no secret (issue 11).
  expect(run.line('✓', 'configuration complete'), run.text).toContain('1 test user: admin');
  expect(run.line('✓', 'secret readable: cognito-newman/doctor-user'), run.text).toContain('holds username, password');
  expectNoPassword(run);
});

test('--login with a wrong password fails the test login with the login error paragraph, exit 3', async ({ emulator }) => {
  test.setTimeout(90_000);
  const wrong = 'Wrong-Passw0rd-for-doctor!';
  const run = await doctor({ ...goodEnv(emulator), TEST_USER_PASSWORD: wrong }, { login: true });
  expect(run.code, run.text).toBe(3);
  expect(run.line('✗', 'test login'), run.text).toMatch(/\[[A-Z_]+\] Test user admin: /);
  expect(fixUnder(run, 'test login'), run.text).toBeTruthy();
  expectNoPassword(run, wrong);
});

test('--login is skipped when an earlier check failed: the earlier ✗ is the diagnosis', async ({ emulator }) => {
  let called = false;
  const run = await doctor({ ...goodEnv(emulator), COGNITO_CLIENT_ID: 'no-such-client' }, { login: true }, {
    acquire: async () => {
      called = true;
      return [];
    },
  });
  expect(called).toBe(false);
  expect(run.line('-', 'test login'), run.text).toContain('fix the failures above first');
});

test('a rejected sign-in keeps its class: the login error decides the exit code when it is the first failure', async ({ emulator }) => {
  const run = await doctor(goodEnv(emulator), { login: true }, {
    acquire: async () => {
      throw loginRejected('USER_DISABLED', 'Test user admin: User admin is disabled in the user pool.', { hint: 'Enable it.' });
    },
  });
  expect(run.code, run.text).toBe(3);
  expect(run.line('✗', 'test login'), run.text).toContain('[USER_DISABLED] Test user admin: User admin is disabled');
  expect(fixUnder(run, 'test login'), run.text).toContain('fix: Enable it.');
});

test('an invalid --timeout-ms is a usage error', async ({ emulator }) => {
  await expect(doctor(goodEnv(emulator), { timeoutMs: 'soon' })).rejects.toMatchObject({ code: 'USAGE', exitCode: 2 });
});

// ---------------------------------------------------------------------------------------------

function motoClient(moto: MotoServer): SecretsManagerClient {
  return new SecretsManagerClient({
    region: moto.env.AWS_REGION,
    endpoint: moto.endpoint,
    credentials: { accessKeyId: moto.env.AWS_ACCESS_KEY_ID, secretAccessKey: moto.env.AWS_SECRET_ACCESS_KEY },
  });
}

function motoResolver(moto: MotoServer) {
  return createSecretsManagerResolver({ client: motoClient(moto) });
}

/** A port nothing listens on: bound, noted, released. */
async function closedPort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Accepts connections and never answers: the shape of a black-holed host. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const srv: NetServer = createNetServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        srv.close(() => r());
      }),
  };
}

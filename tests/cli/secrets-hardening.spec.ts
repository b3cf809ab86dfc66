// Secrets Manager, hardened (issue 11): redaction exactly of secrets (a username that comes from a
// secret is not a secret), and an access-denied answer is configuration (exit 2 naming the IAM
// action and the secret), not "usually temporary". Real SDK against moto_server, real Chromium
// against the emulator, real Newman against the demo API. Skips, saying why, without moto_server.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { test, expect, MOTO_BIN, requireMoto } from '../fixtures/moto.js';
import { startDemoApi, type DemoApi } from '../../packages/emulator/demo-api/server.js';
import { startEmulator, type RunningEmulator } from '../../packages/emulator/src/index.js';
import { runCli, describe } from '../fixtures/cli.js';
import { emulatorEnv } from './_emulator-requests.js';
import { freePort } from '../fixtures/ports.js';

const ADMIN = { username: 'admin', password: 'Admin-Passw0rd!' };

/** "admin" in the collection's name, a request's name, its URL and its test: all must survive. */
const COLLECTION = {
  info: { name: 'admin smoke', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
  item: [
    {
      name: 'GET /me as admin',
      request: { method: 'GET', url: '{{baseUrl}}/me?as=admin', auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{accessToken}}', type: 'string' }] } },
      event: [{ listen: 'test', script: { type: 'text/javascript', exec: ["pm.test('the API sees admin', () => pm.expect(pm.response.json().username).to.eql('admin'));"] } }],
    },
  ],
};

let emulator: RunningEmulator;
let api: DemoApi;
let work: string;
test.beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
  api = await startDemoApi({ port: 0, issuer: emulator.issuer, clientIds: ['demo-public-client'] });
  work = mkdtempSync(join(tmpdir(), 'cn-smh-'));
  writeFileSync(join(work, 'collection.json'), JSON.stringify(COLLECTION));
});
test.afterEach(async () => {
  await api.stop();
  await emulator.stop();
});

function awsEnv(endpoint: string, keys: { id: string; secret: string }): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: keys.id,
    AWS_SECRET_ACCESS_KEY: keys.secret,
    HOME: work,
    AWS_CONFIG_FILE: join(work, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

async function createSecret(endpoint: string, keys: { id: string; secret: string }, name: string, value: string): Promise<void> {
  const client = new SecretsManagerClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: keys.id, secretAccessKey: keys.secret } });
  try {
    await client.send(new CreateSecretCommand({ Name: name, SecretString: value }));
  } finally {
    client.destroy();
  }
}

/** What a report says about names and URLs: everything but times, ids and the token. */
function reportShape(file: string) {
  const r = JSON.parse(readFileSync(file, 'utf8')) as {
    collection: { info: { name: string } };
    run: { executions: { item: { name: string }; request: { url: unknown }; assertions?: { assertion: string; error?: unknown }[] }[] };
  };
  const url = (u: unknown) => {
    const o = u as { protocol?: string; host?: string[]; port?: string; path?: string[]; query?: { key: string; value: string }[] };
    return `${o.path?.join('/')}?${(o.query ?? []).map((q) => `${q.key}=${q.value}`).join('&')}`;
  };
  return {
    collection: r.collection.info.name,
    executions: r.run.executions.map((e) => ({ item: e.item.name, url: url(e.request.url), assertions: (e.assertions ?? []).map((a) => `${a.assertion}:${a.error ? 'failed' : 'passed'}`) })),
  };
}

test('the same run with the user from .env and from Secrets Manager gives the same reports: a username is not a secret', async ({ moto }) => {
  const keys = { id: moto.env.AWS_ACCESS_KEY_ID, secret: moto.env.AWS_SECRET_ACCESS_KEY };
  await createSecret(moto.endpoint, keys, 'cognito-newman/admin', JSON.stringify(ADMIN));
  const base = { CI: 'true', ...emulatorEnv(emulator) };
  const args = (report: string) => ['run', join(work, 'collection.json'), '--env-var', `baseUrl=${api.baseUrl}`, '-r', 'cli,json', '--reporter-json-export', join(work, report)];

  writeFileSync(join(work, '.env'), `TEST_USER_USERNAME=${ADMIN.username}\nTEST_USER_PASSWORD='${ADMIN.password}'\n`);
  const fromEnv = await runCli(args('env.json'), { cwd: work, env: base });
  expect(fromEnv.code, describe(fromEnv)).toBe(0);

  writeFileSync(join(work, '.env'), '');
  const fromSecret = await runCli(args('secret.json'), { cwd: work, env: { ...base, ...awsEnv(moto.endpoint, keys), TEST_USER_SECRET_ID: 'cognito-newman/admin' } });
  expect(fromSecret.code, describe(fromSecret)).toBe(0);

  const expected = reportShape(join(work, 'env.json'));
  expect(expected.collection).toBe('admin smoke');
  expect(expected.executions[0]).toEqual({ item: 'GET /me as admin', url: 'me?as=admin', assertions: ['the API sees admin:passed'] });
  expect(reportShape(join(work, 'secret.json'))).toEqual(expected);
  for (const r of [fromEnv, fromSecret]) {
    expect(r.stderr, describe(r)).toContain('signed in user admin');
    expect(r.stdout + r.stderr).toContain('GET /me as admin');
    expect(r.stdout + r.stderr + readFileSync(join(work, 'secret.json'), 'utf8')).not.toContain(ADMIN.password);
  }
});

// --- access denied: a moto_server that enforces IAM ----------------------------------------------


/** IAM's query API on moto, unauthenticated (moto lets the first INITIAL_NO_AUTH_ACTION_COUNT calls through). */
async function iam(endpoint: string, params: Record<string, string>): Promise<string> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: new URLSearchParams({ Version: '2010-05-08', ...params }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`IAM ${params.Action}: HTTP ${res.status} ${text}`);
  return text;
}

test('access denied by IAM is a configuration error (exit 2) naming secretsmanager:GetSecretValue and the secret', async () => {
  requireMoto();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // IAM enforced after three free calls: create a user, its key, and the secret; then the user is denied.
  const child = spawn(MOTO_BIN, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore', env: { ...process.env, INITIAL_NO_AUTH_ACTION_COUNT: '3' } });
  try {
    await expect.poll(async () => fetch(`${endpoint}/moto-api/`).then((r) => r.ok, () => false), { timeout: 20_000 }).toBe(true);
    await iam(endpoint, { Action: 'CreateUser', UserName: 'ci-runner' });
    const key = await iam(endpoint, { Action: 'CreateAccessKey', UserName: 'ci-runner' });
    const keys = { id: /<AccessKeyId>([^<]+)</.exec(key)![1]!, secret: /<SecretAccessKey>([^<]+)</.exec(key)![1]! };
    await createSecret(endpoint, keys, 'cognito-newman/admin', JSON.stringify(ADMIN));
    const r = await runCli(['token'], { cwd: work, env: { CI: 'true', ...emulatorEnv(emulator), ...awsEnv(endpoint, keys), TEST_USER_SECRET_ID: 'cognito-newman/admin' } });
    expect(r.code, describe(r)).toBe(2);
    expect(r.stderr).toContain('secretsmanager:GetSecretValue');
    expect(r.stderr).toContain('cognito-newman/admin');
    expect(r.stderr).not.toContain('usually temporary');
  } finally {
    child.kill('SIGTERM');
  }
});

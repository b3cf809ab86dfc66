// `cognito-newman run` with the test user's credentials only in AWS Secrets Manager (issue 5):
// a secret created with the real SDK on moto_server, the built CLI with only TEST_USER_SECRET_ID
// set, real Chromium signing in to the emulator, real Newman calling the demo API. Each way the
// secret can be wrong gives its own message and exit 2. Skips, saying why, without moto_server.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { test, expect, type MotoServer } from '../fixtures/moto.js';
import { startDemoApi, type DemoApi } from '../../packages/emulator/demo-api/server.js';
import type { RunningEmulator } from '../../packages/emulator/src/index.js';
import { runCli, describe } from '../fixtures/cli.js';
import { emulatorEnv, signIns, startCountingEmulator, type RequestLog } from './_emulator-requests.js';

const ADMIN = { username: 'admin', password: 'Admin-Passw0rd!' };

/** One request to the demo API's /me with {{accessToken}}, checking who the API sees. */
const COLLECTION = {
  info: { name: 'secret-backed user', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
  item: [
    {
      name: 'GET /me',
      request: { method: 'GET', url: '{{baseUrl}}/me', auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{accessToken}}', type: 'string' }] } },
      event: [
        {
          listen: 'test',
          script: { type: 'text/javascript', exec: ["pm.test('the API sees the user from the secret', () => {", '  pm.response.to.have.status(200);', "  pm.expect(pm.response.json().username).to.eql('admin');", '});'] },
        },
      ],
    },
  ],
};

let emulator: RunningEmulator;
let log: RequestLog;
let api: DemoApi;
let work: string;
let collection: string;

test.beforeEach(async () => {
  ({ emulator, log } = await startCountingEmulator());
  api = await startDemoApi({ port: 0, issuer: emulator.issuer, clientIds: ['demo-public-client'] });
  work = mkdtempSync(join(tmpdir(), 'cn-sm-'));
  collection = join(work, 'collection.json');
  writeFileSync(collection, JSON.stringify(COLLECTION));
});

test.afterEach(async () => {
  await api.stop();
  await emulator.stop();
});

async function createSecret(moto: MotoServer, name: string, value: string): Promise<string> {
  const client = new SecretsManagerClient({
    region: moto.env.AWS_REGION,
    endpoint: moto.endpoint,
    credentials: { accessKeyId: moto.env.AWS_ACCESS_KEY_ID, secretAccessKey: moto.env.AWS_SECRET_ACCESS_KEY },
  });
  try {
    return (await client.send(new CreateSecretCommand({ Name: name, SecretString: value }))).ARN!;
  } finally {
    client.destroy();
  }
}

/** The AWS side of the child's environment: moto's endpoint and dummy keys, nothing of the developer's AWS set-up. */
function awsEnv(moto: MotoServer, credentials = true): Record<string, string | undefined> {
  return {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint,
    AWS_REGION: moto.env.AWS_REGION,
    ...(credentials ? { AWS_ACCESS_KEY_ID: moto.env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: moto.env.AWS_SECRET_ACCESS_KEY } : {}),
    HOME: work,
    AWS_CONFIG_FILE: join(work, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-aws-credentials'),
    // The default chain's last link is the EC2 metadata service: off, so nothing leaves 127.0.0.1.
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

const run = (moto: MotoServer, secretId: string, credentials = true) =>
  runCli(['run', collection, '--env-var', `baseUrl=${api.baseUrl}`], {
    // Only the secret id for credentials: no TEST_USER_USERNAME/PASSWORD anywhere.
    env: { ...emulatorEnv(emulator), ...awsEnv(moto, credentials), TEST_USER_SECRET_ID: secretId, CI: 'true' },
  });

test('run signs in with the credentials from the secret and passes', async ({ moto }) => {
  await createSecret(moto, 'cognito-newman/test-user', JSON.stringify(ADMIN));
  const r = await run(moto, 'cognito-newman/test-user');
  expect(r.code, describe(r)).toBe(0);
  expect(signIns(log)).toBe(1);
  expect(r.stdout).toContain('the API sees the user from the secret');
  expect(r.stdout + r.stderr).not.toContain(ADMIN.password);
});

test('a secret that does not exist: exit 2 naming the secret and the region', async ({ moto }) => {
  const r = await run(moto, 'cognito-newman/missing');
  expect(r.code, describe(r)).toBe(2);
  expect(r.stderr).toContain('Secret cognito-newman/missing was not found in region us-east-1');
  expect(signIns(log)).toBe(0);
});

test('a secret that is not JSON: exit 2 saying so, without echoing the value', async ({ moto }) => {
  await createSecret(moto, 'cognito-newman/plain', 'admin:Admin-Passw0rd!');
  const r = await run(moto, 'cognito-newman/plain');
  expect(r.code, describe(r)).toBe(2);
  expect(r.stderr).toContain('Secret cognito-newman/plain is not valid JSON');
  expect(r.stderr).not.toContain('Admin-Passw0rd!');
});

test('a secret without the password key: exit 2 naming the key', async ({ moto }) => {
  await createSecret(moto, 'cognito-newman/no-password', JSON.stringify({ username: 'admin' }));
  const r = await run(moto, 'cognito-newman/no-password');
  expect(r.code, describe(r)).toBe(2);
  expect(r.stderr).toContain('Secret cognito-newman/no-password has no non-empty "password" key');
});

test('no AWS credentials: exit 2 saying how to provide them', async ({ moto }) => {
  await createSecret(moto, 'cognito-newman/test-user', JSON.stringify(ADMIN));
  const r = await run(moto, 'cognito-newman/test-user', false);
  expect(r.code, describe(r)).toBe(2);
  expect(r.stderr).toContain('No AWS credentials were found to read secret cognito-newman/test-user');
});

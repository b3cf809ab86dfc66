// No secret in the GitHub Actions log a reader sees (issue 17): the built CLI and the library, with
// GITHUB_ACTIONS=true, read credentials that Secrets Manager (moto_server, real SDK) holds as
// pretty-printed JSON (as `--secret-string file://secret.json` stores it), with `%`, escape-like
// `%25`/`%0A` and a multi-line value, sign in through the emulator with real Chromium, and print
// their tokens (a Newman run prints one from a script); stdout and stderr, merged as the runner merges them, go through a model of the
// runner's masking (tests/fixtures/actions-runner-log.ts), and nothing secret may remain.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { test, expect } from '../fixtures/moto.js';
import { baseEnv, CLI, REPO_ROOT } from '../fixtures/cli.js';
import { runnerLog, secretsShown } from '../fixtures/actions-runner-log.js';
import { startEmulator, type RunningEmulator } from '../../packages/emulator/src/index.js';
import { DEFAULT_POOL } from '../../packages/emulator/src/default-pool.js';
import { startDemoApi } from '../../packages/emulator/demo-api/server.js';

// `%25` and `%0A` in the values themselves: written unescaped, the runner would turn them into `%`
// and a line break and mask a different string than the one to hide.
const USER = {
  username: 'mask-user',
  password: 'Pct%-Pass%25w0rd%0A!',
  recoveryCodes: 'RC-7391-QWER-2210\nRC-5518-ZXCV-9043\nRC-0264-ASDF-7781',
};
const CLIENT = { id: 'mask-client', secret: 'cs-%0D%-Mask-client-s3cret-4417' };
const USER_SECRET_ID = 'ci/mask-user';
const CLIENT_SECRET_ID = 'ci/mask-client';
/** Every value a reader must never see (the username is no secret and stays readable). */
const SECRETS = [USER.password, USER.recoveryCodes, CLIENT.secret];

let emulator: RunningEmulator;
let work: string;
test.beforeEach(async ({ moto }) => {
  emulator = await startEmulator({
    port: 0,
    config: {
      ...DEFAULT_POOL,
      UserPoolClients: [
        ...(DEFAULT_POOL.UserPoolClients ?? []),
        {
          ClientId: CLIENT.id,
          ClientName: 'masking test client',
          ClientSecret: CLIENT.secret,
          CallbackURLs: ['https://oauth.pstmn.io/v1/callback'],
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid', 'email', 'profile'],
          AllowedOAuthFlowsUserPoolClient: true,
        },
      ],
      Users: [...(DEFAULT_POOL.Users ?? []), { Username: USER.username, Password: USER.password, Attributes: [{ Name: 'email', Value: 'mask-user@example.com' }] }],
    },
  });
  work = mkdtempSync(join(tmpdir(), 'cn-mask-'));
  const sm = new SecretsManagerClient({ region: moto.env.AWS_REGION, endpoint: moto.endpoint, credentials: { accessKeyId: moto.env.AWS_ACCESS_KEY_ID, secretAccessKey: moto.env.AWS_SECRET_ACCESS_KEY } });
  try {
    // Pretty-printed, as `aws secretsmanager create-secret --secret-string file://secret.json` stores a formatted file.
    await sm.send(new CreateSecretCommand({ Name: USER_SECRET_ID, SecretString: JSON.stringify(USER, null, 2) }));
    await sm.send(new CreateSecretCommand({ Name: CLIENT_SECRET_ID, SecretString: JSON.stringify({ clientSecret: CLIENT.secret }, null, 2) }));
  } finally {
    sm.destroy();
  }
});
test.afterEach(async () => {
  await emulator?.stop();
});

function jobEnv(moto: { endpoint: string; env: Record<string, string> }): Record<string, string> {
  return {
    ...baseEnv(),
    ...moto.env,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    HOME: work,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint,
    AWS_CONFIG_FILE: join(work, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    COGNITO_DOMAIN: emulator.baseUrl,
    COGNITO_CLIENT_ID: CLIENT.id,
    COGNITO_CLIENT_SECRET_ID: CLIENT_SECRET_ID,
    COGNITO_USER_POOL_ID: emulator.poolId,
    COGNITO_ISSUER: emulator.issuer,
    TEST_USER_SECRET_ID: USER_SECRET_ID,
  };
}

/** A node process with stdout and stderr on one pipe, in the order written, as the runner reads a step. */
function runMerged(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', 'exec "$0" "$@" 2>&1', process.execPath, ...args], { cwd: work, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function expectNothingSecretShown(output: string): void {
  const log = runnerLog(output);
  const secrets = [...SECRETS, ...emulator.observed.tokens];
  expect(secretsShown(log, secrets), `the log a reader sees:\n${log}`).toEqual([]);
  // The masking did not hide everything: the reader still sees who signed in.
  expect(log).toContain(USER.username);
}

test('the built CLI (`token`) shows no secret in the job log: the JSON secrets are masked field by field, escaped, line by line', async ({ moto }) => {
  const res = await runMerged([CLI, 'token', '--format', 'json', '--no-cache'], jobEnv(moto));
  expect(res.code, res.output).toBe(0);
  expect(emulator.observed.tokens.length).toBeGreaterThanOrEqual(3);
  expectNothingSecretShown(res.output);
});

test('the library (`getTokens`) shows no secret in the job log, even when the caller prints the tokens', async ({ moto }) => {
  const script = `
    const { getTokens } = await import(${JSON.stringify(join(REPO_ROOT, 'dist', 'src', 'index.js'))});
    const tokens = await getTokens({ cache: false, logger: 'info' });
    console.log(JSON.stringify(tokens, null, 2));
    console.error('signed in ' + tokens.default.user + ' as ' + ${JSON.stringify(USER.username)});
  `;
  const res = await runMerged(['--input-type=module', '-e', script], jobEnv(moto));
  expect(res.code, res.output).toBe(0);
  expect(emulator.observed.tokens.length).toBeGreaterThanOrEqual(3);
  expectNothingSecretShown(res.output);
});

test('the built CLI (`run`, Newman) shows no secret in the job log, even when a collection script prints the token', async ({ moto }) => {
  const api = await startDemoApi({ port: 0, issuer: emulator.issuer, clientIds: [CLIENT.id] });
  try {
    const collection = join(work, 'collection.json');
    writeFileSync(
      collection,
      JSON.stringify({
        info: { name: 'masking', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
        item: [
          {
            name: 'GET /me',
            request: { method: 'GET', url: '{{baseUrl}}/me', auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{accessToken}}', type: 'string' }] } },
            event: [{ listen: 'test', script: { type: 'text/javascript', exec: ["console.log('token', pm.variables.get('accessToken'));", "pm.test('signed in', () => pm.response.to.have.status(200));"] } }],
          },
        ],
      }),
    );
    const res = await runMerged([CLI, 'run', collection, '--env-var', `baseUrl=${api.baseUrl}`, '--no-cache'], jobEnv(moto));
    expect(res.code, res.output).toBe(0);
    expectNothingSecretShown(res.output);
  } finally {
    await api.stop();
  }
});

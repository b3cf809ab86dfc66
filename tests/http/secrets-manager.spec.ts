// Secrets Manager source against a real moto_server and the real AWS SDK; the errors moto cannot
// produce (IAM and KMS denials, service faults) come from a stub speaking the AWS JSON protocol.
import { test, expect, type MotoServer } from '../fixtures/moto.js';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createSecretsManagerResolver,
  credentialsFromSecret,
  secretKeyNamesFromEnv,
  regionForSecret,
} from '../../src/secrets/secrets-manager.js';
import { CnError, ExitCode } from '../../src/errors.js';
import { clearSecrets, redact, registeredSecrets, REDACTED } from '../../src/log.js';

const USER = { username: 'alice@example.com', password: 'Pa55-w0rd!only-in-secret', totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DP' };

function motoClient(moto: MotoServer, region = moto.env.AWS_REGION, extra: { maxAttempts?: number } = {}) {
  return new SecretsManagerClient({
    region,
    endpoint: moto.endpoint,
    credentials: { accessKeyId: moto.env.AWS_ACCESS_KEY_ID, secretAccessKey: moto.env.AWS_SECRET_ACCESS_KEY },
    ...extra,
  });
}

async function createSecret(moto: MotoServer, name: string, value: string, region?: string): Promise<string> {
  const out = await motoClient(moto, region).send(new CreateSecretCommand({ Name: name, SecretString: value }));
  return out.ARN!;
}

/** Run `fn` with process.env patched (undefined deletes), restoring it after: the SDK reads process.env itself. */
async function withProcessEnv<T>(patch: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = new Map(Object.keys(patch).map((k) => [k, process.env[k]] as const));
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Every AWS variable that could lead the default chain to credentials or a region, cleared. */
function isolatedAwsEnv(dir: string): Record<string, string | undefined> {
  return {
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_DEFAULT_PROFILE: undefined,
    AWS_REGION: undefined,
    AWS_DEFAULT_REGION: undefined,
    AWS_ROLE_ARN: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_ENDPOINT_URL: undefined,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: undefined,
    AWS_CONFIG_FILE: join(dir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
    // The chain's last link is the EC2 metadata service: off, so nothing leaves 127.0.0.1.
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

async function rejection(p: Promise<unknown>): Promise<CnError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(CnError);
    return err as CnError;
  }
  throw new Error('expected a rejection');
}

function countRequests(client: SecretsManagerClient): { count: number } {
  const counter = { count: 0 };
  client.middlewareStack.add(
    (next) => async (args) => {
      counter.count++;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  return counter;
}

test.beforeEach(() => clearSecrets());
test.afterAll(() => clearSecrets());

test('reads a JSON secret by name into credentials', async ({ moto }) => {
  await createSecret(moto, 'ci/test-user', JSON.stringify(USER));
  const resolver = createSecretsManagerResolver({ client: motoClient(moto) });
  expect(await credentialsFromSecret(resolver, 'ci/test-user')).toEqual(USER);
});

test('a secret without a TOTP key gives credentials without totpSecret', async ({ moto }) => {
  await createSecret(moto, 'ci/no-mfa', JSON.stringify({ username: 'bob', password: 'bobs-password' }));
  const resolver = createSecretsManagerResolver({ client: motoClient(moto) });
  expect(await credentialsFromSecret(resolver, 'ci/no-mfa')).toEqual({ username: 'bob', password: 'bobs-password' });
});

test('default client honours AWS_ENDPOINT_URL_SECRETS_MANAGER and the ARN region beats AWS_REGION', async ({ moto }) => {
  const arn = await createSecret(moto, 'ci/in-eu', JSON.stringify(USER), 'eu-central-1');
  expect(arn).toContain(':eu-central-1:');
  const dir = await mkdtemp(join(tmpdir(), 'cn-aws-'));
  try {
    await withProcessEnv(
      {
        ...isolatedAwsEnv(dir),
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_REGION: 'us-west-2',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint,
      },
      async () => {
        const resolver = createSecretsManagerResolver();
        expect(await credentialsFromSecret(resolver, arn)).toEqual(USER);
      },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('AWS_DEFAULT_REGION is used for a secret given by name', async ({ moto }) => {
  await createSecret(moto, 'ci/in-ap', JSON.stringify(USER), 'ap-southeast-2');
  const dir = await mkdtemp(join(tmpdir(), 'cn-aws-'));
  try {
    await withProcessEnv(
      { ...isolatedAwsEnv(dir), AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint },
      async () => {
        const resolver = createSecretsManagerResolver({ env: { AWS_DEFAULT_REGION: 'ap-southeast-2' } });
        expect(await credentialsFromSecret(resolver, 'ci/in-ap')).toEqual(USER);
      },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('regionForSecret: ARN region wins, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
  const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ci/user-AbCdEf';
  expect(regionForSecret(arn, { AWS_REGION: 'us-east-1' })).toBe('eu-west-1');
  expect(regionForSecret('ci/user', { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-1' })).toBe('us-east-1');
  expect(regionForSecret('ci/user', { AWS_DEFAULT_REGION: 'us-west-1' })).toBe('us-west-1');
  expect(regionForSecret('ci/user', {})).toBeUndefined();
});

test('a missing secret is SECRET_NOT_FOUND, exit 2, naming the secret and region', async ({ moto }) => {
  const resolver = createSecretsManagerResolver({ client: motoClient(moto, 'eu-west-3') });
  const err = await rejection(resolver.getJson('ci/does-not-exist'));
  expect(err.code).toBe('SECRET_NOT_FOUND');
  expect(err.exitCode).toBe(ExitCode.Usage);
  expect(err.message).toContain('ci/does-not-exist');
  expect(err.message).toContain('eu-west-3');
  expect(err.hint).toContain('AWS_REGION');
});

test('a secret that is not JSON is SECRET_NOT_JSON, exit 2, without the value', async ({ moto }) => {
  await createSecret(moto, 'ci/plain', 'hunter2-plain-text');
  const resolver = createSecretsManagerResolver({ client: motoClient(moto) });
  const err = await rejection(resolver.getJson('ci/plain'));
  expect(err.code).toBe('SECRET_NOT_JSON');
  expect(err.exitCode).toBe(ExitCode.Usage);
  expect(err.message).toContain('ci/plain');
  const shown = [err.message, err.hint, JSON.stringify(err.details), String(err.cause ?? '')].join(' ');
  expect(shown).not.toContain('hunter2');
  // The plain string is still readable as such (e.g. a client secret).
  expect(await resolver.getString('ci/plain')).toBe('hunter2-plain-text');
});

test('a JSON array secret is SECRET_NOT_JSON', async ({ moto }) => {
  await createSecret(moto, 'ci/array', JSON.stringify(['a-secret-item']));
  const resolver = createSecretsManagerResolver({ client: motoClient(moto) });
  expect((await rejection(resolver.getJson('ci/array'))).code).toBe('SECRET_NOT_JSON');
});

test('a missing password key is SECRET_KEY_MISSING naming the key and secret, never values', async ({ moto }) => {
  await createSecret(moto, 'ci/no-password', JSON.stringify({ username: 'carol-user', pass: 'carols-pass-value' }));
  const resolver = createSecretsManagerResolver({ client: motoClient(moto) });
  const err = await rejection(credentialsFromSecret(resolver, 'ci/no-password'));
  expect(err.code).toBe('SECRET_KEY_MISSING');
  expect(err.exitCode).toBe(ExitCode.Usage);
  expect(err.message).toContain('"password"');
  expect(err.message).toContain('ci/no-password');
  const shown = [err.message, err.hint, JSON.stringify(err.details)].join(' ');
  expect(shown).not.toContain('carols-pass-value');
  expect(shown).not.toContain('carol-user');
});

test('key names come from TEST_USER_SECRET_KEYS', async ({ moto }) => {
  await createSecret(moto, 'ci/custom-keys', JSON.stringify({ login: USER.username, pw: USER.password, mfa: USER.totpSecret }));
  const keys = secretKeyNamesFromEnv({ TEST_USER_SECRET_KEYS: '{"username":"login","password":"pw","totpSecret":"mfa"}' });
  const resolver = createSecretsManagerResolver({ client: motoClient(moto) });
  expect(await credentialsFromSecret(resolver, 'ci/custom-keys', keys)).toEqual(USER);
});

test('TEST_USER_SECRET_KEYS: a partial map keeps defaults, a malformed one is SECRET_KEYS_INVALID', () => {
  expect(secretKeyNamesFromEnv({})).toEqual({ username: 'username', password: 'password', totpSecret: 'totpSecret' });
  expect(secretKeyNamesFromEnv({ TEST_USER_SECRET_KEYS: '{"password":"pw"}' })).toEqual({
    username: 'username',
    password: 'pw',
    totpSecret: 'totpSecret',
  });
  for (const bad of ['user:pass:totp', '["a"]', '{"pasword":"pw"}', '{"password":""}']) {
    let caught: unknown;
    try {
      secretKeyNamesFromEnv({ TEST_USER_SECRET_KEYS: bad });
    } catch (e) {
      caught = e;
    }
    expect(caught, bad).toBeInstanceOf(CnError);
    expect((caught as CnError).code).toBe('SECRET_KEYS_INVALID');
  }
});

test('each secret is fetched once per resolver, also when asked concurrently', async ({ moto }) => {
  await createSecret(moto, 'ci/once', JSON.stringify(USER));
  const client = motoClient(moto);
  const requests = countRequests(client);
  const resolver = createSecretsManagerResolver({ client });
  const [a, b, c] = await Promise.all([resolver.getJson('ci/once'), resolver.getJson('ci/once'), resolver.getString('ci/once')]);
  expect(a).toEqual(USER);
  expect(b).toBe(a);
  expect(c).toBe(JSON.stringify(USER));
  await credentialsFromSecret(resolver, 'ci/once');
  expect(requests.count).toBe(1);
});

test('secret values are registered for redaction as soon as they are fetched', async ({ moto }) => {
  await createSecret(moto, 'ci/redact', JSON.stringify(USER));
  const resolver = createSecretsManagerResolver({ client: motoClient(moto) });
  expect(registeredSecrets()).not.toContain(USER.password);
  await resolver.getJson('ci/redact');
  expect(registeredSecrets()).toEqual(expect.arrayContaining([USER.password, USER.totpSecret]));
  // The username is no secret (issue 11): reports must keep it readable.
  expect(registeredSecrets()).not.toContain(USER.username);
  expect(redact(`login with ${USER.password} and ${USER.totpSecret}`)).toBe(`login with ${REDACTED} and ${REDACTED}`);
});

test('no AWS credentials from the default chain is AWS_CREDENTIALS_MISSING, exit 2', async ({ moto }) => {
  const dir = await mkdtemp(join(tmpdir(), 'cn-aws-'));
  try {
    await withProcessEnv({ ...isolatedAwsEnv(dir), AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint }, async () => {
      const resolver = createSecretsManagerResolver();
      const err = await rejection(resolver.getJson('ci/anything'));
      expect(err.code).toBe('AWS_CREDENTIALS_MISSING');
      expect(err.exitCode).toBe(ExitCode.Usage);
      expect(err.hint).toContain('AWS_ACCESS_KEY_ID');
      expect(err.hint).toContain('AWS_PROFILE');
      expect(err.hint).toContain('OIDC');
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('no region anywhere is AWS_REGION_MISSING, exit 2', async ({ moto }) => {
  const dir = await mkdtemp(join(tmpdir(), 'cn-aws-'));
  try {
    await withProcessEnv(
      { ...isolatedAwsEnv(dir), AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint },
      async () => {
        const err = await rejection(createSecretsManagerResolver({ env: {} }).getJson('ci/anything'));
        expect(err.code).toBe('AWS_REGION_MISSING');
        expect(err.exitCode).toBe(ExitCode.Usage);
      },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an unreachable endpoint is SECRETS_MANAGER_UNREACHABLE, exit 4', async () => {
  // A port that was just free: nothing listens there.
  const port = await new Promise<number>((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const client = new SecretsManagerClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 1,
  });
  const err = await rejection(createSecretsManagerResolver({ client }).getJson('ci/anything'));
  expect(err.code).toBe('SECRETS_MANAGER_UNREACHABLE');
  expect(err.exitCode).toBe(ExitCode.IdpFailure);
});

// ---- errors moto cannot produce: a stub answering as Secrets Manager does (AWS JSON 1.1) ----

test.describe('service errors as the SDK parses them', () => {
  let server: Server;
  let endpoint = '';
  let reply: { status: number; type: string; message: string } = { status: 400, type: '', message: '' };

  test.beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'stub' });
        res.end(JSON.stringify({ __type: reply.type, message: reply.message }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  test.afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ci/test-user-AbCdEf';
  const read = (secretId = ARN) =>
    rejection(
      createSecretsManagerResolver({
        client: new SecretsManagerClient({
          region: 'eu-west-1',
          endpoint,
          credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
          maxAttempts: 1,
        }),
      }).getString(secretId),
    );

  test('IAM AccessDeniedException is SECRET_ACCESS_DENIED naming the action and the ARN', async () => {
    reply = {
      status: 400,
      type: 'AccessDeniedException',
      message: `User: arn:aws:sts::123456789012:assumed-role/ci/gh is not authorized to perform: secretsmanager:GetSecretValue on resource: ${ARN} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
    };
    const err = await read();
    expect(err.code).toBe('SECRET_ACCESS_DENIED');
    expect(err.exitCode).toBe(ExitCode.Usage);
    expect(err.hint).toContain('secretsmanager:GetSecretValue');
    expect(err.hint).toContain(ARN);
  });

  test('access denied for a secret name gives an ARN pattern for the policy', async () => {
    reply = { status: 400, type: 'AccessDeniedException', message: 'not authorized to perform: secretsmanager:GetSecretValue' };
    const err = await read('ci/test-user');
    expect(err.code).toBe('SECRET_ACCESS_DENIED');
    expect(err.hint).toContain('arn:aws:secretsmanager:eu-west-1:<account>:secret:ci/test-user-*');
  });

  test('AccessDeniedException from the KMS key policy is SECRET_KMS_DENIED', async () => {
    reply = { status: 400, type: 'AccessDeniedException', message: 'Access to KMS is not allowed' };
    const err = await read();
    expect(err.code).toBe('SECRET_KMS_DENIED');
    expect(err.exitCode).toBe(ExitCode.Usage);
    expect(err.hint).toContain('kms:Decrypt');
  });

  test('DecryptionFailure is SECRET_KMS_DENIED', async () => {
    reply = { status: 400, type: 'DecryptionFailure', message: "Secrets Manager can't decrypt the protected secret text using the provided KMS key." };
    const err = await read();
    expect(err.code).toBe('SECRET_KMS_DENIED');
    expect(err.exitCode).toBe(ExitCode.Usage);
  });

  test('an expired session token is AWS_CREDENTIALS_INVALID, exit 2', async () => {
    reply = { status: 400, type: 'ExpiredTokenException', message: 'The security token included in the request is expired' };
    const err = await read();
    expect(err.code).toBe('AWS_CREDENTIALS_INVALID');
    expect(err.exitCode).toBe(ExitCode.Usage);
  });

  test('a service fault is SECRETS_MANAGER_FAILED, exit 4', async () => {
    reply = { status: 500, type: 'InternalServiceError', message: 'An error occurred on the server side.' };
    const err = await read();
    expect(err.code).toBe('SECRETS_MANAGER_FAILED');
    expect(err.exitCode).toBe(ExitCode.IdpFailure);
  });
});

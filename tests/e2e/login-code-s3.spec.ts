// SES email receiving, end to end: the emulator's email sink writes each message as a raw MIME
// object into an S3 bucket on moto_server (as an SES receipt rule's S3 action does), and the driver
// reads the user's sign-in code from there through the AWS SDK.
import { mergeTests } from '@playwright/test';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { test as loginTest, expect, emulatorIdp, signIn } from './_login-fixtures.js';
import { test as motoTest } from '../fixtures/moto.js';
import { startEmulator } from '../../packages/emulator/src/index.js';
import { DEFAULT_POOL } from '../../packages/emulator/src/default-pool.js';
import type { PoolConfig } from '../../packages/emulator/src/config.js';
import type { UserCredentials } from '../../src/config/types.js';
import { parseCodeSource } from '../../src/config/factors.js';

const test = mergeTests(loginTest, motoTest);

test('an emailed sign-in code is read from the SES receiving bucket', async ({ moto, loginBrowser, artifactsDir, logs }) => {
  const s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  await s3.send(new CreateBucketCommand({ Bucket: 'ses-inbound' }));
  const pool = {
    ...DEFAULT_POOL,
    Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
    Users: [...(DEFAULT_POOL.Users ?? []), { Username: 's3-user@example.com', Attributes: [{ Name: 'email', Value: 's3-user@example.com' }] }],
  } as PoolConfig;
  const emu = await startEmulator({
    port: 0,
    config: pool,
    ui: 'managed',
    usernameFirst: true,
    messageSinks: { email: { type: 's3', bucket: 'ses-inbound', prefix: 'inbound/', endpoint: moto.endpoint, region: 'us-east-1', forcePathStyle: true } },
  });
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, key: process.env.AWS_SECRET_ACCESS_KEY };
  // The emulator's sink uses the SDK's default chain.
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  try {
    const user: UserCredentials = { name: 'default', username: 's3-user@example.com', signInFactor: 'email', codeSource: parseCodeSource('s3://ses-inbound/inbound/').source! };
    const { url } = await signIn({ browser: loginBrowser, idp: emulatorIdp(emu, { loginUi: 'managed' }), user, artifactsDir, logger: logs, extra: { env: { ...moto.env, AWS_ENDPOINT_URL_S3: moto.endpoint } } });
    expect(new URL(url).searchParams.get('code')).toBeTruthy();
    const code = /\d{6,8}/.exec(emu.observed.messages[0]!.text)![0];
    expect(logs.lines.join('\n')).not.toContain(code);
  } finally {
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.key;
    if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    if (saved.key === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    await emu.stop();
  }
});

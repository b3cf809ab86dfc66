// Where the emulator's emails and SMS go, with the real parts: an S3 bucket on moto_server through
// the AWS SDK (the raw MIME message, as SES email receiving leaves it; SMS as JSON objects), and a
// real SMTP server on loopback (smtp-server, as a team's Mailpit would take it). A sink that is
// down fails the step with a short message and a log line that holds no code.
import type { AddressInfo } from 'node:net';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SMTPServer } from 'smtp-server';
import { test, expect } from '../fixtures/moto.js';
import { DEFAULT_POOL, startEmulator, type EmulatorOptions, type PoolConfig, type RunningEmulator } from '../../src/emulator/index.js';
import { createLogger } from '../../src/log.js';
import { authorizeQuery, get, Jar, postForm, scrapeForm } from '../fixtures/emulator-http.js';

const POOL: PoolConfig = {
  ...DEFAULT_POOL,
  Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'] } },
  EmailMfaConfiguration: { Subject: 'Your sign-in code', Message: 'Your sign-in code is {####}' },
  UserPoolClients: (DEFAULT_POOL.UserPoolClients ?? []).map((c) => ({ ...c, ExplicitAuthFlows: ['ALLOW_USER_AUTH'] })),
  Users: [{ Username: 'eve', Attributes: [{ Name: 'email', Value: 'eve@example.com' }, { Name: 'phone_number', Value: '+15555550142' }] }],
};

const emulators: RunningEmulator[] = [];
test.afterAll(async () => {
  await Promise.all(emulators.map((e) => e.stop()));
});
async function emulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const e = await startEmulator({ ui: 'managed', config: POOL, ...options });
  emulators.push(e);
  return e;
}

/** Ask for a code by `factor` as the page does; returns the JSON answer. */
async function askCode(emu: RunningEmulator, factor: 'EMAIL_OTP' | 'SMS_OTP'): Promise<Record<string, unknown>> {
  const jar = new Jar();
  const q = `?${authorizeQuery()}`;
  const { csrf } = scrapeForm(await (await get(emu.baseUrl, `/login${q}`, jar)).text());
  const post = async (f: Record<string, string>) => (await postForm(emu.baseUrl, `/login${q}`, { csrf, ...f }, jar, { accept: 'application/json' })).json() as Promise<Record<string, unknown>>;
  await post({ username: 'eve' });
  return post({ factor });
}

const lastCode = (emu: RunningEmulator) => /\d{8}/.exec(emu.observed.messages.at(-1)?.text ?? '')![0];

test('S3 (moto): the email is one raw RFC 5322 object under the prefix, the SMS one JSON object with the number and text', async ({ moto }) => {
  // The sink's SDK client takes credentials from the default chain, as on a team's machine.
  const saved = { ...process.env };
  Object.assign(process.env, moto.env);
  try {
    const s3 = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await s3.send(new CreateBucketCommand({ Bucket: 'team-inbox' }));
    const emu = await emulator({
      messageSinks: { email: { type: 's3', bucket: 'team-inbox', prefix: 'ses/', endpoint: moto.endpoint }, sms: { type: 's3', bucket: 'team-inbox', prefix: 'sms/', endpoint: moto.endpoint } },
    });
    const list = async (prefix: string) => (await s3.send(new ListObjectsV2Command({ Bucket: 'team-inbox', Prefix: prefix }))).Contents?.map((o) => o.Key!) ?? [];
    const read = async (key: string) => (await s3.send(new GetObjectCommand({ Bucket: 'team-inbox', Key: key }))).Body!.transformToString();

    expect((await askCode(emu, 'EMAIL_OTP')).step).toBe('email');
    const code = lastCode(emu);
    const [key, ...more] = await list('ses/');
    expect([key, more]).toEqual([expect.stringMatching(/^ses\/[0-9a-f-]{36}$/), []]);
    const raw = await read(key!);
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^From: no-reply@verificationemail\.com$/m);
    expect(head).toMatch(/^To: eve@example\.com$/m);
    expect(head).toMatch(/^Subject: Your sign-in code$/m);
    expect(head).toMatch(/^Date: \w{3}, \d{2} \w{3} \d{4} /m);
    expect(head).toMatch(/^Message-ID: <[0-9a-f-]{36}@email\.amazonses\.com>$/m);
    expect(body?.trim()).toBe(`Your sign-in code is ${code}`);

    expect((await askCode(emu, 'SMS_OTP')).step).toBe('sms');
    const [smsKey] = await list('sms/');
    expect(JSON.parse(await read(smsKey!))).toEqual({ phoneNumber: '+15555550142', message: `Your authentication code is ${lastCode(emu)}.`, timestamp: expect.any(String), username: 'eve' });
  } finally {
    for (const k of Object.keys(moto.env)) if (saved[k] === undefined) delete process.env[k];
    Object.assign(process.env, saved);
  }
});

test('SMTP: the email reaches a real SMTP server on loopback, addressed to the user; with the server gone the step fails with no code in the log', async () => {
  const received: { to: string[]; data: string }[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, done) {
      let data = '';
      stream.on('data', (c: Buffer) => (data += c.toString('utf8')));
      stream.on('end', () => (received.push({ to: session.envelope.rcptTo.map((r) => r.address), data }), done()));
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  const port = (smtp.server.address() as AddressInfo).port;
  const warnings: string[] = [];
  const logger = { ...createLogger('silent'), warn: (m: string) => warnings.push(m) };
  const emu = await emulator({ logger, messageSinks: { email: { type: 'smtp', host: '127.0.0.1', port } } });
  try {
    expect((await askCode(emu, 'EMAIL_OTP')).step).toBe('email');
    const code = lastCode(emu);
    expect(received.map((m) => m.to)).toEqual([['eve@example.com']]);
    expect(received[0]!.data).toContain(`Your sign-in code is ${code}`);
    expect(received[0]!.data).toMatch(/^Subject: Your sign-in code\r?$/m);
  } finally {
    await new Promise<void>((r) => smtp.close(() => r()));
  }
  expect(await askCode(emu, 'EMAIL_OTP')).toEqual({ error: 'Something went wrong. Try again.' });
  expect(warnings).toEqual([expect.stringMatching(/could not deliver the email message for eve to the email sink/)]);
  expect(warnings.join('\n')).not.toContain(lastCode(emu));
});

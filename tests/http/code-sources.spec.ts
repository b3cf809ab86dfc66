// The code sources against real servers: S3 through the AWS SDK on moto_server (SES receiving's raw
// MIME objects), IMAP on a loopback Dovecot, a local directory and a JSON-lines file. Each waits,
// bounded, for a message that arrives after the baseline and is addressed to the user; an older
// message, another user's message, and a refused login are not taken.
import { mkdtempSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { test as motoTest } from '../fixtures/moto.js';
import { test as doveTest } from '../fixtures/dovecot.js';
import { expect } from '@playwright/test';
import { parseCodeSource } from '../../src/config/factors.js';
import { startCodeWaiter } from '../../src/codes/wait.js';
import { silentLogger } from '../../src/log.js';
import { CnError, ExitCode } from '../../src/errors.js';

const mime = (to: string, code: string) =>
  `From: no-reply@verificationemail.com\r\nTo: ${to}\r\nSubject: Your verification code\r\nDate: ${new Date().toUTCString()}\r\nMessage-ID: <${Math.random()}@example.com>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nYour verification code is ${code}.\r\n`;

const fast = { initialMs: 50, factor: 1.5, maxMs: 200 };
const waiter = (raw: string, address: string, extra: { env?: NodeJS.ProcessEnv; password?: string } = {}) =>
  startCodeWaiter({ source: parseCodeSource(raw, extra.password).source!, address, username: address, who: `user ${address}`, variable: 'TEST_USER_CODE_SOURCE', logger: silentLogger, backoff: fast, ...(extra.env ? { env: extra.env } : {}) });

motoTest('S3 (SES receiving): only a new message for this user is taken', async ({ moto }) => {
  const s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  await s3.send(new CreateBucketCommand({ Bucket: 'ses-inbox' }));
  await s3.send(new PutObjectCommand({ Bucket: 'ses-inbox', Key: 'mail/old', Body: mime('alice@example.com', '11111111') }));
  // S3 stamps objects in whole seconds: the baseline counts one of its own second as new, so the old one must be a second older.
  await new Promise((r) => setTimeout(r, 1_100));
  const env = { ...moto.env, AWS_ENDPOINT_URL_S3: moto.endpoint };
  const w = waiter('s3://ses-inbox/mail/', 'alice@example.com', { env });
  const pending = w.next(10_000);
  await new Promise((r) => setTimeout(r, 300));
  await s3.send(new PutObjectCommand({ Bucket: 'ses-inbox', Key: 'mail/bob', Body: mime('bob@example.com', '22222222') }));
  await s3.send(new PutObjectCommand({ Bucket: 'ses-inbox', Key: 'mail/alice', Body: mime('alice@example.com', '33333333') }));
  expect(await pending).toBe('33333333');
  await w.close();
  // A missing bucket is a configuration problem (2), with the fix.
  const missing = waiter('s3://no-such-bucket/x', 'alice@example.com', { env });
  const err = await missing.next(2_000).catch((e: unknown) => e as CnError);
  expect(err).toBeInstanceOf(CnError);
  expect((err as CnError).exitCode).toBe(ExitCode.Usage);
  expect((err as CnError).hint).toContain('Create the bucket no-such-bucket');
  await missing.close();
});

doveTest('IMAP (Dovecot on loopback): a new message is read; a wrong password is exit 2', async ({ dovecot }) => {
  await dovecot.deliver(mime(dovecot.user, '44444444'));
  // IMAP internal dates have whole seconds: the baseline counts one of its own second as new.
  await new Promise((r) => setTimeout(r, 1_100));
  const url = `imap://${encodeURIComponent(dovecot.user)}@127.0.0.1:${dovecot.port}/INBOX`;
  const w = waiter(url, dovecot.user, { password: dovecot.password });
  const pending = w.next(10_000);
  await new Promise((r) => setTimeout(r, 300));
  await dovecot.deliver(mime(dovecot.user, '55555555'));
  expect(await pending).toBe('55555555');
  await w.close();
  const bad = waiter(url, dovecot.user, { password: 'not-the-password' });
  const err = (await bad.next(3_000).catch((e: unknown) => e)) as CnError;
  expect(err.exitCode).toBe(ExitCode.Usage);
  expect(err.message).toContain('refused the credentials');
  expect(err.message).not.toContain('not-the-password');
  await bad.close();
});

motoTest('a directory and a JSON-lines file: new files and appended lines only; none at all is exit 4', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cn-codes-'));
  writeFileSync(join(dir, 'old.eml'), mime('carol@example.com', '66666666'));
  const w = waiter(dir, 'carol@example.com');
  const pending = w.next(5_000);
  await new Promise((r) => setTimeout(r, 200));
  writeFileSync(join(dir, 'new.eml'), mime('carol@example.com', '77777777'));
  expect(await pending).toBe('77777777');

  const sms = join(dir, 'sms.jsonl');
  writeFileSync(sms, `${JSON.stringify({ phoneNumber: '+15550001234', message: 'Your authentication code is 123456.' })}\n`);
  const s = waiter(sms, '+15550001234');
  const p2 = s.next(5_000);
  await new Promise((r) => setTimeout(r, 200));
  appendFileSync(sms, `${JSON.stringify({ phoneNumber: '+15550001234', message: 'Your authentication code is 654321.' })}\n`);
  expect(await p2).toBe('654321');

  const none = waiter(join(dir, 'empty-dir-that-never-fills'), 'carol@example.com');
  const err = (await none.next(600).catch((e: unknown) => e)) as CnError;
  expect(err.code).toBe('CODE_NOT_RECEIVED');
  expect(err.exitCode).toBe(ExitCode.IdpFailure);
  expect(err.message).toContain('empty-dir-that-never-fills');
});

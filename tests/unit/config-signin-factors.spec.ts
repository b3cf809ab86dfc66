// Unit tests of the sign-in factor configuration (issue 18): the factor a user signs in with (as
// configured, or what its secrets allow), its passkey credential, its code source, and early,
// secret-free problems for each bad value.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { CnError } from '../../src/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { parseCodeSource, parsePasskey } from '../../src/config/factors.js';
import { redact } from '../../src/log.js';
import { generateKeyPairSync, randomBytes } from 'node:crypto';

const BASE = { COGNITO_DOMAIN: 'https://my-app.auth.eu-west-1.amazoncognito.com', COGNITO_CLIENT_ID: 'client1' };

function passkeyJson(over: Record<string, unknown> = {}): string {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return JSON.stringify({
    id: randomBytes(16).toString('base64url'),
    rpId: 'my-app.auth.eu-west-1.amazoncognito.com',
    userHandle: randomBytes(16).toString('base64url'),
    privateKey: pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url'),
    publicKey: pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64url'),
    ...over,
  });
}

const load = (env: Record<string, string>) => loadConfig({ env: { ...BASE, ...env }, cwd: mkdtempSync(join(tmpdir(), 'cn-f-')), envFile: false });
async function failure(env: Record<string, string>): Promise<CnError> {
  const e = await load(env).then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(CnError);
  return e as CnError;
}

test('a user with a passkey and no password signs in with the passkey by default', async () => {
  const pk = passkeyJson();
  const config = await load({ TEST_USER_USERNAME: 'pk@example.com', TEST_USER_PASSKEY: pk });
  const u = config.users[0]!;
  expect(u.password).toBeUndefined();
  expect(u.signInFactor).toBe('passkey');
  expect(u.signInFactorConfigured).toBeUndefined();
  expect(u.passkey?.rpId).toBe('my-app.auth.eu-west-1.amazoncognito.com');
  // The whole JSON and the private key are secrets from the moment they are read.
  expect(redact(`x ${pk} y`)).not.toContain(JSON.parse(pk).privateKey);
});

test('a configured factor is kept and its missing secret is named', async () => {
  const config = await load({ TEST_USERS: 'otp', TEST_USER_OTP_USERNAME: 'otp@example.com', TEST_USER_OTP_SIGN_IN_FACTOR: 'email', TEST_USER_OTP_CODE_SOURCE: '/tmp/mail' });
  expect(config.users[0]).toMatchObject({ name: 'otp', signInFactor: 'email', signInFactorConfigured: true, codeSource: { kind: 'file', path: '/tmp/mail' } });
  const e = await failure({ TEST_USER_USERNAME: 'a@example.com', TEST_USER_SIGN_IN_FACTOR: 'passkey' });
  expect(e.message).toContain('TEST_USER_PASSKEY: required');
  const e2 = await failure({ TEST_USER_USERNAME: 'a@example.com', TEST_USER_SIGN_IN_FACTOR: 'sms' });
  expect(e2.message).toContain('TEST_USER_CODE_SOURCE: required');
  const e3 = await failure({ TEST_USER_USERNAME: 'a@example.com', TEST_USER_PASSWORD: 'Passw0rd!', TEST_USER_SIGN_IN_FACTOR: 'fingerprint' });
  expect(e3.message).toContain('TEST_USER_SIGN_IN_FACTOR: must be password, passkey, email or sms');
});

test('a bad passkey is reported without quoting it', async () => {
  const pk = passkeyJson({ privateKey: 'not base64url!!' });
  const e = await failure({ TEST_USER_USERNAME: 'a@example.com', TEST_USER_PASSKEY: pk });
  expect(e.message).toContain('TEST_USER_PASSKEY: has "privateKey" not in base64url');
  expect(e.message).not.toContain('not base64url!!');
  const e2 = await failure({ TEST_USER_USERNAME: 'a@example.com', TEST_USER_PASSKEY: '{"id":"abc", "privateKey": "secret-ish-value"' });
  expect(e2.message).toContain('TEST_USER_PASSKEY: is not JSON');
  expect(e2.message).not.toContain('secret-ish-value');
});

test('code sources parse from their URL-like forms', () => {
  expect(parseCodeSource('s3://inbox-bucket/ses/alice/').source).toMatchObject({ kind: 's3', bucket: 'inbox-bucket', prefix: 'ses/alice/' });
  expect(parseCodeSource('imaps://tester%40example.com@mail.example.com/INBOX', 'pw').source).toMatchObject({ kind: 'imap', host: 'mail.example.com', port: 993, secure: true, user: 'tester@example.com', mailbox: 'INBOX', password: 'pw' });
  expect(parseCodeSource('imap://u@127.0.0.1:1143').source).toMatchObject({ kind: 'imap', port: 1143, secure: false, mailbox: 'INBOX' });
  expect(parseCodeSource('mailpit+http://127.0.0.1:8025').source).toMatchObject({ kind: 'mailpit', baseUrl: 'http://127.0.0.1:8025' });
  expect(parseCodeSource('command:./read-code.sh --user x').source).toMatchObject({ kind: 'command', command: './read-code.sh --user x' });
  expect(parseCodeSource('file:///var/sms.jsonl').source).toMatchObject({ kind: 'file', path: '/var/sms.jsonl' });
  expect(parseCodeSource('ftp://x/y').problem).toContain('unknown scheme "ftp:"');
  expect(parseCodeSource('imap://host/INBOX').problem).toContain('needs the mailbox user');
});

test('an IMAP source without a password is a problem before any browser starts; its password is a secret', async () => {
  const e = await failure({ TEST_USER_USERNAME: 'a@example.com', TEST_USER_SIGN_IN_FACTOR: 'email', TEST_USER_CODE_SOURCE: 'imap://u@127.0.0.1:1143/INBOX' });
  expect(e.message).toContain('TEST_USER_CODE_SOURCE: the IMAP mailbox needs a password');
  const ok = await load({ TEST_USER_USERNAME: 'a@example.com', TEST_USER_SIGN_IN_FACTOR: 'email', TEST_USER_CODE_SOURCE: 'imap://u@127.0.0.1:1143/INBOX', TEST_USER_CODE_SOURCE_PASSWORD: 'Mailbox-Secret-9' });
  expect(ok.users[0]!.codeSource).toMatchObject({ kind: 'imap', password: 'Mailbox-Secret-9' });
  expect(redact('pw=Mailbox-Secret-9')).toBe('pw=[REDACTED]');
});

test('Secrets Manager values carry the passkey and code source of a passwordless user', async () => {
  const pk = passkeyJson();
  const config = await loadConfig({
    env: { ...BASE, TEST_USER_SECRET_ID: 'users/pk' },
    cwd: mkdtempSync(join(tmpdir(), 'cn-f-')),
    envFile: false,
    resolveSecret: async () => ({ username: 'pk@example.com', passkey: pk }),
  });
  expect(config.users[0]).toMatchObject({ username: 'pk@example.com', signInFactor: 'passkey' });
  expect(parsePasskey(pk).passkey?.id).toBe(JSON.parse(pk).id);
});

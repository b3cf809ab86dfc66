// The driver signs in every kind of test user Managed Login offers (issue 18), in real Chromium
// against the emulator, whose WebAuthn checks are @simplewebauthn/server's and whose passkey
// counter check is strict: a passwordless passkey user (three fresh sign-ins in a row), a user
// signing in with an emailed code, email MFA after a password, a passkey as second factor, an MFA
// choice answered from what the user has; and the failures: a choice the configuration cannot
// answer (2), a refused code (3, Cognito's text), a code that never arrives (4).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, emulatorIdp, signIn, signInError, capturingLogger, type CapturedLogger } from './_login-fixtures.js';
import { startEmulator, type RunningEmulator } from '../../packages/emulator/src/index.js';
import { DEFAULT_POOL, DEFAULT_MFA_SECRET } from '../../packages/emulator/src/default-pool.js';
import type { PoolConfig } from '../../packages/emulator/src/config.js';
import type { IdpConfig, PasskeyCredential, UserCredentials } from '../../src/config/types.js';
import { ExitCode } from '../../src/errors.js';
import { parseCodeSource } from '../../src/config/factors.js';

/** A passkey made here: the user's secret half for the driver, the public half for the pool. */
function makePasskey(rpId: string): { credential: PasskeyCredential; pool: { CredentialId: string; PublicKey: string; SignCount: number; UserHandle: string } } {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const id = randomBytes(16).toString('base64url');
  const userHandle = randomBytes(16).toString('base64url');
  const publicKey = pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64url');
  return {
    credential: { id, rpId, userHandle, privateKey: pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url'), publicKey },
    pool: { CredentialId: id, PublicKey: publicKey, SignCount: 0, UserHandle: userHandle },
  };
}

const email = (u: string) => [{ Name: 'email', Value: `${u}@example.com` }, { Name: 'email_verified', Value: 'true' }];
const PASSKEY = makePasskey('127.0.0.1');
const MFA_PASSKEY = makePasskey('127.0.0.1');

function pool(): PoolConfig {
  return {
    ...DEFAULT_POOL,
    Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN', 'EMAIL_OTP', 'SMS_OTP'] } },
    WebAuthnConfiguration: { FactorConfiguration: 'MULTI_FACTOR_WITH_USER_VERIFICATION' },
    Users: [
      ...(DEFAULT_POOL.Users ?? []),
      { Username: 'passkey-user@example.com', Attributes: email('passkey-user'), Passkeys: [PASSKEY.pool] },
      { Username: 'otp-user@example.com', Attributes: email('otp-user') },
      { Username: 'sms-user', Attributes: [...email('sms-user'), { Name: 'phone_number', Value: '+15550001234' }, { Name: 'phone_number_verified', Value: 'true' }] },
      { Username: 'email-mfa@example.com', Password: 'EmailMfa-Passw0rd!', Attributes: email('email-mfa'), EmailMfaSettings: { Enabled: true, PreferredMfa: true } },
      {
        Username: 'passkey-mfa@example.com',
        Password: 'PasskeyMfa-Passw0rd!',
        TotpSecret: DEFAULT_MFA_SECRET,
        Attributes: email('passkey-mfa'),
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false },
        WebAuthnMfaSettings: { Enabled: true, PreferredMfa: true },
        Passkeys: [MFA_PASSKEY.pool],
      },
      {
        Username: 'mfa-choice@example.com',
        Password: 'MfaChoice-Passw0rd!',
        TotpSecret: DEFAULT_MFA_SECRET,
        Attributes: email('mfa-choice'),
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false },
        EmailMfaSettings: { Enabled: true, PreferredMfa: false },
      },
    ],
  } as PoolConfig;
}

let emu: RunningEmulator;
let mailDir: string;
let smsFile: string;
let idp: IdpConfig;

test.beforeAll(async () => {
  mailDir = join(mkdtempSync(join(tmpdir(), 'cn-factors-')), 'mail');
  mkdirSync(mailDir);
  smsFile = join(mailDir, '..', 'sms.jsonl');
  emu = await startEmulator({ port: 0, config: pool(), ui: 'managed', usernameFirst: true, messageSinks: { email: { type: 'file', path: mailDir }, sms: { type: 'file', path: smsFile } } });
  idp = emulatorIdp(emu, { loginUi: 'managed' });
});
test.afterAll(async () => {
  await emu?.stop();
});

const mailSource = () => parseCodeSource(mailDir).source!;

/** Nothing secret in the driver's log lines. */
function expectClean(logs: CapturedLogger, secrets: string[]): void {
  const text = logs.lines.join('\n');
  for (const s of secrets) expect(text).not.toContain(s);
}

test('a passwordless passkey user signs in three times in a row, fresh context each time, against a strict counter', async ({ loginBrowser, artifactsDir, logs }) => {
  const user: UserCredentials = { name: 'default', username: 'passkey-user@example.com', passkey: PASSKEY.credential, signInFactor: 'passkey' };
  const counters: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { url } = await signIn({ browser: loginBrowser, idp, user, artifactsDir, logger: logs });
    expect(new URL(url).searchParams.get('code')).toBeTruthy();
    counters.push(emu.passkeys('passkey-user@example.com')[0]!.signCount);
  }
  // The server saw the counter grow every time (strict mode would have refused otherwise).
  expect(counters[1]).toBeGreaterThan(counters[0]!);
  expect(counters[2]).toBeGreaterThan(counters[1]!);
  expectClean(logs, [PASSKEY.credential.privateKey]);
});

test('a user signs in with an emailed code read from the mail directory', async ({ loginBrowser, artifactsDir, logs }) => {
  const user: UserCredentials = { name: 'default', username: 'otp-user@example.com', signInFactor: 'email', signInFactorConfigured: true, codeSource: mailSource() };
  const { url } = await signIn({ browser: loginBrowser, idp, user, artifactsDir, logger: logs });
  expect(new URL(url).searchParams.get('code')).toBeTruthy();
  const codes = emu.observed.messages.filter((m) => m.to === 'otp-user@example.com').map((m) => /\d{6,8}/.exec(m.text)![0]);
  expect(codes.length).toBeGreaterThan(0);
  expectClean(logs, codes);
});

test('a user picks SMS on the factor choice; the texted code is read from the SMS sink\'s JSON lines, matched by phone number', async ({ loginBrowser, artifactsDir, logs }) => {
  const user: UserCredentials = { name: 'default', username: 'sms-user', signInFactor: 'sms', signInFactorConfigured: true, codeSource: parseCodeSource(smsFile).source!, codeAddress: '+1 555 000 1234' };
  const { url } = await signIn({ browser: loginBrowser, idp, user, artifactsDir, logger: logs });
  expect(new URL(url).searchParams.get('code')).toBeTruthy();
  expect(logs.lines.join('\n')).toContain('submitting the SMS code');
});

test('email MFA after a password: the code is read from the sink', async ({ loginBrowser, artifactsDir, logs }) => {
  const user: UserCredentials = { name: 'default', username: 'email-mfa@example.com', password: 'EmailMfa-Passw0rd!', signInFactor: 'password', codeSource: mailSource() };
  const { url } = await signIn({ browser: loginBrowser, idp, user, artifactsDir, logger: logs });
  expect(new URL(url).searchParams.get('code')).toBeTruthy();
  expectClean(logs, ['EmailMfa-Passw0rd!']);
});

test('a passkey as second factor after a password', async ({ loginBrowser, artifactsDir, logs }) => {
  const user: UserCredentials = { name: 'default', username: 'passkey-mfa@example.com', password: 'PasskeyMfa-Passw0rd!', signInFactor: 'password', passkey: MFA_PASSKEY.credential };
  const { url } = await signIn({ browser: loginBrowser, idp, user, artifactsDir, logger: logs });
  expect(new URL(url).searchParams.get('code')).toBeTruthy();
  expect(logs.lines.join('\n')).toMatch(/sign-in page: passkey-prompt/);
});

test('an MFA choice is answered with what the user has (an emailed code, no TOTP secret)', async ({ loginBrowser, artifactsDir, logs }) => {
  const user: UserCredentials = { name: 'default', username: 'mfa-choice@example.com', password: 'MfaChoice-Passw0rd!', signInFactor: 'password', codeSource: mailSource() };
  const { url } = await signIn({ browser: loginBrowser, idp, user, artifactsDir, logger: logs });
  expect(new URL(url).searchParams.get('code')).toBeTruthy();
  expect(logs.lines.join('\n')).toMatch(/picking email as MFA/);
});

test('a factor choice the configuration cannot answer is a usage error naming what was offered', async ({ loginBrowser, artifactsDir }) => {
  const user: UserCredentials = { name: 'default', username: 'passkey-user@example.com', signInFactor: 'sms', signInFactorConfigured: true, codeSource: mailSource() };
  const err = await signInError({ browser: loginBrowser, idp, user, artifactsDir, logger: capturingLogger() });
  expect(err.exitCode).toBe(ExitCode.Usage);
  expect(err.code).toBe('SIGN_IN_FACTOR_NOT_OFFERED');
  expect(err.message).toContain('"Passkey"');
  expect(err.message).toContain('"Email message"');
});

test("a refused code is exit 3 with Cognito's text", async ({ loginBrowser, artifactsDir }) => {
  const user: UserCredentials = { name: 'default', username: 'otp-user@example.com', signInFactor: 'email', signInFactorConfigured: true, codeSource: parseCodeSource('command:echo "Your code is 00000000"').source! };
  const err = await signInError({ browser: loginBrowser, idp, user, artifactsDir, logger: capturingLogger() });
  expect(err.exitCode).toBe(ExitCode.LoginRejected);
  expect(err.code).toBe('CODE_REJECTED');
  expect(err.message).toContain('Invalid code received for user');
});

test('a code that never arrives is exit 4 naming the source and the wait', async ({ loginBrowser, artifactsDir }) => {
  const empty = mkdtempSync(join(tmpdir(), 'cn-empty-'));
  const user: UserCredentials = { name: 'default', username: 'otp-user@example.com', signInFactor: 'email', signInFactorConfigured: true, codeSource: parseCodeSource(empty).source! };
  const err = await signInError({ browser: loginBrowser, idp, user, artifactsDir, logger: capturingLogger(), extra: { codeTimeoutMs: 1_500 } });
  expect(err.exitCode).toBe(ExitCode.IdpFailure);
  expect(err.code).toBe('CODE_NOT_RECEIVED');
  expect(err.message).toContain(empty);
  expect(err.message).toMatch(/within 2 s/);
  // The emulator did send one, to the real sink: nothing of it leaks into the error.
  const sent = readdirSync(mailDir).map((f) => readFileSync(join(mailDir, f), 'utf8'));
  for (const body of sent) expect(err.message).not.toContain(/\d{8}/.exec(body)?.[0] ?? 'no-code');
});

test('email MFA on the classic Hosted UI: the code page is told apart from TOTP by what it says', async ({ loginBrowser, artifactsDir, logs }) => {
  const classicMail = mkdtempSync(join(tmpdir(), 'cn-classic-mail-'));
  const classic = await startEmulator({ port: 0, config: pool(), ui: 'classic', messageSinks: { email: { type: 'file', path: classicMail } } });
  try {
    const user: UserCredentials = { name: 'default', username: 'email-mfa@example.com', password: 'EmailMfa-Passw0rd!', signInFactor: 'password', codeSource: parseCodeSource(classicMail).source! };
    const { url } = await signIn({ browser: loginBrowser, idp: emulatorIdp(classic, { loginUi: 'classic' }), user, artifactsDir, logger: logs });
    expect(new URL(url).searchParams.get('code')).toBeTruthy();
    expect(logs.lines.join('\n')).toContain('submitting the email code');
  } finally {
    await classic.stop();
  }
});

test('a passkey the pool does not know is exit 3 with the fix naming the relying party', async ({ loginBrowser, artifactsDir }) => {
  const stranger = makePasskey('127.0.0.1');
  const user: UserCredentials = { name: 'default', username: 'passkey-user@example.com', passkey: stranger.credential, signInFactor: 'passkey' };
  const err = await signInError({ browser: loginBrowser, idp, user, artifactsDir, logger: capturingLogger() });
  expect(err.exitCode).toBe(ExitCode.LoginRejected);
  expect(err.code).toBe('PASSKEY_REJECTED');
  expect(err.hint).toContain('relying party id (127.0.0.1)');
  expect(`${err.message} ${err.hint}`).not.toContain(stranger.credential.privateKey);
});

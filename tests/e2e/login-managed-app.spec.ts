// End-to-end: the login driver against the emulator's React + Cloudscape Managed Login in real
// Chromium. Hydration delays of 0, the default and 2 s; the guards (wait until interactive, check
// typed values, retry a lost value) each shown to be needed; wrong password and user states; the
// factor choice, MFA choice and passkey offer, in the default and an alternative wording; the
// corporate-email form in either DOM order. COGNITO_LOGIN_UI is auto unless a test says managed.
import { test, expect, emulatorIdp, signIn, signInError, USERS, secretsOf, type CapturedLogger } from './_login-fixtures.js';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEmulator, DEFAULT_POOL, type EmulatorOptions, type PoolConfig, type RunningEmulator } from '../../packages/emulator/src/index.js';
import { validateCallback } from '../../src/oauth/authorize.js';
import type { UserCredentials } from '../../src/config/types.js';
import type { StepTimes } from '../../src/tokens/steps.js';

// One emulator per configuration and worker (start-up is cheap once keys and bundles are loaded).
const running = new Map<string, Promise<RunningEmulator>>();
function emulator(key: string, options: EmulatorOptions): Promise<RunningEmulator> {
  let e = running.get(key);
  if (!e) running.set(key, (e = startEmulator({ ui: 'managed', ...options })));
  return e;
}
test.afterAll(async () => {
  await Promise.all([...running.values()].map(async (e) => (await e).stop()));
  running.clear();
});
const fast = { hydrationDelayMs: 50, stepDelayMs: 50 };

const debugText = (logs: CapturedLogger) => logs.lines.join('\n');
function expectNoSecret(logs: CapturedLogger, user: UserCredentials, message = ''): void {
  for (const s of secretsOf(user)) {
    expect(debugText(logs)).not.toContain(s);
    expect(message).not.toContain(s);
  }
}

for (const [label, hydrationDelayMs, usernameFirst] of [
  ['0', 0, false],
  ['the default', undefined, false],
  ['2 s', 2_000, false],
  ['0', 0, true],
  ['the default', undefined, true],
  ['2 s', 2_000, true],
] as const) {
  test(`hydration delay ${label}, ${usernameFirst ? 'username first' : 'one step'}: signs in, typing only once the page is interactive`, async ({ loginBrowser, artifactsDir, logs }) => {
    // The slow case is slow for the client-rendered password step too.
    const stepDelayMs = hydrationDelayMs === 2_000 ? 2_000 : undefined;
    const emu = await emulator(`hydrate-${label}-${usernameFirst}`, {
      usernameFirst,
      managedLogin: { ...(hydrationDelayMs === undefined ? {} : { hydrationDelayMs }), ...(stepDelayMs ? { stepDelayMs } : {}) },
    });
    const steps: StepTimes = [];
    const { url, attempt } = await signIn({ browser: loginBrowser, idp: emulatorIdp(emu), user: USERS.admin, artifactsDir, logger: logs, extra: { steps } });
    expect(validateCallback(url, attempt).kind).toBe('code');
    const text = debugText(logs);
    expect(text).toContain(usernameFirst ? 'sign-in page: username (managed)' : 'sign-in page: login (managed)');
    if (usernameFirst) expect(text).toContain('sign-in page: password (managed)');
    // The wait for the client-rendered step is a wait on the page, as long as the page takes.
    if (usernameFirst && stepDelayMs) expect(steps.find((x) => x.name === 'password page shown')?.ms).toBeGreaterThanOrEqual(1_500);
    expect(text).toMatch(/page interactive after (\d+) ms \(React hydrated\)/);
    if (hydrationDelayMs === 2_000) expect(Number(/page interactive after (\d+) ms/.exec(text)?.[1])).toBeGreaterThanOrEqual(1_500);
    expect(text).not.toContain('typing again');
    expect(text).not.toContain('typing the step again');
    expectNoSecret(logs, USERS.admin);
  });
}

test('guard: typed before hydration, the reset values are seen before submitting and typed again', async ({ loginBrowser, artifactsDir, logs }) => {
  const emu = await emulator('hydrate-1500', { managedLogin: { hydrationDelayMs: 1_500 } });
  const { url, attempt } = await signIn({ browser: loginBrowser, idp: emulatorIdp(emu), user: USERS.admin, artifactsDir, logger: logs, extra: { guards: { waitBeforeTyping: false } } });
  expect(validateCallback(url, attempt).kind).toBe('code');
  expect(debugText(logs)).toContain('the page reset username and password after typing (a re-render); typing again');
  expect(debugText(logs)).not.toContain('typing the step again');
  expectNoSecret(logs, USERS.admin);
});

test('guard: without the check, the page\'s "Missing username." is retried, not reported as a rejected password', async ({ loginBrowser, artifactsDir, logs }) => {
  const emu = await emulator('hydrate-1500', { managedLogin: { hydrationDelayMs: 1_500 } });
  const { url, attempt } = await signIn({
    browser: loginBrowser,
    idp: emulatorIdp(emu),
    user: USERS.admin,
    artifactsDir,
    logger: logs,
    extra: { guards: { waitBeforeTyping: false, checkTyped: false } },
  });
  expect(validateCallback(url, attempt).kind).toBe('code');
  expect(debugText(logs)).toMatch(/says "Missing (username|password)\.": a typed value was lost, typing the step again/);
});

test('a wrong password is exit 3 with Cognito\'s text within a few seconds (loginUi managed)', async ({ loginBrowser, artifactsDir, logs }) => {
  const emu = await emulator('default', {});
  const user = { ...USERS.admin, password: 'Nope-Passw0rd!' };
  const started = Date.now();
  const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emu, { loginUi: 'managed' }), user, artifactsDir, logger: logs });
  expect([err.code, err.exitCode]).toEqual(['LOGIN_REJECTED', 3]);
  expect(err.message).toContain('Invalid input: Incorrect username or password.');
  expect(Date.now() - started).toBeLessThan(8_000);
  expectNoSecret(logs, user, err.message);
});

test('username-first: a wrong password on the client-rendered step is exit 3, not a timeout', async ({ loginBrowser, artifactsDir, logs }) => {
  const emu = await emulator('username-first', { usernameFirst: true, managedLogin: fast });
  const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emu), user: { ...USERS.reader, password: 'Nope-Passw0rd!' }, artifactsDir, logger: logs });
  expect(err.code).toBe('LOGIN_REJECTED');
  expect(err.message).toContain('Incorrect username or password.');
  expect(debugText(logs)).toContain('sign-in page: password (managed)');
});

test('a locked-out user is exit 3 LOGIN_LOCKED_OUT', async ({ loginBrowser, artifactsDir, logs }) => {
  const emu = await emulator('lockout', { managedLogin: fast, behaviour: { lockout: { maxFailures: 1, durationMs: 60_000, multiplier: 1, maxDurationMs: 60_000 } } });
  emu.reset();
  const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emu), user: { ...USERS.reader, password: 'Nope-Passw0rd!' }, artifactsDir, logger: logs });
  expect([err.code, err.exitCode]).toEqual(['LOGIN_LOCKED_OUT', 3]);
  expect(err.message).toContain('Password attempts exceeded');
});

test('user states on Managed Login: FORCE_CHANGE_PASSWORD, UNCONFIRMED, RESET_REQUIRED, disabled', async ({ loginBrowser, artifactsDir, logs }) => {
  const emu = await emulator('fast', { managedLogin: fast });
  const cases: [UserCredentials, string][] = [
    [USERS.newPassword, 'NEW_PASSWORD_REQUIRED'],
    [USERS.unconfirmed, 'USER_NOT_CONFIRMED'],
    [USERS.reset, 'PASSWORD_RESET_REQUIRED'],
    [USERS.disabled, 'USER_DISABLED'],
  ];
  for (const [user, code] of cases) {
    const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emu), user, artifactsDir, logger: logs });
    expect([user.username, err.code, err.exitCode]).toEqual([user.username, code, 3]);
  }
});

// ---- TOTP, choices and the passkey offer ----

const SECRETS = { onestep: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', choice: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U', alt: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU' };
const mfaUser = (username: string, secret: string, both: boolean) => ({
  Username: username,
  Password: 'Mfa-Passw0rd!',
  TotpSecret: secret,
  ...(both ? { UserMFASettingList: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'] as ('SMS_MFA' | 'SOFTWARE_TOKEN_MFA')[] } : {}),
  Attributes: [{ Name: 'email', Value: `${username}@example.com` }],
});
const CHOICE_POOL: PoolConfig = {
  ...DEFAULT_POOL,
  // Choice-based sign-in: several first factors, and the client allows USER_AUTH (username first).
  Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN', 'EMAIL_OTP'] } },
  UserPoolClients: (DEFAULT_POOL.UserPoolClients ?? []).map((c) => ({ ...c, ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })),
  Users: [
    ...(DEFAULT_POOL.Users ?? []),
    mfaUser('onestep-mfa', SECRETS.onestep, false),
    mfaUser('both-mfa', SECRETS.choice, true),
    mfaUser('both-mfa-alt', SECRETS.alt, true),
    mfaUser('both-mfa-odd', SECRETS.alt, true),
  ],
};

test('TOTP on Managed Login: the client-rendered code field is found by what it shows, not by an id', async ({ loginBrowser, artifactsDir, logs }) => {
  const emu = await emulator('totp', { config: { ...DEFAULT_POOL, Users: [...(DEFAULT_POOL.Users ?? []), mfaUser('onestep-mfa', SECRETS.onestep, false)] }, managedLogin: fast });
  const user = { name: 'default', username: 'onestep-mfa', password: 'Mfa-Passw0rd!', totpSecret: SECRETS.onestep };
  const { url, attempt } = await signIn({ browser: loginBrowser, idp: emulatorIdp(emu), user, artifactsDir, logger: logs, timeoutMs: 45_000 });
  expect(validateCallback(url, attempt).kind).toBe('code');
  expect(debugText(logs)).toContain('sign-in page: totp');
  expectNoSecret(logs, user);
});

const ALT_TEXTS = {
  factorChoiceHeading: 'How do you want to sign in?',
  factorPassword: 'Use your password',
  factorPasskey: 'Use a passkey',
  factorEmailOtp: 'Email me a one-time code',
  mfaChoiceHeading: 'Verify it is you',
  mfaChoiceTotp: 'Code from an authenticator application (TOTP)',
  mfaChoiceSms: 'Text message to your phone',
  mfaChoiceContinue: 'Next',
  totpHeading: 'Verify your identity',
  totpLabel: 'One-time code',
  mfaSubmit: 'Verify',
  passkeyOfferHeading: 'Sign in faster with a passkey',
  passkeyOfferAccept: 'Create passkey',
  passkeyOfferDecline: 'Skip for now',
  passkeyButton: 'Use passkey',
};

for (const [wording, texts, username, secret] of [
  ['default wording', {}, 'both-mfa', SECRETS.choice],
  ['an alternative wording', ALT_TEXTS, 'both-mfa-alt', SECRETS.alt],
] as const) {
  test(`choices, ${wording}: the password on the factor choice, the authenticator app on the MFA choice, the passkey offer declined`, async ({ loginBrowser, artifactsDir, logs }) => {
    const emu = await emulator(`choices-${wording}`, { config: CHOICE_POOL, managedLogin: { ...fast, texts } });
    const user = { name: 'default', username, password: 'Mfa-Passw0rd!', totpSecret: secret };
    const { url, attempt } = await signIn({ browser: loginBrowser, idp: emulatorIdp(emu), user, artifactsDir, logger: logs, timeoutMs: 45_000 });
    expect(validateCallback(url, attempt).kind).toBe('code');
    const kinds = logs.lines.filter((l) => l.startsWith('debug: sign-in page: ')).map((l) => l.replace(/^debug: sign-in page: (\S+).*$/, '$1'));
    expect(kinds).toEqual(['username', 'factor-choice', 'password', 'mfa-choice', 'totp', 'passkey-offer']);
    expect(debugText(logs)).toContain('picking the password on the sign-in method choice');
    expect(debugText(logs)).toContain('picking the authenticator app on the MFA method choice');
    expect(debugText(logs)).toContain('picking not to add a passkey on the passkey offer');
    expectNoSecret(logs, user);
  });
}

test('an MFA choice worded beyond recognition: exit 4 with diagnostics, and no artifact holds the password or TOTP secret', async ({ loginBrowser, artifactsDir, logs }) => {
  const emu = await emulator('choices-odd', { config: CHOICE_POOL, managedLogin: { ...fast, texts: { mfaChoiceTotp: 'Phone app', mfaChoiceSms: 'Text', mfaChoiceHeading: 'Pick one' } } });
  const user = { name: 'default', username: 'both-mfa-odd', password: 'Mfa-Passw0rd!', totpSecret: SECRETS.alt };
  const err = await signInError({ browser: loginBrowser, idp: emulatorIdp(emu), user, artifactsDir, logger: logs, extra: { unknownPageGraceMs: 300 } });
  expect([err.code, err.exitCode]).toEqual(['UNEXPECTED_PAGE', 4]);
  const dir = String(err.details.diagnostics);
  const files = (await readdir(dir)).map((f) => join(dir, f));
  expect(files.length).toBeGreaterThanOrEqual(3);
  expect(await readFile(join(dir, 'page-text.txt'), 'utf8')).toContain('Phone app');
  for (const f of files) {
    const bytes = await readFile(f);
    for (const secret of secretsOf(user)) expect(bytes.includes(Buffer.from(secret)), `${secret} in ${f}`).toBe(false);
  }
  expectNoSecret(logs, user, err.message);
});

// ---- the corporate-email form ----

const CORPORATE_POOL: PoolConfig = {
  ...DEFAULT_POOL,
  // Email sign-in: the personal field and the corporate one are both type=email.
  UsernameAttributes: ['email'],
  // A SAML IdP needs its metadata (never fetched here: the test user is a Cognito user and never goes there).
  IdentityProviders: [{ ProviderName: 'CorpIdP', ProviderType: 'SAML', ProviderDetails: { MetadataURL: 'https://idp.example.invalid/saml/metadata' }, IdpIdentifiers: ['example.com'] }],
  UserPoolClients: (DEFAULT_POOL.UserPoolClients ?? []).map((c) => ({ ...c, SupportedIdentityProviders: ['COGNITO', 'CorpIdP'] })),
};
const byEmail = { ...USERS.admin, username: 'admin@example.com' };

for (const [order, usernameFirst, texts] of [
  ['before', false, {}],
  ['after', false, {}],
  ['before', true, { corporateHeading: 'Sign in with your work account', corporateLabel: 'Work email address', corporateSubmit: 'Continue' }],
] as const) {
  test(`corporate form ${order} the personal one${usernameFirst ? ' (username first, another wording)' : ''}: the username goes into the personal form only`, async ({ loginBrowser, artifactsDir, logs }) => {
    const emu = await emulator(`corporate-${order}-${usernameFirst}`, { config: CORPORATE_POOL, usernameFirst, managedLogin: { ...fast, corporateForm: order, texts } });
    const { url, attempt } = await signIn({ browser: loginBrowser, idp: emulatorIdp(emu), user: byEmail, artifactsDir, logger: logs });
    // Typed into the corporate form, the sign-in would have gone to /oauth2/authorize?idp_identifier=example.com.
    expect(validateCallback(url, attempt).kind).toBe('code');
  });
}

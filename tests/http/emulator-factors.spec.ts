// The emulator's sign-in factors over plain HTTP, as Managed Login's app calls them: one-time codes
// (single use, expiry on the emulator's clock, Cognito's texts, the lockout), and WebAuthn assertions
// made here with node:crypto (ES256, real signatures) so each server check is shown failing alone:
// challenge, origin, relying party id, user verification, signature, and both counter policies.
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import { test, expect } from '@playwright/test';
import { createPasskeyCredential, DEFAULT_POOL, passkeyUserHandle, startEmulator, type BehaviourInput, type PoolConfig, type RunningEmulator } from '../../src/emulator/index.js';
import { authorizeQuery, get, Jar, localPath, postForm, scrapeForm, submitPage } from '../fixtures/emulator-http.js';

const POOL_ID = 'us-east-1_Factors2';
const kim = createPasskeyCredential('127.0.0.1', passkeyUserHandle(POOL_ID, 'kim'));
const pool = (uv: 'required' | 'preferred'): PoolConfig => ({
  ...DEFAULT_POOL,
  UserPoolId: POOL_ID,
  Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'WEB_AUTHN'] } },
  WebAuthnConfiguration: { UserVerification: uv },
  UserPoolClients: (DEFAULT_POOL.UserPoolClients ?? []).map((c) => ({ ...c, ExplicitAuthFlows: ['ALLOW_USER_AUTH'] })),
  Users: [
    { Username: 'eve', Attributes: [{ Name: 'email', Value: 'eve@example.com' }] },
    { Username: 'kim', Attributes: [{ Name: 'email', Value: 'kim@example.com' }], Passkeys: [kim.poolEntry] },
  ],
});

const emulators: RunningEmulator[] = [];
test.afterAll(async () => {
  await Promise.all(emulators.map((e) => e.stop()));
});
async function emulator(uv: 'required' | 'preferred' = 'preferred', behaviour: BehaviourInput = {}): Promise<RunningEmulator> {
  const e = await startEmulator({ ui: 'managed', config: pool(uv), behaviour });
  emulators.push(e);
  return e;
}

const JSON_ACCEPT = { accept: 'application/json' };
const query = `?${authorizeQuery()}`;

/** A browser-like session on the sign-in page: its cookies and CSRF value, and JSON posts. */
async function session(emu: RunningEmulator) {
  const jar = new Jar();
  const page = await get(emu.baseUrl, `/login${query}`, jar);
  const { csrf } = scrapeForm(await page.text());
  const post = async (path: string, fields: Record<string, string>) => {
    const res = await postForm(emu.baseUrl, `${path}${query}`, { csrf, ...fields }, jar, JSON_ACCEPT);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return { jar, post };
}

const lastCode = (emu: RunningEmulator, username: string) => /\d{8}/.exec(emu.observed.messages.filter((m) => m.username === username).pop()?.text ?? '')![0];

test.describe('one-time codes', () => {
  test('an email sign-in code: a wrong one is "Invalid code received for user", the right one signs in once, an old one never again', async () => {
    const emu = await emulator();
    const s = await session(emu);
    expect((await s.post('/login', { username: 'eve' })).body).toEqual({ step: 'email', destination: 'e***@e***.com' });
    const code = lastCode(emu, 'eve');
    expect(await s.post('/login', { code: code === '00000000' ? '11111111' : '00000000' })).toEqual({ status: 400, body: { error: 'Invalid code received for user', field: 'code' } });
    const ok = await s.post('/login', { code });
    expect(ok.body.step).toBe('passkeyOffer');
    expect(String(ok.body.continueUrl)).toContain('code=');
    // A new sign-in sends a new code; the used one is refused.
    const again = await session(emu);
    await again.post('/login', { username: 'eve' });
    expect(lastCode(emu, 'eve')).not.toBe(code);
    expect((await again.post('/login', { code })).body.error).toBe('Invalid code received for user');
  });

  test('a code past its validity (behaviour.oneTimeCode.validityMs, 1 minute here) is refused as expired; asking again sends a fresh one that works', async () => {
    const emu = await emulator('preferred', { oneTimeCode: { validityMs: 60_000 } });
    const s = await session(emu);
    await s.post('/login', { username: 'eve' });
    const code = lastCode(emu, 'eve');
    emu.clock.advance(60_001);
    expect((await s.post('/login', { code })).body.error).toBe('Invalid code provided, please request a code again.');
    // The sign-in itself lives on (3 minutes): choosing the email factor again sends a new code.
    expect((await s.post('/login', { factor: 'EMAIL_OTP' })).body.step).toBe('email');
    expect((await s.post('/login', { code: lastCode(emu, 'eve') })).status).toBe(200);
  });

  test('five wrong codes lock the user (the password lockout): even the right code is refused until the lockout ends', async () => {
    const emu = await emulator();
    const s = await session(emu);
    await s.post('/login', { username: 'eve' });
    const code = lastCode(emu, 'eve');
    const wrong = code === '00000000' ? '11111111' : '00000000';
    const answers: unknown[] = [];
    for (let i = 0; i < 5; i++) answers.push((await s.post('/login', { code: wrong })).body.error);
    expect(answers).toEqual([...Array(4).fill('Invalid code received for user'), 'Too many invalid credentials attempts. User temporarily locked. Please try again after few seconds.']);
    expect((await s.post('/login', { code })).body.error).toMatch(/temporarily locked/);
    emu.clock.advance(1_001);
    expect((await s.post('/login', { factor: 'EMAIL_OTP' })).body.step).toBe('email');
    expect((await s.post('/login', { code: lastCode(emu, 'eve') })).status).toBe(200);
  });
});

test('email MFA on the classic Hosted UI: the /mfa page sends the code once (a reload keeps it) and names where it went; the code signs in', async () => {
  const emu = await startEmulator({
    config: { ...DEFAULT_POOL, Users: [{ Username: 'ann', Password: 'Ann-Passw0rd!', EmailMfaSettings: { Enabled: true }, Attributes: [{ Name: 'email', Value: 'ann@example.com' }] }] },
  });
  emulators.push(emu);
  const jar = new Jar();
  const res = await submitPage(emu.baseUrl, `/login${query}`, { username: 'ann', password: 'Ann-Passw0rd!' }, jar);
  expect(localPath(res)).toBe(`/mfa${query}`);
  const page = await (await get(emu.baseUrl, `/mfa${query}`, jar)).text();
  expect(page).toContain('We have delivered the authentication code by email to a***@e***.com.');
  await get(emu.baseUrl, `/mfa${query}`, jar);
  expect(emu.observed.messages).toHaveLength(1);
  const code = /\d{6}/.exec(emu.observed.messages[0]!.text)![0];
  const done = await postForm(emu.baseUrl, `/mfa${query}`, { _csrf: scrapeForm(page).csrf, authentication_code: code }, jar);
  expect(new URL(done.headers.get('location')!).searchParams.get('code')).toBeTruthy();
});

// ---- WebAuthn assertions signed here ----

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest();
interface Assertion {
  challenge: string;
  origin?: string;
  rpId?: string;
  /** UP = 0x01, UV = 0x04. */
  flags?: number;
  counter?: number;
  tamper?: boolean;
}
function assertion(a: Assertion, cred = kim.credential): string {
  const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: a.challenge, origin: a.origin, crossOrigin: false }));
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(a.counter ?? 1);
  const authData = Buffer.concat([sha256(a.rpId ?? '127.0.0.1'), Buffer.from([a.flags ?? 0x05]), counter]);
  const key = createPrivateKey({ key: Buffer.from(cred.privateKey, 'base64url'), format: 'der', type: 'pkcs8' });
  const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), key);
  if (a.tamper) signature[signature.length - 1]! ^= 1;
  return JSON.stringify({
    id: cred.id,
    rawId: cred.id,
    type: 'public-key',
    response: { clientDataJSON: clientDataJSON.toString('base64url'), authenticatorData: authData.toString('base64url'), signature: signature.toString('base64url'), userHandle: cred.userHandle },
    clientExtensionResults: {},
  });
}

/** Ask for options as the page does, answer with an assertion built from them, return the answer. */
async function passkeySignIn(emu: RunningEmulator, change: Partial<Assertion> = {}) {
  const s = await session(emu);
  const opts = await s.post('/passkeys/options', { purpose: 'signIn', username: 'kim' });
  const pk = opts.body.publicKey as { challenge: string; rpId: string; allowCredentials: { id: string }[]; userVerification: string };
  const credential = assertion({ challenge: pk.challenge, origin: emu.baseUrl, ...change });
  const first = await s.post('/passkeys/verify', { credential });
  return { options: pk, first, replay: () => s.post('/passkeys/verify', { credential }) };
}

const FAILED = { status: 400, body: { error: 'Passkey sign-in failed. Try again.' } };

test.describe('passkey assertions', () => {
  test('the options name the relying party (the page host), the user\'s credential and the configured user verification; a good assertion signs in, its replay does not', async () => {
    const emu = await emulator('required');
    const { options, first, replay } = await passkeySignIn(emu, { counter: 1 });
    expect([options.rpId, options.allowCredentials.map((c) => c.id), options.userVerification]).toEqual(['127.0.0.1', [kim.credential.id], 'required']);
    expect(String(first.body.redirect)).toContain('code=');
    expect(await replay()).toEqual(FAILED);
  });

  for (const [what, change] of [
    ['another origin', { origin: 'http://evil.example' }],
    ['another relying party id', { rpId: 'evil.example' }],
    ['a wrong signature', { tamper: true }],
    ['a challenge the server never gave', { challenge: Buffer.from('not-the-challenge').toString('base64url') }],
    ['no user verification where it is required', { flags: 0x01 }],
  ] as const) {
    test(`an assertion with ${what} is refused`, async () => {
      const emu = await emulator('required');
      expect((await passkeySignIn(emu, change)).first).toEqual(FAILED);
    });
  }

  test('user verification "preferred": an assertion with user presence only is accepted', async () => {
    const emu = await emulator('preferred');
    expect((await passkeySignIn(emu, { flags: 0x01 })).first.status).toBe(200);
  });

  test('counter "strict": a counter that does not grow is refused; both zero is allowed; "ignore" accepts any counter', async () => {
    const strict = await emulator();
    expect((await passkeySignIn(strict, { counter: 0 })).first.status).toBe(200);
    expect((await passkeySignIn(strict, { counter: 0 })).first.status).toBe(200);
    expect((await passkeySignIn(strict, { counter: 5 })).first.status).toBe(200);
    expect((await passkeySignIn(strict, { counter: 5 })).first).toEqual(FAILED);
    expect((await passkeySignIn(strict, { counter: 6 })).first.status).toBe(200);
    expect(strict.passkeys('kim')[0]!.signCount).toBe(6);
    const lax = await emulator('preferred', { passkeyCounter: 'ignore' });
    expect((await passkeySignIn(lax, { counter: 9 })).first.status).toBe(200);
    expect((await passkeySignIn(lax, { counter: 2 })).first.status).toBe(200);
  });
});

// ---- registration (attestation "none", as Playwright's software authenticator makes it) ----

/** An attestation object of format none: authData with UP|UV|AT, a zero AAGUID, an ES256 COSE key. */
function attestation(a: { challenge: string; origin: string; rpId?: string }): { json: string; id: string } {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const cose = isoCBOR.encode(new Map<number, number | Uint8Array>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]));
  const credId = randomBytes(16);
  const idLen = Buffer.alloc(2);
  idLen.writeUInt16BE(credId.length);
  const authData = Buffer.concat([sha256(a.rpId ?? '127.0.0.1'), Buffer.from([0x45]), Buffer.alloc(4), Buffer.alloc(16), idLen, credId, Buffer.from(cose)]);
  const attestationObject = isoCBOR.encode(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', new Uint8Array(authData)]]) as never);
  const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: a.challenge, origin: a.origin, crossOrigin: false }));
  const id = credId.toString('base64url');
  return {
    id,
    json: JSON.stringify({ id, rawId: id, type: 'public-key', response: { clientDataJSON: clientDataJSON.toString('base64url'), attestationObject: Buffer.from(attestationObject).toString('base64url'), transports: ['internal'] }, clientExtensionResults: {} }),
  };
}

test('registration: only a signed-in user gets options (user.id its sub, attestation none, resident key); a wrong origin is refused, a good attestation is stored', async () => {
  const emu = await emulator();
  const s = await session(emu);
  expect((await s.post('/passkeys/options', { purpose: 'register' })).body).toEqual({ error: 'Sign in before adding a passkey.' });
  await s.post('/login', { username: 'eve' });
  expect((await s.post('/login', { code: lastCode(emu, 'eve') })).body.step).toBe('passkeyOffer');
  const register = async (origin: string) => {
    const opts = (await s.post('/passkeys/options', { purpose: 'register' })).body.publicKey as Record<string, unknown>;
    expect([opts.attestation, (opts.authenticatorSelection as { residentKey: string }).residentKey, (opts.user as { id: string }).id]).toEqual(['none', 'required', passkeyUserHandle(POOL_ID, 'eve')]);
    const made = attestation({ challenge: String(opts.challenge), origin });
    return { id: made.id, answer: await s.post('/passkeys/register', { credential: made.json }) };
  };
  expect((await register('http://evil.example')).answer).toEqual({ status: 400, body: { error: 'The passkey could not be added. Try again.' } });
  const good = await register(emu.baseUrl);
  expect(good.answer).toEqual({ status: 200, body: { ok: true } });
  expect(emu.passkeys('eve')).toEqual([{ id: good.id, signCount: 0, rpId: '127.0.0.1' }]);
});

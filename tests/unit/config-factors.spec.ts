// The pool config's sign-in factor fields (Cognito API shapes plus the emulator's passkeys and
// message sinks): what is accepted, and the exit-2 message naming the field for what is not.
import { test, expect } from '@playwright/test';
import { parsePoolConfig } from '../../src/emulator/config.js';
import { parseMessageSinks } from '../../src/emulator/messages/sinks-config.js';
import { spkiToCose } from '../../src/emulator/passkeys.js';
import { createPasskeyCredential } from '../../src/emulator/passkey-credential.js';

const base = { UserPoolId: 'us-east-1_Unit1' };
const message = (json: unknown): string => {
  try {
    parsePoolConfig(json);
    return 'accepted';
  } catch (err) {
    return (err as Error).message;
  }
};

test('factor fields in Cognito shapes are accepted, with Cognito defaults filled in', () => {
  const { poolEntry } = createPasskeyCredential('localhost', 'aGFuZGxl');
  const pool = parsePoolConfig({
    ...base,
    MfaConfiguration: 'OPTIONAL',
    WebAuthnConfiguration: { RelyingPartyId: 'auth.example.com' },
    EmailMfaConfiguration: { Message: 'Code: {####}', Subject: 'Code' },
    MessageSinks: { email: { type: 's3', bucket: 'inbox' }, sms: { type: 'file', path: '/tmp/sms.jsonl' } },
    Users: [{ Username: 'u', Attributes: [{ Name: 'email', Value: 'u@example.com' }], EmailMfaSettings: { Enabled: true, PreferredMfa: true }, Passkeys: [poolEntry] }],
  });
  expect(pool.WebAuthnConfiguration).toEqual({ RelyingPartyId: 'auth.example.com', UserVerification: 'preferred', FactorConfiguration: 'SINGLE_FACTOR' });
  expect(pool.MessageSinks?.email).toEqual({ type: 's3', bucket: 'inbox', prefix: '', forcePathStyle: true });
  expect(pool.Users[0]!.Passkeys[0]!.SignCount).toBe(0);
});

test('bad factor fields are exit-2 errors naming the field', () => {
  expect(message({ ...base, EmailMfaConfiguration: { Message: 'no placeholder' } })).toContain('EmailMfaConfiguration.Message: must contain {####}');
  expect(message({ ...base, WebAuthnConfiguration: { UserVerification: 'discouraged' } })).toContain('WebAuthnConfiguration.UserVerification');
  expect(message({ ...base, Users: [{ Username: 'u', EmailMfaSettings: { Enabled: true } }] })).toContain('Users[0].Attributes: needs an email attribute');
  expect(message({ ...base, Users: [{ Username: 'u', Passkeys: [{ CredentialId: 'a+b', PublicKey: 'x' }] }] })).toContain('Users[0].Passkeys[0].CredentialId: must be base64url');
  expect(() => parseMessageSinks({ sms: { type: 'smtp', host: '127.0.0.1', port: 25 } })).toThrow(/messageSinks is invalid at sms: an SMTP sink takes email only/);
  expect(() => parseMessageSinks({ email: { type: 'pigeon' } })).toThrow(/messageSinks is invalid at email/);
});

test('a passkey public key given as SPKI becomes the COSE key WebAuthn verifies with (EC2, P-256, ES256)', () => {
  const { credential } = createPasskeyCredential('localhost', 'aGFuZGxl');
  const cose = spkiToCose(credential.publicKey);
  // CBOR map header (5 entries), kty 2 (EC2), alg -7 (ES256), crv 1 (P-256).
  expect([...cose.subarray(0, 7)]).toEqual([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01]);
  expect(cose.length).toBe(77);
});

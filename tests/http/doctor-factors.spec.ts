// doctor's checks for sign-in factors: a passkey's relying party id against the domain (or the
// configured id), and each code source answering with its credentials accepted (a real Dovecot, a
// local folder), each failure with its fix.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '../fixtures/dovecot.js';
import { checkCodeSource, checkPasskeyRelyingParty } from '../../src/doctor/factors.js';
import { parseCodeSource } from '../../src/config/factors.js';
import type { UserCredentials } from '../../src/config/types.js';

const passkeyUser = (rpId: string): UserCredentials => ({ name: 'passwordless', username: 'pk@example.com', passkey: { id: 'aWQ', rpId, userHandle: 'dWg', privateKey: 'cHJpdg', publicKey: 'cHVi' } });
const idp = { domain: 'https://auth.example.com' };

test('a passkey passes for the domain or the configured relying party, and fails elsewhere with the way out', () => {
  expect(checkPasskeyRelyingParty(passkeyUser('auth.example.com'), idp).status).toBe('pass');
  expect(checkPasskeyRelyingParty(passkeyUser('example.com'), idp, 'example.com').status).toBe('pass');
  const parent = checkPasskeyRelyingParty(passkeyUser('example.com'), idp);
  expect(parent.status).toBe('fail');
  expect(parent.fix).toContain('COGNITO_PASSKEY_RP_ID=example.com');
  const other = checkPasskeyRelyingParty(passkeyUser('my-app.auth.us-east-1.amazoncognito.com'), idp);
  expect(other.detail).toContain('not for the domain auth.example.com');
  expect(other.fix).toContain('cognito-newman passkey enroll --user passwordless');
  expect(other.fix).toContain('TEST_USER_PASSWORDLESS_PASSKEY');
});

test('an IMAP code source: accepted credentials pass, refused ones fail with the fix; a missing folder fails', async ({ dovecot }) => {
  const url = `imap://${encodeURIComponent(dovecot.user)}@127.0.0.1:${dovecot.port}/INBOX`;
  const user = (password: string): UserCredentials => ({ name: 'default', username: dovecot.user, signInFactor: 'email', codeSource: parseCodeSource(url, password).source! });
  const ok = await checkCodeSource(user(dovecot.password), { env: {}, timeoutMs: 5_000 });
  expect(ok.status, ok.detail).toBe('pass');
  const refused = await checkCodeSource(user('wrong-password-123'), { env: {}, timeoutMs: 5_000 });
  expect(refused.status).toBe('fail');
  expect(refused.detail).toContain('refused the credentials');
  expect(refused.fix).toContain('TEST_USER_CODE_SOURCE_PASSWORD');
  expect(JSON.stringify(refused)).not.toContain('wrong-password-123');
  const missing = join(mkdtempSync(join(tmpdir(), 'cn-doc-')), 'nope');
  const folder = await checkCodeSource({ name: 'default', username: 'a@example.com', codeSource: parseCodeSource(missing).source! }, { env: {}, timeoutMs: 2_000 });
  expect(folder.status).toBe('fail');
  expect(folder.detail).toContain('does not exist');
});

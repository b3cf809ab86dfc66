// The demo's users beyond the password (issue 18): `passwordless` (passkey-user, no password: a
// passkey) and `email-mfa` (a password, then an email MFA code the emulator writes into a local
// mail folder). `demo --ui managed` enrols the passkey itself (an email-code sign-in, then
// /passkeys/add, as `passkey enroll` does); `demo --serve` seeds a published passkey instead, so
// the .env lines it prints (and .env.example) stay the same run after run. Passkeys exist only on
// Managed Login, which `demo --serve` therefore serves.
import type { Browser } from 'playwright-core';
import { DEMO_EMAIL_MFA_USER, DEMO_PASSKEY_USER, DEMO_RP_ID } from 'cognito-newman-emulator/demo-pool';
import type { PasskeyConfig } from 'cognito-newman-emulator';
import type { IdpConfig, PasskeyCredential } from '../config/types.js';
import type { Logger } from '../log.js';

/** The demo's named users for the two factors (TEST_USER_PASSWORDLESS_*, TEST_USER_EMAIL_MFA_*). */
export const DEMO_FACTOR_USERS = ['passwordless', 'email-mfa'] as const;

/**
 * A published test passkey of the demo's passwordless user (relying party `localhost`, the demo
 * pool's): never use it anywhere real. `demo --serve` seeds its public half into the pool.
 */
export const DEMO_PUBLISHED_PASSKEY: PasskeyCredential = {
  id: 'V9c__lmKYPQD8UAf9aGgng',
  rpId: DEMO_RP_ID,
  userHandle: 'MWI0OTU2ZDgtNzk2MS00MGVhLWFlOGUtNmQyYjBhMTYxNjhk',
  privateKey: 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgxicRxj_7U54CL9Niui9OyYT5kx1lb_U0AAIzbSUol6ehRANCAATdayivT5bW0ZmjIA8hsKDiw6xV6Z6q7wr3AhfxGXxpeI8hc-D1lEk7S7ELIJtLWn8mo4dXsthoXZJ1gQ1ekegN',
  publicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE3Wsor0-W1tGZoyAPIbCg4sOsVemequ8K9wIX8Rl8aXiPIXPg9ZRJO0uxCyCbS1p_JqOHV7LYaF2SdYENXpHoDQ',
};

/** The pool's `Passkeys` entry for a credential. */
export function poolEntryFor(c: PasskeyCredential): PasskeyConfig {
  return { CredentialId: c.id, PublicKey: c.publicKey, SignCount: 0, RelyingPartyId: c.rpId, UserHandle: c.userHandle } as PasskeyConfig;
}

/** Where `demo --serve` has the emulator write emails (relative to the folder it runs in; .gitignore'd). */
export const DEMO_MAIL_DIR = './.cognito-newman-demo/mail';

/**
 * The two users as configuration, in .env order. `quote` wraps the passkey JSON in single quotes
 * for a .env file (dotenv keeps it verbatim); the demo run passes values directly.
 */
export function demoFactorEnv(passkey: PasskeyCredential, mailDir: string, quote = false): [string, string][] {
  const json = JSON.stringify(passkey);
  return [
    ['COGNITO_PASSKEY_RP_ID', DEMO_RP_ID],
    ['TEST_USER_PASSWORDLESS_USERNAME', DEMO_PASSKEY_USER.username],
    ['TEST_USER_PASSWORDLESS_PASSKEY', quote ? `'${json}'` : json],
    ['TEST_USER_EMAIL_MFA_USERNAME', DEMO_EMAIL_MFA_USER.username],
    ['TEST_USER_EMAIL_MFA_PASSWORD', DEMO_EMAIL_MFA_USER.password],
    ['TEST_USER_EMAIL_MFA_CODE_SOURCE', mailDir],
    ['TEST_USER_EMAIL_MFA_CODE_ADDRESS', DEMO_EMAIL_MFA_USER.email],
  ];
}

/** The demo's users with the two factor users added (TEST_USERS extended, their variables after). */
export function withFactorUsers(base: [string, string][], factor: [string, string][]): [string, string][] {
  const out = base.map(([k, v]): [string, string] => (k === 'TEST_USERS' ? [k, [...v.split(','), ...DEMO_FACTOR_USERS].join(',')] : [k, v]));
  return [...out, ...factor];
}

/** `demo --ui managed`: enrol the passwordless user's passkey as a user would (an email code, then /passkeys/add). */
export async function enrollDemoPasskey(o: { browser: Browser; idp: IdpConfig; mailDir: string; artifactsDir: string; logger: Logger }): Promise<PasskeyCredential> {
  const { enrollPasskey } = await import('../login/enroll.js');
  const { parseCodeSource } = await import('../config/factors.js');
  return enrollPasskey({
    browser: o.browser,
    idp: o.idp,
    user: {
      name: 'passwordless',
      username: DEMO_PASSKEY_USER.username,
      signInFactor: 'email',
      signInFactorConfigured: true,
      codeSource: parseCodeSource(o.mailDir).source!,
      codeAddress: DEMO_PASSKEY_USER.email,
    },
    artifactsDir: o.artifactsDir,
    timeoutMs: 30_000,
    codeTimeoutMs: 15_000,
    logger: o.logger,
  });
}

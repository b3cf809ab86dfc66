// A test user's passkey in the browser: installs the stored credential into Playwright's software
// authenticator (`browserContext.credentials`, cognito-reference 3.2) before the sign-in page opens,
// and reads back a credential the authenticator registered (`passkey enroll`).
//
// The signature counter. A stored passkey is replayed from a fresh machine on every CI run, and the
// secret is never written back, so the counter cannot be remembered. Playwright's authenticator adds
// 1 to the counter it was given on each assertion (and registers with 0). A server that checks the
// counter (WebAuthn §6.1.1 step 21 of §7.2: a non-zero counter must exceed the stored one) would
// reject a fixed starting value from the second run on. So the counter is derived from the clock:
// tenths of a second since 2026-01-01 UTC, which grows between any two sign-ins a tenth of a second
// apart, fits the 32-bit field until 2039, and needs no state. A stored `signCount` higher than the
// clock (a credential imported from elsewhere) is respected as a floor.
import type { BrowserContext } from 'playwright-core';
import type { PasskeyCredential } from '../config/factors.js';
import { registerSecret } from '../log.js';

/** 2026-01-01T00:00:00Z in ms: the counter's zero. */
const COUNTER_EPOCH_MS = Date.UTC(2026, 0, 1);
const MAX_U32 = 0xffffffff;

/** The counter to seed for a sign-in at `nowMs` (the authenticator sends this plus 1). */
export function clockSignCount(nowMs: number = Date.now(), floor = 0): number {
  const tenths = Math.floor((nowMs - COUNTER_EPOCH_MS) / 100);
  // Leave room for the +1 the authenticator adds, and for a few assertions in one context.
  return Math.min(MAX_U32 - 16, Math.max(floor, tenths, 0));
}

/**
 * Seed `passkey` into the context's software authenticator and install it, so the page's
 * `navigator.credentials.get()` is answered with it. Pass the public key too: seeded without it,
 * Playwright derives another and the assertion fails the server's signature check (measured, 3.2).
 */
export async function installPasskey(context: BrowserContext, passkey: PasskeyCredential, nowMs: number = Date.now()): Promise<void> {
  registerSecret(passkey.privateKey);
  await context.credentials.create(passkey.rpId, {
    id: passkey.id,
    userHandle: passkey.userHandle,
    privateKey: passkey.privateKey,
    publicKey: passkey.publicKey,
    signCount: clockSignCount(nowMs, passkey.signCount ?? 0),
  });
  await context.credentials.install();
}

/** Turn on the software authenticator with no credential: `navigator.credentials.create()` registers a new one. */
export async function installEmptyAuthenticator(context: BrowserContext): Promise<void> {
  await context.credentials.install();
}

/**
 * The credentials the authenticator holds for `rpId` (a registration adds one), as the JSON the
 * tool stores: no counter, since sign-ins derive it from the clock.
 */
export async function registeredPasskeys(context: BrowserContext, rpId?: string): Promise<PasskeyCredential[]> {
  const list = await context.credentials.get(rpId ? { rpId } : {});
  return list.map((c) => {
    registerSecret(c.privateKey);
    return { id: c.id, rpId: c.rpId, userHandle: c.userHandle ?? '', privateKey: c.privateKey, publicKey: c.publicKey };
  });
}

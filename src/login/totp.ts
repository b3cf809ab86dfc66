// TOTP codes for MFA test users (RFC 6238 via `otpauth`), never the same code twice per secret.
// Cognito refuses a code that was already used, so a second login inside one 30 s window must wait
// for the next window; the wait is computed from the clock (one timer), bounded, and abortable.
import { createHash } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { registerSecret } from '../log.js';
import { CnError, ExitCode, usageError } from '../errors.js';

const PERIOD_MS = 30_000;

/** Per secret (keyed by a hash, so the map holds no secret), the last time-step counter we sent. */
const lastCounter = new Map<string, number>();

export interface TotpOptions {
  /** The clock; tests pass a fake one. */
  now?: () => number;
  /** Longest acceptable wait for a fresh window; more than this throws `MFA_CODE_WAIT_TOO_LONG`. */
  maxWaitMs?: number;
  /** Aborts the wait (the login's overall deadline or a captured callback). */
  signal?: AbortSignal;
  /** Where the secret came from, for messages (e.g. `TEST_USER_TOTP_SECRET`). */
  source?: string;
  /** How to wait `ms` for the next window (one timer by default); tests pass one that moves a fake clock. */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Build the TOTP generator; accepts a base32 secret (spaces, lower case, '=' padding allowed) or an otpauth:// URI. */
export function totpFor(secret: string, source = 'the TOTP secret'): OTPAuth.TOTP {
  const trimmed = secret.trim();
  try {
    if (/^otpauth:\/\//i.test(trimmed)) {
      const parsed = OTPAuth.URI.parse(trimmed);
      if (!(parsed instanceof OTPAuth.TOTP)) throw new TypeError('not a TOTP URI');
      return parsed;
    }
    const base32 = trimmed.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
    if (!/^[A-Z2-7]+$/.test(base32)) throw new TypeError('not base32');
    return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(base32), digits: 6, period: 30, algorithm: 'SHA1' });
  } catch (cause) {
    // The message never quotes the secret: only where it came from.
    throw usageError('TOTP_SECRET_INVALID', `${source} is not a base32 TOTP secret or an otpauth://totp/ URI.`, {
      hint: 'Use the secret key shown when the authenticator app was set up (letters A-Z and digits 2-7).',
      cause: cause instanceof Error ? new Error(cause.message) : undefined,
    });
  }
}

const keyOf = (secret: string) => createHash('sha256').update(secret.trim()).digest('hex');

/**
 * A TOTP code this process has not sent before for `secret`. If the current window's code was
 * already used, waits until the next window starts (one timer, at most `maxWaitMs`). The code is
 * registered as a secret for redaction and reserved before it is returned, so concurrent logins of
 * the same user get different windows.
 */
export async function freshTotpCode(secret: string, options: TotpOptions = {}): Promise<string> {
  const now = options.now ?? Date.now;
  const totp = totpFor(secret, options.source);
  const period = totp.period * 1000 || PERIOD_MS;
  const key = keyOf(secret);
  for (;;) {
    options.signal?.throwIfAborted();
    const t = now();
    const counter = Math.floor(t / period);
    const last = lastCounter.get(key);
    if (last === undefined || counter > last) {
      lastCounter.set(key, counter);
      const code = totp.generate({ timestamp: t });
      registerSecret(code);
      return code;
    }
    // Wait for the window after the last one we used (it may be further ahead than the next one
    // when several logins of the same user queued up).
    const waitMs = (last + 1) * period - t;
    if (options.maxWaitMs !== undefined && waitMs > options.maxWaitMs) {
      throw new CnError('MFA_CODE_WAIT_TOO_LONG', ExitCode.IdpFailure, `A fresh TOTP code needs ${Math.ceil(waitMs / 1000)} s more, beyond the login deadline.`, {
        hint: 'Each code can be used once; give the login more time or sign in fewer times per 30 s with the same MFA user.',
      });
    }
    await (options.wait ?? delayUntilNextWindow)(waitMs, options.signal);
  }
}

/** Milliseconds until the current TOTP window ends (for logs and tests). */
export function msUntilNextWindow(now: number = Date.now(), periodMs = PERIOD_MS): number {
  return periodMs - (now % periodMs);
}

/** For tests: forget which codes were sent. */
export function resetTotpHistory(): void {
  lastCounter.clear();
}

function delayUntilNextWindow(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // +1 ms so the clock is inside the new window when the loop re-reads it.
    const timer = setTimeout(done, Math.max(1, ms + 1));
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

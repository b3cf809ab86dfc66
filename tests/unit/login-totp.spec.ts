// Unit tests of TOTP codes: correct codes, never the same window twice, bounded waits, safe errors.
import { test, expect } from '@playwright/test';
import * as OTPAuth from 'otpauth';
import { freshTotpCode, msUntilNextWindow, resetTotpHistory } from '../../src/login/totp.js';
import { clearSecrets, redact, REDACTED } from '../../src/log.js';
import { CnError } from '../../src/errors.js';

const SECRET = 'JBSWY3DPEHPK3PXP';
/** The start of a 30 s window. */
const W = 1_699_999_980_000;
const expected = (t: number) => OTPAuth.TOTP.generate({ secret: OTPAuth.Secret.fromBase32(SECRET), timestamp: t });

/** A fake clock whose wait moves time forward instead of sleeping; records every wait. */
function fakeClock(start: number) {
  let now = start;
  const waits: number[] = [];
  return {
    now: () => now,
    wait: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    waits,
  };
}

test.beforeEach(() => {
  resetTotpHistory();
  clearSecrets();
});

test('the code is the RFC 6238 code of the current window', async () => {
  const clock = fakeClock(W + 10_000);
  expect(await freshTotpCode(SECRET, clock)).toBe(expected(W + 10_000));
  expect(clock.waits).toEqual([]);
});

test('a second code in the same window waits exactly until the next window', async () => {
  const t0 = W + 10_000; // 10 s into a window
  const clock = fakeClock(t0);
  const first = await freshTotpCode(SECRET, clock);
  clock.advance(5_000);
  const second = await freshTotpCode(SECRET, clock);
  expect(clock.waits).toEqual([15_000]);
  expect(second).not.toBe(first);
  expect(second).toBe(expected(t0 + 20_000));
});

test('queued logins of the same user take successive windows', async () => {
  const clock = fakeClock(W);
  const codes = [await freshTotpCode(SECRET, clock), await freshTotpCode(SECRET, clock), await freshTotpCode(SECRET, clock)];
  expect(new Set(codes).size).toBe(3);
  expect(clock.waits).toEqual([30_000, 30_000]);
});

test('different secrets do not wait for each other', async () => {
  const clock = fakeClock(W);
  await freshTotpCode(SECRET, clock);
  await freshTotpCode('KRSXG5CTMVRXEZLU', clock);
  expect(clock.waits).toEqual([]);
});

test('a wait longer than allowed fails with MFA_CODE_WAIT_TOO_LONG instead of waiting', async () => {
  const clock = fakeClock(W + 1_000);
  await freshTotpCode(SECRET, clock);
  const err = await freshTotpCode(SECRET, { ...clock, maxWaitMs: 10_000 }).catch((e: unknown) => e as CnError);
  expect(err).toBeInstanceOf(CnError);
  expect((err as CnError).code).toBe('MFA_CODE_WAIT_TOO_LONG');
  expect(clock.waits).toEqual([]);
});

test('the real wait is one timer that an abort cancels', async () => {
  const now = Date.now();
  await freshTotpCode(SECRET, { now: () => now });
  const abort = new AbortController();
  const pending = freshTotpCode(SECRET, { now: () => now, signal: abort.signal });
  abort.abort(new Error('deadline'));
  await expect(pending).rejects.toThrow('deadline');
});

test('every code is registered for redaction', async () => {
  const code = await freshTotpCode(SECRET, fakeClock(W));
  expect(redact(`sent ${code}`)).toBe(`sent ${REDACTED}`);
});

test('lower case, spaces, padding and otpauth:// URIs are accepted', async () => {
  const t = W;
  expect(await freshTotpCode('jbsw y3dp ehpk 3pxp==', fakeClock(t))).toBe(expected(t));
  resetTotpHistory();
  expect(await freshTotpCode(`otpauth://totp/Demo:mfa-user?secret=${SECRET}&issuer=Demo`, fakeClock(t))).toBe(expected(t));
});

test('an invalid secret is exit 2 naming its source, never quoting it', async () => {
  const err = (await freshTotpCode('not-base32!!', { source: 'TEST_USER_TOTP_SECRET' }).catch((e: unknown) => e)) as CnError;
  expect(err.code).toBe('TOTP_SECRET_INVALID');
  expect(err.exitCode).toBe(2);
  expect(err.message).toContain('TEST_USER_TOTP_SECRET');
  expect(err.message).not.toContain('not-base32');
});

test('msUntilNextWindow counts down to the window boundary', () => {
  expect(msUntilNextWindow(W + 10_000)).toBe(20_000);
  expect(msUntilNextWindow(W)).toBe(30_000);
});

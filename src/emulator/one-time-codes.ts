// One-time codes sent by email or SMS, for a first factor (EMAIL_OTP, SMS_OTP) or MFA: random
// digits, single use, valid for a configured time on the emulator's clock, delivered to the
// configured sink and recorded on `observed`; wrong codes count towards the password lockout.
import { randomInt } from 'node:crypto';
import type { UserConfig } from './config.js';
import type { Emu } from './context.js';
import { attribute, maskDestination } from './factors.js';
import { MESSAGES } from './login.js';
import { composeEmail, composeSms } from './messages/compose.js';
import { deliverEmail, deliverSms } from './messages/sinks.js';
import type { PendingAuth } from './store.js';

export type SendResult = { destination: string } | { error: string };

/** Make a code, attach it to the pending sign-in (replacing any earlier one) and deliver it. */
export async function sendCode(emu: Emu, pending: PendingAuth, user: UserConfig | undefined, channel: 'email' | 'sms', purpose: 'signIn' | 'mfa'): Promise<SendResult> {
  const policy = emu.behaviour.oneTimeCode;
  const length = purpose === 'signIn' ? policy.firstFactorLength : policy.mfaLength;
  const code = String(randomInt(0, 10 ** length)).padStart(length, '0');
  const now = emu.clock.now();
  pending.otp = { code, channel, purpose, expiresAt: now + policy.validityMs, used: false };
  const to = user ? attribute(user, channel === 'email' ? 'email' : 'phone_number') : undefined;
  // An unknown user gets the same screen and a code that goes nowhere (no user-existence leak).
  if (!user || !to) return { destination: channel === 'email' ? '***@***' : '+*******' };
  emu.store.observe('otpCodes', code);
  const at = new Date(now);
  try {
    if (channel === 'email') {
      const message = await composeEmail(emu.pool, to, code, at);
      emu.store.observe('messages', { channel, to, username: user.Username, subject: message.subject, text: message.text, raw: message.raw, at: now });
      if (emu.sinks.email) await deliverEmail(emu.sinks.email, message, at);
    } else {
      const text = composeSms(emu.pool, code);
      emu.store.observe('messages', { channel, to, username: user.Username, text, at: now });
      if (emu.sinks.sms) await deliverSms(emu.sinks.sms, { phoneNumber: to, message: text, timestamp: at.toISOString(), username: user.Username }, at);
    }
  } catch (err) {
    // The cause names the sink, never the message or the code.
    emu.logger.warn(`emulator: could not deliver the ${channel} message for ${user.Username} to the ${channel} sink: ${err instanceof Error ? err.message : String(err)}`);
    return { error: 'Something went wrong. Try again.' };
  }
  return { destination: maskDestination(channel, to) };
}

/** Check a code against the pending sign-in's; undefined when accepted (then it is used up). */
export function checkCode(emu: Emu, pending: PendingAuth, username: string, code: string): string | undefined {
  const now = emu.clock.now();
  const policy = emu.behaviour.oneTimeCode;
  const key = emu.store.findUser(username)?.Username ?? username;
  const rec = emu.store.failures.get(key) ?? { failures: 0, lockedUntil: 0, lockouts: 0 };
  emu.store.failures.set(key, rec);
  if (rec.lockedUntil > now) return policy.lockedMessage;
  const otp = pending.otp;
  if (otp && !otp.used && code === otp.code) {
    if (otp.expiresAt <= now) return policy.expiredMessage;
    otp.used = true;
    emu.store.failures.delete(key);
    return undefined;
  }
  if (otp?.used && code === otp.code) return policy.expiredMessage;
  rec.failures += 1;
  const lockout = emu.behaviour.lockout;
  if (rec.failures >= lockout.maxFailures) {
    rec.lockouts += 1;
    rec.lockedUntil = now + Math.min(lockout.maxDurationMs, lockout.durationMs * lockout.multiplier ** (rec.lockouts - 1));
    // The code is void: after the lockout the user asks for a new one.
    if (otp) otp.used = true;
    return policy.lockedMessage;
  }
  return MESSAGES.invalidMfaCode;
}

// Answering Managed Login's factor screens from the user's configuration (issue 18): which first
// factor to pick on a factor choice, which MFA method on an MFA choice, whether a code screen is
// for an emailed or texted code or an authenticator app, and the errors for a screen the
// configuration cannot answer. Screens are read by what a person sees (button, tile and heading
// texts), never by one wording: the texts of these screens are not public (cognito-reference 3.2).
import type { Page } from 'playwright-core';
import type { SignInFactor, UserCredentials } from '../config/types.js';
import { loginRejected, usageError, type CnError } from '../errors.js';
import { userVariablePrefix } from '../secrets/env.js';
import { snapshotPage } from './pages.js';

/** What a person reads on the option for each first factor or MFA method. */
export const FACTOR_OPTION: Record<SignInFactor | 'totp', RegExp> = {
  password: /^(sign in with |use )?(your |a |the )?password$/i,
  passkey: /passkey|security key|face id|touch id|fingerprint|windows hello/i,
  email: /e-?mail/i,
  sms: /\bsms\b|text message|\bphone\b|mobile/i,
  totp: /authenticator|totp|software token|one-time password app/i,
};

/** The option buttons, links, radios and tiles a person can pick, by their visible text (as page recognition reads them). */
export async function visibleOptions(page: Page): Promise<string[]> {
  return (await snapshotPage(page, {})).choices ?? [];
}

/** What the user's secrets let it answer, in the order the driver prefers. */
export function firstFactorsOf(user: UserCredentials): SignInFactor[] {
  const can: SignInFactor[] = [];
  if (user.password) can.push('password');
  if (user.passkey) can.push('passkey');
  if (user.codeSource) can.push('email', 'sms');
  const chosen = user.signInFactor;
  // A configured factor is the only one taken; a default one leads, the others are fallbacks.
  if (chosen && user.signInFactorConfigured) return [chosen];
  return chosen ? [chosen, ...can.filter((f) => f !== chosen)] : can;
}

/** MFA methods the user can answer, in order: the app (no delivery wait), passkey, email, SMS. */
export function mfaMethodsOf(user: UserCredentials): (SignInFactor | 'totp')[] {
  const can: (SignInFactor | 'totp')[] = [];
  if (user.totpSecret) can.push('totp');
  if (user.passkey) can.push('passkey');
  if (user.codeSource) can.push('email', 'sms');
  return can;
}

/**
 * The option to pick among `offered` (visible texts), for `wanted` in order; undefined when none
 * of the user's factors is offered. Only options that name one factor count (a heading does not).
 */
export function pickOption(offered: string[], wanted: (SignInFactor | 'totp')[]): { factor: SignInFactor | 'totp'; pattern: RegExp } | undefined {
  for (const f of wanted) {
    const re = FACTOR_OPTION[f];
    const match = offered.find((o) => re.test(o) && Object.entries(FACTOR_OPTION).filter(([, r]) => r.test(o)).length === 1);
    if (match) return { factor: f, pattern: new RegExp(`^${match.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) };
  }
  return undefined;
}

/** The factor options among the visible texts (for messages naming what the page offered). */
export function offeredFactors(offered: string[]): string[] {
  return offered.filter((o) => Object.values(FACTOR_OPTION).some((re) => re.test(o)));
}

/** Which code a code screen asks for, from what it says: an emailed or texted code, or the app's. */
export async function codeChannel(page: Page): Promise<'email' | 'sms' | 'totp'> {
  const text = await page.evaluate(() => (document.body ? document.body.innerText : ''));
  if (/authenticator|TOTP|software token/i.test(text)) return 'totp';
  if (/e-?mail/i.test(text) && /sent|send|code/i.test(text)) return 'email';
  if (/\bSMS\b|text message|phone|mobile/i.test(text) && /sent|send|code/i.test(text)) return 'sms';
  return 'totp';
}

const describeFactor = (f: SignInFactor | 'totp'): string =>
  ({ password: 'a password', passkey: 'a passkey', email: 'an emailed code', sms: 'a texted (SMS) code', totp: 'an authenticator app code' })[f];

/** A choice the configuration cannot answer: a usage error naming what the page offered (exit 2). */
export function choiceNotAnswerable(user: UserCredentials, screen: 'factor' | 'mfa', offered: string[]): CnError {
  const p = userVariablePrefix(user.name);
  const names = offeredFactors(offered);
  const list = names.length ? names.map((n) => `"${n}"`).join(', ') : 'nothing cognito-newman recognises';
  const can = screen === 'factor' ? firstFactorsOf(user) : mfaMethodsOf(user);
  const has = can.length ? can.map(describeFactor).join(', ') : 'nothing';
  return usageError(
    screen === 'factor' ? 'SIGN_IN_FACTOR_NOT_OFFERED' : 'MFA_METHOD_NOT_OFFERED',
    `The ${screen === 'factor' ? 'sign-in method' : 'MFA method'} choice for user ${user.username} offers ${list}, but the configuration can answer only with ${has}.`,
    {
      hint:
        screen === 'factor'
          ? `Set ${p}_SIGN_IN_FACTOR to one of the offered factors and give what it needs (${p}_PASSWORD, ${p}_PASSKEY or ${p}_CODE_SOURCE), or allow the user's factor in the pool's SignInPolicy.AllowedFirstAuthFactors.`
          : `Give the user what one of the offered methods needs (${p}_TOTP_SECRET, ${p}_PASSKEY or ${p}_CODE_SOURCE), or set the user's preferred MFA method in the pool.`,
    },
  );
}

/** The page asks for something the user has none of (exit 2: the configuration is incomplete). */
export function factorMissing(user: UserCredentials, what: 'password' | 'passkey' | 'code', channel?: 'email' | 'sms'): CnError {
  const p = userVariablePrefix(user.name);
  switch (what) {
    case 'password':
      return usageError('PASSWORD_MISSING', `The sign-in page asks user ${user.username} for a password, but none is configured (it signs in with ${describeFactor(user.signInFactor ?? 'password')}).`, {
        hint: `Set ${p}_PASSWORD, or make sure the app client uses choice-based sign-in (Managed Login with ALLOW_USER_AUTH) so the page offers the user's factor.`,
      });
    case 'passkey':
      return usageError('PASSKEY_MISSING', `The sign-in page asks user ${user.username} for a passkey, but none is configured.`, {
        hint: `Enrol one with \`cognito-newman passkey enroll${user.name === 'default' ? '' : ` --user ${user.name}`}\` and store its output in ${p}_PASSKEY (or the key "passkey" of the user's Secrets Manager secret).`,
      });
    default:
      return usageError('CODE_SOURCE_MISSING', `Cognito sent user ${user.username} a one-time code by ${channel === 'sms' ? 'SMS' : 'email'}, but no code source is configured to read it from.`, {
        hint: `Set ${p}_CODE_SOURCE to where the user's ${channel === 'sms' ? 'texts' : 'emails'} arrive: s3://bucket/prefix (SES receiving), imaps://user@host/INBOX, mailpit+http://host:8025, command:<prints the code>, or a local directory.`,
      });
  }
}

/** Cognito refused an emailed or texted code (exit 3, with its text). */
export function codeRejected(user: UserCredentials, channel: 'email' | 'sms', shown: string): CnError {
  const p = userVariablePrefix(user.name);
  return loginRejected('CODE_REJECTED', `Cognito refused the one-time code sent to user ${user.username} by ${channel === 'sms' ? 'SMS' : 'email'}: "${shown}".`, {
    hint: `Check that ${p}_CODE_SOURCE reads this user's messages (not another user's, and not an older code), and that no other sign-in of the same user asked for a newer code at the same time.`,
  });
}

/** Cognito refused the passkey (exit 3). */
export function passkeyRejected(user: UserCredentials, shown: string | undefined, domain: string): CnError {
  const p = userVariablePrefix(user.name);
  const rpId = user.passkey?.rpId;
  return loginRejected('PASSKEY_REJECTED', `Cognito refused the passkey of user ${user.username}${shown ? `: "${shown}"` : ''}.`, {
    hint: `Check that ${p}_PASSKEY was enrolled for this user on this user pool and that its relying party id (${rpId ?? 'rpId'}) is the pool's (the domain ${new URL(domain).hostname} or its WebAuthnConfiguration.RelyingPartyId); \`cognito-newman doctor\` checks it. A passkey deleted from the user must be enrolled again.`,
  });
}

// What a user can sign in with on Managed Login: the first factors the pool allows and the user can
// use (cognito-reference 3.2), and the MFA methods the pool and the user's preference give, in the
// order the choice screens list them.
import type { MfaMethod, UserConfig } from './config.js';
import type { Emu } from './context.js';
import type { FirstFactor } from './managed-login/model.js';

export const attribute = (user: UserConfig, name: string): string | undefined => user.Attributes.find((a) => a.Name === name)?.Value || undefined;

/** The pool's allowed first factors (`Policies.SignInPolicy.AllowedFirstAuthFactors`, default password only). */
export function poolFirstFactors(emu: Emu): FirstFactor[] {
  return emu.pool.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? ['PASSWORD'];
}

const FIRST_FACTOR_ORDER: FirstFactor[] = ['PASSWORD', 'WEB_AUTHN', 'EMAIL_OTP', 'SMS_OTP'];

/**
 * The first factors offered to this user: allowed by the pool and usable by the user (a password,
 * a passkey, an email, a phone number). An unknown user is offered every allowed factor, so the
 * next step does not tell whether the user exists.
 */
export function userFirstFactors(emu: Emu, user: UserConfig | undefined): FirstFactor[] {
  const allowed = poolFirstFactors(emu);
  const can = (f: FirstFactor): boolean => {
    if (!user) return true;
    if (f === 'PASSWORD') return user.Password !== undefined;
    if (f === 'WEB_AUTHN') return emu.store.passkeysOf(user.Username).length > 0;
    // Cognito sends sign-in codes only to a verified address or number.
    if (f === 'EMAIL_OTP') return !!attribute(user, 'email') && attribute(user, 'email_verified') !== 'false';
    return !!attribute(user, 'phone_number') && attribute(user, 'phone_number_verified') !== 'false';
  };
  return FIRST_FACTOR_ORDER.filter((f) => allowed.includes(f) && can(f));
}

const MFA_ORDER: MfaMethod[] = ['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP', 'WEB_AUTHN'];

/** The user's enabled MFA methods (older fields and AdminSetUserMFAPreference shapes both count). */
export function userMfaMethods(emu: Emu, user: UserConfig): MfaMethod[] {
  if (emu.pool.MfaConfiguration === 'OFF') return [];
  const list = user.UserMFASettingList ?? [];
  const enabled: Record<MfaMethod, boolean> = {
    // A TOTP secret alone has always meant TOTP MFA here; SoftwareTokenMfaSettings can turn it off.
    SOFTWARE_TOKEN_MFA: !!user.TotpSecret && (user.SoftwareTokenMfaSettings?.Enabled ?? true),
    SMS_MFA: list.includes('SMS_MFA') || !!user.SMSMfaSettings?.Enabled,
    EMAIL_OTP: (list.includes('EMAIL_OTP') || !!user.EmailMfaSettings?.Enabled) && !!attribute(user, 'email'),
    // A passkey as second factor needs the pool's MULTI_FACTOR_WITH_USER_VERIFICATION and a passkey.
    WEB_AUTHN:
      (list.includes('WEB_AUTHN') || !!user.WebAuthnMfaSettings?.Enabled) &&
      emu.pool.WebAuthnConfiguration?.FactorConfiguration === 'MULTI_FACTOR_WITH_USER_VERIFICATION' &&
      emu.store.passkeysOf(user.Username).length > 0,
  };
  return MFA_ORDER.filter((m) => enabled[m]);
}

function preferredMfa(user: UserConfig): MfaMethod | undefined {
  if (user.PreferredMfaSetting) return user.PreferredMfaSetting;
  if (user.SoftwareTokenMfaSettings?.PreferredMfa) return 'SOFTWARE_TOKEN_MFA';
  if (user.SMSMfaSettings?.PreferredMfa) return 'SMS_MFA';
  if (user.EmailMfaSettings?.PreferredMfa) return 'EMAIL_OTP';
  if (user.WebAuthnMfaSettings?.PreferredMfa) return 'WEB_AUTHN';
  return undefined;
}

export type MfaStep = 'totp' | 'sms' | 'email' | 'passkeyMfa' | 'mfaChoice';

export const MFA_STEP: Record<MfaMethod, Exclude<MfaStep, 'mfaChoice'>> = { SOFTWARE_TOKEN_MFA: 'totp', SMS_MFA: 'sms', EMAIL_OTP: 'email', WEB_AUTHN: 'passkeyMfa' };

/** The MFA method this user is asked for, 'choice' with two or more and no preference, undefined with none. */
export function mfaMethodFor(emu: Emu, user: UserConfig): MfaMethod | 'choice' | undefined {
  const methods = userMfaMethods(emu, user);
  if (!methods.length) return undefined;
  const preferred = preferredMfa(user);
  if (preferred && methods.includes(preferred)) return preferred;
  return methods.length === 1 ? methods[0] : 'choice';
}

/** Cognito's masked delivery destination: `j***@e***.com`, `+*******1234`. */
export function maskDestination(channel: 'email' | 'sms', to: string): string {
  if (channel === 'sms') return `+${'*'.repeat(Math.max(0, to.replace(/\D/g, '').length - 4))}${to.slice(-4)}`;
  const [local = '', domain = ''] = to.split('@');
  const tld = domain.includes('.') ? domain.slice(domain.lastIndexOf('.')) : '';
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***${tld}`;
}

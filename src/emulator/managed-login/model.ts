// The page model the emulator hands to its Managed Login React app (server render and client
// hydration read the same JSON), the JSON answers of the sign-in endpoints, and the default texts.
// Plain TypeScript, no React: the emulator imports it at run time, the app at bundle time.

/** First sign-in factors of a pool (Cognito `Policies.SignInPolicy.AllowedFirstAuthFactors`). */
export type FirstFactor = 'PASSWORD' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';

/**
 * Texts of the screens whose wording the reference marks UNCERTAIN (cognito-reference 3.1): each
 * can be replaced (`startEmulator({ managedLogin: { texts } })`, `--managed-texts <file>`), so the
 * driver is tested against more than one wording. The CONFIRMED texts are not configurable.
 */
export interface ManagedTexts {
  passkeyButton: string;
  factorChoiceHeading: string;
  factorPassword: string;
  factorEmailOtp: string;
  factorSmsOtp: string;
  factorPasskey: string;
  mfaChoiceHeading: string;
  mfaChoiceTotp: string;
  mfaChoiceSms: string;
  mfaChoiceEmail: string;
  mfaChoicePasskey: string;
  mfaChoiceContinue: string;
  totpHeading: string;
  totpLabel: string;
  smsHeading: string;
  smsLabel: string;
  emailHeading: string;
  emailLabel: string;
  /** `{destination}` is replaced by the masked address or number. */
  codeSentTo: string;
  mfaSubmit: string;
  passkeyHeading: string;
  passkeyBody: string;
  passkeyContinue: string;
  passkeyFailed: string;
  passkeyMfaHeading: string;
  otherFactors: string;
  passkeyAddHeading: string;
  passkeyAddButton: string;
  passkeyAddCancel: string;
  passkeyAddedHeading: string;
  passkeyAddedContinue: string;
  passkeyAddFailed: string;
  passkeyUnavailable: string;
  passkeyOfferHeading: string;
  passkeyOfferBody: string;
  passkeyOfferAccept: string;
  passkeyOfferDecline: string;
  corporateHeading: string;
  corporateLabel: string;
  corporateSubmit: string;
  /** Shown between the personal form and the other ways to sign in. */
  divider: string;
  /** Label of an identity-provider button; `{provider}` is replaced by the provider name. */
  idpButton: string;
}

export const DEFAULT_TEXTS: ManagedTexts = {
  passkeyButton: 'Sign in with passkey',
  factorChoiceHeading: 'Choose a sign-in method',
  factorPassword: 'Password',
  factorEmailOtp: 'Email message',
  factorSmsOtp: 'SMS message',
  factorPasskey: 'Passkey',
  mfaChoiceHeading: 'Choose a multi-factor authentication method',
  mfaChoiceTotp: 'Authenticator app',
  mfaChoiceSms: 'SMS message',
  mfaChoiceEmail: 'Email message',
  mfaChoicePasskey: 'Passkey',
  mfaChoiceContinue: 'Continue',
  totpHeading: 'Enter the code from your authenticator app',
  totpLabel: 'Authenticator code',
  smsHeading: 'Enter the code we sent to your phone',
  smsLabel: 'SMS code',
  emailHeading: 'Enter the code we sent to your email',
  emailLabel: 'Email code',
  codeSentTo: 'We sent a code to {destination}.',
  mfaSubmit: 'Sign in',
  passkeyHeading: 'Sign in with passkey',
  passkeyBody: 'Use the passkey saved on this device.',
  passkeyContinue: 'Continue',
  passkeyFailed: 'Passkey sign-in failed. Try again.',
  passkeyMfaHeading: 'Verify with your passkey',
  otherFactors: 'Other sign-in options',
  passkeyAddHeading: 'Add a passkey',
  passkeyAddButton: 'Add passkey',
  passkeyAddCancel: 'Cancel',
  passkeyAddedHeading: 'Passkey added',
  passkeyAddedContinue: 'Continue',
  passkeyAddFailed: 'The passkey could not be added. Try again.',
  passkeyUnavailable: 'Passkeys are not available for this app.',
  passkeyOfferHeading: 'Add a passkey',
  passkeyOfferBody: 'Sign in faster next time with a passkey on this device.',
  passkeyOfferAccept: 'Add passkey',
  passkeyOfferDecline: 'Not now',
  corporateHeading: 'Sign in with your corporate ID',
  corporateLabel: 'Corporate email',
  corporateSubmit: 'Sign in',
  divider: 'or',
  idpButton: 'Continue with {provider}',
};

/** The emulator's Managed Login realism knobs (flags of `cognito-newman emulator`). */
export interface ManagedLoginOptions {
  /** How long the client bundle waits before hydrating the server-rendered page (default 300 ms). */
  hydrationDelayMs?: number;
  /** How long a client-rendered step (password, MFA, choices) takes to appear (default 150 ms). */
  stepDelayMs?: number;
  /** Where the corporate-email form sits in the DOM relative to the personal one (default after). */
  corporateForm?: 'before' | 'after';
  /** Replacement texts for the UNCERTAIN screens. */
  texts?: Partial<ManagedTexts>;
}

export const DEFAULT_MANAGED_OPTIONS = { hydrationDelayMs: 300, stepDelayMs: 150, corporateForm: 'after' } as const;

/** A screen the app can show first. Later sign-in steps are rendered on the client. */
export type ManagedScreen =
  | 'signIn'
  | 'mfa'
  | 'changePassword'
  | 'confirm'
  | 'resetPassword'
  | 'forgotPassword'
  | 'signup'
  | 'signedInAs'
  | 'passkeyAdd';

/** A sign-in step the client renders in the same document. */
export type ClientStep = 'password' | 'factors' | 'totp' | 'sms' | 'email' | 'passkey' | 'passkeyMfa' | 'mfaChoice' | 'passkeyOffer';

/** MFA methods as the choice screen offers them (Cognito's names). */
export type MfaChoice = 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA' | 'EMAIL_OTP' | 'WEB_AUTHN';

export interface ManagedModel {
  screen: ManagedScreen;
  /** Path + authorize query the screen posts to, e.g. `/login?response_type=code&...`. */
  action: string;
  /** The authorize query, with `?`. */
  search: string;
  csrf: string;
  error?: string;
  info?: string;
  /** The username (later screens) or `login_hint` (first screen). */
  username?: string;
  /** What the pool signs in with: the first field's label and type follow it. */
  usernameKind: 'username' | 'email' | 'phone';
  /** Choice-based sign-in (ALLOW_USER_AUTH): the username first, then the password. */
  usernameFirst: boolean;
  firstFactors: FirstFactor[];
  /** Email domains routed to an identity provider exist: show the corporate form. */
  corporate: boolean;
  /** Buttons for the app client's non-Cognito identity providers. */
  idps: { providerName: string; label: string }[];
  /** `password`: the page opens on the password step (after a username posted without the app). */
  initialStep?: 'password';
  /** For `mfa` first screens: which code the user is asked for. */
  mfaStep?: 'totp' | 'sms' | 'email' | 'passkeyMfa' | 'mfaChoice';
  /** The MFA methods the choice screen lists. */
  mfaChoices?: MfaChoice[];
  /** Masked email address or phone number a code went to. */
  destination?: string;
  /** `/passkeys/add`: where Cancel and Continue go; whether the pool allows passkeys at all. */
  redirectUri?: string;
  passkeysAvailable?: boolean;
  texts: ManagedTexts;
  hydrationDelayMs: number;
  stepDelayMs: number;
  corporateForm: 'before' | 'after';
}

/** What the emulator's sign-in endpoints answer a request from the app (Accept: application/json). */
export type SignInAnswer =
  | { error: string; field?: 'username' | 'password' | 'code' }
  | { redirect: string }
  | { ok: true }
  | { step: ClientStep; factors?: FirstFactor[]; mfaChoices?: MfaChoice[]; continueUrl?: string; destination?: string };

/** Where the page carries its model for hydration. */
export const MODEL_ELEMENT_ID = 'managed-login-model';
/** Where the emulator serves the client bundle and its CSS. */
export const ASSET_PREFIX = '/managed-login/assets/';

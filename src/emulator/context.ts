// The running emulator's shared parts, handed to every handler, and the switches for behaviours
// the reference marks UNCERTAIN (each default is the most likely real behaviour).
import type { Logger } from '../log.js';
import type { ControllableClock } from './clock.js';
import type { ClientConfig, MessageSinksConfig, ResolvedPoolConfig } from './config.js';
import type { FaultController } from './faults.js';
import type { PoolKeys } from './keys.js';
import type { PageSet } from './pages/layout.js';
import type { ResolvedManagedOptions } from './pages/managed.js';
import type { EmulatorStore } from './store.js';

export interface LockoutPolicy {
  /** Failed passwords before the user is locked (Cognito: 5). */
  maxFailures: number;
  /** First lockout length in ms (Cognito docs: 1 second). */
  durationMs: number;
  /** Each later lockout is this many times longer (UNCERTAIN; Cognito grows it). */
  multiplier: number;
  /** Cap on one lockout (UNCERTAIN; about 15 minutes). */
  maxDurationMs: number;
}

/** One-time codes sent by email or SMS (first factor and MFA). */
export interface OneTimeCodePolicy {
  /** Digits of a first-factor (EMAIL_OTP / SMS_OTP) code (UNCERTAIN: 8 seen for email sign-in codes). */
  firstFactorLength: number;
  /** Digits of an MFA code (Cognito: 6). */
  mfaLength: number;
  /** How long a code is valid, in ms (UNCERTAIN; default 3 minutes, Cognito's session length). */
  validityMs: number;
  /** Text for a used or expired code (UNCERTAIN: ExpiredCodeException's message). */
  expiredMessage: string;
  /** Text while the user is locked after repeated wrong codes (UNCERTAIN). */
  lockedMessage: string;
}

/** Choices where real Cognito is UNCERTAIN (cognito-reference.md). Every field has a default. */
export interface BehaviourOptions {
  /** HTTP status of `invalid_client` at /oauth2/token (docs show 400; revoke is always 401). */
  tokenInvalidClientStatus: 400 | 401;
  /** The `error` on the /error page for an unknown client_id. */
  unknownClientError: 'redirect_mismatch' | 'invalid_request' | 'unauthorized_client';
  /** The redirected `error` for a response_type other than code/token. */
  unsupportedResponseTypeError: 'invalid_request' | 'unsupported_response_type';
  /** The token error for a wrong PKCE code_verifier. */
  wrongCodeVerifierError: 'invalid_grant' | 'invalid_request';
  lockout: LockoutPolicy;
  /** UNCONFIRMED user with the right password: the confirm page, or an error on the login page. */
  unconfirmedUser: 'confirm-page' | 'error';
  /** RESET_REQUIRED user: the reset-password page, or an error on the login page. */
  resetRequiredUser: 'reset-page' | 'error';
  /** A POST without a matching _csrf/XSRF-TOKEN pair: 403 error page, or back to the form. */
  csrfFailure: 'error-page' | 'redirect-login';
  /** Status of the POST-redirect-GET after a failed sign-in. */
  flashRedirectStatus: 302 | 303;
  /** GET /login with a live session: a "Sign in as <user>" page, or straight to the callback. */
  loginWithSession: 'signed-in-page' | 'redirect';
  /** Emulator-only: the code that confirms an account or a password reset. */
  confirmationCode: string;
  /** A client without a secret that sends one to /oauth2/token: refuse or ignore it. */
  publicClientSecret: 'invalid_client' | 'ignore';
  /** A client whose only provider is one external IdP: plain /oauth2/authorize goes straight there (true) or shows its button (false). */
  singleIdpRedirect: boolean;
  oneTimeCode: OneTimeCodePolicy;
  /**
   * Passkey signature counter (UNCERTAIN what Cognito checks): `strict` = when the stored or the
   * new counter is non-zero the new one must be greater (WebAuthn 6.1.1); `ignore` = not checked.
   */
  passkeyCounter: 'strict' | 'ignore';
  /** Markup texts of the classic page's corporate-email box (its real markup is not documented). */
  corporateEmail: { description: string; label: string; placeholder: string; button: string };
}

export const DEFAULT_BEHAVIOUR: BehaviourOptions = {
  tokenInvalidClientStatus: 400,
  unknownClientError: 'redirect_mismatch',
  unsupportedResponseTypeError: 'invalid_request',
  wrongCodeVerifierError: 'invalid_grant',
  lockout: { maxFailures: 5, durationMs: 1000, multiplier: 2, maxDurationMs: 15 * 60_000 },
  unconfirmedUser: 'confirm-page',
  resetRequiredUser: 'reset-page',
  csrfFailure: 'error-page',
  flashRedirectStatus: 302,
  loginWithSession: 'signed-in-page',
  confirmationCode: '123456',
  publicClientSecret: 'invalid_client',
  singleIdpRedirect: false,
  oneTimeCode: {
    firstFactorLength: 8,
    mfaLength: 6,
    validityMs: 3 * 60_000,
    expiredMessage: 'Invalid code provided, please request a code again.',
    lockedMessage: 'Too many invalid credentials attempts. User temporarily locked. Please try again after few seconds.',
  },
  passkeyCounter: 'strict',
  corporateEmail: { description: 'Sign in with your corporate email', label: 'Corporate email', placeholder: 'name@host.com', button: 'Sign In' },
};

export interface Emu {
  pool: ResolvedPoolConfig;
  clients: Map<string, ClientConfig>;
  /** `<ResourceServer.Identifier>/<ScopeName>` for every custom scope. */
  customScopes: Set<string>;
  keys: PoolKeys;
  store: EmulatorStore;
  clock: ControllableClock;
  faults: FaultController;
  behaviour: BehaviourOptions;
  ui: 'classic' | 'managed';
  usernameFirst: boolean;
  /** Managed Login's realism knobs and texts (unused by the classic UI). */
  managed: ResolvedManagedOptions;
  pages: PageSet;
  baseUrl: string;
  issuer: string;
  logger: Logger;
  /** Where emails and SMS go: the emulator option, else the pool's `MessageSinks`. */
  sinks: MessageSinksConfig;
}

/** Session cookie lifetime: 1 hour (Cognito quotas page). */
export const SESSION_MS = 60 * 60_000;
/** Authorization code lifetime: 5 minutes, single use. */
export const CODE_MS = 5 * 60_000;

// The validated configuration every other module receives: produced only by config/load.ts.
import type { SelectorProfile } from './selector-profile.js';
import type { IdpLoginUi } from 'cognito-newman-common/idp-login-ui';
import type { CodeSource, PasskeyCredential, SignInFactor } from './factors.js';

export type { CodeSource, PasskeyCredential, SignInFactor } from './factors.js';

export type ClientAuth = 'basic' | 'body';
export type LoginUi = 'auto' | 'classic' | 'managed' | 'custom';
export type ResponseType = 'code' | 'token';
/** The upstream IdP's sign-in pages for federated users: a built-in profile, or `custom` (COGNITO_IDP_SELECTOR_PROFILE). */
export type { IdpLoginUi };

/** Absolute URLs of the user-pool domain's endpoints (Cognito paths unless overridden). */
export interface IdpEndpoints {
  authorize: string; // /oauth2/authorize, or COGNITO_AUTH_URL
  login: string; // /login
  token: string; // /oauth2/token, or COGNITO_TOKEN_URL
  revoke: string; // /oauth2/revoke
  userInfo: string; // /oauth2/userInfo
  logout: string; // /logout
}

export interface IdpConfig {
  /** Origin of the user-pool domain, no trailing slash, e.g. https://x.auth.us-east-1.amazoncognito.com */
  domain: string;
  endpoints: IdpEndpoints;
  /** Where the browser starts: `authorize`, or `login` when the configured auth URL is Postman's `.../login`. */
  authStart: 'authorize' | 'login';
  clientId: string;
  clientSecret?: string;
  clientAuth: ClientAuth;
  redirectUri: string;
  scopes: string[];
  responseType: ResponseType;
  userPoolId?: string;
  region?: string;
  /** Token issuer; derived from the pool id unless given. Verification runs when this is known. */
  issuer?: string;
  jwksUri?: string;
  loginUi: LoginUi;
  /** Selectors for a non-Cognito login page (loginUi `custom`). */
  selectorProfile?: SelectorProfile;
  /** Loud opt-in: allow http:// endpoints that are not loopback. */
  allowInsecureHttp: boolean;
  /** Federated users: go straight to this IdP (`identity_provider` on /oauth2/authorize). */
  identityProvider?: string;
  /** Federated users: go straight to the IdP with this identifier (`idp_identifier`). */
  idpIdentifier?: string;
  /** Federated users: the upstream IdP's sign-in pages. Set means the test user is federated. */
  idpLoginUi?: IdpLoginUi;
  /** Selectors for the upstream IdP's pages (idpLoginUi `custom`). */
  idpSelectorProfile?: SelectorProfile;
}

/**
 * One user's own IdP settings (TEST_USER_<NAME>_IDENTITY_PROVIDER, _IDP_IDENTIFIER, _IDP_LOGIN_UI):
 * a federated user among Cognito users in one run. They replace the COGNITO_* ones for that user.
 */
export interface UserFederation {
  identityProvider?: string;
  idpIdentifier?: string;
  idpLoginUi?: IdpLoginUi;
}

/** One test user's credentials. `name` is `default` or the lower-case name from TEST_USERS. */
export interface UserCredentials {
  name: string;
  username: string;
  /** Absent for a passwordless user (a passkey or one-time codes sign it in). */
  password?: string;
  totpSecret?: string;
  /** This user's own IdP settings, when it is federated and others are not. */
  federation?: UserFederation;
  /** The first factor the driver answers a factor choice with (configured, or what the secrets allow). */
  signInFactor?: SignInFactor;
  /** Whether signInFactor was configured (a configured factor is insisted on; a default is a preference). */
  signInFactorConfigured?: boolean;
  /** The user's passkey (TEST_USER_PASSKEY or the secret's "passkey"): a first or second factor. */
  passkey?: PasskeyCredential;
  /** Where the user's email/SMS one-time codes arrive (TEST_USER_CODE_SOURCE). */
  codeSource?: CodeSource;
  /** The user's email address or phone number, when known: codes are matched to it. Default: the username. */
  codeAddress?: string;
}

export interface Timeouts {
  /** Whole browser sign-in for one user. */
  loginMs: number;
  /** Overall deadline for one token-endpoint call including retries. */
  tokenDeadlineMs: number;
  /** One HTTP request. */
  requestMs: number;
  /** Each API request of a Newman run when --timeout-request is not given (0 = never). */
  apiRequestMs?: number;
  /** Longest wait for a one-time code to arrive at the user's code source (added to loginMs for such users). */
  codeMs?: number;
}

export interface Config {
  idp: IdpConfig;
  users: UserCredentials[];
  /** Users signed in at once on the shared browser. */
  concurrency: number;
  /** Where failure diagnostics (screenshot, visible text) go. */
  artifactsDir: string;
  timeouts: Timeouts;
  /** The pool's passkey relying party id when it is not the domain (COGNITO_PASSKEY_RP_ID). */
  passkeyRpId?: string;
  /** What `npm run api-test` runs (API_TEST_COLLECTION, API_TEST_ENVIRONMENT), when set. */
  apiTest?: { collection?: string; environment?: string };
}

// The configuration variable names of the product contract (DESIGN.md, "Configuration"), plus the
// extras this tool adds, as one typed list: flags, .env, the environment and the collection's
// OAuth2 block all speak in these names.

/** Variables named in the product contract. */
export const CONTRACT_KEYS = [
  'COGNITO_DOMAIN',
  'COGNITO_CLIENT_ID',
  'COGNITO_CLIENT_SECRET',
  'COGNITO_CLIENT_AUTH',
  'COGNITO_REDIRECT_URI',
  'COGNITO_SCOPES',
  'COGNITO_USER_POOL_ID',
  'COGNITO_ISSUER',
  'COGNITO_LOGIN_UI',
  'COGNITO_IDENTITY_PROVIDER',
  'COGNITO_IDP_IDENTIFIER',
  'COGNITO_IDP_LOGIN_UI',
  'COGNITO_IDP_SELECTOR_PROFILE',
  'TEST_USER_USERNAME',
  'TEST_USER_PASSWORD',
  'TEST_USER_TOTP_SECRET',
  'TEST_USER_SECRET_ID',
  'TEST_USERS',
  'API_TEST_COLLECTION',
  'API_TEST_ENVIRONMENT',
] as const;

/** Variables this tool adds on top of the contract. */
export const EXTRA_KEYS = [
  /** Default `<domain>/oauth2/authorize`; a value ending in `/login` (Postman's form) starts there. */
  'COGNITO_AUTH_URL',
  /** Default `<domain>/oauth2/token`. */
  'COGNITO_TOKEN_URL',
  /** `code` (default) or `token` (implicit grant). */
  'COGNITO_RESPONSE_TYPE',
  /** Path to a JSON selector profile, or the JSON inline (for COGNITO_LOGIN_UI=custom). */
  'COGNITO_SELECTOR_PROFILE',
  /** AWS Secrets Manager secret holding the app client secret (a plain string, or JSON with clientSecret). */
  'COGNITO_CLIENT_SECRET_ID',
  /** `1`: allow http:// endpoints that are not loopback. Loud on purpose. */
  'COGNITO_INSECURE_ALLOW_HTTP',
  'COGNITO_NEWMAN_ARTIFACTS_DIR',
  'COGNITO_NEWMAN_CONCURRENCY',
  'COGNITO_NEWMAN_LOGIN_TIMEOUT_MS',
  'COGNITO_NEWMAN_TOKEN_DEADLINE_MS',
  'COGNITO_NEWMAN_REQUEST_TIMEOUT_MS',
  /** Default for newman's --timeout-request (each API request of the run); 0 = never give up. */
  'COGNITO_NEWMAN_API_TIMEOUT_MS',
  /** The pool's WebAuthnConfiguration.RelyingPartyId when it is not the domain (doctor checks passkeys against it). */
  'COGNITO_PASSKEY_RP_ID',
  /** Longest wait for an emailed or texted one-time code (TEST_USER_CODE_SOURCE). */
  'COGNITO_NEWMAN_CODE_TIMEOUT_MS',
] as const;

export const CONFIG_KEYS = [...CONTRACT_KEYS, ...EXTRA_KEYS] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

const KEY_SET: ReadonlySet<string> = new Set(CONFIG_KEYS);

export function isConfigKey(name: string): name is ConfigKey {
  return KEY_SET.has(name);
}

/**
 * Named users' variables (`TEST_USER_ADMIN_USERNAME`, `TEST_USER_ADMIN_SECRET_ID`, ...) are not in
 * the fixed list; every `TEST_USER_*` name is read from each source so they layer like the rest.
 */
export function isUserKey(name: string): boolean {
  return name.startsWith('TEST_USER_');
}

/** Whether a variable holds a secret, so its value is registered for redaction and never echoed. */
export function isSecretKey(name: string): boolean {
  // A passkey holds a private key; a code source URL may carry a mailbox password; its own password is one.
  return name === 'COGNITO_CLIENT_SECRET' || (isUserKey(name) && /_(PASSWORD|TOTP_SECRET|PASSKEY)$/.test(name));
}

/** Defaults of the contract, in one place so docs and tests can cite them. */
export const DEFAULTS = {
  redirectUri: 'https://oauth.pstmn.io/v1/callback',
  scopes: 'openid email profile',
  artifactsDir: './cognito-newman-artifacts',
  concurrency: 4,
  loginTimeoutMs: 30_000,
  tokenDeadlineMs: 20_000,
  requestTimeoutMs: 10_000,
  /** Each API request of a run, unless --timeout-request says otherwise: a hung API fails that request, not the night. */
  apiRequestTimeoutMs: 60_000,
  /** A code is usually there within seconds; SES receiving to S3 can take tens of seconds. */
  codeTimeoutMs: 60_000,
} as const;

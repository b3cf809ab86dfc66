// The flags' configuration layer: each auth flag of `run`, `token` and `doctor` (commands/auth-options.ts
// declares them for commander) maps to one configuration variable, so flags are simply the highest
// layer of the one configuration order (config/load.ts). Here, not beside commander, because the
// library and the Playwright fixture pass the same names without loading the CLI.

/** Flag (commander attribute name) -> configuration variable. No flag takes a secret: argv is visible to other processes. */
export const AUTH_FLAG_KEYS = {
  domain: 'COGNITO_DOMAIN',
  clientId: 'COGNITO_CLIENT_ID',
  clientAuth: 'COGNITO_CLIENT_AUTH',
  redirectUri: 'COGNITO_REDIRECT_URI',
  scopes: 'COGNITO_SCOPES',
  userPoolId: 'COGNITO_USER_POOL_ID',
  issuer: 'COGNITO_ISSUER',
  loginUi: 'COGNITO_LOGIN_UI',
  authUrl: 'COGNITO_AUTH_URL',
  tokenUrl: 'COGNITO_TOKEN_URL',
  responseType: 'COGNITO_RESPONSE_TYPE',
  selectorProfile: 'COGNITO_SELECTOR_PROFILE',
  identityProvider: 'COGNITO_IDENTITY_PROVIDER',
  idpIdentifier: 'COGNITO_IDP_IDENTIFIER',
  idpLoginUi: 'COGNITO_IDP_LOGIN_UI',
  idpSelectorProfile: 'COGNITO_IDP_SELECTOR_PROFILE',
  users: 'TEST_USERS',
  artifactsDir: 'COGNITO_NEWMAN_ARTIFACTS_DIR',
  concurrency: 'COGNITO_NEWMAN_CONCURRENCY',
} as const;

export type AuthFlagName = keyof typeof AUTH_FLAG_KEYS;

/** The configuration layer given by flags. */
export function flagsToConfig(opts: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [flag, key] of Object.entries(AUTH_FLAG_KEYS)) {
    const v = opts[flag];
    if (typeof v === 'string' && v !== '') out[key] = v;
  }
  return out;
}

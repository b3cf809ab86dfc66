// The pool of `cognito-newman demo` and `demo --serve`: the default pool plus one OIDC identity
// provider, PartnerOkta, that the emulator starts on loopback (a LocalUpstream with the Okta
// Identity Engine replica pages), so the demo signs in a federated user next to two Cognito users.
// Also the demo's users as cognito-newman configuration (TEST_USERS, TEST_USER_<NAME>_*), shared
// by the demo run and the .env lines `demo --serve` prints. Published test values only.
import type { PasskeyConfig, PoolConfig } from './config.js';
import { DEFAULT_POOL } from './default-pool.js';
import { createPasskeyCredential, passkeyUserHandle, type PasskeyCredential } from './passkey-credential.js';

/** The demo's app client (signs in every demo user). */
export const DEMO_CLIENT = 'demo-public-client';
/** The demo's federated IdP: its ProviderName, its login pages, the email domain it serves. */
export const DEMO_IDP = { providerName: 'PartnerOkta', loginUi: 'okta', domain: 'partner.example' } as const;
/** The federated demo user: its credentials are the IdP's, not the pool's. */
export const DEMO_PARTNER = { username: 'pat@partner.example', password: 'Partner-Passw0rd!' } as const;
/** The demo's users, in the order they sign in and the collection's folders run. */
export const DEMO_USERS = ['admin', 'reader', 'partner'] as const;
/** The users as messages name them: `admin, reader and partner`. */
export const DEMO_USERS_TEXT = `${DEMO_USERS.slice(0, -1).join(', ')} and ${DEMO_USERS[DEMO_USERS.length - 1]}`;

export const DEMO_POOL: PoolConfig = {
  ...DEFAULT_POOL,
  // The default pool lists its clients flat (not describe-user-pool-client's { UserPoolClient } form).
  UserPoolClients: (DEFAULT_POOL.UserPoolClients ?? []).map((c) => ('ClientId' in c && c.ClientId === DEMO_CLIENT ? { ...c, SupportedIdentityProviders: ['COGNITO', DEMO_IDP.providerName] } : c)),
  IdentityProviders: [
    {
      ProviderName: DEMO_IDP.providerName,
      ProviderType: 'OIDC',
      ProviderDetails: { client_id: 'demo-partner-client', client_secret: 'demo-partner-upstream-secret', authorize_scopes: 'openid email profile', attributes_request_method: 'GET' },
      AttributeMapping: { email: 'email', email_verified: 'email_verified', given_name: 'given_name', family_name: 'family_name', username: 'sub' },
      IdpIdentifiers: [DEMO_IDP.domain],
      LocalUpstream: {
        LoginUi: DEMO_IDP.loginUi,
        Users: [{ Username: DEMO_PARTNER.username, Password: DEMO_PARTNER.password, Claims: { email: DEMO_PARTNER.username, email_verified: true, given_name: 'Pat', family_name: 'Partner' } }],
      },
    },
  ],
};

/** The demo's passwordless user: a passkey (seeded by the demo) or an email code. */
export const DEMO_PASSKEY_USER = { username: 'passkey-user', email: 'passkey-user@example.com' } as const;
/** The demo's user with email MFA: password, then a code from the emulator's email sink. */
export const DEMO_EMAIL_MFA_USER = { username: 'email-mfa-user', password: 'EmailMfa-Passw0rd!', email: 'email-mfa-user@example.com' } as const;
/**
 * The demo's relying party id: fixed, so a passkey made before the emulator picks its port (or on
 * another run) stays valid. Playwright's software authenticator does not compare it with the page.
 */
export const DEMO_RP_ID = 'localhost';

/**
 * A fresh passkey for the demo's passwordless user: `credential` is the Playwright credential JSON
 * (what TEST_USER_<NAME>_PASSKEY holds), `poolEntry` the user's `Passkeys` item for demoPoolWith.
 */
export function demoPasskey(): { credential: PasskeyCredential; poolEntry: PasskeyConfig } {
  return createPasskeyCredential(DEMO_RP_ID, passkeyUserHandle(String(DEMO_POOL.UserPoolId), DEMO_PASSKEY_USER.username));
}

/**
 * The demo pool with choice-based sign-in on Managed Login (PASSWORD, WEB_AUTHN, EMAIL_OTP; the demo
 * client allows USER_AUTH), the passwordless user holding `passkeys`, and the email-MFA user whose
 * codes (like every email) are written as .eml files into `mailDir` (a `file` sink: nothing external).
 * The classic Hosted UI ignores the factors; the earlier demo users sign in as before.
 */
export function demoPoolWith(o: { passkeys?: PasskeyConfig[]; mailDir?: string } = {}): PoolConfig {
  return {
    ...DEMO_POOL,
    Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN', 'EMAIL_OTP'] } },
    WebAuthnConfiguration: { RelyingPartyId: DEMO_RP_ID, UserVerification: 'preferred' },
    UserPoolClients: (DEMO_POOL.UserPoolClients ?? []).map((c) => ('ClientId' in c && c.ClientId === DEMO_CLIENT ? { ...c, ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] } : c)),
    Users: [
      ...(DEMO_POOL.Users ?? []),
      { Username: DEMO_PASSKEY_USER.username, Attributes: [{ Name: 'email', Value: DEMO_PASSKEY_USER.email }, { Name: 'email_verified', Value: 'true' }], Passkeys: o.passkeys ?? [] },
      {
        Username: DEMO_EMAIL_MFA_USER.username,
        Password: DEMO_EMAIL_MFA_USER.password,
        EmailMfaSettings: { Enabled: true, PreferredMfa: true },
        Attributes: [{ Name: 'email', Value: DEMO_EMAIL_MFA_USER.email }, { Name: 'email_verified', Value: 'true' }],
      },
    ],
    ...(o.mailDir ? { MessageSinks: { email: { type: 'file', path: o.mailDir } } } : {}),
  };
}

function cognitoPassword(username: string): string {
  const user = DEFAULT_POOL.Users?.find((u) => u.Username === username);
  if (typeof user?.Password !== 'string') throw new Error(`demo user ${username} missing from the default pool`);
  return user.Password;
}

/**
 * The demo users as configuration, in .env order: admin and reader are Cognito users; partner is
 * federated, with its own IdP settings (TEST_USER_PARTNER_IDENTITY_PROVIDER / _IDP_LOGIN_UI).
 */
export function demoUserEnv(): [string, string][] {
  return [
    ['TEST_USERS', DEMO_USERS.join(',')],
    ['TEST_USER_ADMIN_USERNAME', 'admin'],
    ['TEST_USER_ADMIN_PASSWORD', cognitoPassword('admin')],
    ['TEST_USER_READER_USERNAME', 'reader'],
    ['TEST_USER_READER_PASSWORD', cognitoPassword('reader')],
    ['TEST_USER_PARTNER_USERNAME', DEMO_PARTNER.username],
    ['TEST_USER_PARTNER_PASSWORD', DEMO_PARTNER.password],
    ['TEST_USER_PARTNER_IDENTITY_PROVIDER', DEMO_IDP.providerName],
    ['TEST_USER_PARTNER_IDP_LOGIN_UI', DEMO_IDP.loginUi],
  ];
}

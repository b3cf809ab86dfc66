// End-to-end, the whole chain: driver -> the Cognito emulator's federation -> the local OIDC upstream
// (started by the emulator from `LocalUpstream` config) -> /oauth2/idpresponse -> the app's callback
// with a Cognito code, exchanged for Cognito tokens of the federated user.
import { test, expect, signIn, signInError, POSTMAN_CALLBACK } from './_login-fixtures.js';
import { DEFAULT_POOL, startEmulator, type PoolConfig, type RunningEmulator } from '../../packages/emulator/src/index.js';
import { validateCallback } from '../../src/oauth/authorize.js';
import { exchangeCode } from '../../src/oauth/token-client.js';
import { emulatorIdp } from './_login-fixtures.js';
import type { IdpConfig } from '../../src/config/types.js';
import * as OTPAuth from 'otpauth';

const ENTRA_USER = { name: 'default', username: 'dana@entra.example', password: 'Dana-Entra-Passw0rd!', totpSecret: new OTPAuth.Secret({ size: 20 }).base32 };
// Its own TOTP secret: the driver never reuses a code, so a second sign-in with Dana's secret in the same
// 30 s window (the classic chain above, same worker) would wait for the next code, beyond the login deadline.
const ENTRA_MANAGED_USER = { name: 'default', username: 'dale@entra.example', password: 'Dale-Entra-Passw0rd!', totpSecret: new OTPAuth.Secret({ size: 20 }).base32 };
const ERIN = { name: 'default', username: 'erin@entra.example', password: 'Erin-Entra-Passw0rd!' };
const SAML_USER = { name: 'default', username: 'sam@saml.example', password: 'Sam-Saml-Passw0rd!', totpSecret: new OTPAuth.Secret({ size: 20 }).base32 };
const KEYCLOAK_USER = { name: 'default', username: 'kim@kc.example', password: 'Kim-Keycloak-Passw0rd!' };

function pool(): PoolConfig {
  const client = (ClientId: string, SupportedIdentityProviders: string[]) => ({
    ClientId,
    CallbackURLs: [POSTMAN_CALLBACK],
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email', 'profile'],
    AllowedOAuthFlowsUserPoolClient: true,
    SupportedIdentityProviders,
  });
  const upstream = (ProviderName: string, LoginUi: string, IdpIdentifiers: string[], users: { username: string; password: string; totpSecret?: string }[]) => ({
    ProviderName,
    ProviderType: 'OIDC',
    ProviderDetails: { client_id: `${ProviderName}-client`, client_secret: `${ProviderName}-Upstream-S3cret`, authorize_scopes: 'openid email profile', attributes_request_method: 'GET' },
    AttributeMapping: { email: 'email', username: 'sub' },
    IdpIdentifiers,
    LocalUpstream: { LoginUi, Users: users.map((u) => ({ Username: u.username, Password: u.password, ...(u.totpSecret ? { TotpSecret: u.totpSecret } : {}), Claims: { email: u.username } })) },
  });
  return {
    ...DEFAULT_POOL,
    UserPoolClients: [...(DEFAULT_POOL.UserPoolClients ?? []), client('entra-only', ['CorpEntra']), client('both-idps', ['COGNITO', 'CorpEntra', 'CorpKeycloak', 'CorpSAML'])],
    IdentityProviders: [
      upstream('CorpEntra', 'entra', ['entra.example'], [ENTRA_USER, ENTRA_MANAGED_USER, ERIN]),
      upstream('CorpKeycloak', 'keycloak', ['kc.example'], [KEYCLOAK_USER]),
      {
        ProviderName: 'CorpSAML',
        ProviderType: 'SAML',
        ProviderDetails: {},
        AttributeMapping: { email: 'email' },
        LocalUpstream: { Users: [{ Username: SAML_USER.username, Password: SAML_USER.password, TotpSecret: SAML_USER.totpSecret, Claims: { email: SAML_USER.username } }] },
      },
    ],
  } as unknown as PoolConfig;
}

test.describe('the federated chain through the Cognito emulator', () => {
  let emulator: RunningEmulator;
  test.beforeAll(async () => {
    emulator = await startEmulator({ port: 0, config: pool() });
  });
  test.afterAll(async () => emulator?.stop());

  const idpFor = (clientId: string, overrides: Partial<IdpConfig>): IdpConfig => emulatorIdp(emulator, { clientId, ...overrides });

  test('COGNITO_IDENTITY_PROVIDER goes straight to Entra\'s pages (with TOTP), and the Cognito code gives the federated user\'s tokens', async ({ loginBrowser, artifactsDir, logs }) => {
    const idp = idpFor('both-idps', { identityProvider: 'CorpEntra', idpLoginUi: 'entra' });
    const { url, attempt } = await signIn({ browser: loginBrowser, idp, user: ENTRA_USER, artifactsDir, logger: logs });
    const cb = validateCallback(url, attempt);
    if (cb.kind !== 'code') throw new Error('expected a code');
    const tokens = await exchangeCode(idp, cb, attempt, { deadlineMs: 10_000, requestTimeoutMs: 5_000, logger: logs });
    const claims = JSON.parse(Buffer.from(tokens.idToken!.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(String(claims['cognito:username'])).toBe(`CorpEntra_${ENTRA_USER.username}`);
    // `identities` is a JSON string in most real captures (reference A.4); accept the parsed form too.
    const identities: unknown = typeof claims.identities === 'string' ? JSON.parse(claims.identities) : claims.identities;
    expect(JSON.stringify(identities)).toContain('"providerName":"CorpEntra"');
    expect(logs.lines.filter((l) => l.startsWith('debug: sign-in page:')).map((l) => l.split(' ')[3])).toEqual(['username', 'password', 'mfa-method', 'totp', 'stay-signed-in']);
  });

  test('no IdP named: the only button on the classic page is taken', async ({ loginBrowser, artifactsDir, logs }) => {
    const idp = idpFor('entra-only', { idpLoginUi: 'entra' });
    const { url, attempt } = await signIn({ browser: loginBrowser, idp, user: ERIN, artifactsDir, logger: logs });
    expect(validateCallback(url, attempt).kind).toBe('code');
    expect(logs.lines).toContain("debug: Cognito's page: choosing identity provider CorpEntra");
  });

  test('no IdP named, two offered: the corporate email form routes the username\'s domain to Keycloak', async ({ loginBrowser, artifactsDir, logs }) => {
    const idp = idpFor('both-idps', { idpLoginUi: 'keycloak' });
    const { url, attempt } = await signIn({ browser: loginBrowser, idp, user: KEYCLOAK_USER, artifactsDir, logger: logs });
    expect(validateCallback(url, attempt).kind).toBe('code');
    expect(logs.lines.some((l) => l.includes('corporate email form'))).toBe(true);
  });

  test('no IdP named, several offered, the username not an email: a usage error listing the IdPs offered', async ({ loginBrowser, artifactsDir, logs }) => {
    const idp = idpFor('both-idps', { idpLoginUi: 'keycloak' });
    const err = await signInError({ browser: loginBrowser, idp, user: { ...KEYCLOAK_USER, username: 'kim' }, artifactsDir, logger: logs });
    expect(err.exitCode).toBe(2);
    expect(err.code).toBe('IDP_CHOICE_AMBIGUOUS');
    for (const name of ['CorpEntra', 'CorpKeycloak', 'CorpSAML']) expect(err.message).toContain(`"${name}"`);
  });

  test('a SAML IdP through a custom COGNITO_IDP_SELECTOR_PROFILE, its OTP page included', async ({ loginBrowser, artifactsDir, logs }) => {
    // The local SAML IdP's own page (no built-in profile): what a user would write for it.
    const idpSelectorProfile = { name: 'local-saml', username: '#username', password: '#password', submit: '#kc-login', otp: '#otp', error: '#input-error, #input-error-otp-code' };
    const idp = idpFor('both-idps', { identityProvider: 'CorpSAML', idpLoginUi: 'custom', idpSelectorProfile });
    const { url, attempt } = await signIn({ browser: loginBrowser, idp, user: SAML_USER, artifactsDir, logger: logs });
    expect(validateCallback(url, attempt).kind).toBe('code');
    expect(logs.lines.filter((l) => l.startsWith('debug: sign-in page:')).map((l) => l.split(' ')[3])).toEqual(['login', 'totp']);
  });
});

// The same chain through the emulator's Managed Login (React, client-rendered, hydration delay):
// its "Corporate email" form navigates to /oauth2/authorize?<query>&idp_identifier=<domain>, its IdP
// buttons to ...&identity_provider=<name>, and the emulator starts the federated leg from those.
test.describe('the federated chain through Managed Login', () => {
  let emulator: RunningEmulator;
  test.beforeAll(async () => {
    emulator = await startEmulator({ port: 0, config: pool(), ui: 'managed', managedLogin: { hydrationDelayMs: 400, stepDelayMs: 100 } });
  });
  test.afterAll(async () => emulator?.stop());

  const idpFor = (clientId: string, overrides: Partial<IdpConfig>): IdpConfig => emulatorIdp(emulator, { clientId, ...overrides });

  test('no IdP named, two offered: the "Corporate email" form routes the username\'s domain to Entra (TOTP included)', async ({ loginBrowser, artifactsDir, logs }) => {
    const idp = idpFor('both-idps', { idpLoginUi: 'entra' });
    const { url, attempt } = await signIn({ browser: loginBrowser, idp, user: ENTRA_MANAGED_USER, artifactsDir, logger: logs });
    const cb = validateCallback(url, attempt);
    if (cb.kind !== 'code') throw new Error('expected a code');
    const tokens = await exchangeCode(idp, cb, attempt, { deadlineMs: 10_000, requestTimeoutMs: 5_000, logger: logs });
    const claims = JSON.parse(Buffer.from(tokens.idToken!.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(String(claims['cognito:username'])).toBe(`CorpEntra_${ENTRA_MANAGED_USER.username}`);
    expect(logs.lines).toContain(`debug: Cognito's page: signing in through the corporate email form (${ENTRA_MANAGED_USER.username})`);
  });

  test('no IdP named, one offered: its Managed Login button ("Continue with CorpEntra") is taken', async ({ loginBrowser, artifactsDir, logs }) => {
    const idp = idpFor('entra-only', { idpLoginUi: 'entra' });
    const { url, attempt } = await signIn({ browser: loginBrowser, idp, user: ERIN, artifactsDir, logger: logs });
    expect(validateCallback(url, attempt).kind).toBe('code');
    expect(logs.lines).toContain("debug: Cognito's page: choosing identity provider CorpEntra");
  });

  test('COGNITO_IDENTITY_PROVIDER goes straight to Keycloak, past the Managed Login page', async ({ loginBrowser, artifactsDir, logs }) => {
    const idp = idpFor('both-idps', { identityProvider: 'CorpKeycloak', idpLoginUi: 'keycloak' });
    const { url, attempt } = await signIn({ browser: loginBrowser, idp, user: KEYCLOAK_USER, artifactsDir, logger: logs });
    expect(validateCallback(url, attempt).kind).toBe('code');
    expect(logs.lines.some((l) => l.includes("Cognito's page:"))).toBe(false);
  });

  test('no IdP named, several offered, the username not an email: a usage error listing the IdPs offered', async ({ loginBrowser, artifactsDir, logs }) => {
    const idp = idpFor('both-idps', { idpLoginUi: 'keycloak' });
    const err = await signInError({ browser: loginBrowser, idp, user: { ...KEYCLOAK_USER, username: 'kim' }, artifactsDir, logger: logs });
    expect(err.exitCode).toBe(2);
    expect(err.code).toBe('IDP_CHOICE_AMBIGUOUS');
    for (const name of ['CorpEntra', 'CorpKeycloak', 'CorpSAML']) expect(err.message).toContain(`"${name}"`);
    expect(err.message).toContain('a corporate email form');
  });
});

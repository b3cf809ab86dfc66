// Unit tests of the federated-user configuration: COGNITO_IDENTITY_PROVIDER / COGNITO_IDP_IDENTIFIER
// on the authorize URL, COGNITO_IDP_LOGIN_UI and COGNITO_IDP_SELECTOR_PROFILE, the combinations that
// cannot work, and Google refused with its reason before anything starts.
import { test, expect } from '@playwright/test';
import { CnError } from '../../src/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { createLoginAttempt } from '../../src/oauth/authorize.js';
import { flagsToConfig } from '../../src/config/flags.js';
import { upstreamProfileFor, UPSTREAM_PROFILES, accountTileSelector } from '../../src/login/upstream-profiles.js';
import { chooseIdp, isFederated } from '../../src/login/federation.js';
import { idpForUser } from '../../src/config/federation.js';
import { cacheKeyFor } from '../../src/tokens/cache.js';

const BASE = {
  COGNITO_DOMAIN: 'https://my-app.auth.eu-west-1.amazoncognito.com',
  COGNITO_CLIENT_ID: 'client123',
  TEST_USER_USERNAME: 'alice@corp.example',
  TEST_USER_PASSWORD: 'Idp-Passw0rd!',
};
const silent = { level: 'info' as const, info: () => undefined, debug: () => undefined, warn: () => undefined };
const load = (env: Record<string, string>) => loadConfig({ env: { ...BASE, ...env }, envFile: false, logger: silent });

async function problem(env: Record<string, string>): Promise<CnError> {
  const err = await load(env).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CnError);
  expect((err as CnError).exitCode).toBe(2);
  return err as CnError;
}

test('COGNITO_IDENTITY_PROVIDER and COGNITO_IDP_LOGIN_UI reach the IdP config; identity_provider goes on the authorize URL', async () => {
  const config = await load({ COGNITO_IDENTITY_PROVIDER: 'CorpEntra', COGNITO_IDP_LOGIN_UI: 'Entra' });
  expect(config.idp).toMatchObject({ identityProvider: 'CorpEntra', idpLoginUi: 'entra' });
  expect(upstreamProfileFor(config.idp)).toBe(UPSTREAM_PROFILES.entra);
  const url = new URL(createLoginAttempt(config.idp).url);
  expect(url.pathname).toBe('/oauth2/authorize');
  expect(url.searchParams.get('identity_provider')).toBe('CorpEntra');
  expect(url.searchParams.has('idp_identifier')).toBe(false);
});

test('COGNITO_IDP_IDENTIFIER goes on the authorize URL as idp_identifier', async () => {
  const config = await load({ COGNITO_IDP_IDENTIFIER: 'corp.example', COGNITO_IDP_LOGIN_UI: 'okta' });
  const url = new URL(createLoginAttempt(config.idp).url);
  expect(url.searchParams.get('idp_identifier')).toBe('corp.example');
  expect(url.searchParams.has('identity_provider')).toBe(false);
});

test('a login UI alone (no IdP named) is a federated user who takes the IdP Cognito offers; nothing extra on the URL', async () => {
  const config = await load({ COGNITO_IDP_LOGIN_UI: 'keycloak' });
  expect(config.idp.identityProvider).toBeUndefined();
  const url = new URL(createLoginAttempt(config.idp).url);
  expect(url.searchParams.has('identity_provider') || url.searchParams.has('idp_identifier')).toBe(false);
});

test('COGNITO_IDP_SELECTOR_PROFILE alone means custom, with the new optional fields', async () => {
  const profile = { username: '#u', password: '#p', submit: '#s', staySignedIn: '#no', accountTile: '[data-upn="{username}"]' };
  const config = await load({ COGNITO_IDENTITY_PROVIDER: 'Corp', COGNITO_IDP_SELECTOR_PROFILE: JSON.stringify(profile) });
  expect(config.idp.idpLoginUi).toBe('custom');
  expect(upstreamProfileFor(config.idp)).toMatchObject({ name: 'custom', staySignedIn: '#no' });
  // The Cognito page's own profile is untouched.
  expect(config.idp.loginUi).toBe('auto');
});

test('combinations that cannot work are configuration problems naming the variable', async () => {
  expect((await problem({ COGNITO_IDP_LOGIN_UI: 'custom' })).message).toContain('COGNITO_IDP_LOGIN_UI: "custom" needs COGNITO_IDP_SELECTOR_PROFILE');
  expect((await problem({ COGNITO_IDENTITY_PROVIDER: 'Corp' })).message).toContain('COGNITO_IDP_LOGIN_UI: required with COGNITO_IDENTITY_PROVIDER');
  expect((await problem({ COGNITO_IDENTITY_PROVIDER: 'Corp', COGNITO_IDP_IDENTIFIER: 'corp.example', COGNITO_IDP_LOGIN_UI: 'okta' })).message).toContain('COGNITO_IDP_IDENTIFIER: set together with COGNITO_IDENTITY_PROVIDER');
  expect((await problem({ COGNITO_IDP_LOGIN_UI: 'ping' })).message).toContain('COGNITO_IDP_LOGIN_UI: must be entra, okta, okta-classic, keycloak, auth0, oidc-provider or custom');
  expect((await problem({ COGNITO_IDENTITY_PROVIDER: 'x'.repeat(33), COGNITO_IDP_LOGIN_UI: 'okta' })).message).toContain('at most 32 characters');
  expect((await problem({ COGNITO_IDP_SELECTOR_PROFILE: '{"username":"#u"}' })).message).toContain('COGNITO_IDP_SELECTOR_PROFILE: is not a valid selector profile: field "password" is required');
});

test('Google is refused with the reason, by name or by its sign-in host', async () => {
  const byName = await problem({ COGNITO_IDENTITY_PROVIDER: 'Google', COGNITO_IDP_LOGIN_UI: 'oidc-provider' });
  expect(byName.message).toContain('COGNITO_IDENTITY_PROVIDER: Google refuses to sign in automated browsers');
  expect(byName.message).toContain('This browser or app may not be secure');
  // No second, misleading problem about the missing login UI.
  expect((await problem({ COGNITO_IDENTITY_PROVIDER: 'google' })).message).not.toContain('COGNITO_IDP_LOGIN_UI');
  const byHost = await problem({ COGNITO_AUTH_URL: 'https://accounts.google.com/o/oauth2/v2/auth', COGNITO_IDP_LOGIN_UI: 'oidc-provider' });
  expect(byHost.message).toContain('COGNITO_AUTH_URL: points at Google (accounts.google.com)');
});

test('the federation flags map to their variables', () => {
  expect(flagsToConfig({ identityProvider: 'Corp', idpIdentifier: 'corp.example', idpLoginUi: 'entra', idpSelectorProfile: 'p.json' })).toEqual({
    COGNITO_IDENTITY_PROVIDER: 'Corp',
    COGNITO_IDP_IDENTIFIER: 'corp.example',
    COGNITO_IDP_LOGIN_UI: 'entra',
    COGNITO_IDP_SELECTOR_PROFILE: 'p.json',
  });
});

test('choosing from Cognito\'s page: the only button, else the corporate form for an email, else a usage error; Google never', () => {
  const idp = { clientId: 'c' };
  expect(chooseIdp(['CorpEntra', 'CorpOkta'], true, { username: 'a@corp.example' }, idp)).toEqual({ kind: 'corporate' });
  expect(chooseIdp([], true, { username: 'a@corp.example' }, idp)).toEqual({ kind: 'corporate' });
  expect(chooseIdp(['CorpEntra'], true, { username: 'a@corp.example' }, idp)).toEqual({ kind: 'button', name: 'CorpEntra', index: 0 });
  expect(chooseIdp(['CorpEntra'], false, { username: 'a@corp.example' }, idp)).toEqual({ kind: 'button', name: 'CorpEntra', index: 0 });
  expect(() => chooseIdp(['A', 'B'], false, { username: 'a@corp.example' }, idp)).toThrow(/offers "A", "B", and no identity provider is configured/);
  expect(() => chooseIdp([], true, { username: 'alice' }, idp)).toThrow(/is not an email address/);
  expect(() => chooseIdp(['Google'], false, { username: 'a@corp.example' }, idp)).toThrow(/Google refuses to sign in automated browsers/);
});

test('account tiles: the username is inserted, quotes escaped', () => {
  expect(accountTileSelector('[data-test-id="{username}" i]', 'a"b\\c@x')).toBe('[data-test-id="a\\"b\\\\c@x" i]');
});

// ---- per-user IdP settings: one federated user among Cognito users (the demo's partner) ----
const TWO = {
  TEST_USERS: 'admin,partner',
  TEST_USER_ADMIN_USERNAME: 'admin',
  TEST_USER_ADMIN_PASSWORD: 'Admin-Passw0rd!',
  TEST_USER_PARTNER_USERNAME: 'pat@partner.example',
  TEST_USER_PARTNER_PASSWORD: 'Partner-Passw0rd!',
};

test('TEST_USER_<NAME>_IDENTITY_PROVIDER / _IDP_LOGIN_UI make that user alone federated: its authorize URL and cache key name the IdP', async () => {
  const config = await load({ ...TWO, TEST_USER_PARTNER_IDENTITY_PROVIDER: 'PartnerOkta', TEST_USER_PARTNER_IDP_LOGIN_UI: 'Okta' });
  const admin = config.users.find((u) => u.name === 'admin')!;
  const partner = config.users.find((u) => u.name === 'partner')!;
  expect(admin.federation).toBeUndefined();
  expect(partner.federation).toEqual({ identityProvider: 'PartnerOkta', idpLoginUi: 'okta' });
  expect(config.idp.idpLoginUi).toBeUndefined();
  expect(isFederated(idpForUser(config.idp, admin))).toBe(false);
  const partnerIdp = idpForUser(config.idp, partner);
  expect(isFederated(partnerIdp)).toBe(true);
  expect(upstreamProfileFor(partnerIdp)).toBe(UPSTREAM_PROFILES.okta);
  expect(new URL(createLoginAttempt(partnerIdp).url).searchParams.get('identity_provider')).toBe('PartnerOkta');
  expect(new URL(createLoginAttempt(idpForUser(config.idp, admin)).url).searchParams.has('identity_provider')).toBe(false);
  expect(cacheKeyFor(partnerIdp, partner.username).idp).toBe('identity_provider=PartnerOkta');
  expect(cacheKeyFor(idpForUser(config.idp, admin), admin.username).idp).toBeUndefined();
});

test('a user\'s own IdP settings replace the COGNITO_* ones for that user as a set', async () => {
  const config = await load({ ...TWO, COGNITO_IDP_IDENTIFIER: 'corp.example', COGNITO_IDP_LOGIN_UI: 'entra', TEST_USER_PARTNER_IDENTITY_PROVIDER: 'PartnerOkta', TEST_USER_PARTNER_IDP_LOGIN_UI: 'okta' });
  const partnerIdp = idpForUser(config.idp, config.users.find((u) => u.name === 'partner')!);
  expect(partnerIdp).toMatchObject({ identityProvider: 'PartnerOkta', idpLoginUi: 'okta' });
  expect(partnerIdp.idpIdentifier).toBeUndefined();
  expect(idpForUser(config.idp, config.users.find((u) => u.name === 'admin')!)).toMatchObject({ idpIdentifier: 'corp.example', idpLoginUi: 'entra' });
});

test('per-user IdP settings that cannot work are problems named by that user\'s variables', async () => {
  const missingUi = await problem({ ...TWO, TEST_USER_PARTNER_IDENTITY_PROVIDER: 'PartnerOkta' });
  expect(missingUi.message).toContain('TEST_USER_PARTNER_IDP_LOGIN_UI');
  expect(missingUi.message).toContain('required with TEST_USER_PARTNER_IDENTITY_PROVIDER');
  const both = await problem({ ...TWO, TEST_USER_PARTNER_IDENTITY_PROVIDER: 'PartnerOkta', TEST_USER_PARTNER_IDP_IDENTIFIER: 'partner.example', TEST_USER_PARTNER_IDP_LOGIN_UI: 'okta' });
  expect(both.message).toContain('TEST_USER_PARTNER_IDP_IDENTIFIER');
  const badUi = await problem({ ...TWO, TEST_USER_PARTNER_IDP_LOGIN_UI: 'ping' });
  expect(badUi.message).toContain('TEST_USER_PARTNER_IDP_LOGIN_UI');
  expect(badUi.message).toContain('must be entra, okta');
  const google = await problem({ ...TWO, TEST_USER_PARTNER_IDENTITY_PROVIDER: 'Google', TEST_USER_PARTNER_IDP_LOGIN_UI: 'okta' });
  expect(google.message).toContain('TEST_USER_PARTNER_IDENTITY_PROVIDER');
  expect(google.message).toContain('Google refuses to sign in automated browsers');
  for (const e of [missingUi, both, badUi, google]) expect(e.message).not.toContain('Partner-Passw0rd!');
});

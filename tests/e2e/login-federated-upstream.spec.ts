// End-to-end: federated users on the upstream IdP's pages. The driver is pointed straight at the
// local OIDC upstream (a real oidc-provider OP) as the authorization server, as Cognito's redirect
// would take it there; each built-in profile signs in through its replica (with TOTP), a wrong
// password is exit 3 with that IdP's text, and nothing secret reaches any output or artifact.
import { readFileSync } from 'node:fs';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { test, expect, UIS, ALICE, MFA_USERS, CUSTOM_PROFILE_USER, WRONG_CODE_USER, ALL_SECRETS, UPSTREAM_CLIENT, upstreamIdp, stepsOf } from './_upstream-fixtures.js';
import { signIn, signInError } from './_login-fixtures.js';
import { validateCallback } from '../../src/oauth/authorize.js';
import { REMEMBERED_ACCOUNTS_COOKIE, rememberedAccountsCookie } from '../../packages/emulator/src/upstream/oidc/index.js';
import { UPSTREAM_PROFILES } from '../../src/login/upstream-profiles.js';
import { loadConfig } from '../../src/config/load.js';
import type { UpstreamLoginUi } from '../../packages/emulator/src/upstream/oidc/login-ui.js';
import { filesUnder } from '../fixtures/files.js';

/** The pages each built-in profile goes through for a TOTP user (reference B). */
const MFA_STEPS: Record<UpstreamLoginUi, string[]> = {
  'oidc-provider': ['login', 'totp', 'consent'],
  entra: ['username', 'password', 'mfa-method', 'totp', 'stay-signed-in'],
  okta: ['username', 'password', 'mfa-method', 'totp'],
  'okta-classic': ['login', 'totp'],
  keycloak: ['login', 'totp'],
  auth0: ['login', 'totp'],
};

/** Each IdP's own wrong-password text, as its replica shows it. */
const WRONG_PASSWORD_TEXT: Record<UpstreamLoginUi, string> = {
  'oidc-provider': 'Invalid email or password.',
  entra: "Your account or password is incorrect. If you don't remember your password, reset it now.",
  okta: 'Password is incorrect',
  'okta-classic': 'Unable to sign in',
  keycloak: 'Invalid username or password.',
  auth0: 'Wrong email or password',
};

function expectNoSecrets(texts: string[]): void {
  const all = texts.join('\n');
  for (const s of ALL_SECRETS) expect(all.includes(s), 'a secret appeared in the output').toBe(false);
}


for (const ui of UIS) {
  test(`the ${ui} profile signs a TOTP user in through the ${ui} replica`, async ({ loginBrowser, upstream, artifactsDir, logs }) => {
    const up = await upstream(ui);
    const idp = upstreamIdp(up, ui);
    const user = MFA_USERS[ui];
    const { url, attempt } = await signIn({ browser: loginBrowser, idp, user, artifactsDir, logger: logs });
    const cb = validateCallback(url, attempt);
    expect(cb.kind).toBe('code');
    expect(stepsOf(logs.lines)).toEqual(MFA_STEPS[ui]);
    expectNoSecrets([...logs.lines, url.split('?')[0]!]);
  });

  test(`a wrong password on the ${ui} replica is exit 3 with its text`, async ({ loginBrowser, upstream, artifactsDir, logs }) => {
    const up = await upstream(ui);
    const err = await signInError({ browser: loginBrowser, idp: upstreamIdp(up, ui), user: { ...ALICE, password: 'Not-The-Passw0rd!' }, artifactsDir, logger: logs });
    expect(err.exitCode, err.message).toBe(3);
    expect(err.code).toBe('LOGIN_REJECTED');
    expect(err.message).toContain(WRONG_PASSWORD_TEXT[ui]);
    expect(err.message).toContain(`The identity provider (${ui} pages) refused the sign-in for user ${ALICE.username}`);
    expect(err.hint).toContain("credentials at the IdP");
    expectNoSecrets([...logs.lines, err.message, err.hint ?? '']);
  });
}

test('the upstream is a real OP: the code is exchanged with client_secret_post and PKCE, the ID token verifies against its JWKS, userinfo answers', async ({ loginBrowser, upstream, artifactsDir, logs }) => {
  const up = await upstream('oidc-provider');
  const idp = upstreamIdp(up, 'oidc-provider');
  const { url, attempt } = await signIn({ browser: loginBrowser, idp, user: ALICE, artifactsDir, logger: logs });
  const code = new URL(url).searchParams.get('code')!;
  const discovery = (await (await fetch(`${up.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
  const tokenRes = await fetch(discovery.token_endpoint!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: attempt.redirectUri, client_id: UPSTREAM_CLIENT.clientId, client_secret: UPSTREAM_CLIENT.clientSecret, code_verifier: attempt.codeVerifier! }),
  });
  expect(tokenRes.status).toBe(200);
  const tokens = (await tokenRes.json()) as { id_token: string; access_token: string };
  const { payload } = await jwtVerify(tokens.id_token, createRemoteJWKSet(new URL(discovery.jwks_uri!)), { issuer: up.issuer, audience: UPSTREAM_CLIENT.clientId });
  expect(payload.sub).toBe(ALICE.username);
  expect(payload.nonce).toBe(attempt.nonce);
  expect(payload.email).toBe(ALICE.username);
  const info = (await (await fetch(discovery.userinfo_endpoint!, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json()) as Record<string, unknown>;
  expect(info).toMatchObject({ sub: ALICE.username, email: ALICE.username, name: 'Alice Example' });
  // The client secret is really checked (the code is spent, but client authentication comes first).
  const wrongSecret = await fetch(discovery.token_endpoint!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: attempt.redirectUri, client_id: UPSTREAM_CLIENT.clientId, client_secret: 'not-the-secret' }),
  });
  expect(wrongSecret.status).toBe(401);
});

test('an IdP session short-circuits its pages: the second sign-in in the same context goes straight to the callback', async ({ loginBrowser, upstream, artifactsDir, logs }) => {
  const up = await upstream('okta');
  const idp = upstreamIdp(up, 'okta');
  const context = await loginBrowser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    await signIn({ browser: loginBrowser, idp, user: ALICE, artifactsDir, logger: logs, context });
    expect(stepsOf(logs.lines)).toEqual(['username', 'password']);
    logs.lines.length = 0;
    const { url, attempt } = await signIn({ browser: loginBrowser, idp, user: ALICE, artifactsDir, logger: logs, context });
    expect(validateCallback(url, attempt).kind).toBe('code');
    expect(stepsOf(logs.lines)).toEqual([]);
  } finally {
    await context.close();
  }
});

test('entra "Pick an account": the user\'s remembered tile is chosen, or "Use another account" when only others are remembered', async ({ loginBrowser, upstream, artifactsDir, logs }) => {
  const up = await upstream('entra');
  const idp = upstreamIdp(up, 'entra');
  const seeded = async (accounts: string[]) => {
    const context = await loginBrowser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addCookies([{ name: REMEMBERED_ACCOUNTS_COOKIE, value: rememberedAccountsCookie(accounts), url: up.baseUrl }]);
    return context;
  };
  const mine = await seeded(['bob@example.com', ALICE.username.toUpperCase()]);
  try {
    await signIn({ browser: loginBrowser, idp, user: ALICE, artifactsDir, logger: logs, context: mine });
    expect(stepsOf(logs.lines)).toEqual(['account-picker', 'password', 'stay-signed-in']);
  } finally {
    await mine.close();
  }
  logs.lines.length = 0;
  const others = await seeded(['bob@example.com']);
  try {
    await signIn({ browser: loginBrowser, idp, user: ALICE, artifactsDir, logger: logs, context: others });
    expect(stepsOf(logs.lines)).toEqual(['account-picker', 'username', 'password', 'stay-signed-in']);
    expect(logs.lines).toContain('debug: "Pick an account": using another account');
  } finally {
    await others.close();
  }
});

test('entra: an unknown username is refused on the email page with Entra\'s text; a wrong TOTP code is MFA_REJECTED; no secret is MFA_SECRET_MISSING', async ({ loginBrowser, upstream, artifactsDir, logs }) => {
  const up = await upstream('entra');
  const idp = upstreamIdp(up, 'entra', { identityProvider: 'EntraID' });
  const unknown = await signInError({ browser: loginBrowser, idp, user: { name: 'default', username: 'nobody@example.com', password: 'x-Passw0rd!' }, artifactsDir, logger: logs });
  expect(unknown.exitCode).toBe(3);
  expect(unknown.message).toContain('Identity provider EntraID refused the sign-in for user nobody@example.com: "This username may be incorrect.');
  const wrongCode = await signInError({ browser: loginBrowser, idp, user: WRONG_CODE_USER, artifactsDir, logger: logs });
  expect(wrongCode.exitCode).toBe(3);
  expect(wrongCode.code).toBe('MFA_REJECTED');
  expect(wrongCode.message).toContain("You didn't enter the expected verification code.");
  const { totpSecret: _none, ...noSecret } = MFA_USERS.entra;
  const missing = await signInError({ browser: loginBrowser, idp, user: noSecret, artifactsDir, logger: logs });
  expect(missing.code).toBe('MFA_SECRET_MISSING');
  expect(missing.message).toContain('identity provider EntraID asks for a code');
  expectNoSecrets([...logs.lines, unknown.message, wrongCode.message, wrongCode.hint ?? '', missing.message]);
});

test('a custom COGNITO_IDP_SELECTOR_PROFILE (from config) signs in through the Keycloak replica, OTP page included', async ({ loginBrowser, upstream, artifactsDir, logs }) => {
  const up = await upstream('keycloak');
  const user = CUSTOM_PROFILE_USER;
  // What a user would write from Keycloak's login.ftl, without the built-in's alternatives.
  const profile = { name: 'my-keycloak', username: '#username', password: '#password', submit: '#kc-login', otp: '#otp', error: '#input-error, #input-error-otp-code' };
  const config = await loadConfig({
    envFile: false,
    env: {
      COGNITO_AUTH_URL: `${up.baseUrl}/auth`,
      COGNITO_TOKEN_URL: `${up.baseUrl}/token`,
      COGNITO_CLIENT_ID: UPSTREAM_CLIENT.clientId,
      COGNITO_REDIRECT_URI: 'https://oauth.pstmn.io/v1/callback',
      COGNITO_IDENTITY_PROVIDER: 'CorpKeycloak',
      COGNITO_IDP_SELECTOR_PROFILE: JSON.stringify(profile),
      TEST_USER_USERNAME: user.username,
      TEST_USER_PASSWORD: user.password,
      TEST_USER_TOTP_SECRET: user.totpSecret,
    },
  });
  expect(config.idp.idpLoginUi).toBe('custom');
  expect(config.idp.idpSelectorProfile?.name).toBe('my-keycloak');
  const { url, attempt } = await signIn({ browser: loginBrowser, idp: config.idp, user: config.users[0]!, artifactsDir, logger: logs });
  // identity_provider went on the authorize URL (the upstream ignores it; Cognito acts on it).
  expect(new URL(attempt.url).searchParams.get('identity_provider')).toBe('CorpKeycloak');
  expect(validateCallback(url, attempt).kind).toBe('code');
  expect(stepsOf(logs.lines)).toEqual(['login', 'totp']);
});

test('an upstream page the profile does not know: exit 4 with diagnostics, and no secret in any artifact or output', async ({ loginBrowser, upstream, artifactsDir, logs }) => {
  const up = await upstream('entra');
  // The Entra profile without its "Stay signed in?" answer: the KMSI page is unknown after the password was typed.
  const { staySignedIn: _dropped, ...partial } = UPSTREAM_PROFILES.entra;
  const idp = upstreamIdp(up, 'custom', { idpSelectorProfile: { ...partial, name: 'entra-without-kmsi' } });
  const err = await signInError({ browser: loginBrowser, idp, user: ALICE, artifactsDir, logger: logs, extra: { unknownPageGraceMs: 300 } });
  expect(err.exitCode, err.message).toBe(4);
  expect(err.code).toBe('UNEXPECTED_PAGE');
  expect(err.hint).toContain('COGNITO_IDP_SELECTOR_PROFILE');
  const files = filesUnder(artifactsDir);
  expect(files.some((f) => f.endsWith('.png'))).toBe(true);
  const visible = files.filter((f) => f.endsWith('.txt')).map((f) => readFileSync(f, 'utf8'));
  expect(visible.join('\n')).toContain('Stay signed in?');
  expectNoSecrets([...logs.lines, err.message, err.hint ?? '', ...files.map((f) => readFileSync(f).toString('latin1'))]);
});

// Shared pieces of the federated-login tests: the local OIDC upstream (one per login UI, started on
// first use and kept for the worker), its users (each TOTP user with its own secret, so no test waits
// for a fresh TOTP window), and an IdpConfig that points the driver straight at the upstream.
import * as OTPAuth from 'otpauth';
import { test as loginTest, expect, emulatorIdp, POSTMAN_CALLBACK } from './_login-fixtures.js';
import { startOidcUpstream } from '../../packages/emulator/src/upstream/oidc/index.js';
import { UPSTREAM_LOGIN_UIS, type UpstreamLoginUi } from '../../packages/emulator/src/upstream/oidc/login-ui.js';
import type { UpstreamUser } from '../../packages/emulator/src/upstream/types.js';
import type { IdpConfig, IdpLoginUi, UserCredentials } from '../../src/config/types.js';

export const UPSTREAM_CLIENT = { clientId: 'cognito-emulator-client', clientSecret: 'Upstream-Client-S3cret!' };

export const UIS: readonly UpstreamLoginUi[] = UPSTREAM_LOGIN_UIS;

const secret = () => new OTPAuth.Secret({ size: 20 }).base32;

/** One plain user, and per login UI one TOTP user and one whose secret the driver gets wrong. */
export const ALICE: UserCredentials & { password: string } = { name: 'default', username: 'alice@example.com', password: 'Alice-Upstream-Passw0rd!' };
export const MFA_USERS: Record<UpstreamLoginUi, UserCredentials & { password: string; totpSecret: string }> = Object.fromEntries(
  UIS.map((ui) => [ui, { name: 'default', username: `mfa-${ui}@example.com`, password: `Mfa-${ui}-Passw0rd!`, totpSecret: secret() }]),
) as Record<UpstreamLoginUi, UserCredentials & { password: string; totpSecret: string }>;
/** A TOTP user of its own for the custom-profile test (two sign-ins with one secret within 30 s would wait for a fresh code). */
export const CUSTOM_PROFILE_USER = { name: 'default', username: 'custom-profile@example.com', password: 'Custom-Profile-Passw0rd!', totpSecret: secret() };
export const WRONG_CODE_USER = { name: 'default', username: 'wrong-code@example.com', password: 'Wrong-Code-Passw0rd!', totpSecret: secret() };

const USERS: UpstreamUser[] = [
  { username: ALICE.username, password: ALICE.password, claims: { email: ALICE.username, email_verified: true, name: 'Alice Example' } },
  ...[...Object.values(MFA_USERS), CUSTOM_PROFILE_USER].map((u) => ({ username: u.username, password: u.password, totpSecret: u.totpSecret, claims: { email: u.username } })),
  // The IdP enrols one secret; the driver is configured with another (see WRONG_CODE_USER).
  { username: WRONG_CODE_USER.username, password: WRONG_CODE_USER.password, totpSecret: secret() },
];

/** Every secret of the test setup: none may appear in any output or artifact. */
export const ALL_SECRETS: string[] = [UPSTREAM_CLIENT.clientSecret, ...USERS.flatMap((u) => [u.password, ...(u.totpSecret ? [u.totpSecret] : [])]), WRONG_CODE_USER.totpSecret];

export interface Upstream {
  issuer: string;
  baseUrl: string;
}

export const test = loginTest.extend<object, { upstream: (ui: UpstreamLoginUi) => Promise<Upstream> }>({
  upstream: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const running = new Map<UpstreamLoginUi, ReturnType<typeof startOidcUpstream>>();
      await use((ui) => {
        let up = running.get(ui);
        if (!up) {
          up = startOidcUpstream({ loginUi: ui, clients: [{ ...UPSTREAM_CLIENT, redirectUris: [POSTMAN_CALLBACK] }], users: USERS });
          running.set(ui, up);
        }
        return up;
      });
      await Promise.all([...running.values()].map(async (p) => (await p).stop()));
    },
    { scope: 'worker' },
  ],
});
export { expect };

/** The driver pointed straight at the upstream as the authorization server (a federated user's pages). */
export function upstreamIdp(up: Upstream, idpLoginUi: IdpLoginUi, overrides: Partial<IdpConfig> = {}): IdpConfig {
  const base = up.baseUrl;
  return emulatorIdp(
    { baseUrl: base, poolId: 'n/a', issuer: up.issuer },
    {
      domain: base,
      endpoints: { authorize: `${base}/auth`, login: `${base}/auth`, token: `${base}/token`, revoke: `${base}/token/revocation`, userInfo: `${base}/me`, logout: `${base}/session/end` },
      clientId: UPSTREAM_CLIENT.clientId,
      clientSecret: UPSTREAM_CLIENT.clientSecret,
      clientAuth: 'body',
      scopes: ['openid', 'email', 'profile'],
      idpLoginUi,
      ...overrides,
    },
  );
}

/** The page kinds the driver logged, in order. */
export function stepsOf(lines: string[]): string[] {
  return lines.filter((l) => l.startsWith('debug: sign-in page:')).map((l) => l.split(' ')[3] ?? '');
}

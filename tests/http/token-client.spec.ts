// The token client and JWT checks against the real emulator on 127.0.0.1: client credentials with
// both client auth methods, injected 429s and 500s, a PKCE code flow (plain-HTTP sign-in) whose
// exchange is resent only after a 503, refresh,
// revocation, and signature verification against the emulator's JWKS.
import { test, expect } from '../fixtures/emulator.js';
import { signIn, M2M, M2M_SECRET, PUBLIC, CONFIDENTIAL, CONFIDENTIAL_SECRET } from '../fixtures/emulator-http.js';
import { CnError, ExitCode } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { loadConfig } from '../../src/config/load.js';
import type { IdpConfig } from '../../src/config/types.js';
import type { RunningEmulator } from '../../packages/emulator/src/index.js';
import { createLoginAttempt } from '../../src/oauth/authorize.js';
import { validateCallback, type CodeCallback } from '../../src/oauth/callback.js';
import { clientCredentials, exchangeCode, refreshTokens, revokeToken } from '../../src/oauth/token-client.js';
import { verifyTokenSet } from '../../src/oauth/jwt.js';

/** The configuration a user would write for the emulator, through the real loader. */
async function idpFor(emulator: RunningEmulator, env: Record<string, string>): Promise<IdpConfig> {
  const config = await loadConfig({
    env: { COGNITO_DOMAIN: emulator.baseUrl, COGNITO_USER_POOL_ID: emulator.poolId, COGNITO_ISSUER: emulator.issuer, ...env },
    cwd: '/nonexistent-dir-for-dotenv',
    logger: silentLogger,
  });
  return config.idp;
}

async function failure(p: Promise<unknown>): Promise<CnError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CnError);
  return err as CnError;
}

/** Sign in over plain HTTP with the attempt's own authorize parameters; returns the validated callback. */
async function codeCallback(emulator: RunningEmulator, idp: IdpConfig, user = 'admin', password = 'Admin-Passw0rd!') {
  const attempt = createLoginAttempt(idp);
  const { location } = await signIn(emulator.baseUrl, user, password, new URL(attempt.url).search.slice(1));
  return { attempt, callback: validateCallback(location, attempt) as CodeCallback };
}

test.describe('client credentials', () => {
  for (const auth of ['basic', 'body'] as const) {
    test(`demo-m2m-client with ${auth} auth gets an access token that verifies against the JWKS`, async ({ emulator }) => {
      const idp = await idpFor(emulator, { COGNITO_CLIENT_ID: M2M, COGNITO_CLIENT_SECRET: M2M_SECRET, COGNITO_CLIENT_AUTH: auth });
      const tokens = await clientCredentials(idp, ['demo-api/read'], { logger: silentLogger });
      expect(tokens.tokenType).toBe('Bearer');
      expect(tokens.idToken).toBeUndefined();
      await verifyTokenSet(idp, tokens, { requireIdToken: false });
    });
  }

  test('a wrong secret is OAUTH_INVALID_CLIENT, a configuration error (exit 2)', async ({ emulator }) => {
    const idp = await idpFor(emulator, { COGNITO_CLIENT_ID: M2M, COGNITO_CLIENT_SECRET: 'not-the-secret' });
    const err = await failure(clientCredentials(idp, undefined));
    expect(err.code).toBe('OAUTH_INVALID_CLIENT');
    expect(err.exitCode).toBe(ExitCode.Usage);
  });

  test('429 twice, honouring Retry-After, then success', async ({ emulator }) => {
    const idp = await idpFor(emulator, { COGNITO_CLIENT_ID: M2M, COGNITO_CLIENT_SECRET: M2M_SECRET });
    emulator.faults.failNextToken(2, 429, { retryAfterSeconds: 1 });
    const sleeps: number[] = [];
    // Waits are recorded instead of slept: the Retry-After values are what this test is about.
    const tokens = await clientCredentials(idp, undefined, { sleep: async (ms) => void sleeps.push(ms) });
    expect(tokens.accessToken).toBeTruthy();
    expect(sleeps).toEqual([1000, 1000]);
    expect(emulator.faults.pending('token')).toBe(0);
  });

  test('500 until the deadline ends in TOKEN_ENDPOINT_UNAVAILABLE (exit 4)', async ({ emulator }) => {
    const idp = await idpFor(emulator, { COGNITO_CLIENT_ID: M2M, COGNITO_CLIENT_SECRET: M2M_SECRET });
    emulator.faults.failNext('token', 10_000, 500);
    const err = await failure(clientCredentials(idp, undefined, { deadlineMs: 1500, maxRetries: 1000 }));
    expect(err.code).toBe('TOKEN_ENDPOINT_UNAVAILABLE');
    expect(err.exitCode).toBe(ExitCode.IdpFailure);
    expect(err.details.last).toBe('HTTP 500');
    const attempts = Number(err.details.attempts);
    expect(attempts).toBeGreaterThan(1);
    expect(emulator.faults.pending('token')).toBe(10_000 - attempts);
  });
});

test.describe('authorization code with PKCE', () => {
  test('public client: exchange, then every token verifies against the JWKS with the nonce', async ({ emulator }) => {
    const idp = await idpFor(emulator, { COGNITO_CLIENT_ID: PUBLIC });
    const { attempt, callback } = await codeCallback(emulator, idp);
    const tokens = await exchangeCode(idp, callback, attempt);
    expect(tokens.idToken).toBeTruthy();
    expect(tokens.refreshToken).toBeTruthy();
    await verifyTokenSet(idp, tokens, { nonce: attempt.nonce, requireIdToken: true });
  });

  for (const auth of ['basic', 'body'] as const) {
    test(`confidential client with ${auth} auth`, async ({ emulator }) => {
      const idp = await idpFor(emulator, { COGNITO_CLIENT_ID: CONFIDENTIAL, COGNITO_CLIENT_SECRET: CONFIDENTIAL_SECRET, COGNITO_CLIENT_AUTH: auth });
      const { attempt, callback } = await codeCallback(emulator, idp, 'reader', 'Reader-Passw0rd!');
      const tokens = await exchangeCode(idp, callback, attempt);
      await verifyTokenSet(idp, tokens, { nonce: attempt.nonce, requireIdToken: true });
    });
  }

  test('a reused code is OAUTH_INVALID_GRANT after one request, never retried', async ({ emulator }) => {
    const idp = await idpFor(emulator, { COGNITO_CLIENT_ID: PUBLIC });
    const { attempt, callback } = await codeCallback(emulator, idp);
    await exchangeCode(idp, callback, attempt);
    const err = await failure(exchangeCode(idp, callback, attempt));
    expect(err.code).toBe('OAUTH_INVALID_GRANT');
    expect(err.exitCode).toBe(ExitCode.IdpFailure);
    expect(err.details.attempts).toBe(1);
  });

  test('a 500 to the exchange ends it after one request: TOKEN_ANSWER_LOST (exit 4) with the advice to run again', async ({ emulator }) => {
    const idp = await idpFor(emulator, { COGNITO_CLIENT_ID: PUBLIC });
    const { attempt, callback } = await codeCallback(emulator, idp);
    emulator.faults.failNext('token', 2, 500);
    const err = await failure(exchangeCode(idp, callback, attempt));
    expect(err.code).toBe('TOKEN_ANSWER_LOST');
    expect(err.exitCode).toBe(ExitCode.IdpFailure);
    expect(err.hint).toContain('the code is single-use, so it cannot be retried: run again');
    // One request reached the endpoint; the second injected failure is still queued.
    expect(emulator.faults.pending('token')).toBe(1);
  });

  test('a 503 to the exchange (refused before processing) is retried and the code is redeemed', async ({ emulator }) => {
    const idp = await idpFor(emulator, { COGNITO_CLIENT_ID: PUBLIC });
    const { attempt, callback } = await codeCallback(emulator, idp);
    emulator.faults.failNext('token', 1, 503);
    const tokens = await exchangeCode(idp, callback, attempt, { sleep: async () => undefined });
    expect(tokens.accessToken).toBeTruthy();
    expect(emulator.faults.pending('token')).toBe(0);
  });

  test('a tampered access token fails the signature check against the JWKS', async ({ emulator }) => {
    const idp = await idpFor(emulator, { COGNITO_CLIENT_ID: PUBLIC });
    const { attempt, callback } = await codeCallback(emulator, idp);
    const tokens = await exchangeCode(idp, callback, attempt);
    const [h, p] = tokens.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    claims.scope = 'aws.cognito.signin.user.admin demo-api/write';
    const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${tokens.accessToken.split('.')[2]}`;
    const err = await failure(verifyTokenSet(idp, { ...tokens, accessToken: forged }, {}));
    expect(err.code).toBe('TOKEN_INVALID');
    expect(err.details.claim).toBe('signature');
  });

  test("tokens past their expiry on the emulator's clock fail verification", async ({ emulator }) => {
    const idp = await idpFor(emulator, { COGNITO_CLIENT_ID: PUBLIC });
    const { attempt, callback } = await codeCallback(emulator, idp);
    const tokens = await exchangeCode(idp, callback, attempt);
    const err = await failure(verifyTokenSet(idp, tokens, { now: () => emulator.clock.now() + (tokens.expiresIn + 120) * 1000 }));
    expect(err.details.claim).toBe('exp');
  });
});

test.describe('refresh and revocation', () => {
  test('refresh returns verifiable tokens and keeps the refresh token; after revocation it is refused', async ({ emulator }) => {
    const idp = await idpFor(emulator, { COGNITO_CLIENT_ID: PUBLIC });
    const { attempt, callback } = await codeCallback(emulator, idp);
    const first = await exchangeCode(idp, callback, attempt);
    const refreshed = await refreshTokens(idp, first.refreshToken!);
    expect(refreshed.refreshToken).toBe(first.refreshToken);
    await verifyTokenSet(idp, refreshed, {});
    await revokeToken(idp, first.refreshToken!);
    const err = await failure(refreshTokens(idp, first.refreshToken!));
    expect(err.code).toBe('OAUTH_INVALID_GRANT');
    expect(err.hint).toMatch(/Sign in again/);
  });
});

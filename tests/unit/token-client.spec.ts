// Unit tests of the token endpoint client against undici MockAgent: client authentication bodies,
// retries (429 + Retry-After, 5xx until the deadline, connection errors, timeouts), a code exchange
// resent only when it certainly was not processed, and every OAuth error as a typed CnError with a hint.
import { test, expect } from '@playwright/test';
import type { MockAgent } from 'undici';
import { CnError, ExitCode } from '../../src/errors.js';
import { REDACTED, redact } from '../../src/log.js';
import { createLoginAttempt, type LoginAttempt } from '../../src/oauth/authorize.js';
import { validateCallback, type CodeCallback } from '../../src/oauth/callback.js';
import { clientCredentials, exchangeCode, refreshTokens, revokeToken, type TokenClientOptions } from '../../src/oauth/token-client.js';
import type { IdpConfig } from '../../src/config/types.js';
import { ORIGIN, ISSUER, JSON_HEADERS, formIs, idClaims, idp, jwt, mockAgent, rsaKeys, virtualTime, type Keys } from './_oauth-fixtures.js';

let agent: MockAgent;
let keys: Keys;

test.beforeAll(async () => {
  keys = await rsaKeys('id-key');
});
test.beforeEach(() => {
  agent = mockAgent();
});
test.afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

const pool = () => agent.get(ORIGIN);

function signIn(config: IdpConfig): { attempt: LoginAttempt; callback: CodeCallback } {
  const attempt = createLoginAttempt(config);
  const callback = validateCallback(`${config.redirectUri}?code=the-code-123&state=${attempt.state}`, attempt) as CodeCallback;
  return { attempt, callback };
}

function opts(time = virtualTime(), extra: TokenClientOptions = {}): TokenClientOptions {
  return { dispatcher: agent, now: time.now, sleep: time.sleep, random: () => 0.5, ...extra };
}

async function tokenBody(attempt: LoginAttempt, claims = {}) {
  return {
    access_token: 'eyJ.access.token-aaa',
    id_token: await jwt(keys, idClaims({ nonce: attempt.nonce, ...claims })),
    refresh_token: 'eyJj.refresh.token-rrr',
    token_type: 'Bearer',
    expires_in: 3600,
  };
}

async function rejection(p: Promise<unknown>): Promise<CnError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CnError);
  return err as CnError;
}

test.describe('client authentication', () => {
  test('Basic: RFC 6749 2.3.1 form-urlencoded id:secret in the header, no secret in the body', async () => {
    const config = idp({ clientId: 'client1', clientSecret: 'a b+c:d', clientAuth: 'basic' });
    const { attempt, callback } = signIn(config);
    const expectedAuth = `Basic ${Buffer.from('client1:a+b%2Bc%3Ad').toString('base64')}`;
    pool()
      .intercept({
        path: '/oauth2/token',
        method: 'POST',
        headers: (h) => h.authorization === expectedAuth && h['content-type']?.startsWith('application/x-www-form-urlencoded') === true,
        body: formIs({ grant_type: 'authorization_code', code: 'the-code-123', redirect_uri: config.redirectUri, code_verifier: attempt.codeVerifier! }),
      })
      .reply(200, await tokenBody(attempt), { headers: JSON_HEADERS });
    const tokens = await exchangeCode(config, callback, attempt, opts());
    expect(tokens.accessToken).toBe('eyJ.access.token-aaa');
    expect(tokens.refreshToken).toBe('eyJj.refresh.token-rrr');
    expect(tokens.tokenType).toBe('Bearer');
  });

  test('body: client_id and client_secret in the form, no Authorization header', async () => {
    const config = idp({ clientSecret: 's3cret-value', clientAuth: 'body' });
    const { attempt, callback } = signIn(config);
    pool()
      .intercept({
        path: '/oauth2/token',
        method: 'POST',
        headers: (h) => h.authorization === undefined,
        body: formIs({
          grant_type: 'authorization_code',
          code: 'the-code-123',
          redirect_uri: config.redirectUri,
          code_verifier: attempt.codeVerifier!,
          client_id: 'client1',
          client_secret: 's3cret-value',
        }),
      })
      .reply(200, await tokenBody(attempt), { headers: JSON_HEADERS });
    await exchangeCode(config, callback, attempt, opts());
  });

  test('public client: client_id only, no secret anywhere', async () => {
    const config = idp({ clientAuth: 'basic' }); // no secret: the auth setting cannot apply
    const { attempt, callback } = signIn(config);
    pool()
      .intercept({
        path: '/oauth2/token',
        method: 'POST',
        headers: (h) => h.authorization === undefined,
        body: formIs({ grant_type: 'authorization_code', code: 'the-code-123', redirect_uri: config.redirectUri, code_verifier: attempt.codeVerifier!, client_id: 'client1' }),
      })
      .reply(200, await tokenBody(attempt), { headers: JSON_HEADERS });
    await exchangeCode(config, callback, attempt, opts());
  });
});

test.describe('exchangeCode', () => {
  test('computes the expiry from the send time and registers every token for redaction', async () => {
    const config = idp();
    const { attempt, callback } = signIn(config);
    const body = await tokenBody(attempt);
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(200, body, { headers: JSON_HEADERS });
    const time = virtualTime(1_700_000_000_000);
    const tokens = await exchangeCode(config, callback, attempt, opts(time, { now: () => Date.now() }));
    expect(tokens.expiresIn).toBe(3600);
    expect(tokens.accessTokenExpiresAt).toBeLessThanOrEqual(Date.now() + 3600_000);
    expect(tokens.accessTokenExpiresAt).toBeGreaterThan(Date.now() + 3590_000);
    for (const s of [body.access_token, body.id_token, body.refresh_token, 'the-code-123', attempt.codeVerifier!]) expect(redact(`x ${s} y`)).toBe(`x ${REDACTED} y`);
  });

  test('an ID token whose nonce differs from the sign-in is TOKEN_INVALID (exit 4)', async () => {
    const config = idp({ issuer: ISSUER });
    const { attempt, callback } = signIn(config);
    pool()
      .intercept({ path: '/oauth2/token', method: 'POST' })
      .reply(200, await tokenBody(attempt, { nonce: 'someone-elses-nonce' }), { headers: JSON_HEADERS });
    const err = await rejection(exchangeCode(config, callback, attempt, opts()));
    expect(err.code).toBe('TOKEN_INVALID');
    expect(err.exitCode).toBe(ExitCode.IdpFailure);
    expect(err.details.claim).toBe('nonce');
  });

  test('an ID token from another issuer than the configured one is TOKEN_INVALID with expected vs actual', async () => {
    const config = idp({ issuer: ISSUER });
    const { attempt, callback } = signIn(config);
    pool()
      .intercept({ path: '/oauth2/token', method: 'POST' })
      .reply(200, await tokenBody(attempt, { iss: 'https://evil.example' }), { headers: JSON_HEADERS });
    const err = await rejection(exchangeCode(config, callback, attempt, opts()));
    expect(err.code).toBe('TOKEN_INVALID');
    expect(err.details).toMatchObject({ claim: 'iss', expected: ISSUER, actual: 'https://evil.example' });
  });

  test('a 4xx answer to a code exchange is never retried (codes are single use)', async () => {
    const config = idp();
    const { attempt, callback } = signIn(config);
    const time = virtualTime();
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(400, { error: 'invalid_grant' }, { headers: JSON_HEADERS });
    const err = await rejection(exchangeCode(config, callback, attempt, opts(time)));
    expect(err.code).toBe('OAUTH_INVALID_GRANT');
    expect(err.details.attempts).toBe(1);
    expect(time.sleeps).toEqual([]);
  });

  test('rejects a callback object that validateCallback did not issue', async () => {
    const config = idp();
    const attempt = createLoginAttempt(config);
    const forged = { kind: 'code', code: 'x', state: attempt.state } as unknown as CodeCallback;
    await expect(exchangeCode(config, forged, attempt, opts())).rejects.toThrow(/validateCallback/);
  });
});

test.describe('retries', () => {
  test('429 twice honouring Retry-After (seconds), then success', async () => {
    const config = idp({ clientSecret: 'sec', clientAuth: 'basic' });
    const time = virtualTime();
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(429, { error: 'slow_down' }, { headers: { ...JSON_HEADERS, 'retry-after': '2' } }).times(2);
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(200, { access_token: 'm2m-token-1', token_type: 'Bearer', expires_in: 3600 }, { headers: JSON_HEADERS });
    const tokens = await clientCredentials(config, undefined, opts(time));
    expect(tokens.accessToken).toBe('m2m-token-1');
    expect(time.sleeps).toEqual([2000, 2000]);
  });

  test('Retry-After as an HTTP date waits until that date', async () => {
    const config = idp({ clientSecret: 'sec', clientAuth: 'basic' });
    const time = virtualTime(Date.parse('2030-01-01T00:00:00Z'));
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(503, 'busy', { headers: { 'retry-after': 'Tue, 01 Jan 2030 00:00:03 GMT' } });
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(200, { access_token: 'm2m-token-2', token_type: 'Bearer', expires_in: 3600 }, { headers: JSON_HEADERS });
    await clientCredentials(config, undefined, opts(time));
    expect(time.sleeps).toEqual([3000]);
  });

  test('a Retry-After beyond the deadline fails at once instead of waiting', async () => {
    const config = idp({ clientSecret: 'sec', clientAuth: 'basic' });
    const time = virtualTime();
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(429, '', { headers: { 'retry-after': '120' } });
    const err = await rejection(clientCredentials(config, undefined, opts(time, { deadlineMs: 5000 })));
    expect(err.code).toBe('TOKEN_ENDPOINT_UNAVAILABLE');
    expect(time.sleeps).toEqual([]);
  });

  test('500 until the deadline: exit 4 TOKEN_ENDPOINT_UNAVAILABLE, every wait inside the deadline', async () => {
    const config = idp({ clientSecret: 'sec', clientAuth: 'basic' });
    const time = virtualTime();
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(500, 'Internal Server Error').persist();
    const err = await rejection(clientCredentials(config, undefined, opts(time, { deadlineMs: 3000, maxRetries: 1000, random: () => 0.999 })));
    expect(err.code).toBe('TOKEN_ENDPOINT_UNAVAILABLE');
    expect(err.exitCode).toBe(ExitCode.IdpFailure);
    expect(err.details.last).toBe('HTTP 500');
    expect(Number(err.details.attempts)).toBeGreaterThan(2);
    expect(time.elapsed).toBeLessThan(3000);
    // capped exponential backoff with full jitter: ceilings 200, 400, 800, 1600, ...
    expect(time.sleeps[0]).toBeLessThan(200);
    expect(time.sleeps[1]).toBeLessThan(400);
    expect(time.sleeps[1]!).toBeGreaterThan(time.sleeps[0]!);
  });

  test('backoff stops after maxRetries', async () => {
    const config = idp({ clientSecret: 'sec', clientAuth: 'basic' });
    const time = virtualTime();
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(502, 'Bad Gateway').times(3);
    const err = await rejection(clientCredentials(config, undefined, opts(time, { maxRetries: 2 })));
    expect(err.code).toBe('TOKEN_ENDPOINT_UNAVAILABLE');
    expect(err.details.attempts).toBe(3);
  });

  test('a connection error is retried', async () => {
    const config = idp();
    const time = virtualTime();
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    pool()
      .intercept({ path: '/oauth2/token', method: 'POST', body: formIs({ grant_type: 'refresh_token', refresh_token: 'old-refresh-tok', client_id: 'client1' }) })
      .reply(200, { access_token: 'new-access-tok', token_type: 'Bearer', expires_in: 3600 }, { headers: JSON_HEADERS });
    const tokens = await refreshTokens(config, 'old-refresh-tok', opts(time));
    expect(tokens.accessToken).toBe('new-access-tok');
    expect(time.sleeps).toHaveLength(1);
  });

  test('a request that exceeds its timeout is abandoned and the call ends at the deadline', async () => {
    const config = idp({ clientSecret: 'sec', clientAuth: 'basic' });
    // Longer than the test's own timeout: if the per-request timeout did not work, the test would fail.
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(200, { access_token: 'late', token_type: 'Bearer' }).delay(120_000).persist();
    const err = await rejection(clientCredentials(config, undefined, { dispatcher: agent, deadlineMs: 400, requestTimeoutMs: 100 }));
    expect(err.code).toBe('TOKEN_ENDPOINT_UNAVAILABLE');
    expect(String(err.details.last)).toMatch(/timed out|deadline/);
  });
});

test.describe('the code exchange is never resent once it may have arrived (codes are single use)', () => {
  const lost = (err: CnError) => {
    expect(err.code).toBe('TOKEN_ANSWER_LOST');
    expect(err.exitCode).toBe(ExitCode.IdpFailure);
    expect(err.details.attempts).toBe(1);
    expect(err.message).toMatch(/answer to the code exchange was lost|answered HTTP/);
    expect(`${err.message} ${err.hint}`).toMatch(/the code is single-use, so it cannot be retried: run again/);
  };

  test('a 500 answer is not retried: reported as what happened, exit 4, not a later invalid_grant', async () => {
    const config = idp();
    const { attempt, callback } = signIn(config);
    const time = virtualTime();
    // A retry would meet this invalid_grant (the code spent by the first request): it must not be sent.
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(500, 'Internal Server Error');
    const err = await rejection(exchangeCode(config, callback, attempt, opts(time)));
    lost(err);
    expect(err.message).toContain('HTTP 500');
    expect(time.sleeps).toEqual([]);
  });

  for (const status of [502, 504]) {
    test(`a ${status} from a gateway is not retried (the pool may have redeemed the code behind it)`, async () => {
      const config = idp();
      const { attempt, callback } = signIn(config);
      pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(status, 'gateway');
      lost(await rejection(exchangeCode(config, callback, attempt, opts())));
    });
  }

  test('a timeout after sending is not retried', async () => {
    const config = idp();
    const { attempt, callback } = signIn(config);
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(200, { access_token: 'late', token_type: 'Bearer' }).delay(120_000);
    const err = await rejection(exchangeCode(config, callback, attempt, { dispatcher: agent, deadlineMs: 5000, requestTimeoutMs: 100 }));
    lost(err);
    expect(err.message).toMatch(/answer to the code exchange was lost \(request timed out/);
  });

  test('a connection reset after sending is not retried', async () => {
    const config = idp();
    const { attempt, callback } = signIn(config);
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).replyWithError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    const err = await rejection(exchangeCode(config, callback, attempt, opts()));
    lost(err);
    expect(err.message).toContain('ECONNRESET');
  });

  test('connection refused is retried: the request never left', async () => {
    const config = idp();
    const { attempt, callback } = signIn(config);
    const time = virtualTime();
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(200, await tokenBody(attempt), { headers: JSON_HEADERS });
    const tokens = await exchangeCode(config, callback, attempt, opts(time));
    expect(tokens.accessToken).toBe('eyJ.access.token-aaa');
    expect(time.sleeps).toHaveLength(1);
  });

  for (const status of [429, 503]) {
    test(`a ${status} (refused before processing) is retried`, async () => {
      const config = idp();
      const { attempt, callback } = signIn(config);
      const time = virtualTime();
      pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(status, '', { headers: { 'retry-after': '1' } });
      pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(200, await tokenBody(attempt), { headers: JSON_HEADERS });
      await exchangeCode(config, callback, attempt, opts(time));
      expect(time.sleeps).toEqual([1000]);
    });
  }

  test('the refresh grant (not single use) still retries a 500', async () => {
    const config = idp();
    const time = virtualTime();
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(500, 'Internal Server Error');
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(200, { access_token: 'after-500', token_type: 'Bearer', expires_in: 3600 }, { headers: JSON_HEADERS });
    const tokens = await refreshTokens(config, 'refresh-token-xyz', opts(time));
    expect(tokens.accessToken).toBe('after-500');
    expect(time.sleeps).toHaveLength(1);
  });
});

test.describe('refresh, client credentials, revocation', () => {
  test('refresh keeps the old refresh token when none is returned', async () => {
    const config = idp();
    pool()
      .intercept({ path: '/oauth2/token', method: 'POST', body: formIs({ grant_type: 'refresh_token', refresh_token: 'keep-me-please', client_id: 'client1' }) })
      .reply(200, { access_token: 'a2-token', token_type: 'Bearer', expires_in: 3600 }, { headers: JSON_HEADERS });
    const tokens = await refreshTokens(config, 'keep-me-please', opts());
    expect(tokens.refreshToken).toBe('keep-me-please');
  });

  test('refresh takes the rotated refresh token when one is returned', async () => {
    const config = idp();
    pool()
      .intercept({ path: '/oauth2/token', method: 'POST' })
      .reply(200, { access_token: 'a3-token', refresh_token: 'rotated-token', token_type: 'Bearer', expires_in: 3600 }, { headers: JSON_HEADERS });
    expect((await refreshTokens(config, 'old-one-here', opts())).refreshToken).toBe('rotated-token');
  });

  test('client credentials sends the scopes and the secret (body auth)', async () => {
    const config = idp({ clientId: 'm2m', clientSecret: 'm2m-secret', clientAuth: 'body' });
    pool()
      .intercept({
        path: '/oauth2/token',
        method: 'POST',
        body: formIs({ grant_type: 'client_credentials', scope: 'demo-api/read demo-api/write', client_id: 'm2m', client_secret: 'm2m-secret' }),
      })
      .reply(200, { access_token: 'm2m-token-3', token_type: 'Bearer', expires_in: 3600 }, { headers: JSON_HEADERS });
    const t = await clientCredentials(config, ['demo-api/read', 'demo-api/write'], opts());
    expect(t.idToken).toBeUndefined();
  });

  test('client credentials without a secret is a configuration error before any request', async () => {
    const err = await rejection(clientCredentials(idp(), undefined, opts()));
    expect(err.code).toBe('CLIENT_SECRET_REQUIRED');
    expect(err.exitCode).toBe(ExitCode.Usage);
  });

  test('revocation posts the token; 200 with an empty body is success', async () => {
    const config = idp({ clientSecret: 'sec', clientAuth: 'basic' });
    pool()
      .intercept({ path: '/oauth2/revoke', method: 'POST', body: formIs({ token: 'refresh-to-revoke' }), headers: (h) => h.authorization?.startsWith('Basic ') === true })
      .reply(200, '');
    await revokeToken(config, 'refresh-to-revoke', opts());
  });

  test('revocation answering 401 invalid_client becomes OAUTH_INVALID_CLIENT', async () => {
    const config = idp({ clientSecret: 'sec', clientAuth: 'basic' });
    pool().intercept({ path: '/oauth2/revoke', method: 'POST' }).reply(401, { error: 'invalid_client' }, { headers: JSON_HEADERS });
    const err = await rejection(revokeToken(config, 'refresh-to-revoke', opts()));
    expect(err.code).toBe('OAUTH_INVALID_CLIENT');
    expect(err.details.status).toBe(401);
  });
});

test.describe('OAuth errors become typed errors with a hint', () => {
  const cases: { name: string; error: string; description?: string; grant: 'code' | 'refresh'; exit: ExitCode; hint: RegExp; config?: Partial<IdpConfig> }[] = [
    { name: 'invalid_grant on a code', error: 'invalid_grant', grant: 'code', exit: ExitCode.IdpFailure, hint: /single use|sign in afresh/ },
    { name: 'invalid_grant on a refresh', error: 'invalid_grant', grant: 'refresh', exit: ExitCode.IdpFailure, hint: /Sign in again/ },
    { name: 'invalid_client with Basic suggests body', error: 'invalid_client', grant: 'code', exit: ExitCode.Usage, hint: /COGNITO_CLIENT_AUTH=body/, config: { clientSecret: 'sec', clientAuth: 'basic' } },
    { name: 'invalid_client with body suggests basic', error: 'invalid_client', grant: 'code', exit: ExitCode.Usage, hint: /COGNITO_CLIENT_AUTH=basic/, config: { clientSecret: 'sec', clientAuth: 'body' } },
    { name: 'invalid_client without a secret asks for one', error: 'invalid_client', grant: 'code', exit: ExitCode.Usage, hint: /set COGNITO_CLIENT_SECRET/ },
    { name: 'unauthorized_client', error: 'unauthorized_client', grant: 'code', exit: ExitCode.Usage, hint: /enable the Authorization code grant on app client client1/ },
    { name: 'unauthorized_client / invalid_redirect', error: 'unauthorized_client', description: 'invalid_redirect', grant: 'code', exit: ExitCode.Usage, hint: /register exactly https:\/\/oauth\.pstmn\.io\/v1\/callback/ },
    { name: 'invalid_redirect', error: 'invalid_redirect', grant: 'code', exit: ExitCode.Usage, hint: /register exactly/ },
    { name: 'invalid_scope', error: 'invalid_scope', grant: 'refresh', exit: ExitCode.Usage, hint: /COGNITO_SCOPES/ },
    { name: 'unsupported_grant_type', error: 'unsupported_grant_type', grant: 'refresh', exit: ExitCode.Usage, hint: /COGNITO_TOKEN_URL/ },
    { name: 'invalid_request', error: 'invalid_request', grant: 'refresh', exit: ExitCode.IdpFailure, hint: /--debug/ },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const config = idp(c.config);
      pool()
        .intercept({ path: '/oauth2/token', method: 'POST' })
        .reply(400, c.description ? { error: c.error, error_description: c.description } : { error: c.error }, { headers: JSON_HEADERS });
      let p: Promise<unknown>;
      if (c.grant === 'code') {
        const { attempt, callback } = signIn(config);
        p = exchangeCode(config, callback, attempt, opts());
      } else {
        p = refreshTokens(config, 'some-refresh-token', opts());
      }
      const err = await rejection(p);
      expect(err.code).toBe(`OAUTH_${c.error.toUpperCase()}`);
      expect(err.exitCode).toBe(c.exit);
      expect(err.hint).toMatch(c.hint);
      expect(err.details).toMatchObject({ error: c.error, status: 400 });
    });
  }

  test('a non-JSON 200 body is TOKEN_ENDPOINT_BAD_RESPONSE (exit 4)', async () => {
    const config = idp();
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(200, '<html>captive portal</html>', { headers: { 'content-type': 'text/html' } });
    const err = await rejection(refreshTokens(config, 'some-refresh-token', opts()));
    expect(err.code).toBe('TOKEN_ENDPOINT_BAD_RESPONSE');
    expect(err.exitCode).toBe(ExitCode.IdpFailure);
  });

  test('a 404 HTML page points at the token URL', async () => {
    const config = idp();
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(404, '<html>Not Found</html>', { headers: { 'content-type': 'text/html' } });
    const err = await rejection(refreshTokens(config, 'some-refresh-token', opts()));
    expect(err.code).toBe('TOKEN_ENDPOINT_BAD_RESPONSE');
    expect(err.details.status).toBe(404);
    expect(err.hint).toMatch(/COGNITO_TOKEN_URL/);
  });

  test('a JSON success without access_token is TOKEN_ENDPOINT_BAD_RESPONSE', async () => {
    pool().intercept({ path: '/oauth2/token', method: 'POST' }).reply(200, { token_type: 'Bearer' }, { headers: JSON_HEADERS });
    const err = await rejection(refreshTokens(idp(), 'some-refresh-token', opts()));
    expect(err.code).toBe('TOKEN_ENDPOINT_BAD_RESPONSE');
  });

  test('plain http to a non-loopback token endpoint is refused without the opt-in', async () => {
    const config = idp({ endpoints: { ...idp().endpoints, token: 'http://idp.example.com/oauth2/token' } });
    const err = await rejection(refreshTokens(config, 'some-refresh-token', opts()));
    expect(err.code).toBe('INSECURE_ENDPOINT');
    expect(err.exitCode).toBe(ExitCode.Usage);
  });
});

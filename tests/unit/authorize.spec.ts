// Unit tests of the login attempt: PKCE S256 (RFC 7636 Appendix B), the authorize URL for both
// starting points, and callback validation (target, state, ?error=, implicit fragment).
import { test, expect } from '@playwright/test';
import { CnError, ExitCode } from '../../src/errors.js';
import { REDACTED, redact } from '../../src/log.js';
import { createLoginAttempt } from '../../src/oauth/authorize.js';
import { validateCallback } from '../../src/oauth/callback.js';
import { pkceChallenge } from '../../src/oauth/pkce.js';
import { ORIGIN, idp } from './_oauth-fixtures.js';

function thrown(fn: () => unknown): CnError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CnError);
    return e as CnError;
  }
  throw new Error('expected a CnError');
}

test.describe('PKCE', () => {
  test('S256 challenge matches RFC 7636 Appendix B', () => {
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  test('each attempt gets a fresh 43-character verifier whose challenge is in the URL', () => {
    const a = createLoginAttempt(idp());
    const b = createLoginAttempt(idp());
    expect(a.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
    const q = new URL(a.url).searchParams;
    expect(q.get('code_challenge')).toBe(pkceChallenge(a.codeVerifier!));
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(redact(a.codeVerifier!)).toBe(REDACTED);
  });
});

test.describe('authorize URL', () => {
  test('starts at /oauth2/authorize with every Cognito parameter', () => {
    const a = createLoginAttempt(idp({ scopes: ['openid', 'email', 'demo-api/read'] }), { loginHint: 'alice' });
    const u = new URL(a.url);
    expect(`${u.origin}${u.pathname}`).toBe(`${ORIGIN}/oauth2/authorize`);
    expect(Object.fromEntries(u.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client1',
      redirect_uri: 'https://oauth.pstmn.io/v1/callback',
      scope: 'openid email demo-api/read',
      state: a.state,
      nonce: a.nonce,
      code_challenge: pkceChallenge(a.codeVerifier!),
      code_challenge_method: 'S256',
      login_hint: 'alice',
    });
    expect(a.redirectUri).toBe('https://oauth.pstmn.io/v1/callback');
  });

  test("starts at /login when the auth URL is Postman's .../login form", () => {
    const a = createLoginAttempt(idp({ authStart: 'login' }));
    const u = new URL(a.url);
    expect(`${u.origin}${u.pathname}`).toBe(`${ORIGIN}/login`);
    expect(u.searchParams.get('client_id')).toBe('client1');
    expect(u.searchParams.get('state')).toBe(a.state);
  });

  test('state and nonce are unguessable and differ per attempt', () => {
    const a = createLoginAttempt(idp());
    const b = createLoginAttempt(idp());
    expect(a.state.length).toBeGreaterThanOrEqual(32);
    expect(a.nonce.length).toBeGreaterThanOrEqual(32);
    expect(a.state).not.toBe(b.state);
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.state).not.toBe(a.nonce);
  });

  test('the implicit grant asks for response_type=token and has no PKCE', () => {
    const a = createLoginAttempt(idp({ responseType: 'token' }));
    const q = new URL(a.url).searchParams;
    expect(q.get('response_type')).toBe('token');
    expect(q.has('code_challenge')).toBe(false);
    expect(a.codeVerifier).toBeUndefined();
  });
});

test.describe('validateCallback', () => {
  test('a code callback with the right state yields the code and registers it as a secret', () => {
    const a = createLoginAttempt(idp());
    const cb = validateCallback(`https://oauth.pstmn.io/v1/callback?code=981cd9fb-618c-4282-9255-3a1bdd7f5f75&state=${a.state}`, a);
    expect(cb.kind).toBe('code');
    if (cb.kind === 'code') expect(cb.code).toBe('981cd9fb-618c-4282-9255-3a1bdd7f5f75');
    expect(redact('981cd9fb-618c-4282-9255-3a1bdd7f5f75')).toBe(REDACTED);
  });

  test('a tampered state is CALLBACK_STATE_MISMATCH (exit 4)', () => {
    const a = createLoginAttempt(idp());
    const e = thrown(() => validateCallback(`https://oauth.pstmn.io/v1/callback?code=abcd1234&state=${a.state}x`, a));
    expect(e.code).toBe('CALLBACK_STATE_MISMATCH');
    expect(e.exitCode).toBe(ExitCode.IdpFailure);
  });

  test('a missing state is CALLBACK_STATE_MISMATCH', () => {
    const a = createLoginAttempt(idp());
    expect(thrown(() => validateCallback('https://oauth.pstmn.io/v1/callback?code=abcd1234', a)).code).toBe('CALLBACK_STATE_MISMATCH');
  });

  test('a repeated code parameter is refused', () => {
    const a = createLoginAttempt(idp());
    expect(thrown(() => validateCallback(`https://oauth.pstmn.io/v1/callback?code=a1b2c3&code=d4e5f6&state=${a.state}`, a)).code).toBe('CALLBACK_MALFORMED');
  });

  test('a redirect to another target is CALLBACK_WRONG_TARGET and shows no query values', () => {
    const a = createLoginAttempt(idp());
    const e = thrown(() => validateCallback(`https://oauth.pstmn.io/v1/browser-callback?code=zzzz9999&state=${a.state}`, a));
    expect(e.code).toBe('CALLBACK_WRONG_TARGET');
    expect(e.message).not.toContain('zzzz9999');
    expect(e.details).toMatchObject({ expected: 'https://oauth.pstmn.io/v1/callback', actual: 'https://oauth.pstmn.io/v1/browser-callback' });
  });

  test('a custom-scheme redirect URI is matched too', () => {
    const a = createLoginAttempt(idp({ redirectUri: 'myapp://callback' }));
    expect(validateCallback(`myapp://callback?code=c0de1234&state=${a.state}`, a).kind).toBe('code');
  });

  test('?error=access_denied is a login rejection (exit 3) with a hint', () => {
    const a = createLoginAttempt(idp());
    const e = thrown(() => validateCallback(`https://oauth.pstmn.io/v1/callback?error_description=denied&error=access_denied&state=${a.state}`, a));
    expect(e.code).toBe('OAUTH_ACCESS_DENIED');
    expect(e.exitCode).toBe(ExitCode.LoginRejected);
    expect(e.hint).toBeTruthy();
    expect(e.details).toMatchObject({ error: 'access_denied', error_description: 'denied', step: 'authorize' });
  });

  test('?error=unauthorized_client is a configuration error naming the app client', () => {
    const a = createLoginAttempt(idp());
    const e = thrown(() => validateCallback(`https://oauth.pstmn.io/v1/callback?error=unauthorized_client&state=${a.state}`, a));
    expect(e.code).toBe('OAUTH_UNAUTHORIZED_CLIENT');
    expect(e.exitCode).toBe(ExitCode.Usage);
    expect(e.hint).toContain('app client client1');
  });

  test('?error=invalid_scope names the scopes', () => {
    const a = createLoginAttempt(idp());
    const e = thrown(() => validateCallback(`https://oauth.pstmn.io/v1/callback?error=invalid_scope&state=${a.state}`, a));
    expect(e.code).toBe('OAUTH_INVALID_SCOPE');
    expect(e.message).toContain('openid email profile');
  });

  test('an error with a foreign state is treated as tampering, not as the error', () => {
    const a = createLoginAttempt(idp());
    expect(thrown(() => validateCallback('https://oauth.pstmn.io/v1/callback?error=access_denied&state=forged', a)).code).toBe('CALLBACK_STATE_MISMATCH');
  });

  test('a callback without code or error is CALLBACK_MISSING_CODE', () => {
    const a = createLoginAttempt(idp());
    expect(thrown(() => validateCallback(`https://oauth.pstmn.io/v1/callback?state=${a.state}`, a)).code).toBe('CALLBACK_MISSING_CODE');
  });

  test('implicit grant: tokens come from the fragment, with expiry from the injected clock', () => {
    const a = createLoginAttempt(idp({ responseType: 'token' }));
    const url = `https://oauth.pstmn.io/v1/callback#access_token=acc.tok.en1&id_token=id.tok.en1&token_type=bearer&expires_in=3600&state=${a.state}`;
    const cb = validateCallback(url, a, { now: () => 1_000_000 });
    expect(cb.kind).toBe('token');
    if (cb.kind !== 'token') return;
    expect(cb.tokens).toEqual({ accessToken: 'acc.tok.en1', idToken: 'id.tok.en1', tokenType: 'bearer', expiresIn: 3600, accessTokenExpiresAt: 1_000_000 + 3_600_000 });
    expect(redact('acc.tok.en1 id.tok.en1')).toBe(`${REDACTED} ${REDACTED}`);
  });

  test('implicit grant: a tampered state in the fragment is refused', () => {
    const a = createLoginAttempt(idp({ responseType: 'token' }));
    const e = thrown(() => validateCallback('https://oauth.pstmn.io/v1/callback#access_token=acc.tok.en2&token_type=bearer&state=nope', a));
    expect(e.code).toBe('CALLBACK_STATE_MISMATCH');
  });

  test('implicit grant: no access token is CALLBACK_MISSING_TOKEN', () => {
    const a = createLoginAttempt(idp({ responseType: 'token' }));
    expect(thrown(() => validateCallback(`https://oauth.pstmn.io/v1/callback#state=${a.state}`, a)).code).toBe('CALLBACK_MISSING_TOKEN');
  });
});

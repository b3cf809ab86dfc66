// The doctor's verdicts without a network: page recognition, every answer /oauth2/authorize can
// give, JWKS shapes, transport-error classes, and the report (symbols, tally, exit code, redaction).
import { test, expect } from '@playwright/test';
import type { IdpConfig } from '../../src/config/types.js';
import { ExitCode, localFailure, usageError } from '../../src/errors.js';
import { clearSecrets, registerSecret } from '../../src/log.js';
import { fail, pass, skip } from '../../src/doctor/check.js';
import {
  authorizeProbeUrl,
  checkAuthorize,
  checkBrowser,
  checkConfiguration,
  checkDomain,
  checkJwks,
  checkLoginPage,
  recogniseLoginHtml,
} from '../../src/doctor/checks.js';
import { classifyTransportError, type ProbeOutcome } from '../../src/doctor/probe.js';
import { exitCodeFor, formatResult, formatSummary, tally } from '../../src/doctor/report.js';

const DOMAIN = 'https://example.auth.eu-west-1.amazoncognito.com';
const REDIRECT = 'https://oauth.pstmn.io/v1/callback';

function idp(extra: Partial<IdpConfig> = {}): IdpConfig {
  return {
    domain: DOMAIN,
    endpoints: {
      authorize: `${DOMAIN}/oauth2/authorize`,
      login: `${DOMAIN}/login`,
      token: `${DOMAIN}/oauth2/token`,
      revoke: `${DOMAIN}/oauth2/revoke`,
      userInfo: `${DOMAIN}/oauth2/userInfo`,
      logout: `${DOMAIN}/logout`,
    },
    authStart: 'authorize',
    clientId: 'abc123client',
    clientAuth: 'body',
    redirectUri: REDIRECT,
    scopes: ['openid', 'email'],
    responseType: 'code',
    loginUi: 'auto',
    allowInsecureHttp: false,
    userPoolId: 'eu-west-1_AbC123',
    ...extra,
  };
}

const AUTHZ = `${DOMAIN}/oauth2/authorize?client_id=abc123client`;

function answer(status: number, extra: { location?: string; body?: string; url?: string } = {}): ProbeOutcome {
  return { kind: 'response', url: extra.url ?? AUTHZ, status, location: extra.location, contentType: 'text/html', body: extra.body ?? '', ms: 5 };
}

test.afterEach(() => clearSecrets());

test.describe('login page recognition from HTML', () => {
  test('the classic form is recognised by cognitoSignInForm or signInFormUsername', () => {
    expect(recogniseLoginHtml('<form name="cognitoSignInForm" method="post">')).toBe('classic');
    expect(recogniseLoginHtml('<input id="signInFormUsername" name="username">')).toBe('classic');
  });
  test('Managed Login is recognised by plain username/password inputs', () => {
    expect(recogniseLoginHtml('<input id="username" name="username" type="text">')).toBe('managed');
    expect(recogniseLoginHtml("<input type='password' name='pw'>")).toBe('managed');
  });
  test('"Login pages unavailable" and the error page are told apart from sign-in forms', () => {
    expect(recogniseLoginHtml('<h1>Login pages unavailable</h1>')).toBe('unavailable');
    expect(recogniseLoginHtml('<p>An error was encountered with the requested page.</p>')).toBe('error-page');
  });
  test('a page with no form markup is unknown', () => {
    expect(recogniseLoginHtml('<div id="root"></div><script src="/app.js"></script>')).toBe('unknown');
  });
});

test.describe('authorize verdicts', () => {
  test('the probe URL carries the configured client, redirect URI, scopes and an S256 challenge', () => {
    const q = new URL(authorizeProbeUrl(idp())).searchParams;
    expect([q.get('response_type'), q.get('client_id'), q.get('redirect_uri'), q.get('scope'), q.get('code_challenge_method')]).toEqual([
      'code',
      'abc123client',
      REDIRECT,
      'openid email',
      'S256',
    ]);
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test('a relative Location to /login passes and yields the absolute login URL', () => {
    const v = checkAuthorize(answer(302, { location: '/login?client_id=abc123client' }), idp(), 1000);
    expect(v.result.status).toBe('pass');
    expect(v.loginUrl).toBe(`${DOMAIN}/login?client_id=abc123client`);
  });

  test('/error without a query (the older variant) is still the redirect-mismatch verdict', () => {
    const v = checkAuthorize(answer(302, { location: '/error' }), idp(), 1000);
    expect(v.result).toMatchObject({ status: 'fail', exitCode: ExitCode.Usage });
    expect(v.result.fix).toContain(`Register this exact callback URL ${REDIRECT} on app client abc123client, or the client id is wrong`);
  });

  test('/error with another error code points at the app client settings, not the callback URL', () => {
    const v = checkAuthorize(answer(302, { location: '/error?error=invalid_request' }), idp(), 1000);
    expect(v.result.detail).toContain('error=invalid_request');
    expect(v.result.fix).not.toContain('callback URL');
  });

  test('error=unauthorized_client redirected to the app asks to enable the code grant', () => {
    const v = checkAuthorize(answer(302, { location: `${REDIRECT}?error=unauthorized_client&state=x` }), idp(), 1000);
    expect(v.result).toMatchObject({ status: 'fail', exitCode: ExitCode.Usage });
    expect(v.result.fix).toContain('"Authorization code grant"');
  });

  test('a redirect somewhere other than /login fails as unexpected (exit 4), unless the login UI is custom', () => {
    const other = answer(302, { location: 'https://idp.example.org/saml' });
    expect(checkAuthorize(other, idp(), 1000).result).toMatchObject({ status: 'fail', exitCode: ExitCode.IdpFailure });
    expect(checkAuthorize(other, idp({ loginUi: 'custom' }), 1000).result.status).toBe('pass');
  });

  test('a 200 page is accepted only for a custom login UI', () => {
    expect(checkAuthorize(answer(200, { body: '<form>' }), idp(), 1000).result).toMatchObject({ status: 'fail', exitCode: ExitCode.IdpFailure });
    expect(checkAuthorize(answer(200, { body: '<form>' }), idp({ loginUi: 'custom' }), 1000).result.status).toBe('pass');
  });

  test('an unreachable authorize endpoint is a network failure naming the URL', () => {
    const r = checkAuthorize({ kind: 'unreachable', url: AUTHZ, reason: 'timeout', code: 'timeout', ms: 1000 }, idp(), 1000).result;
    expect(r).toMatchObject({ status: 'fail', exitCode: ExitCode.IdpFailure });
    expect(r.detail).toBe(`unreachable: ${AUTHZ}: no answer within 1000 ms`);
  });
});

test.describe('login page verdicts', () => {
  const page = (body: string, status = 200) => answer(status, { url: `${DOMAIN}/login?client_id=abc123client`, body });

  test('a page the configured COGNITO_LOGIN_UI contradicts fails with the setting to change', () => {
    const r = checkLoginPage(page('<input name="username"><input type="password" name="password">'), idp({ loginUi: 'classic' }), 1000);
    expect(r).toMatchObject({ status: 'fail', exitCode: ExitCode.Usage });
    expect(r.fix).toContain('COGNITO_LOGIN_UI=auto');
  });

  test('"Login pages unavailable" names the branding-style command with the pool and client', () => {
    const r = checkLoginPage(page('<h1>Login pages unavailable</h1>'), idp(), 1000);
    expect(r.fix).toContain('--user-pool-id eu-west-1_AbC123 --client-id abc123client --use-cognito-provided-values');
  });

  test('an unrecognised page fails as unexpected and suggests a real sign-in or a selector profile', () => {
    const r = checkLoginPage(page('<div id="root"></div>'), idp(), 1000);
    expect(r).toMatchObject({ status: 'fail', exitCode: ExitCode.IdpFailure });
    expect(r.fix).toContain('--login');
    expect(r.fix).toContain('COGNITO_SELECTOR_PROFILE');
  });
});

test.describe('JWKS verdicts', () => {
  const jwks = (body: string, status = 200) => answer(status, { url: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/jwks.json', body });

  test('RSA keys with alg RS256 pass, listing their kids', () => {
    const r = checkJwks(jwks(JSON.stringify({ keys: [{ kty: 'RSA', alg: 'RS256', kid: 'k1', use: 'sig', n: 'x', e: 'AQAB' }] })), 1000);
    expect(r.status).toBe('pass');
    expect(r.detail).toContain('1 RS256 key (kid k1)');
  });

  test('a set without an RS256 key fails', () => {
    expect(checkJwks(jwks(JSON.stringify({ keys: [{ kty: 'EC', alg: 'ES256', kid: 'e' }] })), 1000)).toMatchObject({ status: 'fail', exitCode: ExitCode.IdpFailure });
  });

  test('a body that is not a key set fails', () => {
    expect(checkJwks(jwks('<html>'), 1000).detail).toContain('is not a JSON Web Key Set');
  });

  test('4xx means the pool id or issuer is wrong (exit 2); 5xx is the issuer failing (exit 4)', () => {
    expect(checkJwks(jwks('', 404), 1000).exitCode).toBe(ExitCode.Usage);
    expect(checkJwks(jwks('', 503), 1000).exitCode).toBe(ExitCode.IdpFailure);
  });
});

test.describe('other checks', () => {
  test('a domain that answers 5xx fails; any other answer proves it is served', () => {
    expect(checkDomain(answer(503), 1000)).toMatchObject({ status: 'fail', exitCode: ExitCode.IdpFailure });
    expect(checkDomain(answer(404), 1000).status).toBe('pass');
  });

  test('a DNS failure on the domain explains the prefix-domain form', () => {
    const r = checkDomain({ kind: 'unreachable', url: `${DOMAIN}/login`, reason: 'dns', code: 'ENOTFOUND', ms: 3 }, 1000);
    expect(r.detail).toContain('does not resolve');
    expect(r.fix).toContain('https://<prefix>.auth.<region>.amazoncognito.com');
  });

  test('a missing browser fails with exit 5 and the install advice', () => {
    const r = checkBrowser(() => {
      throw localFailure('BROWSER_NOT_FOUND', 'No Chromium or Chrome was found.', { hint: 'Install one with `npx playwright install chromium`.' });
    });
    expect(r).toMatchObject({ status: 'fail', exitCode: ExitCode.LocalEnvironment, fix: 'Install one with `npx playwright install chromium`.' });
  });

  test('CONFIG_INVALID becomes one problem line per variable', () => {
    const err = usageError('CONFIG_INVALID', 'The configuration has 2 problems.', { hint: 'Fix them.', details: { COGNITO_DOMAIN: 'required', COGNITO_SCOPES: 'bad' } });
    const r = checkConfiguration({ error: err });
    expect(r.problems).toEqual(['COGNITO_DOMAIN: required', 'COGNITO_SCOPES: bad']);
    expect(r.exitCode).toBe(ExitCode.Usage);
  });
});

test.describe('transport errors', () => {
  test('socket, DNS, abort and TLS errors each get their class', () => {
    expect(classifyTransportError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })).reason).toBe('refused');
    expect(classifyTransportError(Object.assign(new Error('x'), { code: 'ENOTFOUND' })).reason).toBe('dns');
    expect(classifyTransportError(new DOMException('timed out', 'TimeoutError')).reason).toBe('timeout');
    expect(classifyTransportError(Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' })).reason).toBe('tls');
    expect(classifyTransportError(Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' })).reason).toBe('network');
  });
});

test.describe('report', () => {
  test('a failure prints its problems and a fix line under the ✗; a skip says why', () => {
    expect(formatResult(fail('configuration complete', '1 problem', 'Do this.', ExitCode.Usage, ['A: missing']))).toEqual([
      '✗ configuration complete: 1 problem',
      '    ✗ A: missing',
      '    fix: Do this.',
    ]);
    expect(formatResult(skip('test login', 'pass --login'))).toEqual(['- test login: skipped, pass --login']);
  });

  test('the tally counts skips apart, and the exit code is the first failure\'s class', () => {
    const results = [pass('a', 'ok'), skip('b', 'n/a'), fail('c', 'x', 'f', ExitCode.IdpFailure), fail('d', 'y', 'f', ExitCode.Usage)];
    expect(formatSummary(tally(results))).toBe('1 check passed, 2 failed, 1 skipped');
    expect(exitCodeFor(results)).toBe(ExitCode.IdpFailure);
    expect(exitCodeFor([pass('a', 'ok'), skip('b', 'n/a')])).toBe(0);
  });

  test('a registered secret that reached a detail is masked in the printed line', () => {
    registerSecret('S3cret-Value-42');
    expect(formatResult(pass('x', 'contains S3cret-Value-42'))).toEqual(['✓ x: contains [REDACTED]']);
  });
});

// The doctor's checks as small functions: each takes what was observed (a loaded configuration, a
// probe's outcome, an error) and returns one CheckResult with the fix for a failure. No I/O here,
// so every verdict is unit-testable; commands/doctor.ts does the fetching and the printing.
import { tokenVariableNames } from '../newman/variables.js';
import type { Config, IdpConfig, LoginUi } from '../config/types.js';
import { isLoopbackHost } from '../config/domain.js';
import { ExitCode, isCnError } from '../errors.js';
import { describeBrowser, type ResolvedBrowser } from '../login/browser-info.js';
import { newCodeVerifier, newState, pkceChallenge } from '../oauth/pkce.js';
import { fail, pass, passWithWarning, skip, type CheckResult } from './check.js';
import type { ProbeOutcome } from './probe.js';

export const CHECK_NAMES = {
  config: 'configuration complete',
  browser: 'browser found',
  domain: 'domain answers',
  authorize: '/oauth2/authorize leads to /login',
  loginPage: 'login page is classic or managed',
  jwks: 'JWKS reachable with RS256 keys',
  secret: 'secret readable',
  login: 'test login',
} as const;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** An error's text for a check line: `[CODE] message` for ours, the plain message otherwise. */
function errorText(err: unknown): { detail: string; fix: string; exitCode: ExitCode } {
  if (isCnError(err)) {
    return { detail: `[${err.code}] ${err.message}`, fix: err.hint ?? 'Run with --debug for the cause.', exitCode: err.exitCode };
  }
  const msg = err instanceof Error ? err.message : String(err);
  return { detail: `unexpected error: ${msg}`, fix: 'This is a bug in cognito-newman; run again with --debug and report it.', exitCode: ExitCode.IdpFailure };
}

// ---------------------------------------------------------------------------------------------
// 1. configuration

export type LoadedConfig = { config: Config; unreadSecretUsers: number } | { error: unknown };

/**
 * Configuration complete: loadConfig succeeded and at least one test user can sign in. On
 * CONFIG_INVALID every problem becomes its own line. A user whose secret could not be read is not
 * a configuration problem here: the secret check reports it with AWS's reason.
 */
export function checkConfiguration(loaded: LoadedConfig): CheckResult {
  const name = CHECK_NAMES.config;
  if ('error' in loaded) {
    const err = loaded.error;
    if (isCnError(err) && err.code === 'CONFIG_INVALID') {
      const problems = Object.entries(err.details)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}: ${String(v)}`);
      return fail(name, `${plural(problems.length, 'problem')}`, err.hint ?? 'Fix these in .env or the environment; see .env.example.', ExitCode.Usage, problems);
    }
    const e = errorText(err);
    return fail(name, e.detail, e.fix, e.exitCode);
  }
  const { config, unreadSecretUsers } = loaded;
  const idp = config.idp;
  const users = config.users;
  if (users.length === 0 && unreadSecretUsers === 0) {
    return fail(
      name,
      '1 problem',
      'Every Hosted UI sign-in needs a test user: set TEST_USER_USERNAME and TEST_USER_PASSWORD, or TEST_USER_SECRET_ID (a Secrets Manager secret), or list named users in TEST_USERS; see .env.example.',
      ExitCode.Usage,
      ['TEST_USER_USERNAME: no test user is configured (TEST_USER_USERNAME/TEST_USER_PASSWORD, TEST_USER_SECRET_ID or TEST_USERS)'],
    );
  }
  // Each user with the access-token variable(s) its tokens go into: the names a collection uses.
  const names = users.map((u) => u.name);
  const vars = (name: string) => tokenVariableNames(names, {}, name).filter((v) => v.endsWith('accessToken')).map((v) => `{{${v}}}`).join(', ');
  const who = users.map((u) => (u.name === 'default' ? `${u.username} (${vars(u.name)})` : `${u.name} (${u.username}; ${vars(u.name)})`));
  const userText = users.length ? `${plural(users.length, 'test user')}: ${who.join(', ')}` : 'test users from Secrets Manager';
  return pass(name, `domain ${idp.domain}, app client ${idp.clientId}, redirect URI ${idp.redirectUri}, ${userText}`);
}

// ---------------------------------------------------------------------------------------------
// 2. browser

/**
 * Which browser sign-ins will use. A full Chromium works, so it passes, with a warning: it runs in
 * new-headless mode, ~600 ms of browser CPU per sign-in against ~160 ms for the headless shell.
 */
export function checkBrowser(resolve: () => ResolvedBrowser): CheckResult {
  try {
    const b = resolve();
    if (b.kind === 'headless-shell') return pass(CHECK_NAMES.browser, describeBrowser(b));
    const cost = "each sign-in costs about 3x the browser CPU of Chromium's headless shell.";
    if (b.source === 'env') {
      return passWithWarning(
        CHECK_NAMES.browser,
        describeBrowser(b),
        `COGNITO_NEWMAN_BROWSER names a full Chromium: ${cost}`,
        'Point COGNITO_NEWMAN_BROWSER at a headless shell (e.g. /usr/lib/chromium/chromium-headless-shell), or unset it to let cognito-newman find one.',
      );
    }
    return passWithWarning(
      CHECK_NAMES.browser,
      describeBrowser(b),
      `only a full Chromium was found: ${cost}`,
      'Install the headless shell: `npx cognito-newman install-browser`, or `sudo apt-get install chromium-headless-shell` on Debian/Ubuntu, or `npx playwright install chromium`.',
    );
  } catch (err) {
    const e = errorText(err);
    return fail(CHECK_NAMES.browser, e.detail, e.fix, isCnError(err) ? err.exitCode : ExitCode.LocalEnvironment);
  }
}

// ---------------------------------------------------------------------------------------------
// network helpers shared by checks 3-6

const REASON_TEXT = {
  refused: 'connection refused',
  dns: 'the host name does not resolve (DNS)',
  timeout: 'no answer',
  tls: 'the TLS handshake failed',
  network: 'network error',
} as const;

/** The ✗ for a URL that gave no HTTP answer at all: what happened, and what to check for `what`. */
export function unreachable(name: string, outcome: Extract<ProbeOutcome, { kind: 'unreachable' }>, timeoutMs: number, what: 'domain' | 'issuer'): CheckResult {
  const u = new URL(outcome.url);
  const reason = outcome.reason === 'timeout' ? `no answer within ${timeoutMs} ms` : `${REASON_TEXT[outcome.reason]} (${outcome.code})`;
  const variable = what === 'domain' ? 'COGNITO_DOMAIN' : 'COGNITO_USER_POOL_ID (and COGNITO_ISSUER, if set)';
  let fix: string;
  switch (outcome.reason) {
    case 'refused':
      fix = isLoopbackHost(u.hostname)
        ? `Nothing listens at ${u.origin}: start the emulator (\`cognito-newman emulator\`) and use the URL it prints, or fix ${variable}.`
        : `Nothing accepts connections at ${u.origin}: check ${variable} and that a firewall or proxy does not block the port.`;
      break;
    case 'dns':
      fix =
        what === 'domain'
          ? `Check COGNITO_DOMAIN against the Cognito console (App integration > Domain): a prefix domain is https://<prefix>.auth.<region>.amazoncognito.com; a custom domain needs its DNS alias to the CloudFront target the console shows.`
          : `Check ${variable}: the issuer host is cognito-idp.<region>.amazonaws.com, with the region of the pool id.`;
      break;
    case 'timeout':
      fix = `Check network access from this machine to ${u.host} (firewall, proxy, VPN), then run again; raise --timeout-ms if the host is merely slow.`;
      break;
    case 'tls':
      fix = `The certificate of ${u.host} was not accepted: for a custom domain, check its ACM certificate covers the host; behind a TLS-inspecting proxy, set NODE_EXTRA_CA_CERTS to its CA.`;
      break;
    default:
      fix = `Check network access from this machine to ${u.host} and ${variable}, then run again.`;
  }
  return fail(name, `unreachable: ${outcome.url}: ${reason}`, fix, ExitCode.IdpFailure);
}

// ---------------------------------------------------------------------------------------------
// 3. the domain answers

/** The URL the domain check asks: the domain's /login (any HTTP answer proves the domain is served). */
export const domainProbeUrl = (idp: IdpConfig): string => `${idp.domain}/login`;

export function checkDomain(outcome: ProbeOutcome, timeoutMs: number): CheckResult {
  const name = CHECK_NAMES.domain;
  if (outcome.kind === 'unreachable') return unreachable(name, outcome, timeoutMs, 'domain');
  if (outcome.status >= 500) {
    return fail(
      name,
      `${outcome.url} answered HTTP ${outcome.status}`,
      'The domain is served but failing: try again later; a custom domain created in the last hour may still be deploying (its CloudFront distribution).',
      ExitCode.IdpFailure,
    );
  }
  return pass(name, `${outcome.url} answered HTTP ${outcome.status} in ${outcome.ms} ms`);
}

// ---------------------------------------------------------------------------------------------
// 4. /oauth2/authorize with the configured client and redirect URI

/**
 * The authorize request a sign-in would make (Cognito authorize endpoint, cognito-reference 1.1):
 * same client, redirect URI, scopes and response type, with a throwaway state and PKCE challenge.
 */
export function authorizeProbeUrl(idp: IdpConfig): string {
  const u = new URL(idp.endpoints.authorize);
  const q = u.searchParams;
  q.set('response_type', idp.responseType);
  q.set('client_id', idp.clientId);
  q.set('redirect_uri', idp.redirectUri);
  q.set('scope', idp.scopes.join(' '));
  q.set('state', newState());
  if (idp.responseType === 'code') {
    q.set('code_challenge', pkceChallenge(newCodeVerifier()));
    q.set('code_challenge_method', 'S256');
  }
  return u.href;
}

/** Where the authorize check sent us, for the login-page check: the /login URL, when it passed. */
export interface AuthorizeVerdict {
  result: CheckResult;
  loginUrl?: string;
}

const stripQuery = (url: string) => url.replace(/[?#].*$/, '');

/** What an error code in the redirect back to the app means for this app client. */
function appErrorFix(error: string, idp: IdpConfig): string {
  const client = `app client ${idp.clientId}`;
  switch (error) {
    case 'unauthorized_client':
      return `Enable the ${idp.responseType === 'code' ? '"Authorization code grant"' : '"Implicit grant"'} OAuth flow on ${client} (App client > Login pages > OAuth 2.0 grant types), or set COGNITO_RESPONSE_TYPE to a flow it allows.`;
    case 'invalid_scope':
      return `Allow the scopes ${idp.scopes.join(' ')} on ${client} (OpenID Connect scopes and custom scopes), or set COGNITO_SCOPES to scopes it allows.`;
    default:
      return `Check ${client}: its allowed OAuth flows, its scopes (COGNITO_SCOPES) and that "Cognito user pool" is among its identity providers.`;
  }
}

/**
 * `/oauth2/authorize` must answer 302 to `/login`; `/error?error=redirect_mismatch` means the
 * redirect URI is not registered on the client or the client does not exist (reference 1.1: the
 * two cannot be told apart from outside). A redirect back to the app with `error=` is a client setting.
 */
export function checkAuthorize(outcome: ProbeOutcome, idp: IdpConfig, timeoutMs: number): AuthorizeVerdict {
  const name = CHECK_NAMES.authorize;
  if (outcome.kind === 'unreachable') return { result: unreachable(name, outcome, timeoutMs, 'domain') };
  const shown = stripQuery(outcome.url);
  const errorPage = (error: string | undefined): CheckResult =>
    !error || error === 'redirect_mismatch'
      ? fail(
          name,
          `${shown} with app client ${idp.clientId} and redirect URI ${idp.redirectUri} leads to Cognito's error page (/error?error=${error ?? ''})`,
          `Register this exact callback URL ${idp.redirectUri} on app client ${idp.clientId}, or the client id is wrong: add the URL to the client's Allowed callback URLs (COGNITO_REDIRECT_URI must match one character for character), or check COGNITO_CLIENT_ID.`,
          ExitCode.Usage,
        )
      : fail(
          name,
          `${shown} with app client ${idp.clientId} leads to Cognito's error page (/error?error=${error})`,
          appErrorFix(error, idp),
          ExitCode.Usage,
        );

  if (outcome.status >= 300 && outcome.status < 400 && outcome.location) {
    let target: URL;
    try {
      target = new URL(outcome.location, outcome.url);
    } catch {
      return { result: fail(name, `${shown} redirected to an invalid URL`, 'Check COGNITO_DOMAIN and COGNITO_AUTH_URL: they must be the user pool domain.', ExitCode.IdpFailure) };
    }
    if (/\/error\/?$/.test(target.pathname)) return { result: errorPage(target.searchParams.get('error') ?? undefined) };
    const appError = target.href.startsWith(stripQuery(idp.redirectUri)) ? target.searchParams.get('error') : null;
    if (appError) {
      const description = target.searchParams.get('error_description');
      return {
        result: fail(name, `app client ${idp.clientId} refused the request: error=${appError}${description ? ` (${description})` : ''}`, appErrorFix(appError, idp), ExitCode.Usage),
      };
    }
    if (/\/login\/?$/.test(target.pathname)) {
      return { result: pass(name, `${shown} redirects to ${stripQuery(target.href)}`), loginUrl: target.href };
    }
    if (idp.loginUi === 'custom') return { result: pass(name, `${shown} redirects to ${stripQuery(target.href)} (custom login page)`) };
    return {
      result: fail(
        name,
        `${shown} redirects to ${stripQuery(target.href)}, not to the sign-in page /login`,
        'cognito-newman signs in on the Cognito sign-in page: check COGNITO_DOMAIN/COGNITO_AUTH_URL, and that the app client offers "Cognito user pool" sign-in (an external IdP alone redirects elsewhere); for a non-Cognito page set COGNITO_LOGIN_UI=custom with COGNITO_SELECTOR_PROFILE.',
        ExitCode.IdpFailure,
      ),
    };
  }
  if (/An error was encountered with the requested page/i.test(outcome.body)) return { result: errorPage(undefined) };
  if (outcome.status >= 200 && outcome.status < 300 && idp.loginUi === 'custom') {
    return { result: pass(name, `${shown} answers with its own page (HTTP ${outcome.status}, custom login page)`) };
  }
  return {
    result: fail(
      name,
      `${shown} answered HTTP ${outcome.status} instead of redirecting to /login`,
      outcome.status >= 500
        ? 'The domain is failing: try again later.'
        : 'Check COGNITO_DOMAIN and COGNITO_AUTH_URL: the authorize endpoint of a Cognito domain always redirects (to /login or to its /error page).',
      ExitCode.IdpFailure,
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// 5. the login page

export type LoginHtmlKind = 'classic' | 'managed' | 'unavailable' | 'error-page' | 'unknown';

/**
 * Which sign-in page an HTML document is, from its markup (docs/hosted-ui-pages.md): the classic
 * form's `cognitoSignInForm`/`signInFormUsername`, Managed Login's plain `username`/`password`
 * inputs, or the "Login pages unavailable" text of a Managed Login client without a branding style.
 */
export function recogniseLoginHtml(html: string): LoginHtmlKind {
  if (/cognitoSignInForm|signInFormUsername/.test(html)) return 'classic';
  if (/Login pages? (are )?unavailable/i.test(html)) return 'unavailable';
  if (/An error was encountered with the requested page/i.test(html)) return 'error-page';
  if (/<input\b[^>]*\bname\s*=\s*["']?(username|password)\b/i.test(html) || /<input\b[^>]*\btype\s*=\s*["']?password\b/i.test(html)) return 'managed';
  return 'unknown';
}

export function checkLoginPage(outcome: ProbeOutcome, idp: IdpConfig, timeoutMs: number): CheckResult {
  const name = CHECK_NAMES.loginPage;
  if (outcome.kind === 'unreachable') return unreachable(name, outcome, timeoutMs, 'domain');
  const shown = stripQuery(outcome.url);
  const kind = recogniseLoginHtml(outcome.body);
  const pool = idp.userPoolId ?? '<user pool id>';
  if (kind === 'unavailable') {
    return fail(
      name,
      `${shown} shows "Login pages unavailable": the domain uses Managed Login and app client ${idp.clientId} has no branding style`,
      `Assign a Managed Login branding style to app client ${idp.clientId} (console: Managed login > Styles > Create a style; or aws cognito-idp create-managed-login-branding --user-pool-id ${pool} --client-id ${idp.clientId} --use-cognito-provided-values), or switch the domain to the classic Hosted UI (branding version "Hosted UI (classic)", ManagedLoginVersion 1).`,
      ExitCode.Usage,
    );
  }
  if (kind === 'error-page') {
    return fail(name, `${shown} shows Cognito's error page instead of a sign-in form`, appErrorFix('', idp), ExitCode.Usage);
  }
  if (outcome.status !== 200) {
    return fail(name, `${shown} answered HTTP ${outcome.status}`, outcome.status >= 500 ? 'The domain is failing: try again later.' : 'Check COGNITO_DOMAIN and COGNITO_AUTH_URL.', ExitCode.IdpFailure);
  }
  if (kind === 'unknown') {
    return fail(
      name,
      `${shown} is neither the classic Hosted UI form nor a Managed Login form`,
      'If this is not a Cognito page, set COGNITO_LOGIN_UI=custom with COGNITO_SELECTOR_PROFILE; if it is Cognito\'s and builds its form with JavaScript, try a real sign-in with `cognito-newman doctor --login`.',
      ExitCode.IdpFailure,
    );
  }
  const configured: LoginUi = idp.loginUi;
  if (configured !== 'auto' && configured !== kind) {
    return fail(
      name,
      `${shown} is the ${kind === 'classic' ? 'classic Hosted UI' : 'Managed Login'} page, but COGNITO_LOGIN_UI=${configured}`,
      `Set COGNITO_LOGIN_UI=auto (or ${kind}).`,
      ExitCode.Usage,
    );
  }
  return pass(name, `${kind === 'classic' ? 'classic Hosted UI' : 'Managed Login'} (${shown})`);
}

// ---------------------------------------------------------------------------------------------
// 6. the pool's JWKS

interface Jwk {
  kty?: unknown;
  alg?: unknown;
  kid?: unknown;
  use?: unknown;
}

/** Cognito's JWKS holds two RSA keys, alg RS256, use sig (reference 1.8); at least one is required. */
export function checkJwks(outcome: ProbeOutcome, timeoutMs: number): CheckResult {
  const name = CHECK_NAMES.jwks;
  if (outcome.kind === 'unreachable') return unreachable(name, outcome, timeoutMs, 'issuer');
  const fixIds = 'Check COGNITO_USER_POOL_ID (and COGNITO_ISSUER, if set): the JWKS of a pool is https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/jwks.json.';
  if (outcome.status !== 200) {
    return fail(name, `${outcome.url} answered HTTP ${outcome.status}`, outcome.status >= 500 ? 'The issuer is failing: try again later.' : fixIds, outcome.status >= 500 ? ExitCode.IdpFailure : ExitCode.Usage);
  }
  let keys: Jwk[] | undefined;
  try {
    const body = JSON.parse(outcome.body) as { keys?: unknown };
    if (Array.isArray(body.keys)) keys = body.keys as Jwk[];
  } catch {
    keys = undefined;
  }
  if (!keys) return fail(name, `${outcome.url} is not a JSON Web Key Set`, fixIds, ExitCode.IdpFailure);
  const rs256 = keys.filter((k) => k && k.kty === 'RSA' && (k.alg === 'RS256' || k.alg === undefined) && (k.use === 'sig' || k.use === undefined));
  if (rs256.length === 0) {
    return fail(name, `${outcome.url} holds ${plural(keys.length, 'key')}, none of them an RS256 signing key`, `${fixIds} Cognito signs tokens with RS256 only.`, ExitCode.IdpFailure);
  }
  const kids = rs256.map((k) => (typeof k.kid === 'string' ? k.kid : '?'));
  return pass(name, `${outcome.url}: ${plural(rs256.length, 'RS256 key')} (kid ${kids.join(', ')})`);
}

export const jwksSkipped = (): CheckResult => skip(CHECK_NAMES.jwks, 'the issuer is not known: set COGNITO_USER_POOL_ID to enable');

// ---------------------------------------------------------------------------------------------
// 7. secrets

export type SecretRead = { secretId: string; fields: string[] } | { secretId: string; error: unknown };

export function checkSecret(read: SecretRead): CheckResult {
  const name = `${CHECK_NAMES.secret}: ${read.secretId}`;
  if ('error' in read) {
    const e = errorText(read.error);
    return fail(name, e.detail, e.fix, e.exitCode);
  }
  return pass(name, `holds ${read.fields.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// 8. a test login

export type LoginOutcome = { users: { name: string; username: string; durationMs: number }[] } | { error: unknown };

export function checkTestLogin(outcome: LoginOutcome): CheckResult {
  const name = CHECK_NAMES.login;
  if ('error' in outcome) {
    const e = errorText(outcome.error);
    return fail(name, e.detail, e.fix, e.exitCode);
  }
  const who = outcome.users.map((u) => `${u.name === 'default' ? u.username : `${u.name} (${u.username})`} in ${u.durationMs} ms`);
  return pass(name, `signed in and verified the tokens: ${who.join(', ')}`);
}

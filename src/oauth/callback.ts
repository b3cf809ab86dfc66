// Validation of the captured redirect (RFC 6749 4.1.2 / 4.2.2, Cognito reference 1.1): right
// target, matching state, `?error=` as a typed error, and a validated result type per grant.
import { idpFailure } from '../errors.js';
import { registerSecret } from '../log.js';
import type { IdpConfig } from '../config/types.js';
import type { TokenSet } from './types.js';
import type { LoginAttempt } from './authorize.js';
import { oauthError } from './errors.js';

declare const codeBrand: unique symbol;
declare const implicitBrand: unique symbol;

/** A code callback that passed validation; only validateCallback makes one, and exchangeCode demands it. */
export interface CodeCallback {
  readonly kind: 'code';
  readonly code: string;
  readonly state: string;
  readonly [codeBrand]: true;
}

/** Tokens from an implicit-grant fragment that passed validation. Verify them with verifyTokenSet (nonce!). */
export interface ImplicitCallback {
  readonly kind: 'token';
  readonly tokens: TokenSet;
  readonly state: string;
  readonly [implicitBrand]: true;
}

export type ValidatedCallback = CodeCallback | ImplicitCallback;

// Proof that a CodeCallback came from validateCallback (a structural copy is not enough),
// and the raw parameters that oauth4webapi re-validates before the exchange.
const issued = new WeakMap<CodeCallback, URLSearchParams>();
// Which IdP an attempt was made for, so errors can name the app client without widening the API.
const attemptIdp = new WeakMap<LoginAttempt, IdpConfig>();

/** Called by createLoginAttempt. */
export function rememberAttemptIdp(attempt: LoginAttempt, idp: IdpConfig): void {
  attemptIdp.set(attempt, idp);
}

/** The parameters of a CodeCallback issued by validateCallback; undefined for a forged object. */
export function callbackParameters(callback: CodeCallback): URLSearchParams | undefined {
  return issued.get(callback);
}

export interface ValidateCallbackOptions {
  /** Names the app client in error hints; default: the IdP the attempt was created for. */
  idp?: IdpConfig;
  /** Clock for the implicit grant's expiry time (epoch ms). */
  now?: () => number;
}

/**
 * Check a captured redirect against its login attempt and return the code or the implicit tokens.
 * Errors: CALLBACK_WRONG_TARGET, CALLBACK_STATE_MISMATCH, CALLBACK_MALFORMED, CALLBACK_MISSING_CODE, CALLBACK_MISSING_TOKEN
 * (exit 4), or OAUTH_<ERROR> from `?error=` (access_denied exit 3, client configuration exit 2).
 */
export function validateCallback(callbackUrl: string, attempt: LoginAttempt, options: ValidateCallbackOptions = {}): ValidatedCallback {
  let url: URL;
  try {
    url = new URL(callbackUrl);
  } catch {
    throw idpFailure('CALLBACK_WRONG_TARGET', 'The captured redirect is not a URL.', {
      hint: 'This is likely a bug in the login capture; run again with --debug and report it.',
    });
  }
  const query = url.searchParams;
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ''));
  // Register secrets before anything can fail and mention the URL.
  registerSecret(query.get('code'));
  for (const k of ['access_token', 'id_token', 'refresh_token', 'code']) registerSecret(fragment.get(k));

  const target = base(url);
  const expected = URL.canParse(attempt.redirectUri) ? base(new URL(attempt.redirectUri)) : attempt.redirectUri;
  if (target !== expected) {
    throw idpFailure('CALLBACK_WRONG_TARGET', `The sign-in ended at ${target}, not at the configured redirect URI ${expected}.`, {
      hint: 'The identity provider redirected somewhere else (a custom domain or another app?); check COGNITO_REDIRECT_URI and the app client\'s callback URLs.',
      details: { expected, actual: target },
    });
  }

  // Implicit results come in the fragment; Cognito sends errors in the query for both grants.
  const params = attempt.responseType === 'token' && !query.has('error') ? fragment : query;
  const state = single(params, 'state');
  const error = single(params, 'error');
  if (state !== attempt.state && !(error !== undefined && state === undefined)) {
    throw idpFailure(
      'CALLBACK_STATE_MISMATCH',
      state === undefined
        ? 'The redirect carries no state, so it cannot be tied to this sign-in; nothing was exchanged.'
        : 'The redirect\'s state does not match this sign-in (tampered, or from another login); nothing was exchanged.',
      {
        hint: 'Run again. If it repeats, something between the browser and the identity provider rewrites redirects.',
        details: { expected: 'the state sent with this sign-in', actual: state === undefined ? 'missing' : 'different' },
      },
    );
  }
  if (error !== undefined) {
    const idp = options.idp ?? attemptIdp.get(attempt);
    throw oauthError({
      error,
      description: single(params, 'error_description'),
      step: 'authorize',
      idp: idp ?? {
        clientId: new URL(attempt.url).searchParams.get('client_id') ?? '(unknown)',
        redirectUri: attempt.redirectUri,
        scopes: (new URL(attempt.url).searchParams.get('scope') ?? '').split(' ').filter(Boolean),
        clientAuth: 'body',
        endpoints: { authorize: attempt.url, login: attempt.url, token: '', revoke: '', userInfo: '', logout: '' },
      },
    });
  }

  if (attempt.responseType === 'code') {
    const code = single(params, 'code');
    if (!code) {
      throw idpFailure('CALLBACK_MISSING_CODE', 'The redirect to the callback carries no authorization code.', {
        hint: 'The identity provider redirected without a code or an error; check that the app client allows the Authorization code grant.',
      });
    }
    const callback = { kind: 'code', code, state: attempt.state } as CodeCallback;
    issued.set(callback, new URLSearchParams(params));
    return callback;
  }

  const accessToken = single(params, 'access_token');
  if (!accessToken) {
    throw idpFailure('CALLBACK_MISSING_TOKEN', 'The implicit-grant redirect carries no access_token in its fragment.', {
      hint: 'Check that the app client allows the Implicit grant, or use COGNITO_RESPONSE_TYPE=code.',
    });
  }
  // Cognito sends expires_in=3600 (reference 1.1); a missing or odd value falls back to that.
  const parsed = Number(single(params, 'expires_in'));
  const expiresIn = Number.isFinite(parsed) && parsed > 0 ? parsed : 3600;
  const now = (options.now ?? Date.now)();
  const tokens: TokenSet = {
    accessToken,
    tokenType: single(params, 'token_type') ?? 'bearer',
    expiresIn,
    accessTokenExpiresAt: now + expiresIn * 1000,
  };
  const idToken = single(params, 'id_token');
  if (idToken) tokens.idToken = idToken;
  const scope = single(params, 'scope');
  if (scope) tokens.scope = scope;
  return { kind: 'token', tokens, state: attempt.state } as ImplicitCallback;
}

/** scheme://host[:port]/path without query or fragment; works for custom schemes (myapp://callback). */
function base(u: URL): string {
  return `${u.protocol}//${u.host}${u.pathname}`;
}

/** A parameter given twice is suspicious (parameter pollution); treat it like a tampered callback. */
function single(params: URLSearchParams, name: string): string | undefined {
  const all = params.getAll(name);
  if (all.length > 1) {
    throw idpFailure('CALLBACK_MALFORMED', `The redirect carries the "${name}" parameter more than once; nothing was exchanged.`, {
      hint: 'Run again. If it repeats, something between the browser and the identity provider rewrites redirects.',
    });
  }
  return all[0];
}

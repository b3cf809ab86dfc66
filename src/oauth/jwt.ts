// Token checks as Cognito's "verifying a JWT" guide lists them (reference 4.3): RS256 signature
// against the pool's JWKS, `iss`, `aud` (ID token) or `client_id` (access token), `token_use`,
// `exp`, and the ID token's `nonce`. A bad token is an error (exit 4), never a warning.
import { createRemoteJWKSet, customFetch, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import * as oauth from 'oauth4webapi';
import { fetch as undiciFetch, Headers, type Dispatcher } from 'undici';
import { CnError, ExitCode, usageError } from '../errors.js';
import type { IdpConfig } from '../config/types.js';
import { isLoopbackHost, jwksUriFor } from '../config/domain.js';
import type { TokenSet } from './types.js';

export interface VerifyExpectations {
  /** The nonce sent with the sign-in; checked against the ID token's `nonce` claim. */
  nonce?: string;
  /** Fail when the set has no ID token (an `openid` sign-in must produce one). */
  requireIdToken?: boolean;
  /** Clock (epoch ms) for `exp`/`nbf`. */
  now?: () => number;
  /** undici dispatcher for the JWKS download (tests pass a MockAgent). */
  dispatcher?: Dispatcher;
}

/** Seconds of clock difference tolerated on exp/nbf/iat between this machine and Cognito. */
export const CLOCK_TOLERANCE_S = 30;

type Kind = 'ID token' | 'access token';
type Jwks = ReturnType<typeof createRemoteJWKSet>;

// One remote JWKS per URI (jose caches the keys and refetches on an unknown kid), per dispatcher so
// tests with their own MockAgent never share a cache entry with another dispatcher.
const jwksByDispatcher = new WeakMap<object, Map<string, Jwks>>();
const DEFAULT_DISPATCHER = {};

function remoteJwks(uri: string, dispatcher: Dispatcher | undefined): Jwks {
  const key = dispatcher ?? DEFAULT_DISPATCHER;
  let byUri = jwksByDispatcher.get(key);
  if (!byUri) jwksByDispatcher.set(key, (byUri = new Map()));
  let jwks = byUri.get(uri);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(uri), {
      timeoutDuration: 5_000,
      // jose would use the global fetch; this keeps the JWKS download on undici and the caller's dispatcher.
      [customFetch]: (url: string, init: RequestInit) =>
        undiciFetch(url, {
          method: init.method ?? 'GET',
          headers: Object.fromEntries(new Headers(init.headers as ConstructorParameters<typeof Headers>[0]).entries()),
          redirect: 'manual',
          ...(init.signal ? { signal: init.signal } : {}),
          ...(dispatcher ? { dispatcher } : {}),
        }) as unknown as Promise<Response>,
    });
    byUri.set(uri, jwks);
  }
  return jwks;
}

/**
 * Start downloading the pool's signing keys now, while the browser signs in, so the check after the
 * exchange finds them (and the HTTP client warmed up) instead of waiting for a first download.
 * Resolves when the download ended (never rejects: any failure is reported by verifyTokenSet, which
 * fetches again); callers need not wait for it.
 */
export async function prefetchJwks(idp: IdpConfig, dispatcher?: Dispatcher): Promise<void> {
  if (!idp.issuer) return;
  const jwksUri = idp.jwksUri ?? jwksUriFor(idp.issuer);
  let u: URL;
  try {
    u = new URL(jwksUri);
  } catch {
    return;
  }
  // The same rule as verifyTokenSet: nothing goes out over plain http unless it may.
  if (u.protocol !== 'https:' && !isLoopbackHost(u.hostname) && !idp.allowInsecureHttp) return;
  // Several users sign in at once: keys already fetched (or being fetched) are not fetched again.
  const jwks = remoteJwks(jwksUri, dispatcher);
  if (jwks.fresh) return;
  await jwks.reload().catch(() => undefined);
}

/**
 * Verify every JWT in a token set against the pool. Runs only when `idp.issuer` is known (from
 * COGNITO_USER_POOL_ID or COGNITO_ISSUER); otherwise there is nothing trustworthy to check against.
 * Throws TOKEN_INVALID (exit 4) with expected vs actual, or JWKS_UNAVAILABLE (exit 4).
 */
export async function verifyTokenSet(idp: IdpConfig, tokens: TokenSet, expect: VerifyExpectations = {}): Promise<void> {
  if (!idp.issuer) return;
  const issuer = idp.issuer;
  const jwksUri = idp.jwksUri ?? jwksUriFor(issuer);
  const u = new URL(jwksUri);
  if (u.protocol !== 'https:' && !isLoopbackHost(u.hostname) && !idp.allowInsecureHttp) {
    throw usageError('INSECURE_ENDPOINT', `The JWKS ${u.origin}${u.pathname} is plain http:// on a non-loopback host.`, {
      hint: 'Use an https:// COGNITO_ISSUER, or set COGNITO_INSECURE_ALLOW_HTTP=1 if you really mean it.',
    });
  }
  const jwks = remoteJwks(jwksUri, expect.dispatcher);
  const now = expect.now ?? Date.now;

  const access = await verifyOne('access token', tokens.accessToken, jwks, issuer, jwksUri, now);
  claim('access token', 'token_use', 'access', access.token_use);
  // Cognito access tokens carry the app client in `client_id`, not `aud` (reference 4.3).
  claim('access token', 'client_id', idp.clientId, access.client_id);

  if (tokens.idToken) {
    const id = await verifyOne('ID token', tokens.idToken, jwks, issuer, jwksUri, now, idp.clientId);
    claim('ID token', 'token_use', 'id', id.token_use);
    if (expect.nonce !== undefined && id.nonce !== expect.nonce) {
      throw tokenInvalid('ID token', 'nonce', 'the nonce sent with this sign-in', id.nonce === undefined ? 'missing' : 'a different nonce', 'The ID token was not issued for this sign-in (replayed or mixed up).');
    }
  } else if (expect.requireIdToken) {
    throw tokenInvalid('ID token', 'id_token', 'an ID token (openid was requested)', 'none', 'The token response has no ID token although the openid scope was requested.');
  }
}

async function verifyOne(kind: Kind, token: string, jwks: Jwks, issuer: string, jwksUri: string, now: () => number, audience?: string): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, jwks, {
      issuer,
      ...(audience === undefined ? {} : { audience }),
      algorithms: ['RS256'],
      currentDate: new Date(now()),
      clockTolerance: CLOCK_TOLERANCE_S,
    });
    return payload;
  } catch (err) {
    throw fromJose(err, kind, token, issuer, jwksUri, audience, now);
  }
}

function claim(kind: Kind, name: string, expected: string, actual: unknown): void {
  if (actual !== expected) {
    throw tokenInvalid(kind, name, expected, actual === undefined ? 'missing' : String(actual), `The ${kind}'s "${name}" claim is wrong.`);
  }
}

function tokenInvalid(kind: Kind, claimName: string, expected: string, actual: string, what: string, cause?: unknown): CnError {
  return new CnError('TOKEN_INVALID', ExitCode.IdpFailure, `${what} (${kind}, ${claimName}: expected ${expected}, got ${actual})`, {
    hint: hintFor(claimName),
    details: { token: kind, claim: claimName, expected, actual },
    ...(cause === undefined ? {} : { cause }),
  });
}

function hintFor(claimName: string): string {
  switch (claimName) {
    case 'iss':
      return 'Check COGNITO_USER_POOL_ID / COGNITO_ISSUER: they must name the pool that issued the tokens (the emulator prints its own issuer).';
    case 'aud':
    case 'client_id':
      return 'Check COGNITO_CLIENT_ID: the tokens were issued to another app client.';
    case 'exp':
    case 'nbf':
    case 'iat':
      return "Check this machine's clock (it must be within 30 s of real time), then sign in again.";
    case 'signature':
    case 'kid':
      return 'The token was altered or not signed by this pool: check COGNITO_USER_POOL_ID / COGNITO_ISSUER, and what sits between you and Cognito.';
    case 'nonce':
      return 'Sign in again; if it repeats, something replays or mixes up sign-in responses.';
    default:
      return 'Check COGNITO_USER_POOL_ID / COGNITO_ISSUER and COGNITO_CLIENT_ID, then sign in again.';
  }
}

function fromJose(err: unknown, kind: Kind, token: string, issuer: string, jwksUri: string, audience: string | undefined, now: () => number): CnError {
  const claims = unverifiedClaims(token);
  if (err instanceof joseErrors.JWTExpired) {
    return tokenInvalid(kind, 'exp', `a time after ${new Date(now() - CLOCK_TOLERANCE_S * 1000).toISOString()}`, isoOf(claims.exp), `The ${kind} has expired.`, err);
  }
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    const name = err.claim;
    const expected = name === 'iss' ? issuer : name === 'aud' ? (audience ?? '') : err.reason;
    const actual = name === 'nbf' || name === 'iat' ? isoOf(claims[name]) : stringOf(claims[name]);
    return tokenInvalid(kind, name, expected, actual, `The ${kind}'s "${name}" claim is wrong.`, err);
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
    return tokenInvalid(kind, 'signature', `a valid RS256 signature by a key in ${jwksUri}`, 'a signature that does not verify', `The ${kind}'s signature is invalid.`, err);
  }
  if (err instanceof joseErrors.JWKSNoMatchingKey || err instanceof joseErrors.JWKSMultipleMatchingKeys) {
    return tokenInvalid(kind, 'kid', `a key id published in ${jwksUri}`, headerKid(token) ?? 'missing', `The ${kind} was signed by a key the pool does not publish.`, err);
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed) {
    return tokenInvalid(kind, 'alg', 'RS256', headerAlg(token) ?? 'missing', `The ${kind} uses a signing algorithm Cognito does not use.`, err);
  }
  if (err instanceof joseErrors.JWSInvalid || err instanceof joseErrors.JWTInvalid || err instanceof joseErrors.JOSENotSupported) {
    return tokenInvalid(kind, 'format', 'a signed JWT', 'a malformed token', `The ${kind} is not a well-formed signed JWT.`, err);
  }
  // Anything else is the JWKS download: timeout, connection error, non-200, not a key set.
  return new CnError('JWKS_UNAVAILABLE', ExitCode.IdpFailure, `The pool's signing keys could not be fetched from ${jwksUri}, so the ${kind} cannot be verified.`, {
    hint: 'Check COGNITO_USER_POOL_ID / COGNITO_ISSUER (they decide this URL) and that this machine can reach it.',
    details: { jwksUri, reason: err instanceof Error ? err.message : String(err) },
    cause: err,
  });
}

/**
 * oauth4webapi checks the ID token's claims (not its signature) while processing a code exchange;
 * its failures are bad tokens too, so they get the same code and shape. Undefined for other errors.
 */
export function tokenInvalidFromOauth(err: oauth.OperationProcessingError): CnError | undefined {
  const cause = (typeof err.cause === 'object' && err.cause !== null ? err.cause : {}) as {
    claim?: unknown;
    claims?: Record<string, unknown>;
    expected?: unknown;
  };
  const isClaimCheck = err.code === oauth.JWT_CLAIM_COMPARISON || err.code === oauth.JWT_TIMESTAMP_CHECK;
  const aboutJwt = err.code === oauth.INVALID_RESPONSE && (cause.claims !== undefined || /JWT|ID Token|id_token/.test(err.message));
  if (!isClaimCheck && !aboutJwt) return undefined;
  const name = typeof cause.claim === 'string' ? cause.claim : /"(\w+)"/.exec(err.message)?.[1] ?? 'id_token';
  const hideValues = name === 'nonce';
  const rawActual = cause.claims?.[name];
  const actual = hideValues ? (rawActual === undefined ? 'missing' : 'a different nonce') : name === 'exp' || name === 'iat' || name === 'nbf' ? isoOf(rawActual) : stringOf(rawActual);
  // oauth4webapi gives no expected value for its time checks; its message ("unexpected JWT ...
  // claim value") read as the expected value made "expected unexpected ...": say it in words.
  const nowS = typeof (cause as { now?: unknown }).now === 'number' ? ((cause as { now: number }).now) : undefined;
  const at = nowS !== undefined ? new Date(nowS * 1000).toISOString() : 'now';
  const expected = hideValues
    ? 'the nonce sent with this sign-in'
    : cause.expected !== undefined
      ? stringOf(cause.expected)
      : name === 'exp'
        ? `a time after ${at}`
        : name === 'iat' || name === 'nbf' || name === 'auth_time'
          ? `a time before ${at}`
          : rawActual === undefined
            ? 'a value'
            : 'a valid value';
  const what = name === 'exp' ? 'The ID token from the token endpoint has already expired' : `The ID token from the token endpoint has a wrong "${name}" claim`;
  return tokenInvalid('ID token', name, expected, actual, `${what}.`, err);
}

function unverifiedClaims(token: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function header(token: string): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
const headerKid = (t: string) => (typeof header(t).kid === 'string' ? (header(t).kid as string) : undefined);
const headerAlg = (t: string) => (typeof header(t).alg === 'string' ? (header(t).alg as string) : undefined);

function stringOf(v: unknown): string {
  if (v === undefined) return 'missing';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function isoOf(v: unknown): string {
  return typeof v === 'number' ? new Date(v * 1000).toISOString() : stringOf(v);
}

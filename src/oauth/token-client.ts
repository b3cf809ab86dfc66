// Cognito's /oauth2/token and /oauth2/revoke (reference 1.4, 1.6): code exchange, refresh, client
// credentials and revocation. oauth4webapi builds each request and checks each response; the
// retrying undici fetch under it (http.ts) owns timeouts, retries and the deadline.
import * as oauth from 'oauth4webapi';
import type { Dispatcher } from 'undici';
import { CnError, ExitCode, isCnError, usageError } from '../errors.js';
import { registerSecret, silentLogger, type Logger } from '../log.js';
import type { IdpConfig } from '../config/types.js';
import { isLoopbackHost } from '../config/domain.js';
import type { TokenSet } from './types.js';
import type { LoginAttempt } from './authorize.js';
import { callbackParameters, type CodeCallback } from './callback.js';
import { oauthError, type OAuthStep } from './errors.js';
import { createRetryingFetch, DEFAULT_RETRY } from './http.js';
import { tokenInvalidFromOauth } from './jwt.js';

export interface TokenClientOptions {
  /** undici dispatcher (tests pass a MockAgent); default undici's global dispatcher. */
  dispatcher?: Dispatcher;
  /** Overall deadline per call, retries included. Default 20000. */
  deadlineMs?: number;
  /** One request. Default 10000. */
  requestTimeoutMs?: number;
  logger?: Logger;
  /** Retries after the first request. Default 8 (the deadline usually ends them first). */
  maxRetries?: number;
  /** Clock (epoch ms) for the deadline, Retry-After dates, expiry times and ID-token time checks. */
  now?: () => number;
  /** Test seam: how the backoff waits. Default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Test seam: jitter source in [0, 1). Default Math.random. */
  random?: () => number;
  /** Abandon the call (the run is over): the request in flight is aborted. */
  signal?: AbortSignal;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Exchange an authorization code (RFC 6749 4.1.3 with RFC 7636 `code_verifier`) at Cognito's
 * /oauth2/token. With `openid` in the scopes the ID token is required and its nonce, issuer,
 * audience and times are checked (signature: verifyTokenSet). A 4xx answer is never retried.
 */
export async function exchangeCode(idp: IdpConfig, callback: CodeCallback, attempt: LoginAttempt, options: TokenClientOptions = {}): Promise<TokenSet> {
  const params = callbackParameters(callback);
  if (!params) throw new TypeError('exchangeCode needs a CodeCallback returned by validateCallback');
  registerSecret(callback.code);
  registerSecret(attempt.codeVerifier);
  const openid = idp.scopes.includes('openid');
  return call(idp, 'authorization_code', options, async (ctx) => {
    // oauth4webapi wants its own branded, re-validated parameters. Cognito sends no `iss` in the
    // redirect; one arriving while the issuer is unknown cannot be checked, so it is dropped.
    const p = new URLSearchParams(params);
    if (!idp.issuer) p.delete('iss');
    const validated = oauth.validateAuthResponse(ctx.as, ctx.client, p, attempt.state);
    const res = await oauth.authorizationCodeGrantRequest(ctx.as, ctx.client, ctx.auth, validated, attempt.redirectUri, attempt.codeVerifier ?? oauth.nopkce, ctx.request);
    return oauth.processAuthorizationCodeResponse(ctx.as, ctx.client, res, openid ? { expectedNonce: attempt.nonce, requireIdToken: true } : {});
  });
}

/**
 * Refresh grant (RFC 6749 6). Cognito returns new access and ID tokens and no refresh token unless
 * rotation is on (reference 1.4), so the old refresh token is kept when none comes back.
 */
export async function refreshTokens(idp: IdpConfig, refreshToken: string, options: TokenClientOptions = {}): Promise<TokenSet> {
  registerSecret(refreshToken);
  const tokens = await call(idp, 'refresh_token', options, async (ctx) => {
    const res = await oauth.refreshTokenGrantRequest(ctx.as, ctx.client, ctx.auth, refreshToken, ctx.request);
    return oauth.processRefreshTokenResponse(ctx.as, ctx.client, res);
  });
  return tokens.refreshToken ? tokens : { ...tokens, refreshToken };
}

/**
 * Client credentials grant (RFC 6749 4.4) for machine-to-machine app clients; Cognito requires a
 * client secret. Without `scopes` the server grants every scope the client allows.
 */
export async function clientCredentials(idp: IdpConfig, scopes: string[] | undefined, options: TokenClientOptions = {}): Promise<TokenSet> {
  if (!idp.clientSecret) {
    throw usageError('CLIENT_SECRET_REQUIRED', `The client credentials grant needs a client secret, and none is configured for app client ${idp.clientId}.`, {
      hint: 'Set COGNITO_CLIENT_SECRET to the secret of a machine-to-machine app client with the Client credentials grant enabled.',
    });
  }
  return call(idp, 'client_credentials', options, async (ctx) => {
    const parameters = new URLSearchParams();
    if (scopes && scopes.length > 0) parameters.set('scope', scopes.join(' '));
    const res = await oauth.clientCredentialsGrantRequest(ctx.as, ctx.client, ctx.auth, parameters, ctx.request);
    return oauth.processClientCredentialsResponse(ctx.as, ctx.client, res);
  });
}

/**
 * Revoke a refresh token at Cognito's /oauth2/revoke (RFC 7009): also revokes the access tokens
 * issued from it. Cognito answers 200 for unknown or already revoked tokens.
 */
export async function revokeToken(idp: IdpConfig, refreshToken: string, options: TokenClientOptions = {}): Promise<void> {
  registerSecret(refreshToken);
  await call(idp, 'revoke', options, async (ctx) => {
    const res = await oauth.revocationRequest(ctx.as, ctx.client, ctx.auth, refreshToken, ctx.request);
    await oauth.processRevocationResponse(res);
    return undefined;
  });
}

// ---------------------------------------------------------------------------------------------

interface CallContext {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  auth: oauth.ClientAuth;
  request: RequestOptions;
}

type Raw = Record<string, unknown>;
type RequestOptions = oauth.TokenEndpointRequestOptions & oauth.ClientCredentialsGrantRequestOptions & oauth.RevocationRequestOptions;
// Our fetch returns undici's Response, which oauth4webapi accepts (it checks the toStringTag, not the class).
type OauthFetch = NonNullable<oauth.TokenEndpointRequestOptions[typeof oauth.customFetch]>;

/** One protocol call: context, request, processing, and every failure as a CnError. */
async function call<T extends Raw | undefined>(
  idp: IdpConfig,
  step: OAuthStep,
  options: TokenClientOptions,
  run: (ctx: CallContext) => Promise<T>,
): Promise<T extends Raw ? TokenSet : void> {
  const now = options.now ?? Date.now;
  const sentAt = now();
  const endpoint = step === 'revoke' ? idp.endpoints.revoke : idp.endpoints.token;
  let rawTokenType: string | undefined;
  let observedIssuer: string | undefined;

  const http = createRetryingFetch({
    policy: {
      ...DEFAULT_RETRY,
      deadlineMs: options.deadlineMs ?? DEFAULT_RETRY.deadlineMs,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_RETRY.requestTimeoutMs,
      maxRetries: options.maxRetries ?? DEFAULT_RETRY.maxRetries,
    },
    label: step === 'revoke' ? 'The revocation endpoint' : 'The token endpoint',
    dispatcher: options.dispatcher,
    logger: options.logger ?? silentLogger,
    now,
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
    // A code is single use: never resent once a request may have reached the endpoint.
    singleUse: step === 'authorization_code',
    onJson: (body) => {
      if (typeof body.token_type === 'string') rawTokenType = body.token_type;
      if (typeof body.id_token === 'string') observedIssuer = unverifiedIssuer(body.id_token);
    },
  });

  // Without a configured issuer, `iss` cannot be checked (verification is off, as the contract
  // says); the ID token's own claim stands in so oauth4webapi's other checks still run.
  const as: oauth.AuthorizationServer = {
    get issuer() {
      return idp.issuer ?? observedIssuer ?? idp.domain;
    },
    token_endpoint: idp.endpoints.token,
    revocation_endpoint: idp.endpoints.revoke,
    authorization_endpoint: idp.endpoints.authorize,
    id_token_signing_alg_values_supported: ['RS256'],
  };
  const client: oauth.Client = {
    client_id: idp.clientId,
    // oauth4webapi's time checks use Date.now() plus this skew: line it up with the injected clock.
    [oauth.clockSkew]: Math.round((now() - Date.now()) / 1000),
  };
  // A public client sends only client_id in the body (reference 1.4).
  const auth = idp.clientSecret === undefined ? oauth.None() : idp.clientAuth === 'basic' ? oauth.ClientSecretBasic(idp.clientSecret) : oauth.ClientSecretPost(idp.clientSecret);
  const request: RequestOptions = {
    [oauth.customFetch]: http as unknown as OauthFetch,
    [oauth.allowInsecureRequests]: insecureAllowed(idp, endpoint),
    ...(options.signal ? { signal: options.signal } : {}),
  };

  let result: T;
  try {
    result = await run({ as, client, auth, request });
  } catch (err) {
    throw toCnError(err, step, idp, endpoint, http.attempts);
  }
  if (result === undefined) return undefined as never;
  return toTokenSet(result, rawTokenType, sentAt) as never;
}

/** http:// only for loopback hosts or with the loud opt-in; config enforces it too, this is the last line. */
function insecureAllowed(idp: IdpConfig, endpoint: string): boolean {
  try {
    const u = new URL(endpoint);
    return u.protocol === 'http:' && (isLoopbackHost(u.hostname) || idp.allowInsecureHttp);
  } catch {
    return false;
  }
}

/** Expiry counts from when the request was sent, so a slow answer errs on the early side. */
function toTokenSet(json: Raw, rawTokenType: string | undefined, sentAt: number): TokenSet {
  const expiresIn = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in : 3600;
  const t: TokenSet = {
    accessToken: String(json.access_token),
    tokenType: rawTokenType ?? String(json.token_type ?? 'Bearer'),
    expiresIn,
    accessTokenExpiresAt: sentAt + expiresIn * 1000,
  };
  if (typeof json.id_token === 'string') t.idToken = json.id_token;
  if (typeof json.refresh_token === 'string') t.refreshToken = json.refresh_token;
  if (typeof json.scope === 'string') t.scope = json.scope;
  return t;
}

function unverifiedIssuer(jwt: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof payload.iss === 'string' ? payload.iss : undefined;
  } catch {
    return undefined;
  }
}

/** The one place this module's third-party errors become ours. */
function toCnError(err: unknown, step: OAuthStep, idp: IdpConfig, endpoint: string, attempts: number): CnError | unknown {
  if (isCnError(err)) return err;
  const label = step === 'revoke' ? 'The revocation endpoint' : 'The token endpoint';

  if (err instanceof oauth.ResponseBodyError) {
    return oauthError({ error: err.error, description: err.error_description, status: err.status, step, attempts, idp }, err);
  }
  if (err instanceof oauth.WWWAuthenticateChallengeError) {
    const error = err.cause.map((c) => c.parameters.error).find((e): e is string => typeof e === 'string');
    if (error) {
      const description = err.cause.map((c) => c.parameters.error_description).find((e): e is string => typeof e === 'string');
      return oauthError({ error, description, status: err.status, step, attempts, idp }, err);
    }
    return badResponse(label, endpoint, err.status, `HTTP ${err.status} with a WWW-Authenticate challenge`, err);
  }
  if (err instanceof oauth.OperationProcessingError) {
    if (err.code === oauth.HTTP_REQUEST_FORBIDDEN) {
      return usageError('INSECURE_ENDPOINT', `${label} ${endpoint} is plain http:// on a non-loopback host.`, {
        hint: 'Use https://, or set COGNITO_INSECURE_ALLOW_HTTP=1 if you really mean it (tokens then cross the network unencrypted).',
        cause: err,
      });
    }
    const invalid = tokenInvalidFromOauth(err);
    if (invalid) return invalid;
    const status = responseStatus(err.cause);
    return badResponse(label, endpoint, status, describeOpe(err), err);
  }
  if (err instanceof oauth.UnsupportedOperationError) {
    return badResponse(label, endpoint, undefined, 'an unsupported token_type', err);
  }
  return err;
}

function badResponse(label: string, endpoint: string, status: number | undefined, what: string, cause: unknown): CnError {
  const notFound = status === 404 || status === 405;
  return new CnError('TOKEN_ENDPOINT_BAD_RESPONSE', ExitCode.IdpFailure, `${label} ${endpoint} answered with ${what}, not an OAuth 2.0 response.`, {
    hint: notFound
      ? 'Check COGNITO_DOMAIN / COGNITO_TOKEN_URL: the URL does not look like a Cognito /oauth2/token endpoint.'
      : 'A proxy, firewall or an outage page may be answering instead of Cognito; check COGNITO_DOMAIN / COGNITO_TOKEN_URL and try again.',
    details: { endpoint, status },
    cause,
  });
}

function describeOpe(err: oauth.OperationProcessingError): string {
  const status = responseStatus(err.cause);
  switch (err.code) {
    case oauth.RESPONSE_IS_NOT_CONFORM:
      return `an unexpected HTTP ${status ?? 'status'}`;
    case oauth.RESPONSE_IS_NOT_JSON:
    case oauth.PARSE_ERROR:
      return 'a body that is not JSON';
    default:
      return 'an unexpected body';
  }
}

function responseStatus(cause: unknown): number | undefined {
  return typeof cause === 'object' && cause !== null && typeof (cause as { status?: unknown }).status === 'number' ? (cause as { status: number }).status : undefined;
}


// GET /oauth2/authorize and the checks /login shares with it: client and redirect_uri (errors that
// go to Cognito's /error page), then response_type, PKCE and scopes (errors redirected to the app
// with state), then the session shortcut; and the last hop of every sign-in: code or tokens to the app.
import { randomUUID } from 'node:crypto';
import { RESERVED_SCOPES, type ClientConfig } from './config.js';
import { CODE_MS, SESSION_MS, type Emu } from './context.js';
import { redirect, withFragment, withQuery, type Reply, type RequestContext } from './http.js';
import type { FederatedIdentityProvider } from './federation/idp-config.js';
import { FEDERATION_MESSAGES, federationErrorPage } from './federation/leg.js';
import { chooseProvider, startFederation } from './federation/start.js';
import type { AuthRequest } from './store.js';
import { issueUserTokens } from './token.js';

export const SESSION_COOKIE = 'cognito';

/**
 * Exact match as Cognito does it (scheme, host, port, path, trailing slash, case), plus the
 * emulator-only pattern `http://localhost:*` followed by a path, which matches that path on any port.
 */
export function redirectUriMatches(registered: readonly string[], uri: string): boolean {
  for (const r of registered) {
    if (r === uri) return true;
    const m = /^http:\/\/localhost:\*(\/.*)?$/.exec(r);
    if (m) {
      const path = m[1] ?? '';
      const u = /^http:\/\/localhost(?::(\d{1,5}))?(\/[^?#]*)?$/.exec(uri);
      if (u && (u[2] ?? '') === path) return true;
    }
  }
  return false;
}

export type AuthorizeCheck =
  | { kind: 'ok'; request: AuthRequest; client: ClientConfig; prompt: string[]; loginHint?: string; federate?: FederatedIdentityProvider }
  | { kind: 'error-page'; error: string; clientId: string }
  | { kind: 'idp-unavailable' }
  | { kind: 'redirect-error'; redirectUri: string; error: string; state?: string; description?: string };

const opt = (q: URLSearchParams, k: string): string | undefined => {
  const v = q.get(k);
  return v === null || v === '' ? undefined : v;
};

/** Validate authorize parameters (cognito-reference 1.1), in the order Cognito applies them. */
export function checkAuthorizeRequest(emu: Emu, q: URLSearchParams): AuthorizeCheck {
  const clientId = q.get('client_id') ?? '';
  const client = emu.clients.get(clientId);
  if (!client) return { kind: 'error-page', error: emu.behaviour.unknownClientError, clientId };
  const redirectUri = q.get('redirect_uri') ?? '';
  if (!redirectUri || !redirectUriMatches(client.CallbackURLs, redirectUri)) {
    return { kind: 'error-page', error: 'redirect_mismatch', clientId };
  }
  const state = opt(q, 'state');
  const fail = (error: string, description?: string): AuthorizeCheck => ({
    kind: 'redirect-error',
    redirectUri,
    error,
    ...(state !== undefined ? { state } : {}),
    ...(description ? { description } : {}),
  });
  const responseType = q.get('response_type') ?? '';
  if (!responseType) return fail('invalid_request');
  if (responseType !== 'code' && responseType !== 'token') return fail(emu.behaviour.unsupportedResponseTypeError);
  const flow = responseType === 'code' ? 'code' : 'implicit';
  if (!client.AllowedOAuthFlowsUserPoolClient || !client.AllowedOAuthFlows.includes(flow)) return fail('unauthorized_client');
  const method = opt(q, 'code_challenge_method');
  const challenge = opt(q, 'code_challenge');
  if (responseType === 'code' && (method !== undefined || challenge !== undefined)) {
    if (method !== 'S256' || challenge === undefined) return fail('invalid_request');
    if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(challenge)) return fail('invalid_request');
  }
  // identity_provider / idp_identifier: straight to that IdP, or Cognito's "Login option is not available".
  const choice = chooseProvider(emu, client, q);
  if (choice.kind === 'unavailable') return { kind: 'idp-unavailable' };
  // Unknown scopes are dropped, not refused; only a request left with nothing is invalid_scope.
  const rawScope = q.get('scope');
  let scopes: string[];
  if (rawScope === null || rawScope.trim() === '') scopes = [...client.AllowedOAuthScopes];
  else {
    const asked = rawScope.split(/\s+/).filter(Boolean);
    if (asked.some((s) => /[\s"\\]/.test(s))) return fail('invalid_scope');
    scopes = [...new Set(asked.filter((s) => client.AllowedOAuthScopes.includes(s)))];
    if (!scopes.length) return fail('invalid_scope');
  }
  // email/phone/profile need openid (Cognito scope rules).
  if (!scopes.includes('openid')) scopes = scopes.filter((s) => !['email', 'phone', 'profile'].includes(s));
  if (!scopes.length) return fail('invalid_scope');
  const resource = opt(q, 'resource');
  if (resource !== undefined && !/^(https:\/\/|http:\/\/localhost|[a-z][a-z0-9+.-]*:(?!\/\/))/i.test(resource)) return fail('invalid_request');
  const nonce = opt(q, 'nonce');
  // `prompt` and `login_hint` exist on Managed Login only; the classic UI ignores them.
  const prompt = emu.ui === 'managed' ? (q.get('prompt') ?? '').split(' ').filter(Boolean) : [];
  const loginHint = emu.ui === 'managed' ? opt(q, 'login_hint') : undefined;
  const request: AuthRequest = {
    responseType,
    clientId,
    redirectUri,
    scopes,
    ...(state !== undefined ? { state } : {}),
    ...(nonce !== undefined ? { nonce } : {}),
    ...(challenge !== undefined && responseType === 'code' ? { codeChallenge: challenge } : {}),
    ...(resource !== undefined ? { resource } : {}),
  };
  return { kind: 'ok', request, client, prompt, ...(loginHint !== undefined ? { loginHint } : {}), ...(choice.kind === 'federate' ? { federate: choice.idp } : {}) };
}

/** Answer a failed check: Cognito's /error page for bad client/redirect, else back to the app. */
export function authorizeFailure(ctx: RequestContext, check: Exclude<AuthorizeCheck, { kind: 'ok' }>): Reply {
  if (check.kind === 'idp-unavailable') return federationErrorPage(ctx, FEDERATION_MESSAGES.optionUnavailable);
  if (check.kind === 'error-page') {
    return redirect(ctx, `/error?${new URLSearchParams({ error: check.error, client_id: check.clientId }).toString()}`);
  }
  return redirect(ctx, withQuery(check.redirectUri, { error_description: check.description, error: check.error, state: check.state }));
}

/** GET /oauth2/authorize: validate, then a code at once with a live session, else the sign-in page with the same query. */
export async function handleAuthorize(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const check = checkAuthorizeRequest(emu, ctx.query);
  if (check.kind !== 'ok') return authorizeFailure(ctx, check);
  if (check.federate) return startFederation(emu, ctx, check.federate, check.request);
  const now = emu.clock.now();
  const session = emu.store.validSession(ctx.cookies[SESSION_COOKIE], now);
  if (check.prompt.includes('none')) {
    if (!session) return redirect(ctx, withQuery(check.request.redirectUri, { error: 'login_required', state: check.request.state }));
    return finishSignIn(emu, ctx, check.request, session.username, session.authTime);
  }
  if (session && !check.prompt.includes('login')) return finishSignIn(emu, ctx, check.request, session.username, session.authTime);
  return redirect(ctx, `/login${ctx.search}`);
}

/**
 * The end of every successful sign-in: make sure there is a session cookie, then 302 to the app
 * with `?code=&state=` (code flow) or `#access_token=...&token_type=bearer` (implicit).
 */
export async function finishSignIn(emu: Emu, ctx: RequestContext, request: AuthRequest, username: string, authTime: number): Promise<Reply> {
  const now = emu.clock.now();
  if (!emu.store.validSession(ctx.cookies[SESSION_COOKIE], now)) {
    const s = emu.store.newSession(username, authTime, now + SESSION_MS);
    ctx.setCookie(SESSION_COOKIE, s.id, { maxAgeSeconds: SESSION_MS / 1000 });
  }
  if (request.responseType === 'code') {
    const code = randomUUID();
    emu.store.codes.set(code, { ...request, username, authTime, expiresAt: now + CODE_MS, used: emu.faults.spendCodes() });
    emu.store.observe('codes', code);
    return redirect(ctx, withQuery(request.redirectUri, { code, state: redirectState(emu, request.state) }));
  }
  const client = emu.clients.get(request.clientId)!;
  const user = emu.store.findUser(username)!;
  const tokens = await issueUserTokens(emu, client, user, {
    scopes: request.scopes,
    authTime,
    originJti: randomUUID(),
    withAtHash: true,
    ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
    ...(request.resource !== undefined ? { resource: request.resource } : {}),
  });
  // Cognito's implicit redirect spells the type in lower case.
  return redirect(
    ctx,
    withFragment(request.redirectUri, { id_token: tokens.id_token, access_token: tokens.access_token, expires_in: String(tokens.expires_in), token_type: 'bearer', state: redirectState(emu, request.state) }),
  );
}

/** The app's `state`, or (fault `tamperState`) a different one of the same shape. */
function redirectState(emu: Emu, state: string | undefined): string | undefined {
  if (!emu.faults.tamperState()) return state;
  return state ? `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}` : 'tampered';
}

/** Scopes that exist in this pool (reserved plus resource-server scopes). */
export const knownScopes = (emu: Emu): Set<string> => new Set([...RESERVED_SCOPES, ...emu.customScopes]);

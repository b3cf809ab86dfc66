// POST /oauth2/token: authorization_code (single-use, 5-minute UUID codes, PKCE S256, redirect_uri
// re-checked), refresh_token (optional rotation) and client_credentials (resource-server scopes).
// Errors are 400 JSON {"error": ...} as Cognito sends them (cognito-reference 1.4).
import { createHash, randomUUID } from 'node:crypto';
import { tokenLifetimes, type ClientConfig, type UserConfig } from './config.js';
import { epochSeconds } from './clock.js';
import type { Emu } from './context.js';
import { authenticateClient } from './client-auth.js';
import { json, type Reply, type RequestContext } from './http.js';
import { mintClientToken, mintUserTokens, newRefreshToken, userSub } from './tokens.js';

export const CORS_PREFLIGHT_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'Authorization, Content-Type',
  'access-control-max-age': '600',
};

export function preflight(ctx: RequestContext): Reply {
  return { status: 204, headers: { ...CORS_PREFLIGHT_HEADERS, 'x-amz-cognito-request-id': ctx.requestId }, body: '' };
}

const oauthError = (ctx: RequestContext, error: string, description?: string, status = 400): Reply =>
  json(ctx, status, description ? { error, error_description: description } : { error });

/** RFC 7636 S256: BASE64URL(SHA256(verifier)) equals the challenge. */
export const pkceS256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

export async function handleToken(emu: Emu, ctx: RequestContext): Promise<Reply> {
  if (ctx.method === 'OPTIONS') return preflight(ctx);
  if (ctx.method !== 'POST') return json(ctx, 405, { error: 'invalid_request' }, { allow: 'POST, OPTIONS' });
  const type = (ctx.header('content-type') ?? '').toLowerCase();
  if (!type.startsWith('application/x-www-form-urlencoded')) return oauthError(ctx, 'invalid_request');
  const grant = ctx.form.get('grant_type');
  if (!grant) return oauthError(ctx, 'invalid_request');
  const client = authenticateClient(emu, ctx);
  if (!client) return oauthError(ctx, 'invalid_client', undefined, emu.behaviour.tokenInvalidClientStatus);
  switch (grant) {
    case 'authorization_code':
      return authorizationCode(emu, ctx, client);
    case 'refresh_token':
      return refreshToken(emu, ctx, client);
    case 'client_credentials':
      return clientCredentials(emu, ctx, client);
    default:
      return oauthError(ctx, 'unsupported_grant_type');
  }
}

/** Mint a user's ID and access tokens for a grant (code, refresh, or the implicit redirect). */
export async function issueUserTokens(
  emu: Emu,
  client: ClientConfig,
  user: UserConfig,
  g: { scopes: string[]; authTime: number; originJti: string; nonce?: string; resource?: string; withAtHash: boolean },
): Promise<{ access_token: string; id_token?: string; expires_in: number }> {
  const life = tokenLifetimes(client);
  const { accessToken, idToken } = await mintUserTokens(emu.keys, {
    issuer: emu.issuer,
    clientId: client.ClientId,
    user,
    sub: userSub(emu.pool.UserPoolId, user),
    scopes: g.scopes,
    authTime: g.authTime,
    now: epochSeconds(emu.clock),
    accessLifetime: life.access,
    idLifetime: life.id,
    originJti: g.originJti,
    withAtHash: g.withAtHash,
    ...(g.nonce !== undefined ? { nonce: g.nonce } : {}),
    ...(g.resource !== undefined ? { resource: g.resource } : {}),
  });
  emu.store.observe('tokens', accessToken, ...(idToken ? [idToken] : []));
  return { ...(idToken ? { id_token: idToken } : {}), access_token: accessToken, expires_in: life.access };
}

function storeRefreshToken(emu: Emu, client: ClientConfig, r: { username: string; scopes: string[]; authTime: number; originJti: string; resource?: string }): string {
  const token = newRefreshToken();
  emu.store.observe('tokens', token);
  emu.store.refreshTokens.set(token, {
    clientId: client.ClientId,
    username: r.username,
    scopes: r.scopes,
    authTime: r.authTime,
    originJti: r.originJti,
    expiresAt: emu.clock.now() + tokenLifetimes(client).refresh * 1000,
    revoked: false,
    ...(r.resource !== undefined ? { resource: r.resource } : {}),
  });
  return token;
}

async function authorizationCode(emu: Emu, ctx: RequestContext, client: ClientConfig): Promise<Reply> {
  const code = ctx.form.get('code');
  const redirectUri = ctx.form.get('redirect_uri');
  // Every verifier that arrives, whatever the outcome (a refused exchange must not leak it either).
  const sentVerifier = ctx.form.get('code_verifier');
  if (sentVerifier) emu.store.observe('codeVerifiers', sentVerifier);
  if (!code || !redirectUri) return oauthError(ctx, 'invalid_request');
  if (!client.AllowedOAuthFlowsUserPoolClient || !client.AllowedOAuthFlows.includes('code')) return oauthError(ctx, 'unauthorized_client');
  const rec = emu.store.codes.get(code);
  const now = emu.clock.now();
  // Used, unknown, expired or another client's code: all invalid_grant. A code is spent on first use.
  if (!rec || rec.used || rec.expiresAt <= now || rec.clientId !== client.ClientId) {
    if (rec && rec.expiresAt <= now) emu.store.codes.delete(code);
    return oauthError(ctx, 'invalid_grant');
  }
  rec.used = true;
  if (redirectUri !== rec.redirectUri) return oauthError(ctx, 'unauthorized_client', 'invalid_redirect');
  if (rec.codeChallenge !== undefined) {
    const verifier = ctx.form.get('code_verifier');
    if (!verifier) return oauthError(ctx, 'invalid_request');
    if (pkceS256(verifier) !== rec.codeChallenge) return oauthError(ctx, emu.behaviour.wrongCodeVerifierError);
  }
  const user = emu.store.findUser(rec.username);
  if (!user || !user.Enabled) return oauthError(ctx, 'invalid_grant');
  const originJti = randomUUID();
  const g = {
    scopes: rec.scopes,
    authTime: rec.authTime,
    originJti,
    withAtHash: true,
    ...(rec.nonce !== undefined ? { nonce: rec.nonce } : {}),
    ...(rec.resource !== undefined ? { resource: rec.resource } : {}),
  };
  const tokens = await issueUserTokens(emu, client, user, g);
  const refresh = storeRefreshToken(emu, client, { username: user.Username, ...g });
  return json(ctx, 200, { ...tokens, refresh_token: refresh, token_type: 'Bearer' });
}

async function refreshToken(emu: Emu, ctx: RequestContext, client: ClientConfig): Promise<Reply> {
  const token = ctx.form.get('refresh_token');
  if (!token) return oauthError(ctx, 'invalid_request');
  if (!client.AllowedOAuthFlowsUserPoolClient) return oauthError(ctx, 'unauthorized_client');
  const rec = emu.store.refreshTokens.get(token);
  const now = emu.clock.now();
  if (!rec || rec.revoked || rec.expiresAt <= now || rec.clientId !== client.ClientId || (rec.replacedUntil !== undefined && rec.replacedUntil <= now)) {
    return oauthError(ctx, 'invalid_grant');
  }
  const user = emu.store.findUser(rec.username);
  if (!user || !user.Enabled) return oauthError(ctx, 'invalid_grant');
  // auth_time stays the original sign-in; no nonce or at_hash on refreshed id tokens.
  const tokens = await issueUserTokens(emu, client, user, {
    scopes: rec.scopes,
    authTime: rec.authTime,
    originJti: rec.originJti,
    withAtHash: false,
    ...(rec.resource !== undefined ? { resource: rec.resource } : {}),
  });
  const rotation = client.RefreshTokenRotation?.Feature === 'ENABLED';
  if (!rotation) return json(ctx, 200, { ...tokens, token_type: 'Bearer' });
  rec.replacedUntil = Math.min(rec.replacedUntil ?? Infinity, now + (client.RefreshTokenRotation?.RetryGracePeriodSeconds ?? 0) * 1000);
  const next = storeRefreshToken(emu, client, { username: rec.username, scopes: rec.scopes, authTime: rec.authTime, originJti: rec.originJti, ...(rec.resource !== undefined ? { resource: rec.resource } : {}) });
  return json(ctx, 200, { ...tokens, refresh_token: next, token_type: 'Bearer' });
}

async function clientCredentials(emu: Emu, ctx: RequestContext, client: ClientConfig): Promise<Reply> {
  if (!client.AllowedOAuthFlowsUserPoolClient || !client.AllowedOAuthFlows.includes('client_credentials') || client.ClientSecret === undefined) {
    return oauthError(ctx, 'unauthorized_client');
  }
  const allowed = client.AllowedOAuthScopes.filter((s) => emu.customScopes.has(s));
  const asked = ctx.form.get('scope');
  let scopes: string[];
  if (asked === null || asked.trim() === '') scopes = allowed;
  else {
    const list = asked.split(/\s+/).filter(Boolean);
    if (list.some((s) => !emu.customScopes.has(s))) return oauthError(ctx, 'invalid_scope');
    scopes = [...new Set(list.filter((s) => allowed.includes(s)))];
  }
  if (!scopes.length) return oauthError(ctx, 'invalid_scope');
  const lifetime = tokenLifetimes(client).access;
  const accessToken = await mintClientToken(emu.keys, { issuer: emu.issuer, clientId: client.ClientId, scopes, now: epochSeconds(emu.clock), lifetime });
  emu.store.observe('tokens', accessToken);
  return json(ctx, 200, { access_token: accessToken, expires_in: lifetime, token_type: 'Bearer' });
}

// GET|POST /oauth2/userInfo: the signed-in user's attributes by scope, `*_verified` as strings
// ("true"), errors only in WWW-Authenticate (cognito-reference 1.5).
import type { Emu } from './context.js';
import { emptyJson, json, type Reply, type RequestContext } from './http.js';
import { preflight } from './token.js';
import { PROFILE_CLAIMS, userSub, verifyAccessToken } from './tokens.js';

const BAD_REQUEST = 'Bearer error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"';
const BAD_TOKEN = 'Bearer error="invalid_token", error_description="Access token is expired, disabled, or deleted, or the user has globally signed out."';

export async function handleUserInfo(emu: Emu, ctx: RequestContext): Promise<Reply> {
  if (ctx.method === 'OPTIONS') return preflight(ctx);
  if (ctx.method !== 'GET' && ctx.method !== 'POST') return emptyJson(ctx, 400, { 'www-authenticate': BAD_REQUEST });
  const auth = ctx.header('authorization') ?? '';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  if (!m?.[1]) return emptyJson(ctx, 400, { 'www-authenticate': BAD_REQUEST });
  const invalid = () => emptyJson(ctx, 401, { 'www-authenticate': BAD_TOKEN });
  const claims = await verifyAccessToken(emu.keys, m[1], emu.issuer, emu.clock.now());
  if (!claims) return invalid();
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
  // Only tokens from the token endpoint with openid, not revoked, for a user who still exists.
  if (!scopes.includes('openid') || typeof claims.username !== 'string') return invalid();
  if (typeof claims.origin_jti === 'string' && emu.store.revokedOrigins.has(claims.origin_jti)) return invalid();
  const user = emu.store.findUser(claims.username);
  if (!user || !user.Enabled) return invalid();
  // openid alone releases every attribute; email/phone/profile narrow it to their claims.
  const onlyOpenid = !scopes.some((s) => ['email', 'phone', 'profile'].includes(s));
  const released = (name: string): boolean => {
    if (onlyOpenid) return true;
    if (scopes.includes('email') && (name === 'email' || name === 'email_verified')) return true;
    if (scopes.includes('phone') && (name === 'phone_number' || name === 'phone_number_verified')) return true;
    if (scopes.includes('profile') && (PROFILE_CLAIMS.includes(name) || name.startsWith('custom:'))) return true;
    return false;
  };
  const body: Record<string, string> = { sub: userSub(emu.pool.UserPoolId, user) };
  for (const { Name, Value } of user.Attributes) if (Name !== 'sub' && released(Name)) body[Name] = Value;
  body.username = user.Username;
  return json(ctx, 200, body);
}

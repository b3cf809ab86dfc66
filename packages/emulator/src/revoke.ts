// POST /oauth2/revoke: revoke a refresh token and every access token issued from it (by origin_jti).
// 200 with an empty body even for unknown tokens; 401 invalid_client (cognito-reference 1.6).
import type { Emu } from './context.js';
import { authenticateClient } from './client-auth.js';
import { emptyJson, json, type Reply, type RequestContext } from './http.js';
import { preflight } from './token.js';
import { looksLikeJws } from './tokens.js';

export async function handleRevoke(emu: Emu, ctx: RequestContext): Promise<Reply> {
  if (ctx.method === 'OPTIONS') return preflight(ctx);
  if (ctx.method !== 'POST') return json(ctx, 405, { error: 'invalid_request' }, { allow: 'POST, OPTIONS' });
  const token = ctx.form.get('token');
  if (!token) return json(ctx, 400, { error: 'invalid_request' });
  const client = authenticateClient(emu, ctx);
  if (!client) return json(ctx, 401, { error: 'invalid_client' });
  if (!client.EnableTokenRevocation) return json(ctx, 400, { error: 'invalid_request', error_description: 'Token revocation is disabled for this client' });
  if (looksLikeJws(token)) return json(ctx, 400, { error: 'unsupported_token_type' });
  const rec = emu.store.refreshTokens.get(token);
  // Someone else's token is left alone, and the answer does not tell (RFC 7009 2.2).
  if (rec && rec.clientId === client.ClientId) {
    rec.revoked = true;
    emu.store.revokedOrigins.add(rec.originJti);
  }
  return emptyJson(ctx, 200);
}

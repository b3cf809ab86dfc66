// GET /logout: clear the session cookie, then go to logout_uri (which wins, other parameters
// ignored) or back to /login with redirect_uri and the sign-in parameters (cognito-reference 1.7).
import { redirectUriMatches, SESSION_COOKIE } from './authorize.js';
import type { Emu } from './context.js';
import { redirect, type Reply, type RequestContext } from './http.js';
import { PENDING_COOKIE } from './login.js';

const errorPage = (ctx: RequestContext, error: string, clientId: string): Reply =>
  redirect(ctx, `/error?${new URLSearchParams({ error, client_id: clientId }).toString()}`);

export async function handleLogout(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const q = ctx.query;
  const clientId = q.get('client_id') ?? '';
  const client = emu.clients.get(clientId);
  if (!client) return errorPage(ctx, clientId ? emu.behaviour.unknownClientError : 'invalid_request', clientId);
  const logoutUri = q.get('logout_uri');
  const redirectUri = q.get('redirect_uri');
  let target: string;
  if (logoutUri) {
    if (!redirectUriMatches(client.LogoutURLs, logoutUri)) return errorPage(ctx, 'redirect_mismatch', clientId);
    target = logoutUri;
  } else if (redirectUri) {
    if (!redirectUriMatches(client.CallbackURLs, redirectUri)) return errorPage(ctx, 'redirect_mismatch', clientId);
    const next = new URLSearchParams();
    const rt = q.get('response_type');
    if (rt) next.set('response_type', rt);
    next.set('client_id', clientId);
    next.set('redirect_uri', redirectUri);
    next.set('scope', q.get('scope') || client.AllowedOAuthScopes.join(' '));
    for (const k of ['state', 'nonce']) {
      const v = q.get(k);
      if (v) next.set(k, v);
    }
    target = `/login?${next.toString()}`;
  } else {
    return errorPage(ctx, 'invalid_request', clientId);
  }
  const sid = ctx.cookies[SESSION_COOKIE];
  if (sid) emu.store.sessions.delete(sid);
  const pid = ctx.cookies[PENDING_COOKIE];
  if (pid) emu.store.pending.delete(pid);
  ctx.clearCookie(SESSION_COOKIE);
  ctx.clearCookie(PENDING_COOKIE);
  return redirect(ctx, target);
}

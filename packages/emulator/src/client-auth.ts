// App-client authentication at /oauth2/token and /oauth2/revoke: client_secret_basic (Authorization
// header), client_secret_post (body), or a public client's bare client_id (cognito-reference 1.4).
import { timingSafeEqual } from 'node:crypto';
import type { ClientConfig } from './config.js';
import type { Emu } from './context.js';
import type { RequestContext } from './http.js';

const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const formDecode = (s: string): string => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
};

/** The authenticated client, or undefined when authentication fails (the caller answers invalid_client). */
export function authenticateClient(emu: Emu, ctx: RequestContext): ClientConfig | undefined {
  const auth = ctx.header('authorization');
  const bodyId = ctx.form.get('client_id') || undefined;
  const bodySecret = ctx.form.get('client_secret') || undefined;
  let id: string | undefined;
  let secret: string | undefined;
  if (auth && /^basic /i.test(auth)) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) return undefined;
    // RFC 6749 2.3.1: id and secret are form-encoded before base64.
    id = formDecode(decoded.slice(0, i));
    secret = formDecode(decoded.slice(i + 1)) || undefined;
    if (bodyId !== undefined && bodyId !== id) return undefined;
  } else {
    id = bodyId;
    secret = bodySecret;
  }
  if (!id) return undefined;
  const client = emu.clients.get(id);
  if (!client) return undefined;
  if (client.ClientSecret !== undefined) {
    // A confidential client must authenticate; PKCE alone is not enough.
    return secret !== undefined && safeEqual(secret, client.ClientSecret) ? client : undefined;
  }
  if (secret !== undefined && emu.behaviour.publicClientSecret === 'invalid_client') return undefined;
  return client;
}

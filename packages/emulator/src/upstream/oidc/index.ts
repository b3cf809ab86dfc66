// A real OpenID Provider on loopback, the upstream IdP that the Cognito emulator federates to (and
// that tests point the driver at directly): panva's oidc-provider for discovery, JWKS, the code
// flow, client_secret_post and userinfo, with our own interaction routes that check real passwords
// (and TOTP codes) and render the login UI chosen by `loginUi` (login-ui.ts).
// Real Cognito cannot reach an IdP on loopback (federation-reference.md A.3): this is for the
// emulator, the demo and the tests only.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import * as OTPAuth from 'otpauth';
import { usageError } from '../../../errors.js';
import type { UpstreamUser } from '../types.js';
import { REPLICAS, oidcProviderConsent, type Stage, type UpstreamLoginUi } from './login-ui.js';

export type { UpstreamLoginUi } from './login-ui.js';

export interface OidcUpstreamOptions {
  host?: string;
  port?: number;
  loginUi?: UpstreamLoginUi;
  clients: Array<{ clientId: string; clientSecret?: string; redirectUris: string[] }>;
  users: UpstreamUser[];
}

export interface RunningOidcUpstream {
  /** The OIDC issuer (discovery at `<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  /** http://host:port, no trailing slash. */
  baseUrl: string;
  stop(): Promise<void>;
}

// oidc-provider ships no type declarations; a string specifier keeps TypeScript from looking for them.
const OIDC_PROVIDER = 'oidc-provider';

interface Interaction {
  uid: string;
  prompt: { name: string; details: Record<string, unknown> };
  params: Record<string, unknown>;
  session?: { accountId?: string };
  grantId?: string;
}
interface GrantLike {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  addResourceScope(indicator: string, scope: string): void;
  save(): Promise<string>;
}
interface ProviderLike {
  callback(): http.RequestListener;
  interactionDetails(req: http.IncomingMessage, res: http.ServerResponse): Promise<Interaction>;
  interactionFinished(req: http.IncomingMessage, res: http.ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
  Grant: { new (init: { accountId: string; clientId: string }): GrantLike; find(id: string): Promise<GrantLike | undefined> };
}
type ProviderCtor = new (issuer: string, config: Record<string, unknown>) => ProviderLike;

/** Which accounts this browser has signed in with (Entra's "Pick an account"). */
export const REMEMBERED_ACCOUNTS_COOKIE = 'upstream_accounts';
const MAX_BODY = 64 * 1024;
/** How long one sign-in on the upstream may take (oidc-provider's Interaction lifetime). */
const INTERACTION_TTL_S = 900;

/** Where one interaction's sign-in is: the page shown, the username entered, the user found. */
interface SignInState {
  /** When the sign-in started (abandoned ones are dropped after the interaction's lifetime). */
  started: number;
  stage: Stage;
  username?: string;
  user?: UpstreamUser;
}

/** Start the upstream OP on `host:port` (127.0.0.1 and a free port by default). */
export async function startOidcUpstream(options: OidcUpstreamOptions): Promise<RunningOidcUpstream> {
  const host = options.host ?? '127.0.0.1';
  const loginUi = options.loginUi ?? 'oidc-provider';
  // The emulator's config is JSON: an unknown name is refused here, with the known ones.
  if (!Object.hasOwn(REPLICAS, loginUi)) {
    throw usageError('UPSTREAM_LOGIN_UI_UNKNOWN', `The local OIDC upstream has no login UI "${String(loginUi)}".`, { hint: `Use one of ${Object.keys(REPLICAS).join(', ')}.` });
  }
  const replica = REPLICAS[loginUi];
  const users = options.users;
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const issuer = baseUrl;

  const jwk = { ...(await signingKey()), kid: randomUUID(), alg: 'RS256', use: 'sig' };
  const Provider = await loadProvider();
  const byUsername = (name: string) => users.find((u) => u.username.toLowerCase() === name.trim().toLowerCase());
  const subOf = (u: UpstreamUser) => (typeof u.claims?.sub === 'string' ? u.claims.sub : u.username);

  const provider = quietly(() => new Provider(issuer, {
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      ...(c.clientSecret ? { client_secret: c.clientSecret } : {}),
      redirect_uris: c.redirectUris,
      // Cognito sends the secret in the body only (reference A.3); a public client is for direct tests.
      token_endpoint_auth_method: c.clientSecret ? 'client_secret_post' : 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username', 'upn'],
    },
    // The ID token carries the user's claims too, not only userinfo (Cognito maps from both).
    conformIdTokenClaims: false,
    // Explicit lifetimes (seconds): oidc-provider prints a notice on stdout for each default it uses.
    ttl: { AccessToken: 3600, AuthorizationCode: 120, IdToken: 3600, Interaction: INTERACTION_TTL_S, Session: 3600, Grant: 3600 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx: unknown, sub: string) {
      const user = users.find((u) => subOf(u) === sub);
      if (!user) return undefined;
      return { accountId: sub, claims: () => ({ preferred_username: user.username, ...user.claims, sub }) };
    },
  }));
  const providerListener = quietly(() => provider.callback());
  const states = new Map<string, SignInState>();

  const finishLogin = async (req: http.IncomingMessage, res: http.ServerResponse, uid: string, st: SignInState, remember: boolean) => {
    states.delete(uid);
    const user = st.user!;
    if (replica.accountPicker) {
      const known = rememberedAccounts(req).filter((a) => a.toLowerCase() !== user.username.toLowerCase());
      res.setHeader('Set-Cookie', `${REMEMBERED_ACCOUNTS_COOKIE}=${Buffer.from(JSON.stringify([user.username, ...known].slice(0, 5))).toString('base64url')}; Path=/; HttpOnly; SameSite=Lax`);
    }
    await provider.interactionFinished(req, res, { login: { accountId: subOf(user), remember } }, { mergeWithLastSubmission: false });
  };

  /** After the credentials: MFA if the user has a secret, then "Stay signed in?", then done. */
  const afterCredentials = (st: SignInState): Stage | 'done' => {
    if (st.user?.totpSecret) return replica.mfaSelect ? 'mfa-select' : 'otp';
    return replica.kmsi ? 'kmsi' : 'done';
  };

  const interaction = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    let details: Interaction;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      return send(res, 400, page('Sign-in expired', 'This sign-in session has expired or is unknown. Start again from the application.'));
    }
    const { uid, prompt, params } = details;
    const action = `/interaction/${uid}`;
    if (prompt.name === 'consent') {
      // Only oidc-provider's own UI shows consent; the replicas' IdPs are admin-consented apps.
      if (loginUi === 'oidc-provider' && req.method !== 'POST') {
        return send(res, 200, oidcProviderConsent(action, String(params.client_id), String(params.scope ?? '').split(' ').filter(Boolean)));
      }
      if (req.method === 'POST') await readForm(req);
      return grantConsent(provider, req, res, details);
    }
    if (prompt.name !== 'login') return send(res, 501, page('Not implemented', `Prompt ${prompt.name} is not implemented.`));

    let st = states.get(uid);
    if (!st) {
      const accounts = replica.accountPicker ? rememberedAccounts(req) : [];
      st = { started: Date.now(), stage: accounts.length > 0 ? 'pick' : replica.identifierFirst ? 'identifier' : 'credentials' };
      for (const [key, old] of states) if (Date.now() - old.started > INTERACTION_TTL_S * 1000) states.delete(key);
      const hint = typeof params.login_hint === 'string' ? params.login_hint : undefined;
      if (hint) st.username = hint;
      states.set(uid, st);
    }
    const render = (status: number, error?: string) =>
      send(res, status, replica.render({ stage: st.stage, action, ...(st.username ? { username: st.username } : {}), ...(error ? { error } : {}), accounts: rememberedAccounts(req) }));
    if (req.method !== 'POST') return render(200);

    const form = await readForm(req);
    if (form === undefined) return send(res, 413, page('Too large', 'The form is too large.'));
    const submitted = form.get('step');
    // A page submitted twice (back button, a second tab): show where the sign-in really is.
    if (submitted !== st.stage) return render(200);
    const next = (stage: Stage | 'done') => {
      if (stage === 'done') return finishLogin(req, res, uid, st, true);
      st.stage = stage;
      return seeOther(res, action);
    };
    switch (st.stage) {
      case 'pick': {
        const account = form.get('account');
        if (form.get('other') || !account) return next('identifier');
        st.username = account;
        return next('password');
      }
      case 'identifier': {
        const name = (form.get(replica.fields.username) ?? '').trim();
        const refused = !name || (replica.checksIdentifier && !byUsername(name));
        if (name) st.username = name;
        // The page's script checks the name in the background and stays in the same document.
        if (req.headers['x-requested-with'] === 'fetch') {
          if (!refused) st.stage = 'password';
          return sendJson(res, refused ? { error: replica.texts.unknownUser } : { ok: true });
        }
        if (refused) return render(200, replica.texts.unknownUser);
        return next('password');
      }
      case 'credentials':
      case 'password': {
        if (form.get('back')) {
          delete st.username;
          return next('identifier');
        }
        if (st.stage === 'credentials') st.username = (form.get(replica.fields.username) ?? '').trim();
        const user = st.username ? byUsername(st.username) : undefined;
        const password = form.get(replica.fields.password) ?? '';
        if (!user || !sameSecret(password, user.password)) return render(200, replica.texts.badPassword);
        st.user = user;
        return next(afterCredentials(st));
      }
      case 'mfa-select':
        // Only the code is implemented; a push approval cannot be automated anyway.
        if (!replica.totpMethod || form.get('method') !== replica.totpMethod) return render(200);
        return next('otp');
      case 'otp': {
        const code = (form.get(replica.fields.otp) ?? '').replace(/\s/g, '');
        if (!st.user?.totpSecret || !validTotp(st.user.totpSecret, code)) return render(200, replica.texts.badCode);
        return next(replica.kmsi ? 'kmsi' : 'done');
      }
      case 'kmsi':
        return finishLogin(req, res, uid, st, form.get('kmsi') === 'Yes');
      default:
        return render(200);
    }
  };

  server.on('request', (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (!path.startsWith('/interaction/')) return providerListener(req, res);
    interaction(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, page('Error', 'The sign-in page failed.'));
      else res.end();
    });
  });

  return {
    issuer,
    baseUrl,
    async stop() {
      states.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Two warnings oidc-provider prints on stderr do not apply here: the Node 20 runtime (it runs; see
 * DESIGN.md) and the in-memory adapter (a test IdP keeps nothing). Everything else still prints.
 */
const KNOWN_WARNINGS = /^oidc-provider WARNING: (Unsupported runtime|a quick start development-only in-memory adapter)/;

function muteKnownWarnings(): () => void {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && KNOWN_WARNINGS.test(args[0].replace(/\x1b\[[0-9;]*m/g, ''))) return;
    warn(...args);
  };
  return () => {
    console.warn = warn;
  };
}

function quietly<T>(work: () => T): T {
  const restore = muteKnownWarnings();
  try {
    return work();
  } finally {
    restore();
  }
}

let rsaKey: Promise<Record<string, unknown>> | undefined;
/**
 * RS256, as the real IdPs sign by default. An RSA key takes from 50 ms to seconds to generate on a
 * loaded machine, so the process makes one and every upstream it starts uses it (with its own kid).
 */
function signingKey(): Promise<Record<string, unknown>> {
  rsaKey ??= generateKeyPair('RS256', { extractable: true }).then(async ({ privateKey }) => ({ ...(await exportJWK(privateKey)) }));
  return rsaKey;
}

let providerModule: Promise<ProviderCtor> | undefined;
/** oidc-provider loads on first use (the emulator starts no upstream unless its config names one). */
function loadProvider(): Promise<ProviderCtor> {
  if (!providerModule) {
    const restore = muteKnownWarnings();
    providerModule = (import(OIDC_PROVIDER) as Promise<{ default: ProviderCtor }>).then((m) => m.default).finally(restore);
  }
  return providerModule;
}

/** Grant what the client asked for, as oidc-provider's devInteractions consent does. */
async function grantConsent(provider: ProviderLike, req: http.IncomingMessage, res: http.ServerResponse, details: Interaction): Promise<void> {
  const { prompt, params, session, grantId } = details;
  const grant = (grantId ? await provider.Grant.find(grantId) : undefined) ?? new provider.Grant({ accountId: session?.accountId ?? '', clientId: String(params.client_id) });
  const d = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
  if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(d.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
  await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
}

function rememberedAccounts(req: http.IncomingMessage): string[] {
  const raw = (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${REMEMBERED_ACCOUNTS_COOKIE}=`))
    ?.slice(REMEMBERED_ACCOUNTS_COOKIE.length + 1);
  if (!raw) return [];
  try {
    const list: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    return Array.isArray(list) ? list.filter((a): a is string => typeof a === 'string').slice(0, 5) : [];
  } catch {
    return [];
  }
}

/** Encode a remembered-accounts cookie value (tests seed a browser with it). */
export function rememberedAccountsCookie(accounts: string[]): string {
  return Buffer.from(JSON.stringify(accounts)).toString('base64url');
}

/** Constant-time comparison of two secrets of any length. */
function sameSecret(given: string, expected: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(given), h(expected));
}

function validTotp(secret: string, code: string): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret.replace(/\s/g, '').toUpperCase()), digits: 6, period: 30, algorithm: 'SHA1' });
  return totp.validate({ token: code, window: 1 }) !== null;
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

function sendJson(res: http.ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function seeOther(res: http.ServerResponse, location: string): void {
  res.writeHead(303, { location, 'content-length': '0', 'cache-control': 'no-store' });
  res.end();
}

function page(title: string, text: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`;
}


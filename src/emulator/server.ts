// The emulator's HTTP server: one route table for the pool domain and the issuer paths, faults
// (latency, injected failures, slow login page) applied before handlers, cookies merged after.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleAuthorize } from './authorize.js';
import type { Emu } from './context.js';
import { handleDiscovery, handleJwks } from './discovery.js';
import type { FaultEndpoint } from './faults.js';
import { handleOidcIdpResponse } from './federation/oidc.js';
import { handleSamlIdpResponse } from './federation/saml.js';
import { html, json, readBody, RequestContext, type Reply } from './http.js';
import * as login from './login.js';
import { handleLogout } from './logout.js';
import * as passkeys from './passkeys.js';
import { errorPage } from './pages/layout.js';
import { managedBundle } from './managed-login/bundle.js';
import { handleRevoke } from './revoke.js';
import { handleToken } from './token.js';
import { handleUserInfo } from './userinfo.js';

type Handler = (emu: Emu, ctx: RequestContext) => Promise<Reply>;

interface Route {
  endpoint: FaultEndpoint;
  /** JSON endpoints answer failures in JSON; pages in HTML. */
  kind: 'json' | 'page';
  GET?: Handler;
  POST?: Handler;
  /** One handler for every method (it checks the method itself). */
  ANY?: Handler;
}

async function errorRoute(_emu: Emu, ctx: RequestContext): Promise<Reply> {
  // Cognito's own error page answers 400 whatever the error.
  return html(ctx, 400, errorPage(ctx.query.get('error') ?? 'unknown'));
}

function routes(emu: Emu): Map<string, Route> {
  const page = (GET: Handler, POST?: Handler): Route => ({ endpoint: 'login', kind: 'page', GET, ...(POST ? { POST } : {}) });
  const r = new Map<string, Route>([
    ['/oauth2/authorize', { endpoint: 'authorize', kind: 'page', GET: handleAuthorize }],
    ['/login', page(login.getLogin, login.postLogin)],
    ['/verifyPassword', page(login.getVerifyPassword, login.postVerifyPassword)],
    ['/mfa', page(login.getMfa, login.postMfa)],
    ['/changePassword', page(login.getChangePassword, login.postChangePassword)],
    ['/confirm', page(login.getConfirm, login.postConfirm)],
    ['/confirmUser', page(login.getConfirm, login.postConfirm)],
    ['/resendcode', page(login.getResendCode)],
    ['/forgotPassword', page(login.getForgotPassword, login.postForgotPassword)],
    ['/confirmforgotPassword', page(login.getConfirmForgotPassword, login.postConfirmForgotPassword)],
    ['/signup', page(login.getSignup)],
    // Passkeys (Managed Login): WebAuthn options and verification for the app, and the add page.
    ['/passkeys/options', { endpoint: 'login', kind: 'json', POST: passkeys.postPasskeyOptions }],
    ['/passkeys/verify', { endpoint: 'login', kind: 'json', POST: passkeys.postPasskeyVerify }],
    ['/passkeys/register', { endpoint: 'login', kind: 'json', POST: passkeys.postPasskeyRegister }],
    ['/passkeys/add', page(passkeys.getPasskeysAdd)],
    ['/error', { endpoint: 'login', kind: 'page', GET: errorRoute }],
    // Federation: the OIDC IdP's redirect back, and the SAML assertion consumer service (POST only).
    ['/oauth2/idpresponse', { endpoint: 'authorize', kind: 'page', GET: handleOidcIdpResponse }],
    ['/saml2/idpresponse', { endpoint: 'authorize', kind: 'page', POST: handleSamlIdpResponse }],
    ['/logout', { endpoint: 'logout', kind: 'page', GET: handleLogout }],
    ['/oauth2/token', { endpoint: 'token', kind: 'json', ANY: handleToken }],
    ['/oauth2/userInfo', { endpoint: 'userInfo', kind: 'json', ANY: handleUserInfo }],
    ['/oauth2/revoke', { endpoint: 'revoke', kind: 'json', ANY: handleRevoke }],
    [`/${emu.pool.UserPoolId}/.well-known/openid-configuration`, { endpoint: 'discovery', kind: 'json', GET: handleDiscovery }],
    [`/${emu.pool.UserPoolId}/.well-known/jwks.json`, { endpoint: 'jwks', kind: 'json', GET: handleJwks }],
  ]);
  // Clients spell the userInfo path both ways.
  r.set('/oauth2/userinfo', r.get('/oauth2/userInfo')!);
  return r;
}

function injectedFailure(ctx: RequestContext, route: Route, status: number, retryAfter: number | undefined): Reply {
  const extra: Record<string, string> = retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {};
  if (route.kind === 'json') {
    const body = status === 429 ? { error: 'too_many_requests', error_description: 'Rate exceeded' } : { error: 'server_error' };
    return json(ctx, status, body, extra);
  }
  const reply = html(ctx, status, errorPage(status === 429 ? 'too_many_requests' : 'server_error'));
  return { ...reply, headers: { ...reply.headers, ...extra } };
}

function send(res: ServerResponse, reply: Reply, cookies: string[]): void {
  const headers: Record<string, string | string[]> = { ...reply.headers };
  if (cookies.length) headers['set-cookie'] = cookies;
  headers['content-length'] = String(Buffer.byteLength(reply.body));
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

export function createEmulatorServer(emu: Emu): Server {
  const table = routes(emu);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const route = table.get(url.pathname);
    const method = (req.method ?? 'GET').toUpperCase();
    let form = new URLSearchParams();
    if (method === 'POST') {
      const text = await readBody(req);
      if ((req.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) form = new URLSearchParams(text);
    }
    const ctx = new RequestContext(req, url, form);
    // Managed Login's prebuilt client bundle and CSS: static, never faulted or slowed.
    const asset = emu.ui === 'managed' && method === 'GET' ? managedBundle().asset(url.pathname) : undefined;
    if (asset) {
      send(res, { status: 200, headers: { 'content-type': asset.contentType, 'cache-control': 'public, max-age=31536000, immutable' }, body: asset.body }, []);
      return;
    }
    if (!route) {
      send(res, { status: 404, headers: { 'content-type': 'text/plain;charset=UTF-8', 'x-amz-cognito-request-id': ctx.requestId }, body: 'Not Found' }, []);
      return;
    }
    const handler = route.ANY ?? (method === 'GET' || method === 'HEAD' ? route.GET : method === 'POST' ? route.POST : undefined);
    if (!handler) {
      send(res, { status: 405, headers: { allow: [route.GET && 'GET', route.POST && 'POST'].filter(Boolean).join(', '), 'x-amz-cognito-request-id': ctx.requestId }, body: '' }, []);
      return;
    }
    if (method !== 'OPTIONS') {
      const delay = emu.faults.latencyFor(route.endpoint) + (route.endpoint === 'login' && method === 'GET' ? emu.faults.slowLoginPageMs() : 0);
      if (delay > 0) {
        // Logged on arrival, so a test can tell a request is in flight while it is held.
        emu.logger.debug(`emulator: holding ${method} ${url.pathname} for ${delay} ms (injected latency)`);
        await sleep(delay);
      }
      const failure = emu.faults.takeFailure(route.endpoint);
      if (failure) {
        send(res, injectedFailure(ctx, route, failure.status, failure.retryAfterSeconds), []);
        emu.logger.debug(`emulator: ${method} ${url.pathname} -> ${failure.status} (injected)`);
        return;
      }
    }
    let reply: Reply;
    try {
      reply = await handler(emu, ctx);
    } catch (err) {
      emu.logger.warn(`emulator: ${method} ${url.pathname} failed: ${err instanceof Error ? err.message : String(err)}`);
      reply = route.kind === 'json' ? json(ctx, 500, { error: 'server_error' }) : html(ctx, 500, errorPage('server_error'));
      send(res, reply, []);
      return;
    }
    send(res, reply, ctx.outCookies);
    // The grant type tells a sign-in from a refresh in --debug output (and in tests that count them).
    const grant = route.endpoint === 'token' ? form.get('grant_type') : null;
    emu.logger.debug(`emulator: ${method} ${url.pathname}${grant ? ` (${grant})` : ''} -> ${reply.status}`);
  };
  return createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      emu.logger.warn(`emulator: request failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) res.writeHead(400).end();
      else res.destroy();
    });
  });
}

// A small API protected by Cognito tokens, for the demo and the tests: verifies access and ID
// tokens with jose against the pool's JWKS and answers by group and scope, as a real backend would.
//
// Routes (all GET, JSON):
//   /health           no token needed
//   /me               any valid access or ID token: username, groups, token_use, and for a
//                     federated user's ID token its `identities` (the IdP it signed in at)
//   /admin/reports    group `admin` only (403 otherwise)
//   /reports/scoped   an access token with scope `demo-api/read`, or any valid ID token. ID tokens
//                     carry no scopes; API Gateway's Cognito authorizer likewise accepts an ID
//                     token when a method sets no scopes, and wants the access token when it does.
// Errors follow RFC 6750 §3: a request without credentials gets 401 and a bare
// `WWW-Authenticate: Bearer realm="demo-api"`; a bad, expired or forged token gets 401 with
// `error="invalid_token"`; a valid token without the scope gets 403 `error="insufficient_scope"`;
// a valid token of the wrong group gets 403 `{"error":"forbidden"}`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';

export interface DemoApiOptions {
  /** 0 picks a free port. */
  port: number;
  /** The pool's issuer, e.g. https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X or the emulator's. */
  issuer: string;
  /** Default `<issuer>/.well-known/jwks.json`, where Cognito publishes it. */
  jwksUri?: string;
  /** App clients whose tokens are accepted (`client_id` of access tokens, `aud` of ID tokens). */
  clientIds: string[];
  /** Listen address; default loopback. */
  host?: string;
  /** Time for `exp`/`nbf` checks, epoch ms; default the system clock (tests move it). */
  now?: () => number;
}

export interface DemoApi {
  baseUrl: string;
  stop(): Promise<void>;
}

export const READ_SCOPE = 'demo-api/read';
export const ADMIN_GROUP = 'admin';
const REALM = 'demo-api';

/** Claims the API reads (Cognito access and ID tokens, cognito-reference §4.2–4.3). */
interface CognitoClaims extends JWTPayload {
  token_use?: unknown;
  client_id?: unknown;
  username?: unknown;
  'cognito:username'?: unknown;
  'cognito:groups'?: unknown;
  scope?: unknown;
  /** Federated users' ID tokens: a JSON string (most real captures) or the parsed array. */
  identities?: unknown;
}

class Rejected extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly error: 'invalid_token' | 'insufficient_scope' | 'forbidden',
    readonly description: string,
    readonly scope?: string,
  ) {
    super(description);
  }
}

const quote = (s: string) => s.replace(/["\\]/g, '');

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(text);
}

function reject(res: ServerResponse, r: Rejected): void {
  if (r.error === 'forbidden') {
    send(res, 403, { error: 'forbidden', message: r.description });
    return;
  }
  const scope = r.scope ? `, scope="${quote(r.scope)}"` : '';
  send(res, r.status, { error: r.error, error_description: r.description }, {
    'www-authenticate': `Bearer realm="${REALM}", error="${r.error}", error_description="${quote(r.description)}"${scope}`,
  });
}

/** The bearer token of the request, `null` when it carries none (RFC 6750 §2.1). */
function bearerToken(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1]! : null;
}

function explain(e: unknown): string {
  if (e instanceof joseErrors.JWTExpired) return 'The token has expired.';
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return 'The token signature is invalid.';
  if (e instanceof joseErrors.JWKSNoMatchingKey) return 'The token was not signed by a key of this user pool.';
  if (e instanceof joseErrors.JWTClaimValidationFailed) return `The token claim ${e.claim} is not valid (${e.reason}).`;
  if (e instanceof joseErrors.JOSEError) return 'The token is malformed.';
  return 'The token could not be verified.';
}

/** The ID token's `identities` as an array (Cognito sends a JSON string; federation-reference A.4). */
const identitiesOf = (c: CognitoClaims): unknown[] | undefined => {
  let v = c.identities;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v) as unknown;
    } catch {
      return undefined;
    }
  }
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v : [v];
};
const groupsOf = (c: CognitoClaims): string[] => (Array.isArray(c['cognito:groups']) ? c['cognito:groups'].map(String) : []);
const scopesOf = (c: CognitoClaims): string[] => (typeof c.scope === 'string' ? c.scope.split(' ').filter(Boolean) : []);

/** Start the demo API on 127.0.0.1 (or `host`); resolves once it listens. */
export async function startDemoApi(options: DemoApiOptions): Promise<DemoApi> {
  const issuer = options.issuer.replace(/\/+$/, '');
  const jwks = createRemoteJWKSet(new URL(options.jwksUri ?? `${issuer}/.well-known/jwks.json`));
  const clientIds = new Set(options.clientIds);
  const now = options.now ?? (() => Date.now());

  /** Signature, `iss`, `exp` (jose); then `token_use` and the client, as AWS's verifying-a-JWT guide lists. */
  async function verify(token: string): Promise<CognitoClaims> {
    let claims: CognitoClaims;
    try {
      ({ payload: claims } = await jwtVerify<CognitoClaims>(token, jwks, { issuer, algorithms: ['RS256'], currentDate: new Date(now()) }));
    } catch (e) {
      if (e instanceof joseErrors.JWKSTimeout || (e instanceof Error && !(e instanceof joseErrors.JOSEError))) throw e;
      throw new Rejected(401, 'invalid_token', explain(e));
    }
    if (claims.token_use === 'access') {
      if (typeof claims.client_id !== 'string' || !clientIds.has(claims.client_id)) throw new Rejected(401, 'invalid_token', 'The token was issued to another app client.');
    } else if (claims.token_use === 'id') {
      const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (!aud.some((a) => typeof a === 'string' && clientIds.has(a))) throw new Rejected(401, 'invalid_token', 'The token was issued to another app client.');
    } else {
      throw new Rejected(401, 'invalid_token', 'The token is neither an access token nor an ID token.');
    }
    return claims;
  }

  const routes: Record<string, (c: CognitoClaims) => unknown> = {
    '/me': (c) => ({
      username: (c.token_use === 'id' ? c['cognito:username'] : c.username) ?? c.client_id ?? c.sub,
      sub: c.sub,
      groups: groupsOf(c),
      token_use: c.token_use,
      client_id: c.token_use === 'id' ? c.aud : c.client_id,
      scope: c.token_use === 'access' ? scopesOf(c) : undefined,
      identities: identitiesOf(c),
    }),
    '/admin/reports': (c) => {
      if (!groupsOf(c).includes(ADMIN_GROUP)) throw new Rejected(403, 'forbidden', `Only members of the group "${ADMIN_GROUP}" may read admin reports.`);
      return { reports: [{ id: 1, name: 'Quarterly revenue' }, { id: 2, name: 'User sign-ins' }] };
    },
    '/reports/scoped': (c) => {
      if (c.token_use === 'access' && !scopesOf(c).includes(READ_SCOPE)) {
        throw new Rejected(403, 'insufficient_scope', `The access token lacks the scope ${READ_SCOPE}.`, READ_SCOPE);
      }
      return { reports: [{ id: 3, name: 'Public summary' }], grantedBy: c.token_use === 'id' ? 'id token' : `scope ${READ_SCOPE}` };
    },
  };

  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path === '/health') return send(res, 200, { ok: true });
      const route = routes[path];
      if (!route) return send(res, 404, { error: 'not_found' });
      if (req.method !== 'GET') return send(res, 405, { error: 'method_not_allowed' }, { allow: 'GET' });
      const token = bearerToken(req);
      if (!token) return send(res, 401, { error: 'unauthorized' }, { 'www-authenticate': `Bearer realm="${REALM}"` });
      try {
        return send(res, 200, route(await verify(token)));
      } catch (e) {
        if (e instanceof Rejected) return reject(res, e);
        return send(res, 503, { error: 'jwks_unavailable', message: 'The signing keys of the user pool could not be fetched.' });
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

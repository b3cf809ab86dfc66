// Small HTTP plumbing for the emulator: the request context handlers get, the reply they return,
// cookies, form bodies and the headers every Cognito JSON response carries.
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface CookieOptions {
  maxAgeSeconds?: number;
  httpOnly?: boolean;
}

export class RequestContext {
  readonly requestId = randomUUID();
  readonly cookies: Record<string, string>;
  readonly query: URLSearchParams;
  readonly path: string;
  /** Set-Cookie values the handler adds; the server sends them with whatever reply comes back. */
  readonly outCookies: string[] = [];

  constructor(
    readonly req: IncomingMessage,
    readonly url: URL,
    readonly form: URLSearchParams,
  ) {
    this.cookies = parseCookies(req.headers.cookie);
    this.query = url.searchParams;
    this.path = url.pathname;
  }

  get method(): string {
    return (this.req.method ?? 'GET').toUpperCase();
  }

  header(name: string): string | undefined {
    const v = this.req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  }

  setCookie(name: string, value: string, o: CookieOptions = {}): void {
    // No `Secure`: the emulator serves plain http on loopback, where real Cognito's Secure flag
    // would keep non-browser clients from sending the cookie back.
    let c = `${name}=${value}; Path=/; SameSite=Lax`;
    if (o.httpOnly !== false) c += '; HttpOnly';
    if (o.maxAgeSeconds !== undefined) c += `; Max-Age=${o.maxAgeSeconds}`;
    this.outCookies.push(c);
  }

  clearCookie(name: string): void {
    this.outCookies.push(`${name}=; Path=/; SameSite=Lax; HttpOnly; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`);
  }

  /** The query string as received (with `?`), or empty: pages keep the authorize parameters on every hop. */
  get search(): string {
    return this.url.search;
  }
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    if (k && !(k in out)) out[k] = part.slice(i + 1).trim();
  }
  return out;
}

const MAX_BODY = 1024 * 1024;

/** Read a request body as text (bounded: the emulator is a test tool, not a file server). */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Headers on every JSON endpoint answer, as Cognito sends them (token endpoint docs). */
function jsonHeaders(ctx: RequestContext): Record<string, string> {
  return {
    'content-type': 'application/json;charset=UTF-8',
    'x-amz-cognito-request-id': ctx.requestId,
    'access-control-allow-origin': '*',
    'cache-control': 'no-cache, no-store, max-age=0, must-revalidate',
    pragma: 'no-cache',
  };
}

export function json(ctx: RequestContext, status: number, body: unknown, extra: Record<string, string> = {}): Reply {
  return { status, headers: { ...jsonHeaders(ctx), ...extra }, body: body === undefined ? '' : JSON.stringify(body) };
}

/** A JSON endpoint answer with no body (revoke success, userInfo errors). */
export function emptyJson(ctx: RequestContext, status: number, extra: Record<string, string> = {}): Reply {
  return { status, headers: { ...jsonHeaders(ctx), ...extra }, body: '' };
}

export function html(ctx: RequestContext, status: number, body: string): Reply {
  return {
    status,
    headers: {
      'content-type': 'text/html;charset=UTF-8',
      'x-amz-cognito-request-id': ctx.requestId,
      'cache-control': 'no-cache, no-store, max-age=0, must-revalidate',
      'x-frame-options': 'DENY',
    },
    body,
  };
}

export function redirect(ctx: RequestContext, location: string, status = 302): Reply {
  return { status, headers: { location, 'x-amz-cognito-request-id': ctx.requestId, 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate' }, body: '' };
}

/** Append parameters to a URL's query, keeping what it already has (RFC 6749 4.1.2). */
export function withQuery(base: string, params: Record<string, string | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
  if (!entries.length) return base;
  const qs = new URLSearchParams(entries).toString();
  const hashAt = base.indexOf('#');
  const head = hashAt >= 0 ? base.slice(0, hashAt) : base;
  return `${head}${head.includes('?') ? '&' : '?'}${qs}`;
}

/** Implicit grant: parameters in the fragment. */
export function withFragment(base: string, params: Record<string, string | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
  return `${base}#${new URLSearchParams(entries).toString()}`;
}

// One bounded HTTP GET for the doctor's network checks: undici, redirects NOT followed (the
// Location header is the answer for /oauth2/authorize), body read only when asked and capped, and
// every transport failure classified (refused, DNS, timeout, TLS) so a check can say what to do.
import { request, type Dispatcher } from 'undici';

export interface ProbeOptions {
  /** Bound on the whole exchange, connection to last body byte. */
  timeoutMs: number;
  /** Read the body as text (pages, JWKS); otherwise it is discarded. */
  readBody?: boolean;
  accept?: string;
  dispatcher?: Dispatcher;
}

export type ProbeFailure = 'refused' | 'dns' | 'timeout' | 'tls' | 'network';

export type ProbeOutcome =
  | { kind: 'response'; url: string; status: number; location: string | undefined; contentType: string; body: string; ms: number }
  | { kind: 'unreachable'; url: string; reason: ProbeFailure; code: string; ms: number };

// Pages are small; a cap keeps a misconfigured URL (a download, a stream) from holding the check.
const MAX_BODY_CHARS = 512 * 1024;

const TLS_CODE = /^(CERT_|ERR_TLS_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_SSL_)/;

/** The failure class of an error undici threw (its own code, or the socket's, or the abort's name). */
export function classifyTransportError(err: unknown): { reason: ProbeFailure; code: string } {
  const e = (err ?? {}) as { name?: string; code?: string; cause?: { code?: string; name?: string } };
  const code = e.code ?? e.cause?.code ?? e.name ?? 'unknown';
  if (code === 'ECONNREFUSED') return { reason: 'refused', code };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') return { reason: 'dns', code };
  if (
    e.name === 'TimeoutError' ||
    e.name === 'AbortError' ||
    code === 'ETIMEDOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_ABORTED'
  ) {
    return { reason: 'timeout', code: e.name === 'TimeoutError' || e.name === 'AbortError' ? 'timeout' : code };
  }
  if (TLS_CODE.test(code)) return { reason: 'tls', code };
  return { reason: 'network', code };
}

/** GET `url` once. Never throws for transport failures: they are an outcome a check interprets. */
export async function probe(url: string, options: ProbeOptions): Promise<ProbeOutcome> {
  const started = Date.now();
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const res = await request(url, {
      method: 'GET',
      signal,
      headers: { accept: options.accept ?? '*/*', 'user-agent': 'cognito-newman-doctor' },
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    let body = '';
    if (options.readBody) {
      body = await res.body.text();
      if (body.length > MAX_BODY_CHARS) body = body.slice(0, MAX_BODY_CHARS);
    } else {
      await res.body.dump();
    }
    const header = (name: string): string | undefined => {
      const v = res.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    return { kind: 'response', url, status: res.statusCode, location: header('location'), contentType: header('content-type') ?? '', body, ms: Date.now() - started };
  } catch (err) {
    return { kind: 'unreachable', url, ...classifyTransportError(err), ms: Date.now() - started };
  }
}

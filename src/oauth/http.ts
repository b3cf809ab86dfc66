// The HTTP layer under every token-endpoint call: undici fetch on the caller's dispatcher, a timeout
// per request, retries with capped exponential backoff and full jitter on 429, 5xx and connection
// errors (honouring Retry-After), all inside one overall deadline that ends in exit 4.
//
// oauth4webapi builds and parses the requests; it has no retry policy, so this is handed to it as
// its `customFetch`. A retry resends the same form. For a refresh or client-credentials grant that
// is harmless. An authorization code is single use (RFC 6749 4.1.2): once a request carrying it may
// have reached the server, a second one can only earn invalid_grant and hide what happened. So a
// single-use request is retried only when it certainly was not processed: the connection was never
// made (refused, no route, DNS), or the server refused it with 429 or 503 (RFC 6585 4, RFC 9110
// 15.6.4: not processed, come back later). A timeout, a reset or any other 5xx ends the call with
// TOKEN_ANSWER_LOST, exit 4. Any 4xx is returned at once, never retried.
import { fetch as undiciFetch, Headers, Response, type Dispatcher } from 'undici';
import { idpFailure, isCnError } from '../errors.js';
import { registerSecret, type Logger } from '../log.js';

export interface RetryPolicy {
  /** Overall deadline for the call, retries and waits included. */
  deadlineMs: number;
  /** One request, body included. */
  requestTimeoutMs: number;
  /** Retries after the first request (the deadline may end them sooner). */
  maxRetries: number;
  /** First backoff ceiling; doubles per retry up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  deadlineMs: 20_000,
  requestTimeoutMs: 10_000,
  maxRetries: 8,
  baseDelayMs: 200,
  maxDelayMs: 4_000,
};

export interface RetryingFetchOptions {
  policy: RetryPolicy;
  /** e.g. "The token endpoint": starts the exit-4 message. */
  label: string;
  dispatcher?: Dispatcher | undefined;
  logger: Logger;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** [0, 1), for the jitter. */
  random: () => number;
  /** Sees each JSON body before anyone else, so tokens are registered for redaction the moment they exist. */
  onJson?: (body: Record<string, unknown>) => void;
  /**
   * The request spends something single use (an authorization code): once it may have reached the
   * server it is never sent again (see the top of this file).
   */
  singleUse?: boolean;
}

/** The request shape oauth4webapi hands to its customFetch. */
export interface FetchInit {
  body?: unknown;
  headers: Record<string, string>;
  method: string;
  redirect?: 'manual' | 'follow' | 'error';
  signal?: AbortSignal;
}

export interface RetryingFetch {
  (url: string, init: FetchInit): Promise<Response>;
  /** Requests sent so far. */
  readonly attempts: number;
}

const RETRYABLE = (status: number) => status === 429 || status >= 500;
/** Statuses that say the request was refused before it was processed: safe to resend even a code. */
const NOT_PROCESSED = (status: number) => status === 429 || status === 503;
/**
 * Socket errors raised before a byte of the request left: the connection was never made. A reset
 * (ECONNRESET, undici's "other side closed") or a timeout may come after the server read it.
 */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);

/** A fetch that retries per the policy; the deadline clock starts when it is created. */
export function createRetryingFetch(o: RetryingFetchOptions): RetryingFetch {
  const deadline = o.now() + o.policy.deadlineMs;
  let attempts = 0;

  const unavailable = (endpoint: string, last: string, extra: Record<string, string | number> = {}) =>
    idpFailure(
      'TOKEN_ENDPOINT_UNAVAILABLE',
      `${o.label} ${endpoint} gave no usable answer within ${o.policy.deadlineMs} ms (${attempts} attempt${attempts === 1 ? '' : 's'}; last: ${last}).`,
      {
        hint: 'Cognito may be throttling or failing, or the network blocks the host. Try again later; if the endpoint is only slow, raise COGNITO_NEWMAN_TOKEN_DEADLINE_MS.',
        details: { endpoint, attempts, last, deadlineMs: o.policy.deadlineMs, ...extra },
      },
    );
  // A single-use request that may have been processed: say exactly what happened, never retry.
  const lost = (endpoint: string, message: string, status?: number) =>
    idpFailure('TOKEN_ANSWER_LOST', message, {
      hint: 'The request may have reached the server and spent the authorization code; the code is single-use, so it cannot be retried: run again.',
      details: { endpoint, attempts, ...(status !== undefined ? { status } : {}) },
    });

  const retryingFetch = async (url: string, init: FetchInit): Promise<Response> => {
    const endpoint = safeUrl(url);
    // The Basic credentials travel base64-encoded: hide that form too.
    const auth = init.headers.authorization ?? init.headers.Authorization;
    if (auth?.startsWith('Basic ')) registerSecret(auth.slice(6));
    for (;;) {
      const remaining = deadline - o.now();
      if (remaining <= 0) throw unavailable(endpoint, 'deadline reached');
      attempts += 1;
      let last: string;
      let retryAfterMs: number | undefined;
      try {
        // The per-request timeout also covers reading the body, which happens inside it.
        const signal = AbortSignal.timeout(Math.max(1, Math.min(o.policy.requestTimeoutMs, remaining)));
        const res = await undiciFetch(url, {
          method: init.method,
          headers: init.headers,
          body: init.body as never,
          redirect: init.redirect ?? 'manual',
          signal: init.signal ? AbortSignal.any([init.signal, signal]) : signal,
          ...(o.dispatcher ? { dispatcher: o.dispatcher } : {}),
        });
        const text = await res.text();
        inspectJson(res.headers.get('content-type'), text, o.onJson);
        o.logger.debug(`${o.label} ${endpoint}: attempt ${attempts} -> HTTP ${res.status}`);
        if (!RETRYABLE(res.status)) return rebuild(res, text);
        if (o.singleUse && !NOT_PROCESSED(res.status)) throw lost(endpoint, `${o.label} ${endpoint} answered HTTP ${res.status} to the code exchange.`, res.status);
        last = `HTTP ${res.status}`;
        retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), o.now());
      } catch (err) {
        if (isCnError(err)) throw err;
        // The caller abandoned the call (the run is over): nothing to retry or report.
        if (init.signal?.aborted) throw err;
        last = describeNetworkError(err, o.policy.requestTimeoutMs);
        o.logger.debug(`${o.label} ${endpoint}: attempt ${attempts} failed: ${last}`);
        if (o.singleUse && !neverSent(err)) throw lost(endpoint, `${o.label}'s answer to the code exchange was lost (${last}; ${endpoint}).`);
      }

      if (attempts > o.policy.maxRetries) throw unavailable(endpoint, last, { maxRetries: o.policy.maxRetries });
      const ceiling = Math.min(o.policy.maxDelayMs, o.policy.baseDelayMs * 2 ** (attempts - 1));
      const delay = retryAfterMs ?? Math.floor(o.random() * ceiling);
      const left = deadline - o.now();
      if (delay >= left) {
        throw unavailable(endpoint, retryAfterMs !== undefined ? `${last}, asked to retry after ${retryAfterMs} ms` : last);
      }
      o.logger.info(`${o.label} answered ${last}; retrying in ${delay} ms (attempt ${attempts + 1}).`);
      await o.sleep(delay);
    }
  };
  Object.defineProperty(retryingFetch, 'attempts', { get: () => attempts });
  return retryingFetch as RetryingFetch;
}

/**
 * Retry-After (RFC 9110 10.2.3): delay-seconds or an HTTP-date. Returns ms from `now`, or
 * undefined when absent or unparseable (the backoff applies then).
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Register every token in a JSON body before it is parsed elsewhere; non-JSON bodies pass untouched. */
function inspectJson(contentType: string | null, text: string, onJson: ((b: Record<string, unknown>) => void) | undefined): void {
  if (!text || !(contentType?.includes('json') ?? text.trimStart().startsWith('{'))) return;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const b = body as Record<string, unknown>;
  for (const k of ['access_token', 'id_token', 'refresh_token']) {
    if (typeof b[k] === 'string') registerSecret(b[k]);
  }
  onJson?.(b);
}

/** The body was read inside the timeout; hand oauth4webapi an equivalent, still-readable Response. */
function rebuild(res: Response, text: string): Response {
  const headers = new Headers(res.headers);
  // The text is already decoded: these would now describe the wrong bytes.
  headers.delete('content-encoding');
  headers.delete('content-length');
  const nullBody = [101, 103, 204, 205, 304].includes(res.status);
  return new Response(nullBody ? null : text, { status: res.status, statusText: res.statusText, headers: [...headers] });
}

/** Whether a fetch error certainly happened before the request was sent (see NEVER_SENT_CODES). */
function neverSent(err: unknown): boolean {
  const cause = err instanceof Error ? (err as { cause?: unknown }).cause : undefined;
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' && NEVER_SENT_CODES.has(code);
}

function describeNetworkError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return `request timed out after ${timeoutMs} ms`;
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as { code?: unknown }).code;
      return `connection error (${typeof code === 'string' ? code : cause.message})`;
    }
    return `connection error (${err.message})`;
  }
  return 'connection error';
}

/** Endpoint URL for messages: no query (never holds secrets here, but keep the habit). */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

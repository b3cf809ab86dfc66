// Fault injection for tests and demos: per-endpoint latency, the next N responses of an endpoint
// as 429 (with Retry-After) or 5xx, a slow login page, and two attacks on the redirect (a tampered
// `state`, a code spent before the app redeems it). Set in code or (most) by CLI flag strings.
import { usageError } from '../errors.js';

/** Endpoint groups a fault can target. `login` covers every interactive page (login, mfa, ...). */
export const FAULT_ENDPOINTS = ['authorize', 'login', 'token', 'userInfo', 'revoke', 'logout', 'jwks', 'discovery'] as const;
export type FaultEndpoint = (typeof FAULT_ENDPOINTS)[number];

export interface FailureRule {
  /** 429 or 500-599. */
  status: number;
  count: number;
  /** Seconds for the Retry-After header; 429 gets 1 when unset. */
  retryAfterSeconds?: number;
}

export interface FaultOptions {
  /** Extra delay before answering, per endpoint group, in ms. */
  latency?: Partial<Record<FaultEndpoint, number>>;
  /** The next N responses of an endpoint fail with this status, in order of the list. */
  failures?: Partial<Record<FaultEndpoint, FailureRule[]>>;
  /** Extra delay before the GET of a sign-in page is answered (the page itself, not the POST). */
  slowLoginPageMs?: number;
  /** The sign-in redirect carries another `state` than the app sent (a tampered or crossed redirect). */
  tamperState?: boolean;
  /** Codes are issued already spent, as if something else redeemed them first: the exchange gets invalid_grant. */
  spendCodes?: boolean;
}

export interface InjectedFailure {
  status: number;
  retryAfterSeconds: number | undefined;
}

/** Live control of faults on a running emulator; `clear()` removes all (reset() calls it). */
export interface FaultController {
  setLatency(endpoint: FaultEndpoint, ms: number): void;
  /** Make the next `count` responses of `endpoint` fail with `status` (429 or 5xx). */
  failNext(endpoint: FaultEndpoint, count: number, status: number, options?: { retryAfterSeconds?: number }): void;
  /** Shorthand for `failNext('token', ...)`. */
  failNextToken(count: number, status?: number, options?: { retryAfterSeconds?: number }): void;
  setSlowLoginPage(ms: number): void;
  setTamperState(on: boolean): void;
  setSpendCodes(on: boolean): void;
  /** Apply a whole options object (added to what is set). */
  apply(options: FaultOptions): void;
  clear(): void;
  /** How many injected failures are still queued for an endpoint. */
  pending(endpoint: FaultEndpoint): number;
  /** Used by the server: latency to wait for a request. */
  latencyFor(endpoint: FaultEndpoint): number;
  slowLoginPageMs(): number;
  /** Used by the sign-in redirect: whether to alter `state`. */
  tamperState(): boolean;
  /** Used by the sign-in redirect: whether to issue the code already spent. */
  spendCodes(): boolean;
  /** Used by the server: the failure to answer with now, consuming one, or undefined. */
  takeFailure(endpoint: FaultEndpoint): InjectedFailure | undefined;
}

const checkStatus = (status: number): void => {
  if (!(status === 429 || (status >= 500 && status <= 599))) {
    throw new RangeError(`An injected failure must be 429 or 5xx, not ${status}`);
  }
};

const checkMs = (ms: number, what: string): void => {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`${what} must be a non-negative number of ms`);
};

export function createFaultController(initial?: FaultOptions): FaultController {
  let latency = new Map<FaultEndpoint, number>();
  let queues = new Map<FaultEndpoint, { rule: FailureRule; left: number }[]>();
  let slowLogin = 0;
  let tamper = false;
  let spend = false;

  const ctl: FaultController = {
    setLatency(endpoint, ms) {
      checkMs(ms, `latency for ${endpoint}`);
      latency.set(endpoint, ms);
    },
    failNext(endpoint, count, status, options = {}) {
      checkStatus(status);
      if (!Number.isInteger(count) || count < 1) throw new RangeError('failNext needs a positive whole count');
      const rule: FailureRule = { status, count, ...(options.retryAfterSeconds !== undefined ? { retryAfterSeconds: options.retryAfterSeconds } : {}) };
      const q = queues.get(endpoint) ?? [];
      q.push({ rule, left: count });
      queues.set(endpoint, q);
    },
    failNextToken(count, status = 429, options) {
      ctl.failNext('token', count, status, options);
    },
    setSlowLoginPage(ms) {
      checkMs(ms, 'slow login page');
      slowLogin = ms;
    },
    setTamperState(on) {
      tamper = on;
    },
    setSpendCodes(on) {
      spend = on;
    },
    apply(options) {
      for (const [ep, ms] of Object.entries(options.latency ?? {})) if (ms !== undefined) ctl.setLatency(ep as FaultEndpoint, ms);
      for (const [ep, rules] of Object.entries(options.failures ?? {})) {
        for (const r of rules ?? []) ctl.failNext(ep as FaultEndpoint, r.count, r.status, r.retryAfterSeconds !== undefined ? { retryAfterSeconds: r.retryAfterSeconds } : {});
      }
      if (options.slowLoginPageMs !== undefined) ctl.setSlowLoginPage(options.slowLoginPageMs);
      if (options.tamperState !== undefined) ctl.setTamperState(options.tamperState);
      if (options.spendCodes !== undefined) ctl.setSpendCodes(options.spendCodes);
    },
    clear() {
      latency = new Map();
      queues = new Map();
      slowLogin = 0;
      tamper = false;
      spend = false;
    },
    pending(endpoint) {
      return (queues.get(endpoint) ?? []).reduce((n, e) => n + e.left, 0);
    },
    latencyFor(endpoint) {
      return latency.get(endpoint) ?? 0;
    },
    slowLoginPageMs() {
      return slowLogin;
    },
    tamperState() {
      return tamper;
    },
    spendCodes() {
      return spend;
    },
    takeFailure(endpoint) {
      const q = queues.get(endpoint);
      const head = q?.[0];
      if (!q || !head) return undefined;
      head.left -= 1;
      if (head.left <= 0) q.shift();
      const retryAfter = head.rule.retryAfterSeconds ?? (head.rule.status === 429 ? 1 : undefined);
      return { status: head.rule.status, retryAfterSeconds: retryAfter };
    },
  };
  if (initial) ctl.apply(initial);
  return ctl;
}

/**
 * Parse one CLI fault flag into options. Forms:
 * `latency:<endpoint>=<ms>`, `<endpoint>:<status>x<count>` (optionally `,retry-after=<s>`),
 * `slow-login=<ms>`. Bad flags are exit-2 usage errors that show the accepted forms.
 */
export function parseFaultFlag(flag: string): FaultOptions {
  const s = flag.trim();
  const bad = (why: string) =>
    usageError('EMULATOR_BAD_FAULT', `The fault flag "${flag}" is not valid: ${why}.`, {
      hint:
        `Use latency:<endpoint>=<ms>, <endpoint>:<429|5xx>x<count>[,retry-after=<s>] or slow-login=<ms>; ` +
        `endpoints: ${FAULT_ENDPOINTS.join(', ')}. Example: --fault token:429x2 --fault latency:token=200.`,
    });
  const endpointOf = (name: string): FaultEndpoint => {
    const found = FAULT_ENDPOINTS.find((e) => e.toLowerCase() === name.toLowerCase());
    if (!found) throw bad(`unknown endpoint "${name}"`);
    return found;
  };
  const msOf = (v: string): number => {
    if (!/^\d+$/.test(v)) throw bad(`"${v}" is not a whole number of milliseconds`);
    return Number(v);
  };
  let m = /^slow-login=(.*)$/i.exec(s);
  if (m) return { slowLoginPageMs: msOf(m[1] ?? '') };
  m = /^latency:([A-Za-z]+)=(.*)$/i.exec(s);
  if (m) return { latency: { [endpointOf(m[1] ?? '')]: msOf(m[2] ?? '') } };
  m = /^([A-Za-z]+):(\d{3})x(\d+)(?:,retry-after=(\d+))?$/i.exec(s);
  if (m) {
    const status = Number(m[2]);
    const count = Number(m[3]);
    if (!(status === 429 || (status >= 500 && status <= 599))) throw bad(`status ${status} is neither 429 nor 5xx`);
    if (count < 1) throw bad('the count must be at least 1');
    const rule: FailureRule = { status, count, ...(m[4] !== undefined ? { retryAfterSeconds: Number(m[4]) } : {}) };
    return { failures: { [endpointOf(m[1] ?? '')]: [rule] } };
  }
  throw bad('unrecognised form');
}

/** Parse several flags and merge them, in order. */
export function parseFaultFlags(flags: readonly string[]): FaultOptions {
  const out: FaultOptions = { latency: {}, failures: {} };
  for (const f of flags) {
    const o = parseFaultFlag(f);
    Object.assign(out.latency!, o.latency ?? {});
    for (const [ep, rules] of Object.entries(o.failures ?? {})) {
      const key = ep as FaultEndpoint;
      out.failures![key] = [...(out.failures![key] ?? []), ...(rules ?? [])];
    }
    if (o.slowLoginPageMs !== undefined) out.slowLoginPageMs = o.slowLoginPageMs;
  }
  return out;
}

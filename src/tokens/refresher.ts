// Keeps every user's tokens fresh while a long Newman run is in progress: a timer per user runs the
// refresh-token grant before the access token expires, and subscribers (the Newman hook in
// src/newman/live-tokens.ts) swap the new values into the running collection.
//
// Why a background refresher plus Newman's own run events (and not, say, a loopback token endpoint
// that the collection calls): Newman has no refresh of its own, and postman-runtime's OAuth 2.0
// signer only refreshes through a callback the Postman app injects. What Newman does give us is
// an in-process run whose `beforeRequest` event fires synchronously after variables are resolved
// and auth is signed, but before the request goes out, with the very Request object that is then
// sent; and the run's environment is one live VariableScope (`run.state.environment`) that every
// later request and script reads. So the refresh itself happens off the request path (no request
// ever waits for a token endpoint), the collection stays unchanged (no pre-request script, no extra
// request in the reports, nothing to configure), it works the same for `{{accessToken}}`, scripts
// that read the variable, and OAuth 2.0 auth blocks (their signed `Authorization` header is
// rewritten), and tokens never leave the process. A loopback endpoint would need every collection
// to be edited to call it and would show up as requests in every report.
import { idpForUser } from '../config/federation.js';
import type { Dispatcher } from 'undici';
import type { Config } from '../config/types.js';
import { isCnError } from '../errors.js';
import { registerSecret, type Logger } from '../log.js';
import type { TokenSet } from '../oauth/types.js';
import { cacheKeyFor, saveCache, type CacheKey } from './cache.js';
import type { AcquiredUser, CacheOptions } from './acquire.js';

/** One user's tokens replaced by newer ones. */
export interface TokenChange {
  /** `default` or the named user from TEST_USERS. */
  name: string;
  previous: TokenSet;
  next: TokenSet;
}

/** Tokens that may change while a run is in progress (what src/newman/run.ts consumes). */
export interface LiveTokens {
  /** The newest tokens of a user, or undefined for a user it does not know. */
  current(name: string): TokenSet | undefined;
  /** Call `listener` after every refresh; returns the unsubscribe function. */
  onChange(listener: (change: TokenChange) => void): () => void;
}

export interface TokenRefresher extends LiveTokens {
  /** Successful refreshes so far, all users together. */
  readonly refreshes: number;
  /** Cancel every pending refresh and wait for one in flight to settle. Safe to call twice. */
  stop(): Promise<void>;
}

/** Timer seam: tests drive time themselves; the default is setTimeout, unref'd so it never holds the process open. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface RefresherOptions {
  users: ReadonlyArray<{ name: string; tokens: TokenSet }>;
  /**
   * One refresh grant for a user, one HTTP request (the retries are this module's, so the count
   * README states is the count made); throws a CnError when the server refuses or cannot be
   * reached. `signal` aborts when the refresher stops.
   */
  refresh: (name: string, refreshToken: string, signal: AbortSignal) => Promise<TokenSet>;
  logger: Logger;
  /** Refresh this long before expiry when the lifetime allows it (default 5 minutes); see refreshDelay. */
  leadMs?: number;
  /** Attempts per due refresh before giving up on that user (default 4). */
  maxAttempts?: number;
  /** First retry after this long, doubling each time (default 1000). */
  retryBaseMs?: number;
  /** Called after each successful refresh, e.g. to update the token cache; its failure is only logged. */
  persist?: (name: string, tokens: TokenSet) => Promise<void>;
  now?: () => number;
  timers?: Timers;
}

/** Default lead: refresh 5 minutes before expiry (Cognito's shortest access-token lifetime is 5 minutes, see refreshDelay). */
export const DEFAULT_REFRESH_LEAD_MS = 5 * 60_000;
/** Never reschedule sooner than this after a refresh, whatever lifetime the server claims: no busy loop. */
export const MIN_REFRESH_INTERVAL_MS = 1000;
const MAX_RETRY_DELAY_MS = 60_000;
/** stop() returns within this long whatever the IdP does: the refresh in flight is aborted, not awaited. */
export const STOP_BOUND_MS = 1_000;

/**
 * How long to wait before refreshing `tokens`: until `leadMs` before expiry, but never with more
 * than 20% of the remaining lifetime still unused, so a 1-hour token is refreshed 5 minutes before
 * it expires and a 5-second one after 4 seconds (a lead longer than the lifetime would otherwise
 * refresh at once, forever). 0 when the token has already expired.
 */
export function refreshDelay(tokens: TokenSet, now: number, leadMs: number = DEFAULT_REFRESH_LEAD_MS): number {
  const remaining = expiresAt(tokens) - now;
  if (!Number.isFinite(remaining) || remaining <= 0) return 0;
  return Math.max(remaining - leadMs, 0.8 * remaining);
}

/**
 * When the tokens stop working: the earliest of the client's own reckoning (request time +
 * `expires_in`) and the `exp` claims of the access and ID tokens. The claims are what an API
 * checks, with whole-second precision (so up to a second earlier), and the ID token may live
 * shorter than the access token while a collection sends it (`--auth-token id`). The claims are
 * read unverified: they can only move a refresh earlier, never later.
 */
export function expiresAt(tokens: TokenSet): number {
  let at = tokens.accessTokenExpiresAt;
  for (const jwt of [tokens.accessToken, tokens.idToken]) {
    const exp = unverifiedExp(jwt);
    if (exp !== undefined) at = Math.min(at, exp * 1000);
  }
  return at;
}

function unverifiedExp(jwt: string | undefined): number | undefined {
  if (!jwt) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether an error means the refresh token itself is no longer good (revoked, expired, the user
 * disabled): retrying cannot help, unlike a timeout, a 429 or a 5xx.
 */
function permanent(err: unknown): boolean {
  return isCnError(err) && (err.code === 'OAUTH_INVALID_GRANT' || err.exitCode === 2 || err.exitCode === 3);
}

const defaultTimers: Timers = {
  set(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clear(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

const label = (name: string) => (name === 'default' ? 'the default user' : `user "${name}"`);
const clockTime = (ms: number) => new Date(ms).toISOString().slice(11, 19);

interface UserState {
  name: string;
  tokens: TokenSet;
  timer?: unknown;
  inFlight?: Promise<void>;
  attempts: number;
}

/**
 * Start refreshing each user's tokens in the background (see the top of this file for why). Users
 * without a refresh token (implicit grant) are left alone with a note. A failed refresh warns and
 * keeps the old token (later requests may then get 401s, which the run reports), retrying with
 * backoff up to `maxAttempts` times; a refused refresh token is not retried.
 */
export function startTokenRefresher(options: RefresherOptions): TokenRefresher {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const timers = options.timers ?? defaultTimers;
  const leadMs = options.leadMs ?? DEFAULT_REFRESH_LEAD_MS;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const listeners = new Set<(change: TokenChange) => void>();
  const states = new Map<string, UserState>();
  let stopped = false;
  let refreshes = 0;
  const abort = new AbortController();

  const schedule = (state: UserState, ms: number) => {
    if (stopped) return;
    state.timer = timers.set(() => {
      state.timer = undefined;
      state.inFlight = attempt(state).finally(() => {
        state.inFlight = undefined;
      });
    }, Math.max(0, Math.round(ms)));
  };

  const attempt = async (state: UserState): Promise<void> => {
    const refreshToken = state.tokens.refreshToken;
    if (stopped || !refreshToken) return;
    let next: TokenSet;
    try {
      next = await options.refresh(state.name, refreshToken, abort.signal);
    } catch (err) {
      // Stopped meanwhile: the run is over, nothing to retry or report.
      if (stopped) return;
      state.attempts++;
      const why = isCnError(err) ? err.code : err instanceof Error ? err.message : String(err);
      const expires = `its current tokens expire at ${clockTime(expiresAt(state.tokens))} UTC`;
      if (permanent(err) || state.attempts >= maxAttempts) {
        logger.warn(
          `Refreshing the tokens of ${label(state.name)} during the run failed (${why}) after ${state.attempts} attempt(s); giving up and keeping the old token: ${expires}, later requests may get 401.`,
        );
        return;
      }
      const wait = Math.min(retryBaseMs * 2 ** (state.attempts - 1), MAX_RETRY_DELAY_MS);
      logger.warn(`Refreshing the tokens of ${label(state.name)} during the run failed (${why}); keeping the old token (${expires}) and retrying in ${Math.round(wait / 1000)} s.`);
      schedule(state, wait);
      return;
    }
    registerSecret(next.accessToken);
    registerSecret(next.idToken);
    registerSecret(next.refreshToken);
    if (stopped) return;
    const previous = state.tokens;
    state.tokens = next;
    state.attempts = 0;
    refreshes++;
    for (const listener of listeners) {
      try {
        listener({ name: state.name, previous, next });
      } catch (err) {
        logger.warn(`A token listener failed for ${label(state.name)}: ${err instanceof Error ? err.message : String(err)}.`);
      }
    }
    logger.info(`refreshed the tokens of ${label(state.name)} during the run; the new tokens expire at ${clockTime(expiresAt(next))} UTC.`);
    if (options.persist) {
      await options.persist(state.name, next).catch((err: unknown) => logger.debug(`could not save refreshed tokens: ${err instanceof Error ? err.message : String(err)}`));
    }
    schedule(state, Math.max(refreshDelay(next, now(), leadMs), MIN_REFRESH_INTERVAL_MS));
  };

  for (const user of options.users) {
    const state: UserState = { name: user.name, tokens: user.tokens, attempts: 0 };
    states.set(user.name, state);
    if (!user.tokens.refreshToken) {
      logger.debug(`${label(user.name)} has no refresh token (implicit grant?): its tokens cannot be renewed during the run and expire at ${clockTime(expiresAt(user.tokens))} UTC.`);
      continue;
    }
    schedule(state, refreshDelay(user.tokens, now(), leadMs));
  }

  return {
    current: (name) => states.get(name)?.tokens,
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    get refreshes() {
      return refreshes;
    },
    async stop() {
      stopped = true;
      for (const state of states.values()) {
        if (state.timer !== undefined) timers.clear(state.timer);
        state.timer = undefined;
      }
      abort.abort();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...states.values()].map((s) => s.inFlight)),
        new Promise<void>((r) => (timer = setTimeout(r, STOP_BOUND_MS))),
      ]);
      if (timer) clearTimeout(timer);
      listeners.clear();
    },
  };
}

export interface RunRefresherInput {
  config: Config;
  logger: Logger;
  users: ReadonlyArray<Pick<AcquiredUser, 'name' | 'tokens'>>;
  /** When the token cache is on, refreshed tokens are saved so the next run starts from them. */
  cache?: CacheOptions;
  dispatcher?: Dispatcher;
  leadMs?: number;
  /** Test seams (defaults as in startTokenRefresher: 4 attempts, 1 s doubling). */
  maxAttempts?: number;
  retryBaseMs?: number;
}

/**
 * The refresher `cognito-newman run` uses: Cognito's refresh grant at /oauth2/token with the same
 * timeouts and verification as the sign-in (reference 1.4), and the token cache kept current.
 */
export function startRunRefresher(input: RunRefresherInput): TokenRefresher {
  const { config, logger } = input;
  const idp = config.idp;
  const extra = input.dispatcher ? { dispatcher: input.dispatcher } : {};
  const keyFor = (name: string): CacheKey | undefined => {
    const user = config.users.find((u) => u.name === name);
    return user ? cacheKeyFor(idpForUser(idp, user), user.username) : undefined;
  };
  const cache = input.cache;
  return startTokenRefresher({
    users: input.users,
    logger,
    ...(input.leadMs !== undefined ? { leadMs: input.leadMs } : {}),
    ...(input.maxAttempts !== undefined ? { maxAttempts: input.maxAttempts } : {}),
    ...(input.retryBaseMs !== undefined ? { retryBaseMs: input.retryBaseMs } : {}),
    refresh: async (_name, refreshToken, signal) => {
      // Loaded on the first refresh, minutes into a run: start-up does not pay for the HTTP stack.
      const [{ refreshTokens }, { verifyTokenSet }] = await Promise.all([import('../oauth/token-client.js'), import('../oauth/jwt.js')]);
      // One HTTP request per attempt: the refresher's own backoff is the only retry layer (two
      // layers made 9 requests of one "attempt", 36 where README promises 4).
      const tokens = await refreshTokens(idp, refreshToken, { deadlineMs: config.timeouts.requestMs, requestTimeoutMs: config.timeouts.requestMs, maxRetries: 0, logger, signal, ...extra });
      await verifyTokenSet(idp, tokens, { requireIdToken: false, ...extra });
      return tokens;
    },
    ...(cache
      ? {
          persist: async (name: string, tokens: TokenSet) => {
            const key = keyFor(name);
            if (key) await saveCache(cache.dir, key, tokens, logger);
          },
        }
      : {}),
  });
}

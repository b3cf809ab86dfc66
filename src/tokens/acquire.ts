// Token acquisition for every configured user: cache -> refresh grant -> browser sign-in, with one
// shared browser (launched only when some user needs it) and bounded concurrency.
import type { Browser } from 'playwright-core';
import type { Dispatcher } from 'undici';
import type { Config, UserCredentials } from '../config/types.js';
import type { TokenSet } from '../oauth/types.js';
import { CnError, isCnError } from '../errors.js';
import { registerSecret, type Logger } from '../log.js';
import { createLoginAttempt, validateCallback } from '../oauth/authorize.js';
import { readCache, saveCache, isFresh, type CacheKey, cacheKeyFor } from './cache.js';
import { mapLimit } from './limit.js';
import { formatSteps, timed, type StepTimes } from './steps.js';
import { onInterrupt, setPhase } from '../interrupt.js';
import { warnDroppedScopes } from './scopes.js';
import { userLabel } from '../secrets/env.js';
import { idpForUser } from '../config/federation.js';
import { observedSteps, signInProgress, type SignInProgress } from './progress.js';
import { checkCodeSourcePackages } from '../codes/reader.js';

export type TokenSource = 'login' | 'cache' | 'refresh';

// The HTTP and JWT stack (undici, oauth4webapi, jose) loads only when a token is fetched: a cache
// hit, the common local case, starts as fast as a bare Newman run.
const tokenClient = () => import('../oauth/token-client.js');
const jwtChecks = () => import('../oauth/jwt.js');

export interface AcquiredUser {
  /** `default` or the named user from TEST_USERS. */
  name: string;
  /** The Cognito username it signed in as (absent for a client-credentials token). */
  username?: string;
  tokens: TokenSet;
  source: TokenSource;
  durationMs: number;
  /** Where the time went: browser, pages, exchange, checks (or cache/refresh steps). */
  steps: StepTimes;
}

export interface CacheOptions {
  dir: string;
  marginMs: number;
}

export interface AcquireOptions {
  config: Config;
  logger: Logger;
  /** Only these users (by name); all configured users when absent. */
  userNames?: string[];
  /** Reuse and refresh cached tokens (local runs); absent means always sign in. */
  cache?: CacheOptions;
  /** Injected by tests and the benchmark; defaults to launchBrowser with the callback-host guard. */
  launch?: (blockedHosts: string[]) => Promise<Browser>;
  dispatcher?: Dispatcher;
  /** Live sign-in progress; default from the logger (a terminal gets live lines, silent gets none). */
  progress?: SignInProgress;
}

/** Tokens for each selected user, in configuration order. One user's failure fails the call and names the user. */
export async function acquireTokens(options: AcquireOptions): Promise<AcquiredUser[]> {
  const { config, logger } = options;
  const users = selectUsers(config.users, options.userNames);
  checkCodeSourcePackages(users.map((u) => u.codeSource));
  const blocked = blockedHostsFor(config.idp.redirectUri, config.idp.domain);
  const browserHolder = new SharedBrowser(() => (options.launch ? options.launch(blocked) : defaultLaunch(blocked, logger)));
  const progress = options.progress ?? signInProgress(logger);
  // Warnings during the sign-ins print above the live lines, not under a redraw.
  const during = { ...options, logger: progress.wrap(logger) };
  try {
    return await mapLimit(users, config.concurrency, async (user) => {
      const started = Date.now();
      progress.start(label(user));
      const steps: StepTimes = observedSteps((s) => progress.step(label(user), s));
      try {
        const { tokens, source } = await acquireOne(user, during, browserHolder, steps);
        const durationMs = Date.now() - started;
        progress.end(label(user), `signed in ${label(user)} (${source}, ${durationMs} ms)`);
        logger.debug(`steps for ${label(user)}: ${formatSteps(steps)}`);
        return { name: user.name, username: user.username, tokens, source, durationMs, steps: [...steps] };
      } catch (err) {
        progress.fail(label(user));
        throw forUser(err, user);
      }
    });
  } finally {
    progress.close();
    // Chromium takes a few hundred ms to exit; nobody needs to wait for that before using the
    // tokens. The process stays alive until it has exited (Playwright holds the pipe open).
    void browserHolder.close();
  }
}

async function acquireOne(
  user: UserCredentials,
  options: AcquireOptions,
  browser: SharedBrowser,
  steps: StepTimes,
): Promise<{ tokens: TokenSet; source: TokenSource }> {
  const { config, logger, cache } = options;
  // A user's own IdP settings (TEST_USER_<NAME>_IDENTITY_PROVIDER, ...) apply to its sign-in and cache key.
  const idp = idpForUser(config.idp, user);
  const tokenOptions = { deadlineMs: config.timeouts.tokenDeadlineMs, requestTimeoutMs: config.timeouts.requestMs, logger, ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}) };
  const key: CacheKey = cacheKeyFor(idp, user.username);

  if (cache) {
    const cached = await timed(steps, 'read the cache', () => readCache(cache.dir, key, logger));
    if (cached) {
      registerTokens(cached.tokens);
      if (isFresh(cached.tokens, cache.marginMs)) return { tokens: cached.tokens, source: 'cache' };
      if (cached.tokens.refreshToken) {
        try {
          const refreshToken = cached.tokens.refreshToken;
          setPhase(`refreshing the cached tokens of ${label(user)}`);
          const refreshed = await timed(steps, 'refresh grant', async () => (await tokenClient()).refreshTokens(idp, refreshToken, tokenOptions));
          await timed(steps, 'verify tokens', async () =>
            (await jwtChecks()).verifyTokenSet(idp, refreshed, { requireIdToken: false, ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}) }),
          );
          await saveCache(cache.dir, key, refreshed, logger);
          return { tokens: refreshed, source: 'refresh' };
        } catch (err) {
          // A revoked or expired refresh token is normal after a while: fall back to a sign-in.
          logger.warn(`refreshing cached tokens for ${label(user)} failed (${isCnError(err) ? err.code : 'error'}); signing in again.`);
        }
      }
    }
  }

  const attempt = createLoginAttempt(idp);
  // Playwright loads only when a sign-in is needed: a cache hit or refresh never pays for it.
  const { loginInBrowser } = await timed(steps, 'load Playwright', () => import('../login/driver.js'));
  setPhase('starting the browser');
  const launched = timed(steps, 'start the browser', () => browser.get());
  // The HTTP/JWT stack loads while Chromium starts (a fresh process waits ~170 ms for it otherwise).
  const stack = Promise.all([tokenClient(), jwtChecks()]);
  // ...and the pool's keys download meanwhile: the check after the exchange needs them.
  stack.then(([, checks]) => checks.prefetchJwks(idp, options.dispatcher)).catch(() => undefined); // failures surface when awaited below
  const launchedBrowser = await launched;
  setPhase(`signing in ${label(user)}`);
  const callbackUrl = await loginInBrowser({
    browser: launchedBrowser,
    idp,
    user,
    attempt,
    artifactsDir: config.artifactsDir,
    timeoutMs: config.timeouts.loginMs,
    ...(config.timeouts.codeMs !== undefined ? { codeTimeoutMs: config.timeouts.codeMs } : {}),
    logger,
    steps,
  });
  const [client, checks] = await stack;
  const callback = validateCallback(callbackUrl, attempt);
  setPhase(`exchanging the code of ${label(user)} for tokens`);
  const tokens = callback.kind === 'code' ? await timed(steps, 'exchange the code', () => client.exchangeCode(idp, callback, attempt, tokenOptions)) : callback.tokens;
  registerTokens(tokens);
  warnDroppedScopes(idp.scopes, tokens, label(user), logger);
  await timed(steps, 'verify tokens', () =>
    checks.verifyTokenSet(idp, tokens, {
      nonce: attempt.nonce,
      requireIdToken: idp.scopes.includes('openid'),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    }),
  );
  if (cache) await saveCache(cache.dir, key, tokens, logger);
  return { tokens, source: 'login' };
}

function registerTokens(t: TokenSet): void {
  registerSecret(t.accessToken);
  registerSecret(t.idToken);
  registerSecret(t.refreshToken);
}

function selectUsers(all: UserCredentials[], names: string[] | undefined): UserCredentials[] {
  if (!names || names.length === 0) return all;
  const wanted = names.map((n) => n.toLowerCase());
  const missing = wanted.filter((n) => !all.some((u) => u.name === n));
  if (missing.length) {
    const known = all.map((u) => u.name).join(', ') || 'none';
    throw new CnError('USER_UNKNOWN', 2, `No test user named ${missing.join(', ')} is configured (configured: ${known}).`, {
      hint: 'Add it to TEST_USERS and set TEST_USER_<NAME>_USERNAME/_PASSWORD or TEST_USER_<NAME>_SECRET_ID.',
    });
  }
  return all.filter((u) => wanted.includes(u.name));
}

const label = (u: UserCredentials) => userLabel(u);

/** The same error, with the user it concerns named first, so a multi-user failure says who. */
function forUser(err: unknown, user: UserCredentials): unknown {
  if (!isCnError(err)) return err;
  const prefix = user.name === 'default' ? `Test user ${user.username}: ` : `Test user "${user.name}" (${user.username}): `;
  if (err.message.startsWith(prefix)) return err;
  return new CnError(err.code, err.exitCode, prefix + err.message, { hint: err.hint, details: err.details, cause: err.cause ?? err });
}

/**
 * Hosts that Chromium must never reach: the redirect URI's host (a custom scheme has none), unless
 * it is the identity provider's own host (a loopback emulator with a loopback callback).
 */
export function blockedHostsFor(redirectUri: string, idpDomain: string): string[] {
  try {
    const u = new URL(redirectUri);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return [];
    return u.hostname === new URL(idpDomain).hostname ? [] : [u.hostname];
  } catch {
    return [];
  }
}

const defaultLaunch = async (blockedHosts: string[], logger: Logger) => (await import('../login/browser.js')).launchBrowser({ blockedHosts, logger });

/** Launches the browser on first use only, so cache hits and refreshes never start Chromium. */
class SharedBrowser {
  private pending: Promise<Browser> | undefined;
  constructor(private readonly launch: () => Promise<Browser>) {}
  get(): Promise<Browser> {
    this.pending ??= this.launch().then((browser) => {
      // Interrupted mid-sign-in: the browser closes before the process exits.
      const forget = onInterrupt(() => browser.close());
      browser.once('disconnected', forget);
      return browser;
    });
    return this.pending;
  }
  async close(): Promise<void> {
    if (!this.pending) return;
    const browser = await this.pending.catch(() => undefined);
    await browser?.close().catch(() => undefined);
  }
}

// Sign-in as every entry point does it (the `run` and `token` commands, the library's getTokens and
// runCollection, the Playwright fixture): configuration from its sources, the token cache policy,
// then acquisition (cache -> refresh -> browser). One path, so all of them behave alike.
import type { Config } from '../config/types.js';
import type { Logger } from '../log.js';
import { acquireTokens, type AcquiredUser, type CacheOptions } from '../tokens/acquire.js';
import { cacheOptionsFor } from './cache-options.js';
import { loadCommandConfig } from './config.js';

export interface SignInRequest {
  /** Commander-style flags (`envFile`, `cache`, `cacheMargin` and the auth flags of auth-options.ts). */
  flags: Record<string, unknown>;
  logger: Logger;
  /** Configuration variables given in code: the flags' layer. */
  settings?: Record<string, string>;
  /** Instead of process.env. */
  env?: NodeJS.ProcessEnv;
  /** Settings read from the collection's OAuth 2.0 block: the lowest layer. */
  collectionAuth?: Record<string, string>;
  /** Only these users (by name); every configured user when absent. */
  userNames?: string[];
  /** No names given: only the first configured user (the Playwright fixture's default user). */
  firstUserOnly?: boolean;
  /** Configuration and cache policy already loaded (and checked) by the caller's preflight. */
  loaded?: { config: Config; cache: CacheOptions | undefined };
}

export interface SignedIn {
  config: Config;
  /** The token cache in use, or undefined when it is off (CI, --no-cache). */
  cache: CacheOptions | undefined;
  users: AcquiredUser[];
}

/** Load the configuration (a test user is required) and acquire every selected user's tokens. */
export async function signIn(request: SignInRequest): Promise<SignedIn> {
  const { flags, logger } = request;
  const config =
    request.loaded?.config ??
    (await loadCommandConfig({
      flags,
      logger,
      requireUser: true,
      ...(request.collectionAuth ? { collectionAuth: request.collectionAuth } : {}),
      ...(request.settings ? { settings: request.settings } : {}),
      ...(request.env ? { env: request.env } : {}),
    }));
  const cache = request.loaded ? request.loaded.cache : cacheOptionsFor(flags, request.env);
  const acquireStarted = Date.now();
  const userNames = request.userNames?.length ? request.userNames : request.firstUserOnly && config.users[0] ? [config.users[0].name] : undefined;
  const users = await acquireTokens({
    config,
    logger,
    ...(userNames ? { userNames } : {}),
    ...(cache ? { cache } : {}),
  });
  // The benchmark reads this line to separate sign-in time from the run's own overhead.
  logger.debug(`tokens for ${users.length} user(s) acquired in ${Date.now() - acquireStarted} ms`);
  return { config, cache, users };
}

// One run, as `cognito-newman run` (commands/run-command.ts) and the library's runCollection
// (src/index.ts) both do it: read the collection (its OAuth 2.0 block is configuration too), acquire
// tokens for every user, optionally keep one shard of the folders, and run Newman in-process.
import type { Logger } from '../log.js';
import type { TokenSet } from '../oauth/types.js';
import type { Config } from '../config/types.js';
import type { CacheOptions } from '../tokens/acquire.js';
import { collectionVariables, readCollectionAuth } from '../newman/auth-block.js';
import { authVariables, loadCollection } from '../newman/load.js';
import { readVariableScope, registerScopeSecrets, type RunScopes } from '../newman/environment.js';
import type { NewmanRunPlan } from '../newman/options.js';
import { exportTargets, reporterOptionsFor, runCollection, type RunResult } from '../newman/run.js';
import { parseShard, shardCollection } from '../newman/shard.js';
import { signIn } from './sign-in.js';
import { loadCommandConfig } from './config.js';
import { cacheOptionsFor } from './cache-options.js';
import { startRunRefresher } from '../tokens/refresher.js';
import { checkRunInputs, checkTokenUse, Preflight } from './preflight.js';
import { setPhase } from '../interrupt.js';
import { DEFAULTS } from '../config/keys.js';
import { checkUrlVariables } from '../newman/undefined-variables.js';
import { signInViews } from '../newman/html-report.js';

export interface RunRequest {
  /** Path or URL of a collection file, or the collection JSON itself. */
  collection: string | object;
  plan: NewmanRunPlan;
  /** `i/n`: only shard i of n (top-level folders). */
  shard?: string;
  reportsDir: string;
  authToken: 'access' | 'id';
  /** Commander-style flags: configuration layer and cache policy (see session/sign-in.ts). */
  flags: Record<string, unknown>;
  settings?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  logger: Logger;
  /** Tokens the caller already has (the library): no sign-in and no background refresh. */
  tokens?: { name: string; tokens: TokenSet }[];
}

/** Check every input, sign in (unless tokens are given), shard, and run with tokens refreshed during long runs. */
export async function executeRun(request: RunRequest): Promise<RunResult> {
  const { plan, logger } = request;
  const shard = request.shard ? parseShard(request.shard) : undefined;
  // Everything that needs no IdP is checked first, and every problem is reported at once (preflight.ts).
  const pre = new Preflight();
  const loaded = await pre.attempt('collection', () => loadCollection(request.collection, { warn: (line) => logger.warn(line) }));
  // -e/-g: 2.1 JSON or v12 YAML; their secret-marked values are secrets from here on (environment.ts).
  const scopes: RunScopes = {};
  if (plan.environment) {
    const env = await pre.attempt('--environment', () => readVariableScope(plan.environment!, 'environment'));
    if (env) scopes.environment = env;
  }
  await checkRunInputs(pre, { plan, collection: loaded, outputFiles: exportTargets(plan, reporterOptionsFor(plan, request.reportsDir)) });
  // A missing globals file is already one problem (checkRunInputs); only a present one is parsed.
  if (plan.globals && !pre.problems.some((p) => p.key === '--globals')) {
    const globals = await pre.attempt('--globals', () => readVariableScope(plan.globals!, 'globals'));
    if (globals) scopes.globals = globals;
  }
  registerScopeSecrets(scopes);
  const environment = scopes.environment?.values ?? {};

  let session: { config: Config; cache: CacheOptions | undefined } | undefined;
  if (!request.tokens) {
    const variables = authVariables({ ...(loaded ? collectionVariables(loaded) : {}), ...environment }, plan.envVar);
    const collectionAuth = (loaded ? readCollectionAuth(loaded, variables) : {}) as Record<string, string>;
    // A run without a signed-in user would only collect 401s: say so up front.
    const config = await pre.attempt('configuration', () =>
      loadCommandConfig({
        flags: request.flags,
        logger,
        collectionAuth,
        requireUser: true,
        ...(request.settings ? { settings: request.settings } : {}),
        ...(request.env ? { env: request.env } : {}),
      }),
    );
    let cache = cacheOptionsFor(request.flags, request.env);
    if (config) {
      const { useCache } = await checkTokenUse(pre, { config, authToken: request.authToken, userCount: config.users.length, ...(cache ? { cacheDir: cache.dir } : {}), logger });
      if (!useCache) cache = undefined;
      session = { config, cache };
    }
  }
  pre.finish();
  let collection = loaded!;
  // Newman's own default is to wait forever for an answer: a hung API would hang the run.
  if (plan.timeoutRequest === undefined) plan.timeoutRequest = session?.config.timeouts.apiRequestMs ?? DEFAULTS.apiRequestTimeoutMs;

  if (shard) {
    const part = shardCollection(collection, shard);
    collection = part.collection;
    logger.info(
      part.folders.length
        ? `shard ${shard.index}/${shard.total}: ${part.folders.join(', ')} (${part.requests} requests)`
        : `shard ${shard.index}/${shard.total} has no folders (more shards than folders); running an empty collection so its reports still exist.`,
    );
  }

  // A {{variable}} in a URL that nothing defines stops the run before any sign-in (undefined-variables.ts).
  await checkUrlVariables({
    collection,
    plan,
    environment,
    userNames: session ? session.config.users.map((u) => u.name) : (request.tokens ?? []).map((t) => t.name),
    allow: !!request.flags.allowUndefinedVariables,
    logger,
  });

  const signedIn = session ? await signIn({ flags: request.flags, logger, loaded: session }) : undefined;
  const users = request.tokens ?? signedIn!.users.map((u) => ({ name: u.name, ...(u.username ? { username: u.username } : {}), tokens: u.tokens }));
  // Long runs: tokens are refreshed in the background before they expire (src/tokens/refresher.ts).
  const refresher = signedIn ? startRunRefresher({ config: signedIn.config, logger, users: signedIn.users, ...(signedIn.cache ? { cache: signedIn.cache } : {}) }) : undefined;
  try {
    setPhase('running the collection with Newman');
    return await runCollection({
      collection,
      plan,
      scopes,
      users,
      authBlockToken: request.authToken,
      reportsDir: request.reportsDir,
      logger,
      ...(refresher ? { liveTokens: refresher } : {}),
      ...(signedIn ? { signIns: signInViews(signedIn.users, signedIn.config.users) } : {}),
    });
  } finally {
    await refresher?.stop();
  }
}

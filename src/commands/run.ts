// `cognito-newman run`: read the collection (its OAuth 2.0 block is configuration too), acquire
// tokens for every user, optionally keep one shard of the folders, and run Newman in-process.
import type { Logger } from '../log.js';
import { acquireTokens } from '../tokens/acquire.js';
import { collectionVariables, readCollectionAuth } from '../newman/auth-block.js';
import { authVariables, loadCollection, loadEnvironmentValues } from '../newman/load.js';
import { toNewmanRunOptions, type ParsedNewmanArgs } from '../newman/options.js';
import { exportTargets, reporterOptionsFor, runCollection } from '../newman/run.js';
import { parseShard, shardCollection } from '../newman/shard.js';
import { loadCommandConfig } from './config.js';
import { cacheOptionsFor } from './cache-options.js';
import { startRunRefresher } from '../tokens/refresher.js';
import { checkRunInputs, checkTokenUse, Preflight } from './preflight.js';
import { setPhase } from '../interrupt.js';
import { DEFAULTS } from '../config/keys.js';

export interface RunFlags extends ParsedNewmanArgs, Record<string, unknown> {
  authToken: 'access' | 'id';
  shard?: string;
  reportsDir?: string;
  cache?: boolean;
  envFile?: string;
}

export async function runRunCommand(collectionArg: string, flags: RunFlags, logger: Logger): Promise<number> {
  const plan = toNewmanRunOptions(flags);
  const shard = flags.shard ? parseShard(flags.shard) : undefined;
  const reportsDir = flags.reportsDir ?? 'reports';
  // Everything that needs no IdP is checked first, and every problem is reported at once (preflight.ts).
  const pre = new Preflight();
  const loaded = await pre.attempt('collection', () => loadCollection(collectionArg));
  const environment = (await pre.attempt('--environment', () => loadEnvironmentValues(plan.environment))) ?? {};
  const variables = authVariables({ ...(loaded ? collectionVariables(loaded) : {}), ...environment }, plan.envVar);
  const collectionAuth = (loaded ? readCollectionAuth(loaded, variables) : {}) as Record<string, string>;
  await checkRunInputs(pre, { plan, collection: loaded, outputFiles: exportTargets(plan, reporterOptionsFor(plan, reportsDir)) });

  // A run without a signed-in user would only collect 401s: say so up front.
  const config = await pre.attempt('configuration', () => loadCommandConfig({ flags, logger, collectionAuth, requireUser: true }));
  let cache = cacheOptionsFor(flags);
  if (config) {
    const { useCache } = await checkTokenUse(pre, { config, authToken: flags.authToken, userCount: config.users.length, ...(cache ? { cacheDir: cache.dir } : {}), logger });
    if (!useCache) cache = undefined;
  }
  pre.finish();
  let collection = loaded!;
  // Newman's own default is to wait forever for an answer: a hung API would hang the run.
  if (plan.timeoutRequest === undefined) plan.timeoutRequest = config!.timeouts.apiRequestMs ?? DEFAULTS.apiRequestTimeoutMs;

  if (shard) {
    const part = shardCollection(collection, shard);
    collection = part.collection;
    logger.info(
      part.folders.length
        ? `shard ${shard.index}/${shard.total}: ${part.folders.join(', ')} (${part.requests} requests)`
        : `shard ${shard.index}/${shard.total} has no folders (more shards than folders); running an empty collection so its reports still exist.`,
    );
  }

  const acquireStarted = Date.now();
  const users = await acquireTokens({ config: config!, logger, ...(cache ? { cache } : {}) });
  // The benchmark reads this line to separate sign-in time from the run's own overhead.
  logger.debug(`tokens for ${users.length} user(s) acquired in ${Date.now() - acquireStarted} ms`);
  // Long runs: tokens are refreshed in the background before they expire (src/tokens/refresher.ts).
  const refresher = startRunRefresher({ config: config!, logger, users, ...(cache ? { cache } : {}) });
  try {
    setPhase('running the collection with Newman');
    const result = await runCollection({
      collection,
      plan,
      users: users.map((u) => ({ name: u.name, tokens: u.tokens })),
      authBlockToken: flags.authToken,
      reportsDir,
      logger,
      liveTokens: refresher,
    });
    return result.exitCode;
  } finally {
    await refresher.stop();
  }
}

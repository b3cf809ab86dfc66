// `cognito-newman run`: read the collection (its OAuth 2.0 block is configuration too), acquire
// tokens for every user, optionally keep one shard of the folders, and run Newman in-process.
import type { Logger } from '../log.js';
import { acquireTokens } from '../tokens/acquire.js';
import { collectionVariables, readCollectionAuth } from '../newman/auth-block.js';
import { authVariables, loadCollection, loadEnvironmentValues } from '../newman/load.js';
import { toNewmanRunOptions, type ParsedNewmanArgs } from '../newman/options.js';
import { runCollection } from '../newman/run.js';
import { parseShard, shardCollection } from '../newman/shard.js';
import { loadCommandConfig } from './config.js';
import { cacheOptionsFor } from './cache-options.js';
import { startRunRefresher } from '../tokens/refresher.js';
import { checkUrlVariables } from '../newman/undefined-variables.js';
import { signInViews } from '../newman/html-report.js';

export interface RunFlags extends ParsedNewmanArgs, Record<string, unknown> {
  authToken: 'access' | 'id';
  shard?: string;
  reportsDir?: string;
  cache?: boolean;
  envFile?: string;
  allowUndefinedVariables?: boolean;
}

export async function runRunCommand(collectionArg: string, flags: RunFlags, logger: Logger): Promise<number> {
  const plan = toNewmanRunOptions(flags);
  const shard = flags.shard ? parseShard(flags.shard) : undefined;
  let collection = await loadCollection(collectionArg);
  const environment = await loadEnvironmentValues(plan.environment);
  const variables = authVariables({ ...collectionVariables(collection), ...environment }, plan.envVar);
  const collectionAuth = readCollectionAuth(collection, variables) as Record<string, string>;

  // A run without a signed-in user would only collect 401s: say so up front.
  const config = await loadCommandConfig({ flags, logger, collectionAuth, requireUser: true });

  if (shard) {
    const part = shardCollection(collection, shard);
    collection = part.collection;
    logger.info(
      part.folders.length
        ? `shard ${shard.index}/${shard.total}: ${part.folders.join(', ')} (${part.requests} requests)`
        : `shard ${shard.index}/${shard.total} has no folders (more shards than folders); running an empty collection so its reports still exist.`,
    );
  }

  // Preflight (issue 14): a {{variable}} in a URL that nothing defines stops the run before any sign-in.
  await checkUrlVariables({ collection, plan, environment, userNames: config.users.map((u) => u.name), allow: !!flags.allowUndefinedVariables, logger });

  const cache = cacheOptionsFor(flags);
  const acquireStarted = Date.now();
  const users = await acquireTokens({ config, logger, ...(cache ? { cache } : {}) });
  // The benchmark reads this line to separate sign-in time from the run's own overhead.
  logger.debug(`tokens for ${users.length} user(s) acquired in ${Date.now() - acquireStarted} ms`);
  // Long runs: tokens are refreshed in the background before they expire (src/tokens/refresher.ts).
  const refresher = startRunRefresher({ config, logger, users, ...(cache ? { cache } : {}) });
  try {
    const result = await runCollection({
      collection,
      plan,
      users: users.map((u) => ({ name: u.name, ...(u.username ? { username: u.username } : {}), tokens: u.tokens })),
      authBlockToken: flags.authToken,
      reportsDir: flags.reportsDir ?? 'reports',
      logger,
      liveTokens: refresher,
      signIns: signInViews(users, config.users),
    });
    return result.exitCode;
  } finally {
    await refresher.stop();
  }
}

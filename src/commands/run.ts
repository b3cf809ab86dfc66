// `cognito-newman run`: read the collection (its OAuth 2.0 block is configuration too), acquire
// tokens for every user, optionally keep one shard of the folders, and run Newman in-process.
// executeRun is the same run for the library's runCollection (src/index.ts).
import type { Logger } from '../log.js';
import type { TokenSet } from '../oauth/types.js';
import { collectionVariables, readCollectionAuth } from '../newman/auth-block.js';
import { authVariables, loadCollection, loadEnvironmentValues } from '../newman/load.js';
import { toNewmanRunOptions, type NewmanRunPlan, type ParsedNewmanArgs } from '../newman/options.js';
import { runCollection, type RunResult } from '../newman/run.js';
import { parseShard, shardCollection } from '../newman/shard.js';
import { signIn } from './session.js';
import { startRunRefresher } from '../tokens/refresher.js';

export interface RunFlags extends ParsedNewmanArgs, Record<string, unknown> {
  authToken: 'access' | 'id';
  shard?: string;
  reportsDir?: string;
  cache?: boolean;
  envFile?: string;
}

export interface RunRequest {
  /** Path or URL of a collection file, or the collection JSON itself. */
  collection: string | object;
  plan: NewmanRunPlan;
  /** `i/n`: only shard i of n (top-level folders). */
  shard?: string;
  reportsDir: string;
  authToken: 'access' | 'id';
  /** Commander-style flags: configuration layer and cache policy (see commands/session.ts). */
  flags: Record<string, unknown>;
  settings?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  logger: Logger;
  /** Tokens the caller already has (the library): no sign-in and no background refresh. */
  tokens?: { name: string; tokens: TokenSet }[];
}

export async function runRunCommand(collectionArg: string, flags: RunFlags, logger: Logger): Promise<number> {
  const result = await executeRun({
    collection: collectionArg,
    plan: toNewmanRunOptions(flags),
    ...(flags.shard ? { shard: flags.shard } : {}),
    reportsDir: flags.reportsDir ?? 'reports',
    authToken: flags.authToken,
    flags,
    logger,
  });
  return result.exitCode;
}

/** Load, sign in (unless tokens are given), shard, and run with tokens refreshed during long runs. */
export async function executeRun(request: RunRequest): Promise<RunResult> {
  const { plan, logger } = request;
  const shard = request.shard ? parseShard(request.shard) : undefined;
  let collection = await loadCollection(request.collection);

  let session: Awaited<ReturnType<typeof signIn>> | undefined;
  if (!request.tokens) {
    const environment = await loadEnvironmentValues(plan.environment);
    const variables = authVariables({ ...collectionVariables(collection), ...environment }, plan.envVar);
    const collectionAuth = readCollectionAuth(collection, variables) as Record<string, string>;
    // A run without a signed-in user would only collect 401s: signIn requires one up front.
    session = await signIn({
      flags: request.flags,
      logger,
      collectionAuth,
      ...(request.settings ? { settings: request.settings } : {}),
      ...(request.env ? { env: request.env } : {}),
    });
  }

  if (shard) {
    const part = shardCollection(collection, shard);
    collection = part.collection;
    logger.info(
      part.folders.length
        ? `shard ${shard.index}/${shard.total}: ${part.folders.join(', ')} (${part.requests} requests)`
        : `shard ${shard.index}/${shard.total} has no folders (more shards than folders); running an empty collection so its reports still exist.`,
    );
  }

  const users = request.tokens ?? session!.users.map((u) => ({ name: u.name, tokens: u.tokens }));
  // Long runs: tokens are refreshed in the background before they expire (src/tokens/refresher.ts).
  const refresher = session ? startRunRefresher({ config: session.config, logger, users, ...(session.cache ? { cache: session.cache } : {}) }) : undefined;
  try {
    return await runCollection({
      collection,
      plan,
      users,
      authBlockToken: request.authToken,
      reportsDir: request.reportsDir,
      logger,
      ...(refresher ? { liveTokens: refresher } : {}),
    });
  } finally {
    await refresher?.stop();
  }
}

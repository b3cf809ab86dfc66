// Whether a sign-in uses the token cache, and where: on for laptops, off in CI or with --no-cache (cache: false in code).
import { cacheDir, cacheEnabled, DEFAULT_MARGIN_MS } from '../tokens/cache.js';
import type { CacheOptions } from '../tokens/acquire.js';
import { usageError } from '../errors.js';

export function cacheOptionsFor(flags: { cache?: boolean; cacheMargin?: string }, env: NodeJS.ProcessEnv = process.env): CacheOptions | undefined {
  // commander turns --no-cache into cache === false.
  if (!cacheEnabled({ noCache: flags.cache === false, env })) return undefined;
  const raw = flags.cacheMargin ?? env.COGNITO_NEWMAN_CACHE_MARGIN;
  let marginMs = DEFAULT_MARGIN_MS;
  if (raw !== undefined) {
    const seconds = Number(raw);
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw usageError('OPTION_INVALID', `The cache margin must be a number of seconds, got "${raw}".`, { hint: 'For example --cache-margin 600 (10 minutes, the default).' });
    }
    marginMs = seconds * 1000;
  }
  return { dir: cacheDir(env), marginMs };
}

// `cognito-newman logout [--user NAME]`: for each selected user, revoke the cached refresh token at
// Cognito's /oauth2/revoke and delete the cache file, saying on stderr what was done.
import { join } from 'node:path';
import type { UserCredentials } from '../config/types.js';
import { CnError, isCnError } from '../errors.js';
import type { Logger } from '../log.js';
import { revokeToken } from '../oauth/token-client.js';
import { cacheDir, cacheFileName, deleteCache, readCache, type CacheKey, cacheKeyFor } from '../tokens/cache.js';
import { loadCommandConfig } from './config.js';

export interface LogoutFlags extends Record<string, unknown> {
  user?: string;
  envFile?: string;
}

const label = (u: UserCredentials) => (u.name === 'default' ? `user ${u.username}` : `user "${u.name}" (${u.username})`);

/**
 * Revoke and forget cached tokens. The cache folder is the one `run` and `token` use, whether or
 * not the cache is on right now (CI=true, --no-cache), so a logout always cleans up. The file is
 * deleted even when the revocation fails, and that failure then sets the exit code (4), because the
 * refresh token stays valid at the server until it expires.
 */
export async function runLogoutCommand(flags: LogoutFlags, logger: Logger): Promise<number> {
  const config = await loadCommandConfig({ flags, logger });
  const users = selectUsers(config.users, flags.user);
  const dir = cacheDir();
  const idp = config.idp;
  let failure: unknown;
  for (const user of users) {
    const key: CacheKey = cacheKeyFor(idp, user.username);
    const cached = await readCache(dir, key, logger);
    if (!cached) {
      // A corrupt or foreign file was reported by readCache; it goes too.
      const removed = await deleteCache(dir, key);
      logger.info(removed ? `${label(user)}: removed an unreadable token cache file.` : `${label(user)}: no cached tokens in ${dir}; nothing to revoke.`);
      continue;
    }
    const refreshToken = cached.tokens.refreshToken;
    if (refreshToken) {
      try {
        await revokeToken(idp, refreshToken, { deadlineMs: config.timeouts.tokenDeadlineMs, requestTimeoutMs: config.timeouts.requestMs, logger });
        logger.info(`${label(user)}: revoked the refresh token at ${idp.endpoints.revoke}.`);
      } catch (err) {
        failure ??= err;
        logger.warn(`${label(user)}: the refresh token could not be revoked (${isCnError(err) ? err.code : 'error'}); it stays valid until it expires.`);
      }
    } else {
      logger.info(`${label(user)}: the cached tokens hold no refresh token; nothing to revoke.`);
    }
    await deleteCache(dir, key);
    logger.info(`${label(user)}: deleted the cached tokens (${join(dir, cacheFileName(key))}).`);
  }
  if (failure) throw failure;
  return 0;
}

function selectUsers(all: UserCredentials[], name: string | undefined): UserCredentials[] {
  if (!name) return all;
  const wanted = name.toLowerCase();
  const found = all.filter((u) => u.name === wanted);
  if (found.length === 0) {
    throw new CnError('USER_UNKNOWN', 2, `No test user named ${name} is configured (configured: ${all.map((u) => u.name).join(', ') || 'none'}).`, {
      hint: 'Add it to TEST_USERS and set TEST_USER_<NAME>_USERNAME/_PASSWORD or TEST_USER_<NAME>_SECRET_ID.',
    });
  }
  return found;
}

// `cognito-newman logout [--user NAME]`: for each selected user, revoke the cached refresh token at
// Cognito's /oauth2/revoke and delete the cache file, saying on stderr what was done.
import { idpForUser } from '../config/federation.js';
import { join } from 'node:path';
import type { UserCredentials } from '../config/types.js';
import { CnError, ExitCode, isCnError } from '../errors.js';
import type { Logger } from '../log.js';
import { revokeToken } from '../oauth/token-client.js';
import { cacheDir, cacheFileName, deleteCache, readCache, type CacheKey, cacheKeyFor } from '../tokens/cache.js';
import { loadCommandConfig } from '../session/config.js';

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
  // What was and was not done, for the closing paragraph when something could not be done.
  const notRevoked: { user: UserCredentials; why: string }[] = [];
  const deleted: UserCredentials[] = [];
  for (const user of users) {
    const key: CacheKey = cacheKeyFor(idpForUser(idp, user), user.username);
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
        notRevoked.push({ user, why: isCnError(err) ? err.code : 'error' });
      }
    } else {
      logger.info(`${label(user)}: the cached tokens hold no refresh token; nothing to revoke.`);
    }
    await deleteCache(dir, key);
    deleted.push(user);
    logger.info(`${label(user)}: deleted the cached tokens (${join(dir, cacheFileName(key))}).`);
  }
  if (notRevoked.length > 0) {
    const names = (list: UserCredentials[]) => list.map(label).join(', ');
    const pool = idp.userPoolId ?? '<user pool id>';
    throw new CnError(
      'LOGOUT_INCOMPLETE',
      ExitCode.IdpFailure,
      `Logout done in part: the cached tokens of ${names(deleted)} were deleted, but ${idp.endpoints.revoke} could not revoke the refresh token of ${notRevoked
        .map((n) => `${label(n.user)} (${n.why})`)
        .join(', ')}, which stays valid at the identity provider until it expires.`,
      {
        hint: `Nothing is left here to retry with. To end it now, sign the user out everywhere: aws cognito-idp admin-user-global-sign-out --user-pool-id ${pool} --username ${notRevoked[0]!.user.username}.`,
      },
    );
  }
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

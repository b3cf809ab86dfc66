// `cognito-newman token`: sign in and print tokens to stdout only; everything else goes to stderr.
import type { Logger } from '../log.js';
import { acquireTokens } from '../tokens/acquire.js';
import { clientCredentials } from '../oauth/token-client.js';
import { verifyTokenSet } from '../oauth/jwt.js';
import { formatTokens, type TokenFormat, type TokenKind } from '../tokens/format.js';
import { loadCommandConfig } from './config.js';
import { cacheOptionsFor } from './cache-options.js';

export interface TokenFlags extends Record<string, unknown> {
  user?: string;
  format: TokenFormat;
  authToken: TokenKind;
  envFile?: string;
  cache?: boolean;
  grant?: 'authorization-code' | 'client-credentials';
  scopes?: string;
}

export async function runTokenCommand(flags: TokenFlags, logger: Logger): Promise<number> {
  const config = await loadCommandConfig({ flags, logger });
  if (flags.grant === 'client-credentials') {
    // Machine-to-machine: no user, no browser; the client's own token for resource-server scopes.
    const tokens = await clientCredentials(config.idp, flags.scopes ? config.idp.scopes : undefined, {
      deadlineMs: config.timeouts.tokenDeadlineMs,
      requestTimeoutMs: config.timeouts.requestMs,
      logger,
    });
    await verifyTokenSet(config.idp, tokens, { requireIdToken: false });
    process.stdout.write(formatTokens([{ name: 'default', tokens, source: 'login', durationMs: 0 }], flags.format, 'access'));
    return 0;
  }
  const cache = cacheOptionsFor(flags);
  const users = await acquireTokens({ config, logger, ...(flags.user ? { userNames: [flags.user] } : {}), ...(cache ? { cache } : {}) });
  process.stdout.write(formatTokens(users, flags.format, flags.authToken));
  return 0;
}

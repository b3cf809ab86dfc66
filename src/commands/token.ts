// `cognito-newman token`: sign in and print tokens to stdout only; everything else goes to stderr.
import type { Logger } from '../log.js';
import { clientCredentials } from '../oauth/token-client.js';
import { verifyTokenSet } from '../oauth/jwt.js';
import { formatTokens, type TokenFormat, type TokenKind } from '../tokens/format.js';
import { loadCommandConfig } from '../session/config.js';
import { signIn } from '../session/sign-in.js';
import { cacheOptionsFor } from '../session/cache-options.js';
import { DEFAULTS } from '../config/keys.js';
import { checkTokenUse, Preflight } from '../session/preflight.js';

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
  const m2m = flags.grant === 'client-credentials';
  const pre = new Preflight();
  const loaded = await pre.attempt('configuration', () => loadCommandConfig({ flags, logger, requireUser: !m2m }));
  let cache = cacheOptionsFor(flags);
  if (loaded && !m2m) {
    const wanted = flags.user ? loaded.users.filter((u) => u.name === flags.user!.toLowerCase()).length || 1 : loaded.users.length;
    const { useCache } = await checkTokenUse(pre, { config: loaded, authToken: flags.authToken, userCount: wanted, format: flags.format, ...(cache ? { cacheDir: cache.dir } : {}), logger });
    if (!useCache) cache = undefined;
  }
  pre.finish();
  const config = loaded!;
  if (m2m) {
    // Machine-to-machine: no user, no browser; the client's own token for resource-server scopes.
    // COGNITO_SCOPES counts whether it came as a flag or a variable; left at its sign-in default
    // (no resource-server scope in it) it asks for nothing, so the client gets all its scopes.
    const scopes = sameScopes(config.idp.scopes, DEFAULTS.scopes) ? undefined : config.idp.scopes;
    const tokens = await clientCredentials(config.idp, scopes, {
      deadlineMs: config.timeouts.tokenDeadlineMs,
      requestTimeoutMs: config.timeouts.requestMs,
      logger,
    });
    await verifyTokenSet(config.idp, tokens, { requireIdToken: false });
    process.stdout.write(formatTokens([{ name: 'default', tokens, source: 'login', durationMs: 0, steps: [] }], flags.format, 'access'));
    return 0;
  }
  const { users } = await signIn({ flags, logger, loaded: { config, cache }, ...(flags.user ? { userNames: [flags.user] } : {}) });
  process.stdout.write(formatTokens(users, flags.format, flags.authToken));
  return 0;
}

const sameScopes = (a: readonly string[], b: string): boolean => [...a].sort().join(' ') === b.split(/\s+/).sort().join(' ');

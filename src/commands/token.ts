// `cognito-newman token`: sign in and print tokens to stdout only; everything else goes to stderr.
import type { Logger } from '../log.js';
import { clientCredentials } from '../oauth/token-client.js';
import { verifyTokenSet } from '../oauth/jwt.js';
import { formatTokens, type TokenFormat, type TokenKind } from '../tokens/format.js';
import { loadCommandConfig } from './config.js';
import { signIn } from './session.js';
import { DEFAULTS } from '../config/keys.js';

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
  if (flags.grant === 'client-credentials') {
    const config = await loadCommandConfig({ flags, logger });
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
  const { users } = await signIn({ flags, logger, ...(flags.user ? { userNames: [flags.user] } : {}) });
  process.stdout.write(formatTokens(users, flags.format, flags.authToken));
  return 0;
}

const sameScopes = (a: readonly string[], b: string): boolean => [...a].sort().join(' ') === b.split(/\s+/).sort().join(' ');

// `cognito-newman token`: sign in and print tokens to stdout only; everything else goes to stderr.
import { resolve } from 'node:path';
import type { Logger } from '../log.js';
import { loadConfig } from '../config/load.js';
import { acquireTokens } from '../tokens/acquire.js';
import { formatTokens, type TokenFormat, type TokenKind } from '../tokens/format.js';
import { flagsToConfig } from './auth-options.js';

export interface TokenFlags extends Record<string, unknown> {
  user?: string;
  format: TokenFormat;
  authToken: TokenKind;
  envFile?: string;
}

export async function runTokenCommand(flags: TokenFlags, logger: Logger): Promise<number> {
  const config = await loadConfig({
    flags: flagsToConfig(flags),
    ...(flags.envFile ? { envFile: resolve(flags.envFile) } : {}),
  });
  const users = await acquireTokens({ config, logger, ...(flags.user ? { userNames: [flags.user] } : {}) });
  process.stdout.write(formatTokens(users, flags.format, flags.authToken));
  return 0;
}

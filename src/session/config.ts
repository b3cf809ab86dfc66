// How every entry point (the commands, the library, the fixture) loads its configuration: flags on
// top, Secrets Manager plugged in lazily (the AWS SDK, an optional package, is only loaded when a
// *_SECRET_ID is configured: start-up stays fast and the install light).
import { resolve } from 'node:path';
import type { Logger } from '../log.js';
import type { Config } from '../config/types.js';
import { flagsToConfig } from '../config/flags.js';
import { loadConfig } from '../config/load.js';
import { setPhase } from '../interrupt.js';
import { loadOptionalPackage } from '../optional-packages.js';

export interface CommandConfigInput {
  flags: Record<string, unknown>;
  logger: Logger;
  /** Settings read from the collection's OAuth 2.0 block: the lowest layer. */
  collectionAuth?: Record<string, string>;
  /** The command signs a test user in, so one must be configured. */
  requireUser?: boolean;
  /** Configuration variables given in code (the library): the same layer as flags, winning over them. */
  settings?: Record<string, string>;
  /** Instead of process.env (the library's `env` option). */
  env?: NodeJS.ProcessEnv;
}

export async function loadCommandConfig({ flags, logger, collectionAuth, requireUser, settings, env }: CommandConfigInput): Promise<Config> {
  let resolver: Promise<import('../secrets/secrets-manager.js').SecretResolver> | undefined;
  setPhase('reading the configuration');
  const secrets = async () => {
    setPhase('reading secrets from AWS Secrets Manager');
    const mod = await loadOptionalPackage('@aws-sdk/client-secrets-manager', () => import('../secrets/secrets-manager.js'));
    resolver ??= Promise.resolve(mod.createSecretsManagerResolver({ env: env ?? process.env, logger }));
    return { mod, resolver: await resolver };
  };
  return loadConfig({
    flags: { ...flagsToConfig(flags), ...settings },
    logger,
    ...(env ? { env } : {}),
    ...(typeof (flags.dotenv ?? flags.envFile) === 'string' ? { envFile: resolve(String(flags.dotenv ?? flags.envFile)) } : {}),
    ...(collectionAuth ? { collectionAuth } : {}),
    ...(requireUser ? { requireUser } : {}),
    resolveSecretString: async (secretId) => (await secrets()).resolver.getString(secretId),
    resolveSecret: async (secretId) => {
      const { mod, resolver: r } = await secrets();
      const creds = await mod.credentialsFromSecret(r, secretId, mod.secretKeyNamesFromEnv(env ?? process.env));
      return Object.fromEntries(Object.entries(creds).filter((e): e is [string, string] => typeof e[1] === 'string'));
    },
  });
}

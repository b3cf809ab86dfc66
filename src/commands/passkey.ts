// `cognito-newman passkey enroll [--user NAME]`: sign a test user in with what it has (password,
// TOTP, a code), register a passkey on Managed Login's /passkeys/add, and print the credential JSON
// on stdout only (as `token` prints tokens), ready for Secrets Manager or TEST_USER_PASSKEY.
// Progress goes to stderr and never holds the private key.
import type { Logger } from '../log.js';
import { usageError } from '../errors.js';
import { userLabel, userVariablePrefix } from '../secrets/env.js';
import { blockedHostsFor } from '../tokens/acquire.js';
import { loadCommandConfig } from './config.js';
import type { PasskeyCredential, UserCredentials } from '../config/types.js';

export interface PasskeyFlags extends Record<string, unknown> {
  user?: string;
  envFile?: string;
}

export interface EnrollRequest {
  flags: Record<string, unknown>;
  logger: Logger;
  settings?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  /** The named user (default: the first configured user). */
  user?: string;
}

/** Sign the user in, register a passkey, return it with the user it belongs to (the CLI and the library). */
export async function enrollUserPasskey(request: EnrollRequest): Promise<{ credential: PasskeyCredential; user: UserCredentials }> {
  const { flags, logger } = request;
  const config = await loadCommandConfig({ flags, logger, requireUser: true, ...(request.settings ? { settings: request.settings } : {}), ...(request.env ? { env: request.env } : {}) });
  const wanted = (request.user ?? config.users[0]?.name ?? 'default').toLowerCase();
  const user = config.users.find((u) => u.name === wanted);
  if (!user) {
    throw usageError('USER_NOT_CONFIGURED', `No test user "${wanted}" is configured.`, {
      hint: `Configured: ${config.users.map((u) => u.name).join(', ') || 'none'}; name a user with --user, or set ${userVariablePrefix(wanted)}_USERNAME and its secrets.`,
    });
  }
  const { launchBrowser } = await import('../login/browser.js');
  const { enrollPasskey } = await import('../login/enroll.js');
  const browser = await launchBrowser({ blockedHosts: blockedHostsFor(config.idp.redirectUri, config.idp.domain), logger });
  try {
    logger.info(`enrolling a passkey for ${userLabel(user)}: signing in, then ${new URL('/passkeys/add', config.idp.domain).toString()}`);
    const credential = await enrollPasskey({
      browser,
      idp: config.idp,
      user,
      artifactsDir: config.artifactsDir,
      timeoutMs: config.timeouts.loginMs,
      ...(config.timeouts.codeMs !== undefined ? { codeTimeoutMs: config.timeouts.codeMs } : {}),
      logger,
    });
    return { credential, user };
  } finally {
    await browser.close().catch(() => undefined);
  }
}

export async function runPasskeyEnrollCommand(flags: PasskeyFlags, logger: Logger, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { credential, user } = await enrollUserPasskey({ flags, logger, ...(flags.user ? { user: flags.user } : {}) });
  out.write(`${JSON.stringify(credential)}\n`);
  const p = userVariablePrefix(user.name);
  logger.info(
    `passkey ${credential.id} registered for ${userLabel(user)} (relying party ${credential.rpId}). Store the JSON printed on stdout as ${p}_PASSKEY, or as the key "passkey" of the user's Secrets Manager secret; it holds a private key.`,
  );
  return 0;
}

// Passkey enrolment shared by `cognito-newman passkey enroll` and the library's enrollPasskey(): sign
// a test user in with what it has, register a passkey on Managed Login's /passkeys/add, and return the
// credential (it holds a private key: the caller decides where it goes, stdout only for the CLI).
import type { Logger } from '../log.js';
import { usageError } from '../errors.js';
import { userLabel, userVariablePrefix } from '../secrets/env.js';
import { blockedHostsFor } from '../tokens/acquire.js';
import { loadCommandConfig } from './config.js';
import type { PasskeyCredential, UserCredentials } from '../config/types.js';

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

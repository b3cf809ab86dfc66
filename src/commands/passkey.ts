// `cognito-newman passkey enroll [--user NAME]`: sign a test user in with what it has (password,
// TOTP, a code), register a passkey on Managed Login's /passkeys/add, and print the credential JSON
// on stdout only (as `token` prints tokens), ready for Secrets Manager or TEST_USER_PASSKEY.
// Progress goes to stderr and never holds the private key.
import type { Logger } from '../log.js';
import { userLabel, userVariablePrefix } from '../secrets/env.js';
import { enrollUserPasskey } from '../session/passkey-enroll.js';

export interface PasskeyFlags extends Record<string, unknown> {
  user?: string;
  envFile?: string;
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

// Doctor checks for sign-in factors (issue 18): a user's passkey belongs to this domain's relying
// party, and a user's code source answers and accepts its credentials. Each failure carries a fix.
import type { IdpConfig, UserCredentials } from '../config/types.js';
import { ExitCode } from '../errors.js';
import { userLabel, userVariablePrefix } from '../secrets/env.js';
import { fail, pass, type CheckResult } from './check.js';
import { SourceError } from '../codes/reader.js';

export const PASSKEY_CHECK = 'passkey relying party matches';
export const CODE_SOURCE_CHECK = 'code source answers';

/**
 * The passkey's relying party id must be the one the pool uses: the configured one
 * (COGNITO_PASSKEY_RP_ID, the pool's WebAuthnConfiguration.RelyingPartyId), else the domain's host
 * (cognito-reference 3.2: with a custom domain the id must be that domain).
 */
export function checkPasskeyRelyingParty(user: UserCredentials, idp: Pick<IdpConfig, 'domain'>, configuredRpId?: string): CheckResult {
  const name = `${PASSKEY_CHECK} (${userLabel(user)})`;
  const rpId = user.passkey!.rpId;
  const host = new URL(idp.domain).hostname.toLowerCase();
  const expected = configuredRpId?.toLowerCase();
  const v = `${userVariablePrefix(user.name)}_PASSKEY`;
  if (expected) {
    if (rpId === expected) return pass(name, `${rpId} is the configured relying party id`);
    return fail(name, `the passkey was made for ${rpId}, but the pool's relying party id is ${expected} (COGNITO_PASSKEY_RP_ID)`, `Enrol a new passkey with \`cognito-newman passkey enroll${user.name === 'default' ? '' : ` --user ${user.name}`}\` and store it in ${v}, or correct COGNITO_PASSKEY_RP_ID.`, ExitCode.Usage);
  }
  if (rpId === host) return pass(name, `${rpId} is the domain`);
  // WebAuthn lets a relying party id be a registrable suffix of the page's host; only a configured id makes that true for Cognito.
  if (host.endsWith(`.${rpId}`)) {
    return fail(name, `the passkey was made for ${rpId}, a parent of the domain ${host}; Cognito uses the domain unless WebAuthnConfiguration.RelyingPartyId says ${rpId}`, `If the pool's relying party id is ${rpId}, set COGNITO_PASSKEY_RP_ID=${rpId}; otherwise enrol a new passkey for ${host} and store it in ${v}.`, ExitCode.Usage);
  }
  return fail(name, `the passkey was made for ${rpId}, not for the domain ${host}`, `A passkey works only for the relying party it was made for (creating a custom domain changes it): enrol a new one with \`cognito-newman passkey enroll${user.name === 'default' ? '' : ` --user ${user.name}`}\` and store it in ${v}, or set COGNITO_PASSKEY_RP_ID if the pool's WebAuthnConfiguration.RelyingPartyId differs from the domain.`, ExitCode.Usage);
}

/** The code source answers and accepts the credentials (one cheap request; no message is read). */
export async function checkCodeSource(user: UserCredentials, opts: { env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<CheckResult> {
  const source = user.codeSource!;
  const name = `${CODE_SOURCE_CHECK} (${userLabel(user)})`;
  const { openReader } = await import('../codes/reader.js');
  let reader: Awaited<ReturnType<typeof openReader>> | undefined;
  try {
    reader = await openReader(source, { username: user.username, address: user.codeAddress ?? user.username, env: opts.env, requestTimeoutMs: opts.timeoutMs });
    let timer: NodeJS.Timeout | undefined;
    const bounded = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SourceError(`${source.display} did not answer within ${Math.round(opts.timeoutMs / 1000)} s`, false, 'Check that it is reachable from this machine.')), opts.timeoutMs);
    });
    try {
      await Promise.race([reader.probe(), bounded]);
    } finally {
      clearTimeout(timer);
    }
    return pass(name, `${source.display} answers`);
  } catch (e) {
    if (e instanceof SourceError) return fail(name, e.message, e.fix, e.fatal ? ExitCode.Usage : ExitCode.IdpFailure);
    return fail(name, `${source.display} failed: ${(e as Error).message}`, `Check ${userVariablePrefix(user.name)}_CODE_SOURCE.`, ExitCode.IdpFailure);
  } finally {
    await reader?.close().catch(() => undefined);
  }
}

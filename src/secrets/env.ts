// Test-user credentials from environment-style variables: the default user (TEST_USER_*) and the
// named users listed in TEST_USERS (TEST_USER_<NAME>_*). Secrets Manager values arrive here too,
// already merged into the same names by the config loader.
import type { UserCredentials, UserFederation } from '../config/types.js';
import { registerSecret } from '../log.js';
import { IDP_LOGIN_UI_WORDS, isIdpLoginUi } from 'cognito-newman-common/idp-login-ui';
import { SIGN_IN_FACTORS, defaultFactor, parseCodeSource, parsePasskey, parseFactor, type CodeSource, type PasskeyCredential, type SignInFactor } from '../config/factors.js';

/**
 * How every output names a user (sign-in lines, run summary, doctor): the default user by its
 * username, a named user by its name and username, `user "admin" (admin)`.
 */
export function userLabel(u: { name: string; username?: string | undefined }): string {
  if (u.name === DEFAULT_USER) return `user ${u.username ?? DEFAULT_USER}`;
  return u.username ? `user "${u.name}" (${u.username})` : `user "${u.name}"`;
}

/** The user name that TEST_USER_USERNAME/PASSWORD/TOTP_SECRET describe. */
export const DEFAULT_USER = 'default';

// A name must survive the trip into a variable name and into Newman variables (`<name>_accessToken`).
const USER_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** `admin` -> `TEST_USER_ADMIN`; `read-only` -> `TEST_USER_READ_ONLY`. The default user has no infix. */
export function userVariablePrefix(name: string): string {
  return name === DEFAULT_USER ? 'TEST_USER' : `TEST_USER_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The names listed in TEST_USERS (comma or space separated), lower-cased, in order. */
export function namedUsers(list: string | undefined): string[] {
  return (list ?? '')
    .split(/[\s,]+/)
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n.length > 0);
}

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v.trim() === '' ? undefined : v);

/**
 * Collect the users the environment describes. Every problem is reported (not thrown) so the
 * config loader can list them together with its own. Passwords and TOTP secrets are registered for
 * redaction here, the moment they are read. Messages name variables, never values.
 */
export function usersFromEnv(values: Record<string, string | undefined>): { users: UserCredentials[]; problems: string[] } {
  const users: UserCredentials[] = [];
  const problems: string[] = [];

  const readUser = (name: string, required: boolean): void => {
    const p = userVariablePrefix(name);
    const username = nonEmpty(values[`${p}_USERNAME`]);
    const password = nonEmpty(values[`${p}_PASSWORD`]);
    const totpSecret = nonEmpty(values[`${p}_TOTP_SECRET`]);
    const secretId = nonEmpty(values[`${p}_SECRET_ID`]);
    const rawPasskey = nonEmpty(values[`${p}_PASSKEY`]);
    const rawSource = nonEmpty(values[`${p}_CODE_SOURCE`]);
    const sourcePassword = nonEmpty(values[`${p}_CODE_SOURCE_PASSWORD`]);
    const rawFactor = nonEmpty(values[`${p}_SIGN_IN_FACTOR`]);
    const codeAddress = nonEmpty(values[`${p}_CODE_ADDRESS`])?.trim();
    registerSecret(password);
    registerSecret(totpSecret);
    registerSecret(rawPasskey);
    registerSecret(sourcePassword);
    if (!username && !password && !totpSecret && !rawPasskey) {
      if (required) {
        problems.push(
          secretId
            ? `${p}_SECRET_ID: user "${name}" has a Secrets Manager secret id but it was not resolved into a username and password`
            : `${p}_USERNAME: user "${name}" is listed in TEST_USERS but has no ${p}_USERNAME/${p}_PASSWORD (or ${p}_SECRET_ID)`,
        );
      }
      return;
    }
    let passkey: PasskeyCredential | undefined;
    if (rawPasskey) {
      const r = parsePasskey(rawPasskey);
      if (r.problem) problems.push(`${p}_PASSKEY: ${r.problem}`);
      passkey = r.passkey;
    }
    let codeSource: CodeSource | undefined;
    if (rawSource) {
      const r = parseCodeSource(rawSource, sourcePassword);
      if (r.problem) problems.push(`${p}_CODE_SOURCE: ${r.problem}`);
      codeSource = r.source;
      if (codeSource?.kind === 'imap' && !codeSource.password) {
        problems.push(`${p}_CODE_SOURCE: the IMAP mailbox needs a password: set ${p}_CODE_SOURCE_PASSWORD (or "codeSourcePassword" in the user's Secrets Manager secret)`);
      }
    }
    let signInFactor: SignInFactor | undefined;
    if (rawFactor) {
      signInFactor = parseFactor(rawFactor);
      if (!signInFactor) problems.push(`${p}_SIGN_IN_FACTOR: must be ${SIGN_IN_FACTORS.slice(0, -1).join(', ')} or ${SIGN_IN_FACTORS.at(-1)}`);
    }
    // A passkey that failed to parse still says what the user meant: do not fall back to a code.
    const factor = signInFactor ?? (rawPasskey && !password ? 'passkey' : defaultFactor({ password, passkey, codeSource }));
    if (!username) problems.push(`${p}_USERNAME: missing for user "${name}" (${p}_PASSWORD, ${p}_PASSKEY or ${p}_TOTP_SECRET is set)`);
    // What each factor needs, named by the variable that supplies it.
    if (factor === 'password' && !password) problems.push(`${p}_PASSWORD: missing for user "${name}" (${p}_USERNAME is set; or set ${p}_PASSKEY or ${p}_CODE_SOURCE for a passwordless user)`);
    if (factor === 'passkey' && !passkey && !rawPasskey) problems.push(`${p}_PASSKEY: required: user "${name}" signs in with a passkey (${p}_SIGN_IN_FACTOR=passkey); store the output of \`cognito-newman passkey enroll\``);
    if ((factor === 'email' || factor === 'sms') && !codeSource && !rawSource) {
      problems.push(`${p}_CODE_SOURCE: required: user "${name}" signs in with a one-time code by ${factor === 'sms' ? 'SMS' : 'email'}; name where its codes arrive (s3://bucket/prefix, imaps://user@host/INBOX, mailpit+http://host:8025, command:..., or a directory)`);
    }
    if (totpSecret !== undefined && !isBase32(totpSecret)) {
      problems.push(`${p}_TOTP_SECRET: not a base32 TOTP secret (the value shown when MFA was set up: letters A-Z and digits 2-7)`);
    }
    const federation = userFederation(values, p, problems);
    const usable = factor === 'password' ? !!password : factor === 'passkey' ? !!passkey : !!codeSource;
    if (username && usable) {
      users.push({
        name,
        username,
        ...(password !== undefined ? { password } : {}),
        ...(totpSecret !== undefined ? { totpSecret } : {}),
        ...(federation ? { federation } : {}),
        // A password user's default needs no field (its configuration reads as before issue 18).
        ...(signInFactor || factor !== 'password' ? { signInFactor: factor } : {}),
        ...(signInFactor ? { signInFactorConfigured: true } : {}),
        ...(passkey ? { passkey } : {}),
        ...(codeSource ? { codeSource } : {}),
        ...(codeAddress ? { codeAddress } : {}),
      });
    }
  };

  // The default user is optional: client-credentials runs and `token --user NAME` need none.
  readUser(DEFAULT_USER, false);

  const seen = new Set<string>();
  for (const name of namedUsers(values.TEST_USERS)) {
    if (!USER_NAME.test(name)) {
      problems.push(`TEST_USERS: "${name}" is not a valid user name (letters, digits, "-" and "_", starting with a letter)`);
      continue;
    }
    if (name === DEFAULT_USER) {
      problems.push(`TEST_USERS: "${DEFAULT_USER}" is reserved for the TEST_USER_USERNAME/TEST_USER_PASSWORD user`);
      continue;
    }
    const key = userVariablePrefix(name);
    if (seen.has(key)) {
      problems.push(`TEST_USERS: "${name}" is listed twice (or collides with another name as ${key}_*)`);
      continue;
    }
    seen.add(key);
    readUser(name, true);
  }
  return { users: mergeDefaultIntoNamed(users, problems), problems };
}

/**
 * One person, one sign-in: when the default user's username is also a named user's, that is one
 * user. It keeps its name, signs in once and comes first, so it is the primary user whose tokens
 * also go into the unprefixed variables (newman/variables.ts primaryUser). Cognito usernames are
 * case-insensitive by default, so the comparison is too. Different secrets for it are a problem.
 */
export function mergeDefaultIntoNamed(users: UserCredentials[], problems: string[] = []): UserCredentials[] {
  const def = users.find((u) => u.name === DEFAULT_USER);
  if (!def) return users;
  const same = users.find((u) => u.name !== DEFAULT_USER && u.username.toLowerCase() === def.username.toLowerCase());
  if (!same) return users;
  const p = userVariablePrefix(same.name);
  if ((same.password ?? '') !== (def.password ?? '') || (same.totpSecret ?? '') !== (def.totpSecret ?? '')) {
    problems.push(`TEST_USER_USERNAME: names the same user as ${p}_USERNAME (${same.username}) but with a different password or TOTP secret; configure that user once (as the named user "${same.name}", whose tokens are then also the unprefixed {{accessToken}}, ...)`);
    return users;
  }
  return [same, ...users.filter((u) => u !== def && u !== same)];
}

/**
 * A user's own IdP settings, `<prefix>_IDENTITY_PROVIDER`, `_IDP_IDENTIFIER` and `_IDP_LOGIN_UI`
 * (the per-user form of COGNITO_IDENTITY_PROVIDER, ...), checked as Cognito limits them. The
 * combinations (login UI required with a named IdP, not both, not Google) are the config loader's.
 */
function userFederation(values: Record<string, string | undefined>, p: string, problems: string[]): UserFederation | undefined {
  const identityProvider = nonEmpty(values[`${p}_IDENTITY_PROVIDER`])?.trim();
  const idpIdentifier = nonEmpty(values[`${p}_IDP_IDENTIFIER`])?.trim();
  const ui = nonEmpty(values[`${p}_IDP_LOGIN_UI`])?.trim().toLowerCase();
  if (identityProvider === undefined && idpIdentifier === undefined && ui === undefined) return undefined;
  const out: UserFederation = {};
  if (identityProvider !== undefined) {
    if (identityProvider.length > 32) problems.push(`${p}_IDENTITY_PROVIDER: must be an identity provider name of at most 32 characters (its ProviderName)`);
    else out.identityProvider = identityProvider;
  }
  if (idpIdentifier !== undefined) {
    if (!/^[\w\s+=.@-]{1,40}$/.test(idpIdentifier)) problems.push(`${p}_IDP_IDENTIFIER: must be an IdP identifier of at most 40 characters (letters, digits, spaces and + = . @ - _)`);
    else out.idpIdentifier = idpIdentifier;
  }
  if (ui !== undefined) {
    if (!isIdpLoginUi(ui)) problems.push(`${p}_IDP_LOGIN_UI: must be ${IDP_LOGIN_UI_WORDS}`);
    else out.idpLoginUi = ui;
  }
  return out;
}

/** RFC 4648 base32 as authenticator set-up screens show it (spaces and lower case tolerated). */
function isBase32(value: string): boolean {
  const v = value.replace(/\s+/g, '').toUpperCase();
  return v.length >= 8 && /^[A-Z2-7]+=*$/.test(v);
}

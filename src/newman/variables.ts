// The token variables of the contract (`accessToken`, `<name>_accessToken`, ...) as Newman envVar
// entries: handed over in memory, never through argv or a file another process could read.
import type { TokenSet } from '../oauth/types.js';

/** One user's tokens; `name` is `default` or the lower-case name from TEST_USERS. */
export interface UserTokens {
  name: string;
  tokens: TokenSet;
  /** The Cognito username, so every output names the user the same way (secrets/env.ts userLabel). */
  username?: string;
}

/** The variable names, configurable so a collection's existing names can be kept. */
export interface VariableNames {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  tokenType: string;
  accessTokenExpiresAt: string;
}

export const DEFAULT_VARIABLE_NAMES: VariableNames = {
  accessToken: 'accessToken',
  idToken: 'idToken',
  refreshToken: 'refreshToken',
  tokenType: 'tokenType',
  accessTokenExpiresAt: 'accessTokenExpiresAt',
};

export const DEFAULT_USER = 'default';

/**
 * The user whose tokens go unprefixed into `accessToken`, ... and into OAuth 2.0 auth blocks: the
 * user named `default`, else the first user, so a collection written for one user also runs
 * with TEST_USERS set.
 */
export function primaryUser(users: readonly UserTokens[]): UserTokens | undefined {
  return users.find((u) => u.name === DEFAULT_USER) ?? users[0];
}

function valuesOf(tokens: TokenSet, names: VariableNames): Array<[string, string | undefined]> {
  return [
    [names.accessToken, tokens.accessToken],
    [names.idToken, tokens.idToken],
    [names.refreshToken, tokens.refreshToken],
    [names.tokenType, tokens.tokenType],
    [names.accessTokenExpiresAt, Number.isFinite(tokens.accessTokenExpiresAt) ? new Date(tokens.accessTokenExpiresAt).toISOString() : undefined],
  ];
}

/** The `envVar` entries that carry one user's tokens (see tokenVariables for the naming rule). */
export function userTokenVariables(user: UserTokens, users: readonly UserTokens[], names: Partial<VariableNames> = {}): Array<{ key: string; value: string }> {
  const n: VariableNames = { ...DEFAULT_VARIABLE_NAMES, ...names };
  const pairs = valuesOf(user.tokens, n).filter((p): p is [string, string] => p[1] !== undefined && p[1] !== '');
  const out: Array<{ key: string; value: string }> = [];
  if (user === primaryUser(users)) for (const [key, value] of pairs) out.push({ key, value });
  if (user.name !== DEFAULT_USER) for (const [key, value] of pairs) out.push({ key: `${user.name}_${key}`, value });
  return out;
}

/**
 * Newman `envVar` entries for every user: unprefixed names for the primary user (see
 * primaryUser), `<name>_<variable>` for every named user. Absent tokens (no ID token without the
 * `openid` scope, no refresh token from the implicit grant) give no variable, so an environment's
 * own value is left alone.
 */
export function tokenVariables(users: UserTokens[], names: Partial<VariableNames> = {}): Array<{ key: string; value: string }> {
  return users.flatMap((u) => userTokenVariables(u, users, names));
}

/** The variable names tokenVariables gives these users (all, or `only` one's), known before any sign-in. */
export function tokenVariableNames(userNames: readonly string[], names: Partial<VariableNames> = {}, only?: string): string[] {
  const n = Object.values({ ...DEFAULT_VARIABLE_NAMES, ...names });
  const primary = userNames.includes(DEFAULT_USER) ? DEFAULT_USER : userNames[0];
  const out: string[] = [];
  for (const user of userNames) {
    if (only !== undefined && user !== only) continue;
    if (user === primary) out.push(...n);
    if (user !== DEFAULT_USER) out.push(...n.map((v) => `${user}_${v}`));
  }
  return out;
}

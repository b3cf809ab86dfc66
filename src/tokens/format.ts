// Presentation of acquired tokens for `cognito-newman token`: json, env (shell lines) or header.
import { usageError } from '../errors.js';
import type { AcquiredUser } from './acquire.js';

export type TokenFormat = 'json' | 'env' | 'header';
export type TokenKind = 'access' | 'id';

function asJson(u: AcquiredUser) {
  const t = u.tokens;
  return {
    accessToken: t.accessToken,
    ...(t.idToken ? { idToken: t.idToken } : {}),
    ...(t.refreshToken ? { refreshToken: t.refreshToken } : {}),
    tokenType: t.tokenType,
    expiresIn: t.expiresIn,
    accessTokenExpiresAt: new Date(t.accessTokenExpiresAt).toISOString(),
    ...(t.scope ? { scope: t.scope } : {}),
  };
}

const envPrefix = (u: AcquiredUser) => (u.name === 'default' ? '' : `${u.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`);

/** Shell-safe single quoting; tokens are base64url and dots, but refresh tokens may hold anything. */
const shq = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

/**
 * Render tokens for stdout. One user: a flat object / plain lines. Several users: JSON keyed by
 * user name, env lines prefixed with the user's name. `header` needs exactly one user.
 */
export function formatTokens(users: AcquiredUser[], format: TokenFormat, kind: TokenKind = 'access'): string {
  switch (format) {
    case 'json': {
      const only = users.length === 1 ? users[0] : undefined;
      const value = only ? asJson(only) : Object.fromEntries(users.map((u) => [u.name, asJson(u)]));
      return JSON.stringify(value, null, 2) + '\n';
    }
    case 'env':
      return users
        .map((u) => {
          const p = envPrefix(u);
          const t = u.tokens;
          const lines = [`${p}ACCESS_TOKEN=${shq(t.accessToken)}`];
          if (t.idToken) lines.push(`${p}ID_TOKEN=${shq(t.idToken)}`);
          if (t.refreshToken) lines.push(`${p}REFRESH_TOKEN=${shq(t.refreshToken)}`);
          lines.push(`${p}TOKEN_TYPE=${shq(t.tokenType)}`, `${p}ACCESS_TOKEN_EXPIRES_AT=${shq(new Date(t.accessTokenExpiresAt).toISOString())}`);
          return lines.join('\n') + '\n';
        })
        .join('');
    case 'header': {
      if (users.length !== 1) {
        throw usageError('TOKEN_FORMAT_NEEDS_ONE_USER', `--format header prints one Authorization header, but ${users.length} users are configured.`, {
          hint: 'Choose one with --user NAME.',
        });
      }
      const t = users[0]!.tokens;
      const token = kind === 'id' ? t.idToken : t.accessToken;
      if (!token) {
        throw usageError('NO_ID_TOKEN', 'No ID token was issued, so there is none to print.', {
          hint: 'Cognito issues an ID token only when the scope includes openid: add it to COGNITO_SCOPES.',
        });
      }
      // Header names are case-insensitive but the scheme is conventionally "Bearer" (implicit gives "bearer").
      return `Authorization: Bearer ${token}\n`;
    }
  }
}

// Scopes the identity provider dropped: Cognito (and the emulator) silently leave out scopes the app
// client does not allow, and the first anyone hears of it is a 403 from the API. Say it at once.
import type { Logger } from '../log.js';
import type { TokenSet } from '../oauth/types.js';

/** The scopes granted, from the token response's `scope` or else the access token's `scope` claim (Cognito puts them there). */
export function grantedScopes(tokens: TokenSet): string[] | undefined {
  if (typeof tokens.scope === 'string') return tokens.scope.split(/\s+/).filter(Boolean);
  try {
    const claims = JSON.parse(Buffer.from(tokens.accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { scope?: unknown };
    return typeof claims.scope === 'string' ? claims.scope.split(/\s+/).filter(Boolean) : undefined;
  } catch {
    return undefined;
  }
}

/** The requested scopes missing from the grant (none when the grant does not say what it holds). */
export function droppedScopes(requested: readonly string[], tokens: TokenSet): string[] {
  const granted = grantedScopes(tokens);
  if (!granted) return [];
  return requested.filter((s) => !granted.includes(s));
}

/** One warning naming the scopes that were asked for and not granted. */
export function warnDroppedScopes(requested: readonly string[], tokens: TokenSet, who: string, logger: Logger): void {
  const dropped = droppedScopes(requested, tokens);
  if (dropped.length === 0) return;
  logger.warn(
    `The identity provider did not grant ${dropped.map((s) => `"${s}"`).join(', ')} to ${who} (asked: ${requested.join(' ')}; granted: ${grantedScopes(tokens)!.join(' ') || 'none'}). ` +
      'Allow the scope on the app client (Allowed OAuth scopes; custom scopes need a resource server), or remove it from COGNITO_SCOPES; requests that need it will be refused.',
  );
}

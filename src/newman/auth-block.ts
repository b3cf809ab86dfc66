// The collection's OAuth 2.0 auth block (Postman's Authorization tab): read as configuration, and
// given the acquired token so requests that inherit auth send it, unchanged from the user's setup.

/** One parameter of a v2.1 auth block: `{ key: 'authUrl', value: '...', type: 'string' }`. */
export interface AuthParam {
  key: string;
  value?: unknown;
  type?: string;
}

/** An auth block: v2.1 keeps parameters in an array under the type's name; v2.0 in an object. */
export interface AuthBlock {
  type: string;
  [type: string]: unknown;
}

export interface CollectionItem {
  name?: string;
  item?: CollectionItem[];
  request?: string | { auth?: AuthBlock | null; [k: string]: unknown };
  auth?: AuthBlock | null;
  [k: string]: unknown;
}

/** A Postman collection (v2.0 or v2.1 JSON), only the parts this module reads. */
export interface CollectionJson {
  info?: { name?: string; schema?: string; [k: string]: unknown };
  item?: CollectionItem[];
  auth?: AuthBlock | null;
  variable?: Array<{ key?: string; value?: unknown; disabled?: boolean; [k: string]: unknown }>;
  [k: string]: unknown;
}

/** The configuration keys an auth block can supply (names of the configuration contract). */
export type CollectionAuthKey =
  | 'COGNITO_AUTH_URL'
  | 'COGNITO_TOKEN_URL'
  | 'COGNITO_DOMAIN'
  | 'COGNITO_CLIENT_ID'
  | 'COGNITO_CLIENT_SECRET'
  | 'COGNITO_SCOPES'
  | 'COGNITO_REDIRECT_URI'
  | 'COGNITO_CLIENT_AUTH'
  | 'COGNITO_RESPONSE_TYPE';

/** The callback Postman itself uses when "Authorize using browser" is ticked (useBrowser). */
export const POSTMAN_BROWSER_CALLBACK = 'https://oauth.pstmn.io/v1/callback';

export type AuthLevel = 'collection' | 'folder' | 'request';

export interface LocatedAuthBlock {
  level: AuthLevel;
  /** Folder or request name; the collection's name for the collection level. */
  name: string;
  block: AuthBlock;
}

const isOAuth2 = (b: unknown): b is AuthBlock =>
  typeof b === 'object' && b !== null && (b as { type?: unknown }).type === 'oauth2';

function requestAuth(item: CollectionItem): unknown {
  return typeof item.request === 'object' && item.request !== null ? item.request.auth : undefined;
}

/**
 * Every OAuth 2.0 block in the order Postman's inheritance makes them matter: the collection's,
 * then folders' (document order, outer before inner), then requests' (document order).
 */
export function findOAuth2Blocks(collection: CollectionJson): LocatedAuthBlock[] {
  const folders: LocatedAuthBlock[] = [];
  const requests: LocatedAuthBlock[] = [];
  const walk = (items: CollectionItem[] | undefined) => {
    for (const item of items ?? []) {
      if (Array.isArray(item.item)) {
        if (isOAuth2(item.auth)) folders.push({ level: 'folder', name: item.name ?? '', block: item.auth });
        walk(item.item);
      } else {
        const auth = requestAuth(item) ?? item.auth;
        if (isOAuth2(auth)) requests.push({ level: 'request', name: item.name ?? '', block: auth });
      }
    }
  };
  walk(collection.item);
  const top: LocatedAuthBlock[] = isOAuth2(collection.auth) ? [{ level: 'collection', name: collection.info?.name ?? '', block: collection.auth }] : [];
  return [...top, ...folders, ...requests];
}

/** The block's parameters as a plain object, whichever of the v2.1 (array) or v2.0 (object) shapes it has. */
export function authParams(block: AuthBlock): Record<string, unknown> {
  const raw = block[block.type];
  if (Array.isArray(raw)) {
    const out: Record<string, unknown> = {};
    for (const p of raw as AuthParam[]) if (p && typeof p.key === 'string') out[p.key] = p.value;
    return out;
  }
  return typeof raw === 'object' && raw !== null ? { ...(raw as Record<string, unknown>) } : {};
}

const VARIABLE = /\{\{([^{}]+)\}\}/g;
const HAS_VARIABLE = /\{\{[^{}]+\}\}/;

/**
 * Resolve `{{name}}` references as Postman does, nested ones included (a few passes). Returns
 * undefined when a reference stays unresolved, because a half-resolved URL is no configuration.
 */
export function resolveVariables(text: string, variables: Record<string, string>): string | undefined {
  let out = text;
  for (let pass = 0; pass < 5 && HAS_VARIABLE.test(out); pass++) {
    out = out.replace(VARIABLE, (whole, name: string) => variables[name.trim()] ?? whole);
  }
  return HAS_VARIABLE.test(out) ? undefined : out;
}

/** The collection's own variables (lowest precedence, as in Postman). */
export function collectionVariables(collection: CollectionJson): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of collection.variable ?? []) {
    if (v && typeof v.key === 'string' && !v.disabled && v.value !== undefined && v.value !== null) out[v.key] = String(v.value);
  }
  return out;
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Configuration from the first OAuth 2.0 block (collection, then folders, then requests), with
 * `{{variables}}` resolved from `variables` (environment + --env-var) over the collection's own
 * variables. Only keys with a usable value are returned: the caller lets the environment win.
 * Postman semantics: `client_authentication` `header` is HTTP Basic (RFC 6749 §2.3.1), `body`
 * sends the credentials in the form; grant type `implicit` is `response_type=token` (§4.2);
 * `useBrowser` without a redirect_uri means Postman's own callback.
 */
export function readCollectionAuth(collection: CollectionJson, variables: Record<string, string>): Partial<Record<CollectionAuthKey, string>> {
  const first = findOAuth2Blocks(collection)[0];
  if (!first) return {};
  const scope = { ...collectionVariables(collection), ...variables };
  const params = authParams(first.block);
  const str = (key: string): string | undefined => {
    const v = params[key];
    if (typeof v !== 'string' || v.trim() === '') return undefined;
    const resolved = resolveVariables(v.trim(), scope);
    return resolved === undefined || resolved === '' ? undefined : resolved;
  };

  const out: Partial<Record<CollectionAuthKey, string>> = {};
  const set = (key: CollectionAuthKey, value: string | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  const authUrl = str('authUrl');
  const tokenUrl = str('accessTokenUrl');
  set('COGNITO_AUTH_URL', authUrl);
  set('COGNITO_TOKEN_URL', tokenUrl);
  set('COGNITO_DOMAIN', originOf(authUrl) ?? originOf(tokenUrl));
  set('COGNITO_CLIENT_ID', str('clientId'));
  set('COGNITO_CLIENT_SECRET', str('clientSecret'));
  set('COGNITO_SCOPES', str('scope'));
  const useBrowser = params.useBrowser === true || params.useBrowser === 'true';
  set('COGNITO_REDIRECT_URI', str('redirect_uri') ?? (useBrowser ? POSTMAN_BROWSER_CALLBACK : undefined));
  const clientAuth = str('client_authentication');
  set('COGNITO_CLIENT_AUTH', clientAuth === 'body' ? 'body' : clientAuth === 'header' ? 'basic' : undefined);
  const grant = str('grant_type');
  set(
    'COGNITO_RESPONSE_TYPE',
    grant === 'implicit' ? 'token' : grant === 'authorization_code' || grant === 'authorization_code_with_pkce' ? 'code' : undefined,
  );
  return out;
}

/** Parameters written into every block so postman-runtime's oauth2 signer adds `Authorization: Bearer <token>`. */
function tokenParams(token: string): Record<string, string> {
  return { accessToken: token, addTokenTo: 'header', headerPrefix: 'Bearer', tokenType: 'Bearer' };
}

function withToken(block: AuthBlock, token: string): void {
  const updates = tokenParams(token);
  const raw = block[block.type];
  if (Array.isArray(raw)) {
    const params = raw as AuthParam[];
    for (const [key, value] of Object.entries(updates)) {
      const existing = params.find((p) => p && p.key === key);
      if (existing) {
        existing.value = value;
        existing.type = 'string';
      } else params.push({ key, value, type: 'string' });
    }
  } else if (typeof raw === 'object' && raw !== null) {
    Object.assign(raw as Record<string, unknown>, updates);
  } else {
    block[block.type] = Object.entries(updates).map(([key, value]) => ({ key, value, type: 'string' }));
  }
}

/**
 * A copy of `collection` in which every OAuth 2.0 block (collection, folder, request) carries
 * `token` as its current access token, sent as `Authorization: Bearer <token>` (RFC 6750 §2.1).
 * Requests that inherit auth then send it, as in Postman after "Get New Access Token". Pure.
 */
export function injectTokenIntoAuthBlocks(collection: CollectionJson, token: string): CollectionJson {
  const copy = structuredClone(collection);
  for (const { block } of findOAuth2Blocks(copy)) withToken(block, token);
  return copy;
}

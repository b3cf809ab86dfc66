// Minting Cognito-shaped tokens: RS256 id and access JWTs (different kids) with Cognito's claims,
// and opaque refresh tokens that look like Cognito's encrypted ones (JWE compact, `eyJj...`).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, createLocalJWKSet, type JWTPayload } from 'jose';
import type { PoolKeys } from './keys.js';
import type { UserConfig } from './config.js';

/** Standard profile claims released by the `profile` scope (userInfo) and kept typed in tokens. */
export const PROFILE_CLAIMS = [
  'name', 'family_name', 'given_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture',
  'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at', 'address',
];

export interface UserTokenInput {
  issuer: string;
  clientId: string;
  user: UserConfig;
  sub: string;
  scopes: string[];
  authTime: number; // epoch seconds
  now: number; // epoch seconds
  accessLifetime: number; // seconds
  idLifetime: number;
  originJti: string;
  nonce?: string;
  /** RFC 8707 resource: becomes the access token's `aud`. */
  resource?: string;
  /** Code and implicit flows carry at_hash; refresh does not. */
  withAtHash: boolean;
}

/** Deterministic UUID-shaped `sub` for a user without a `sub` attribute, stable across restarts. */
export function userSub(poolId: string, user: UserConfig): string {
  const given = user.Attributes.find((a) => a.Name === 'sub')?.Value;
  if (given) return given;
  const h = createHash('sha256').update(`${poolId}\0${user.Username}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** OIDC at_hash: left half of SHA-256 of the access token, base64url (OIDC Core 3.1.3.6). */
export function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
}

const parseJson = (v: string): unknown => {
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
};

/** ID-token view of attributes: *_verified become booleans, updated_at a number, everything else strings. */
function idTokenAttributes(user: UserConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { Name, Value } of user.Attributes) {
    if (Name === 'sub') continue;
    if (Name === 'email_verified' || Name === 'phone_number_verified') out[Name] = Value === 'true';
    // A federated user's `identities` is a JSON string attribute; ID tokens carry it as an array.
    else if (Name === 'identities') out[Name] = parseJson(Value);
    else if (Name === 'updated_at' && /^\d+$/.test(Value)) out[Name] = Number(Value);
    else out[Name] = Value;
  }
  return out;
}

async function sign(payload: JWTPayload, key: PoolKeys['id']): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ kid: key.kid, alg: 'RS256' }).sign(key.privateKey);
}

/** Access token then ID token (when `openid` was granted) for a signed-in user. */
export async function mintUserTokens(keys: PoolKeys, t: UserTokenInput): Promise<{ accessToken: string; idToken?: string }> {
  const eventId = randomUUID();
  const groups = t.user.Groups.length ? { 'cognito:groups': [...t.user.Groups] } : {};
  const access: JWTPayload = {
    sub: t.sub,
    ...groups,
    iss: t.issuer,
    version: 2,
    client_id: t.clientId,
    origin_jti: t.originJti,
    event_id: eventId,
    token_use: 'access',
    scope: t.scopes.join(' '),
    auth_time: t.authTime,
    exp: t.now + t.accessLifetime,
    iat: t.now,
    jti: randomUUID(),
    username: t.user.Username,
    ...(t.resource ? { aud: t.resource } : {}),
  };
  const accessToken = await sign(access, keys.access);
  if (!t.scopes.includes('openid')) return { accessToken };
  const id: JWTPayload = {
    ...(t.withAtHash ? { at_hash: atHash(accessToken) } : {}),
    sub: t.sub,
    ...groups,
    ...idTokenAttributes(t.user),
    iss: t.issuer,
    'cognito:username': t.user.Username,
    ...(t.nonce !== undefined ? { nonce: t.nonce } : {}),
    origin_jti: t.originJti,
    aud: t.clientId,
    event_id: eventId,
    token_use: 'id',
    auth_time: t.authTime,
    exp: t.now + t.idLifetime,
    iat: t.now,
    jti: randomUUID(),
  };
  return { accessToken, idToken: await sign(id, keys.id) };
}

/** client_credentials access token: the client is its own subject; no user claims. */
export async function mintClientToken(
  keys: PoolKeys,
  t: { issuer: string; clientId: string; scopes: string[]; now: number; lifetime: number },
): Promise<string> {
  return sign(
    {
      sub: t.clientId,
      token_use: 'access',
      scope: t.scopes.join(' '),
      auth_time: t.now,
      iss: t.issuer,
      exp: t.now + t.lifetime,
      iat: t.now,
      version: 2,
      jti: randomUUID(),
      client_id: t.clientId,
    },
    keys.access,
  );
}

const REFRESH_HEADER = Buffer.from('{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}').toString('base64url');

/** An opaque refresh token shaped like Cognito's JWE (five dot-separated parts, starting `eyJj`). */
export function newRefreshToken(): string {
  const part = (n: number) => randomBytes(n).toString('base64url');
  return [REFRESH_HEADER, part(256), part(12), part(400), part(16)].join('.');
}

/** Verify an access token the emulator issued, at the emulator's time. Undefined when invalid. */
export async function verifyAccessToken(keys: PoolKeys, token: string, issuer: string, nowMs: number): Promise<JWTPayload | undefined> {
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: [keys.access.publicJwk] }), {
      issuer,
      algorithms: ['RS256'],
      currentDate: new Date(nowMs),
    });
    return payload.token_use === 'access' ? payload : undefined;
  } catch {
    return undefined;
  }
}

/** True when the string is a compact JWS (three parts), i.e. an id or access token, not a refresh token. */
export const looksLikeJws = (token: string): boolean => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

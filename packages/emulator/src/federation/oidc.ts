// Federation to an OIDC IdP (federation-reference A.2, A.3): the redirect upstream (Cognito's own
// state, the IdP's authorize_scopes, no PKCE), then GET /oauth2/idpresponse: the code exchanged with
// client_secret_post, the ID token checked against the IdP's JWKS (fetched for every token), userInfo
// by GET or POST, the attribute mapping, the linked user, and a Cognito code for the app.
import { createLocalJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { epochSeconds } from '../clock.js';
import type { Emu } from '../context.js';
import { finishSignIn } from '../authorize.js';
import { redirect, withQuery, type Reply, type RequestContext } from '../http.js';
import type { FederatedLeg } from '../store.js';
import type { FederatedIdentityProvider, OidcProviderDetails } from './idp-config.js';
import { failToApp, takeLeg, UpstreamError, upstreamFetch } from './leg.js';
import { linkFederatedUser } from './users.js';

export interface OidcEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
  attributesUrl?: string;
  jwksUri: string;
  issuer: string;
}

export const idpResponseUrl = (emu: Emu): string => `${emu.baseUrl}/oauth2/idpresponse`;

async function readJson(res: Response): Promise<Record<string, unknown> | undefined> {
  try {
    const body = (await res.json()) as unknown;
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The IdP's endpoints: explicit ProviderDetails URLs win, the rest from `<issuer>/.well-known/openid-configuration`. */
export async function oidcEndpoints(emu: Emu, idp: FederatedIdentityProvider): Promise<OidcEndpoints> {
  const d = idp.oidc as OidcProviderDetails;
  if (!d.issuer) throw new UpstreamError(`${idp.providerName} has no oidc_issuer`);
  const cacheKey = `oidc:${idp.providerName}`;
  const cached = emu.store.upstreamCache.get(cacheKey) as OidcEndpoints | undefined;
  if (cached) return cached;
  let discovered: Record<string, unknown> = {};
  if (!d.authorizeUrl || !d.tokenUrl || !d.jwksUri) {
    const res = await upstreamFetch(`${d.issuer}/.well-known/openid-configuration`, { headers: { accept: 'application/json' } }, 'discovery');
    const body = res.ok ? await readJson(res) : undefined;
    if (!body) throw new UpstreamError(`${idp.providerName} Error - ${res.status} error getting the OIDC discovery document`);
    discovered = body;
  }
  const pick = (explicit: string | undefined, key: string): string | undefined => explicit ?? (typeof discovered[key] === 'string' ? (discovered[key] as string) : undefined);
  const authorizeUrl = pick(d.authorizeUrl, 'authorization_endpoint');
  const tokenUrl = pick(d.tokenUrl, 'token_endpoint');
  const jwksUri = pick(d.jwksUri, 'jwks_uri');
  const attributesUrl = pick(d.attributesUrl, 'userinfo_endpoint');
  if (!authorizeUrl || !tokenUrl || !jwksUri) throw new UpstreamError(`${idp.providerName} Error - the discovery document lacks authorization_endpoint, token_endpoint or jwks_uri`);
  const endpoints: OidcEndpoints = { authorizeUrl, tokenUrl, jwksUri, issuer: d.issuer, ...(attributesUrl ? { attributesUrl } : {}) };
  emu.store.upstreamCache.set(cacheKey, endpoints);
  return endpoints;
}

/** The 302 to the IdP's authorize endpoint (A.2): no PKCE, no nonce; login_hint and prompt (but none) forwarded. */
export async function oidcRedirect(emu: Emu, ctx: RequestContext, idp: FederatedIdentityProvider, leg: FederatedLeg): Promise<Reply> {
  const d = idp.oidc as OidcProviderDetails;
  const ep = await oidcEndpoints(emu, idp);
  const loginHint = ctx.query.get('login_hint') || undefined;
  const prompt = (ctx.query.get('prompt') ?? '').split(' ').filter((p) => p && p !== 'none').join(' ') || undefined;
  return redirect(
    ctx,
    withQuery(ep.authorizeUrl, {
      client_id: d.clientId,
      redirect_uri: idpResponseUrl(emu),
      scope: d.authorizeScopes,
      response_type: 'code',
      state: leg.id,
      login_hint: loginHint,
      prompt,
    }),
  );
}

const idpError = (idp: FederatedIdentityProvider, status: number, body: Record<string, unknown> | undefined, fallback: string): string => {
  const parts = [typeof body?.error === 'string' ? body.error : fallback, typeof body?.error_description === 'string' ? body.error_description : ''].filter(Boolean);
  return `${idp.providerName} Error - ${status} ${parts.join(' ')}`;
};

/** Check the IdP's ID token (A.3 step 3): RSA/EC/HMAC, kid in the JWKS, signature, iss, aud, exp. */
async function verifyIdToken(idp: FederatedIdentityProvider, ep: OidcEndpoints, idToken: string): Promise<JWTPayload> {
  const d = idp.oidc as OidcProviderDetails;
  let claimsIss: unknown;
  try {
    claimsIss = decodeJwt(idToken).iss;
  } catch {
    throw new UpstreamError('Invalid id_token: not a JWT');
  }
  const header = JSON.parse(Buffer.from(idToken.split('.')[0] ?? '', 'base64url').toString('utf8')) as { alg?: string; kid?: string };
  const options = { issuer: ep.issuer, audience: d.clientId };
  try {
    if (header.alg?.startsWith('HS')) {
      return (await jwtVerify(idToken, new TextEncoder().encode(d.clientSecret), { ...options, algorithms: ['HS256', 'HS384', 'HS512'] })).payload;
    }
    if (!header.kid) throw new UpstreamError('Invalid id_token: the token has no kid');
    // Fetched for every token, as Cognito does: a rotated key is picked up at once.
    const res = await upstreamFetch(ep.jwksUri, { headers: { accept: 'application/json' } }, 'jwks');
    const jwks = res.ok ? ((await readJson(res)) as JSONWebKeySet | undefined) : undefined;
    if (!jwks || !Array.isArray(jwks.keys)) throw new UpstreamError(`${idp.providerName} Error - ${res.status} error getting the jwks`);
    return (await jwtVerify(idToken, createLocalJWKSet(jwks), { ...options, algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] })).payload;
  } catch (err) {
    if (err instanceof UpstreamError) throw err;
    if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'iss') throw new UpstreamError(`Bad id_token issuer ${String(claimsIss)}`);
    if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'aud') throw new UpstreamError('Bad id_token audience');
    if (err instanceof joseErrors.JWTExpired) throw new UpstreamError('Invalid id_token: the token is expired');
    if (err instanceof joseErrors.JWSSignatureVerificationFailed) throw new UpstreamError('invalid_token_signature: the id_token signature does not verify');
    if (err instanceof joseErrors.JWKSNoMatchingKey) throw new UpstreamError('Invalid id_token: its kid is not in the jwks_uri keys');
    throw new UpstreamError(`Invalid id_token: ${(err as Error).message}`);
  }
}

async function exchangeCode(emu: Emu, idp: FederatedIdentityProvider, ep: OidcEndpoints, code: string): Promise<{ idToken: string; accessToken: string }> {
  const d = idp.oidc as OidcProviderDetails;
  // client_secret_post only (AWS: Cognito does not support client_secret_basic toward the IdP).
  const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: idpResponseUrl(emu), client_id: d.clientId, client_secret: d.clientSecret });
  const res = await upstreamFetch(ep.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body }, 'token');
  const json = await readJson(res);
  if (!res.ok || !json) throw new UpstreamError(idpError(idp, res.status, json, 'error getting token'));
  if (typeof json.id_token !== 'string' || typeof json.access_token !== 'string') throw new UpstreamError(`${idp.providerName} Error - ${res.status} the token response has no id_token or access_token`);
  return { idToken: json.id_token, accessToken: json.access_token };
}

async function userInfo(idp: FederatedIdentityProvider, ep: OidcEndpoints, accessToken: string): Promise<Record<string, unknown>> {
  if (!ep.attributesUrl) return {};
  const d = idp.oidc as OidcProviderDetails;
  const headers = { authorization: `Bearer ${accessToken}`, accept: 'application/json' };
  const res = await upstreamFetch(ep.attributesUrl, d.attributesRequestMethod === 'POST' ? { method: 'POST', headers } : { headers }, 'userInfo');
  const json = await readJson(res);
  if (!res.ok || !json) throw new UpstreamError(idpError(idp, res.status, json, 'error getting user info'));
  return json;
}

/** GET /oauth2/idpresponse: the IdP's answer, then the app's redirect with a Cognito code (or the error). */
export async function handleOidcIdpResponse(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const got = takeLeg(emu, ctx, ctx.query.get('state'), 'OIDC');
  if (got.kind === 'reply') return got.reply;
  const { leg } = got;
  const idp = emu.pool.identityProviders.find((p) => p.providerName === leg.providerName);
  if (!idp?.oidc) return failToApp(ctx, leg, 'invalid_request', `${leg.providerName} is no longer configured`);
  // The IdP's own error (the user cancelled, consent refused...), passed back with its name.
  const upstreamError = ctx.query.get('error');
  if (upstreamError) {
    const desc = ctx.query.get('error_description');
    return failToApp(ctx, leg, 'invalid_request', `${idp.providerName} Error - ${upstreamError}${desc ? ` ${desc}` : ''}`);
  }
  const code = ctx.query.get('code');
  if (!code) return failToApp(ctx, leg, 'invalid_request', `${idp.providerName} Error - the IdP returned no code`);
  try {
    const ep = await oidcEndpoints(emu, idp);
    const tokens = await exchangeCode(emu, idp, ep, code);
    const idClaims = await verifyIdToken(idp, ep, tokens.idToken);
    if (typeof idClaims.sub !== 'string' || !idClaims.sub) throw new UpstreamError('Invalid id_token: no sub');
    const info = await userInfo(idp, ep, tokens.accessToken);
    if (info.sub !== undefined && info.sub !== idClaims.sub) throw new UpstreamError(`${idp.providerName} Error - userInfo sub differs from the id_token sub`);
    const linked = linkFederatedUser(emu, idp, idClaims.sub, { ...idClaims, ...info });
    if ('error' in linked) return failToApp(ctx, leg, 'invalid_request', linked.error);
    return finishSignIn(emu, ctx, leg.request, linked.username, epochSeconds(emu.clock));
  } catch (err) {
    if (err instanceof UpstreamError) return failToApp(ctx, leg, 'invalid_request', err.message);
    throw err;
  }
}

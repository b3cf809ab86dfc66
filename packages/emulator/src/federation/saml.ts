// Federation to a SAML 2.0 IdP, SP-initiated (federation-reference A.5): the IdP's metadata
// (MetadataURL or MetadataFile), the AuthnRequest by HTTP-Redirect with Cognito's RelayState, and
// POST /saml2/idpresponse (the ACS): signature against the metadata certificate, audience
// `urn:amazon:cognito:sp:<poolId>`, Recipient, InResponseTo, times and the issuer are node-saml's
// checks; replayed assertion IDs are refused here. Failures reach the app as
// "Error in SAML response processing: ..." (A.8).
import type { CacheProvider, Profile, SAML } from '@node-saml/node-saml';
import { epochSeconds } from '../clock.js';
import type { Emu } from '../context.js';
import { finishSignIn } from '../authorize.js';
import { redirect, type Reply, type RequestContext } from '../http.js';
import type { FederatedLeg } from '../store.js';
import type { FederatedIdentityProvider } from './idp-config.js';
import { failToApp, FEDERATED_LEG_MS, FEDERATION_MESSAGES, federationErrorPage, takeLeg, UpstreamError, upstreamFetch } from './leg.js';
import { linkFederatedUser } from './users.js';

/** Cognito's SP entity ID, the Audience every assertion must carry. */
export const spEntityId = (poolId: string): string => `urn:amazon:cognito:sp:${poolId}`;
export const acsUrl = (emu: Emu): string => `${emu.baseUrl}/saml2/idpresponse`;

interface IdpMetadata {
  entityId: string;
  ssoRedirectUrl: string;
  certs: string[];
}

const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

type Libs = { nodeSaml: typeof import('@node-saml/node-saml'); samlify: typeof import('samlify'); xmldom: typeof import('@xmldom/xmldom') };
let libs: Promise<Libs> | undefined;
/** The SAML libraries, loaded on first SAML use: an emulator without SAML IdPs starts without them. */
function samlLibs(): Promise<Libs> {
  libs ??= Promise.all([import('@node-saml/node-saml'), import('samlify'), import('@xmldom/xmldom')]).then(([nodeSaml, s, xmldom]) => ({
    nodeSaml,
    // samlify is CommonJS whose exports are getters Node's named-export detection misses: use module.exports.
    samlify: (s as unknown as { default: typeof import('samlify') }).default,
    xmldom,
  }));
  return libs;
}

/** The IdP's entity ID, HTTP-Redirect SSO URL and signing certificates, read by samlify's metadata parser. */
export async function parseIdpMetadata(xml: string, providerName: string): Promise<IdpMetadata> {
  const { samlify } = await samlLibs();
  let meta: ReturnType<typeof samlify.IdPMetadata>;
  try {
    meta = samlify.IdPMetadata(xml);
  } catch (err) {
    throw new UpstreamError(`${FEDERATION_MESSAGES.samlProcessing}: the metadata of ${providerName} cannot be read (${(err as Error).message})`);
  }
  const sso = meta.getSingleSignOnService('redirect');
  const ssoRedirectUrl = typeof sso === 'string' ? sso : (sso as Record<string, string>)[REDIRECT_BINDING];
  const certs = [meta.getX509Certificate('signing')].flat().filter((c): c is string => typeof c === 'string' && c.length > 0);
  if (!ssoRedirectUrl) throw new UpstreamError(`${FEDERATION_MESSAGES.samlProcessing}: the metadata of ${providerName} has no HTTP-Redirect SingleSignOnService`);
  if (!certs.length) throw new UpstreamError(`${FEDERATION_MESSAGES.samlProcessing}: the metadata of ${providerName} has no signing certificate`);
  return { entityId: meta.getEntityID(), ssoRedirectUrl, certs: certs.map((c) => c.replace(/\s+/g, '')) };
}

async function metadataFor(emu: Emu, idp: FederatedIdentityProvider): Promise<IdpMetadata> {
  const key = `saml:${idp.providerName}`;
  const cached = emu.store.upstreamCache.get(key) as IdpMetadata | undefined;
  if (cached) return cached;
  let xml = idp.saml?.metadataFile;
  if (!xml) {
    const url = idp.saml?.metadataUrl;
    if (!url) throw new UpstreamError(`${idp.providerName} has no MetadataURL or MetadataFile`);
    const res = await upstreamFetch(url, { headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' } }, 'metadata');
    if (!res.ok) throw new UpstreamError(`${FEDERATION_MESSAGES.samlProcessing}: ${idp.providerName} metadata answered ${res.status}`);
    xml = await res.text();
  }
  const meta = await parseIdpMetadata(xml, idp.providerName);
  emu.store.upstreamCache.set(key, meta);
  return meta;
}

/** node-saml's InResponseTo cache, kept in the emulator's store (reset with it, emulator time). */
function requestCache(emu: Emu): CacheProvider {
  const store = emu.store.samlRequests;
  return {
    saveAsync: async (key, value) => {
      store.set(key, emu.clock.now());
      return { value, createdAt: emu.clock.now() };
    },
    getAsync: async (key) => {
      const at = store.get(key);
      if (at === undefined || at + FEDERATED_LEG_MS <= emu.clock.now()) return null;
      // node-saml re-checks the age against real time; the expiry that counts is the one above, in emulator time.
      return new Date().toISOString();
    },
    removeAsync: async (key) => {
      if (key === null || !store.has(key)) return null;
      store.delete(key);
      return key;
    },
  };
}

async function samlFor(emu: Emu, meta: IdpMetadata, generateUniqueId?: () => string): Promise<SAML> {
  const { SAML, ValidateInResponseTo } = (await samlLibs()).nodeSaml;
  return new SAML({
    entryPoint: meta.ssoRedirectUrl,
    issuer: spEntityId(emu.pool.UserPoolId),
    audience: spEntityId(emu.pool.UserPoolId),
    callbackUrl: acsUrl(emu),
    idpCert: meta.certs,
    idpIssuer: meta.entityId,
    // Cognito accepts a signed assertion inside an unsigned or signed Response.
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: FEDERATED_LEG_MS,
    cacheProvider: requestCache(emu),
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    acceptedClockSkewMs: 60_000,
    ...(generateUniqueId ? { generateUniqueId } : {}),
  });
}

/** The 302 to the IdP's SSO URL with a SAMLRequest (HTTP-Redirect binding) and Cognito's RelayState. */
export async function samlRedirect(emu: Emu, ctx: RequestContext, idp: FederatedIdentityProvider, leg: FederatedLeg): Promise<Reply> {
  const meta = await metadataFor(emu, idp);
  const requestId = `_${leg.id.slice(0, 40)}`;
  leg.samlRequestId = requestId;
  const url = await (await samlFor(emu, meta, () => requestId)).getAuthorizeUrlAsync(leg.id, undefined, {});
  return redirect(ctx, url);
}

/** The Assertion ID of a base64 SAMLResponse, read without trusting anything else in it. */
async function assertionId(samlResponse: string): Promise<string | undefined> {
  const { DOMParser } = (await samlLibs()).xmldom;
  try {
    const doc = new DOMParser({ errorHandler: { error: () => undefined, fatalError: () => undefined, warning: () => undefined } }).parseFromString(
      Buffer.from(samlResponse, 'base64').toString('utf8'),
      'text/xml',
    );
    const nodes = doc.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'Assertion');
    return nodes.length === 1 ? (nodes.item(0)?.getAttribute('ID') ?? undefined) : undefined;
  } catch {
    return undefined;
  }
}

/** node-saml's messages in Cognito's words where the reference has them. */
function describeSamlFailure(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  if (/signature/i.test(m)) return `Invalid SAML response received: SAML Assertion signature is invalid.`;
  return `Invalid SAML response received: ${m}`;
}

/** Attributes of a validated assertion: node-saml puts them on the profile (and under `attributes`). */
function profileClaims(profile: Profile): Record<string, unknown> {
  const attrs = profile.attributes;
  if (attrs && typeof attrs === 'object') return attrs as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(profile)) if (typeof v !== 'function') out[k] = v;
  return out;
}

/** POST /saml2/idpresponse: the ACS. */
export async function handleSamlIdpResponse(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const samlResponse = ctx.form.get('SAMLResponse');
  const relayState = ctx.form.get('RelayState');
  if (!samlResponse) return federationErrorPage(ctx, FEDERATION_MESSAGES.invalidRelayState);
  const processing = (leg: FederatedLeg, detail: string) => failToApp(ctx, leg, 'server_error', `${FEDERATION_MESSAGES.samlProcessing}: ${detail}`);
  // A replayed assertion is refused whatever else it carries (A.5).
  const aid = await assertionId(samlResponse);
  const known = relayState ? emu.store.federated.get(relayState) : undefined;
  if (aid && emu.store.usedAssertions.has(aid) && known) return processing(known, 'Invalid SAML response received: the assertion has already been used.');
  const got = takeLeg(emu, ctx, relayState, 'SAML');
  if (got.kind === 'reply') return got.reply;
  const { leg } = got;
  const idp = emu.pool.identityProviders.find((p) => p.providerName === leg.providerName);
  if (!idp?.saml) return processing(leg, `${leg.providerName} is no longer configured`);
  let profile: Profile | null;
  try {
    const meta = await metadataFor(emu, idp);
    ({ profile } = await (await samlFor(emu, meta)).validatePostResponseAsync({ SAMLResponse: samlResponse }));
  } catch (err) {
    if (err instanceof UpstreamError) return failToApp(ctx, leg, 'server_error', err.message);
    return processing(leg, describeSamlFailure(err));
  }
  if (!profile?.nameID) return processing(leg, 'Invalid SAML response received: the assertion has no NameID.');
  // node-saml found the request ID in its cache; it must also be this browser's request.
  if (profile.inResponseTo !== leg.samlRequestId) return processing(leg, 'Invalid SAML response received: InResponseTo does not match the request.');
  if (aid) emu.store.usedAssertions.set(aid, emu.clock.now() + 60 * 60_000);
  const linked = linkFederatedUser(emu, idp, profile.nameID, profileClaims(profile));
  if ('error' in linked) return processing(leg, linked.error);
  return finishSignIn(emu, ctx, leg.request, linked.username, epochSeconds(emu.clock));
}

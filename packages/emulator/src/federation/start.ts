// Which IdP an authorize request asks for (`identity_provider`, `idp_identifier`, an email's
// domain), whether the app client supports it, and the start of the federated leg: the redirect
// to the OIDC or SAML IdP (federation-reference A.1).
import type { ClientConfig } from '../config.js';
import type { Emu } from '../context.js';
import { redirect, withQuery, type Reply, type RequestContext } from '../http.js';
import type { AuthRequest } from '../store.js';
import type { FederatedIdentityProvider } from './idp-config.js';
import { startLeg, UpstreamError } from './leg.js';
import { oidcRedirect } from './oidc.js';
import { samlRedirect } from './saml.js';

export type ProviderChoice =
  | { kind: 'cognito' }
  | { kind: 'federate'; idp: FederatedIdentityProvider }
  | { kind: 'unavailable' };

/** The external IdPs the client supports, in the pool's order. */
export function clientProviders(emu: Emu, client: ClientConfig): FederatedIdentityProvider[] {
  const supported = client.supportedIdentityProviders;
  return emu.pool.identityProviders.filter((p) => supported.includes(p.providerName));
}

/** The IdP whose IdpIdentifiers hold this identifier (case-insensitive), among the client's. */
export function providerByIdentifier(emu: Emu, client: ClientConfig, identifier: string): FederatedIdentityProvider | undefined {
  const wanted = identifier.trim().toLowerCase();
  return clientProviders(emu, client).find((p) => p.idpIdentifiers.some((i) => i.toLowerCase() === wanted));
}

/** The domain of an email address typed into the corporate-email box (the whole text if it has no "@"). */
export const emailDomain = (email: string): string => {
  const t = email.trim();
  const at = t.lastIndexOf('@');
  return at >= 0 ? t.slice(at + 1) : t;
};

/**
 * What `identity_provider` / `idp_identifier` ask for. Neither: the sign-in page (COGNITO). A name or
 * identifier the pool lacks, or the client does not support, is "Login option is not available".
 */
export function chooseProvider(emu: Emu, client: ClientConfig, q: URLSearchParams): ProviderChoice {
  const name = q.get('identity_provider') || undefined;
  const identifier = q.get('idp_identifier') || undefined;
  if (name !== undefined) {
    if (!client.supportedIdentityProviders.includes(name)) return { kind: 'unavailable' };
    if (name === 'COGNITO') return { kind: 'cognito' };
    const idp = emu.pool.identityProviders.find((p) => p.providerName === name);
    return idp ? { kind: 'federate', idp } : { kind: 'unavailable' };
  }
  if (identifier !== undefined) {
    const idp = providerByIdentifier(emu, client, identifier);
    return idp ? { kind: 'federate', idp } : { kind: 'unavailable' };
  }
  // UNCERTAIN (A.1): a client whose only provider is one external IdP may go straight there.
  if (emu.behaviour.singleIdpRedirect && !client.supportedIdentityProviders.includes('COGNITO')) {
    const only = clientProviders(emu, client);
    if (only.length === 1 && only[0]) return { kind: 'federate', idp: only[0] };
  }
  return { kind: 'cognito' };
}

/** Park the request and send the browser to the IdP; an unreachable IdP is an error for the app. */
export async function startFederation(emu: Emu, ctx: RequestContext, idp: FederatedIdentityProvider, request: AuthRequest): Promise<Reply> {
  const leg = startLeg(emu, ctx, idp, request, ctx.search);
  try {
    return idp.providerType === 'OIDC' ? await oidcRedirect(emu, ctx, idp, leg) : await samlRedirect(emu, ctx, idp, leg);
  } catch (err) {
    emu.store.federated.delete(leg.id);
    if (!(err instanceof UpstreamError)) throw err;
    return redirect(ctx, withQuery(request.redirectUri, { error_description: err.message, error: 'invalid_request', state: request.state }));
  }
}

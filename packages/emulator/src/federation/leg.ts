// The federated leg's bookkeeping, shared by OIDC and SAML: Cognito's own state (parked app request,
// bound to the browser by the `csrf-state` cookie, 5-minute limit), the pages and redirects for its
// failures (federation-reference A.1, A.8, A.9), and bounded calls to the upstream.
import { randomBytes } from 'node:crypto';
import type { Emu } from '../context.js';
import { html, redirect, withQuery, type Reply, type RequestContext } from '../http.js';
import { document, esc } from '../pages/layout.js';
import type { AuthRequest, FederatedLeg } from '../store.js';
import type { FederatedIdentityProvider } from './idp-config.js';

/** Cognito cancels a federated sign-in not finished within 5 minutes (AWS OIDC/SAML flow pages). */
export const FEDERATED_LEG_MS = 5 * 60_000;
/** Cookie that ties the IdP's answer to the browser that left (Cognito's csrf-state). */
export const LEG_COOKIE = 'csrf-state';
/** Each call to an upstream endpoint (discovery, token, JWKS, userInfo, metadata) is bounded. */
export const UPSTREAM_TIMEOUT_MS = 10_000;

export const FEDERATION_MESSAGES = {
  optionUnavailable: 'Login option is not available. Please try another one',
  invalidState: 'Invalid State/RelayState provided.',
  invalidRelayState: 'Invalid samlResponse or relayState from identity provider',
  somethingWentWrong: 'Something went wrong',
  samlProcessing: 'Error in SAML response processing',
} as const;

/** Cognito's own page for a failure it cannot send to the app ("An error was encountered..." plus the reason). */
export function federationErrorPage(ctx: RequestContext, message: string, status = 400): Reply {
  return html(
    ctx,
    status,
    document(
      'Error',
      'error',
      `<div class="container"><div class="modal-dialog"><div class="modal-content background-customizable"><div class="modal-body">
<h1 class="errorMessage-customizable">An error was encountered with the requested page.</h1>
<p id="errorMessage" class="errorMessage-customizable">${esc(message)}</p>
</div></div></div></div>`,
    ),
  );
}

/** Park the app's request and hand back the state to send upstream. */
export function startLeg(emu: Emu, ctx: RequestContext, idp: FederatedIdentityProvider, request: AuthRequest, search: string): FederatedLeg {
  const now = emu.clock.now();
  // Forget legs long past their limit so a long-running emulator stays small.
  for (const [id, l] of emu.store.federated) if (l.expiresAt + FEDERATED_LEG_MS < now) emu.store.federated.delete(id);
  const browser = ctx.cookies[LEG_COOKIE] || randomBytes(16).toString('base64url');
  if (!ctx.cookies[LEG_COOKIE]) ctx.setCookie(LEG_COOKIE, browser, { maxAgeSeconds: 3600 });
  const leg: FederatedLeg = {
    // Opaque and long, like Cognito's (do not parse it).
    id: randomBytes(72).toString('base64url'),
    providerName: idp.providerName,
    providerType: idp.providerType,
    request,
    search,
    browser,
    createdAt: now,
    expiresAt: now + FEDERATED_LEG_MS,
    used: false,
  };
  emu.store.federated.set(leg.id, leg);
  return leg;
}

export type LegLookup = { kind: 'ok'; leg: FederatedLeg } | { kind: 'reply'; reply: Reply };

/**
 * The leg for a state coming back from the IdP: unknown, replayed or from another browser is
 * Cognito's error page; past the 5-minute limit is the sign-in page with "Something went wrong".
 * A leg found is spent at once: a second answer for it is refused.
 */
export function takeLeg(emu: Emu, ctx: RequestContext, state: string | null, type: 'OIDC' | 'SAML'): LegLookup {
  const unknownText = type === 'SAML' ? FEDERATION_MESSAGES.invalidRelayState : FEDERATION_MESSAGES.invalidState;
  const leg = state ? emu.store.federated.get(state) : undefined;
  if (!leg || leg.providerType !== type) return { kind: 'reply', reply: federationErrorPage(ctx, unknownText) };
  if (leg.used || ctx.cookies[LEG_COOKIE] !== leg.browser) return { kind: 'reply', reply: federationErrorPage(ctx, FEDERATION_MESSAGES.invalidState) };
  leg.used = true;
  if (emu.clock.now() >= leg.expiresAt) return { kind: 'reply', reply: backToSignIn(emu, ctx, leg, FEDERATION_MESSAGES.somethingWentWrong) };
  return { kind: 'ok', leg };
}

/** The sign-in page of the original request (without the IdP choice) with an error message. */
export function backToSignIn(emu: Emu, ctx: RequestContext, leg: FederatedLeg, message: string): Reply {
  const q = new URLSearchParams(leg.search);
  q.delete('identity_provider');
  q.delete('idp_identifier');
  // Same flash cookie the sign-in pages read (login.ts): a base64 JSON Spring flash map.
  const value = Buffer.from(JSON.stringify([{ attributes: { errormessage: message }, targetRequestPath: '/login' }])).toString('base64');
  ctx.setCookie('cognito-fl', value, { maxAgeSeconds: 180 });
  return redirect(ctx, `/login?${q.toString()}`, emu.behaviour.flashRedirectStatus);
}

/** A federation failure sent to the app's redirect_uri, as Cognito does once the app's request is known. */
export function failToApp(ctx: RequestContext, leg: FederatedLeg, error: string, description: string): Reply {
  return redirect(ctx, withQuery(leg.request.redirectUri, { error_description: description, error, state: leg.request.state }));
}

/** A failure of one upstream call, with the text Cognito puts in error_description. */
export class UpstreamError extends Error {}

/** fetch with a time limit; network failures and timeouts become UpstreamError with Cognito's wording. */
export async function upstreamFetch(url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
  } catch (err) {
    const e = err as { name?: string };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new UpstreamError(`Timeout occurred in calling IdP ${what} endpoint`);
    throw new UpstreamError('Connection reset');
  }
}

// Passkeys on Managed Login (cognito-reference 3.2): WebAuthn options for the page's
// navigator.credentials.get/create, and real verification of what comes back by
// @simplewebauthn/server: challenge (single use, bound to one browser by a cookie), origin,
// relying party id (the configured one, else the page's host), user presence and verification,
// signature and the signature counter (behaviour.passkeyCounter). Also `/passkeys/add`.
import { createPublicKey, randomUUID } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import { finishSignIn, redirectUriMatches, SESSION_COOKIE } from './authorize.js';
import { epochSeconds } from './clock.js';
import type { UserConfig } from './config.js';
import type { Emu } from './context.js';
import { attribute } from './factors.js';
import { html, json, redirect, type Reply, type RequestContext } from './http.js';
import { answerFor, checked, csrfFailure, csrfToken, csrfValid, endPending, isReply, pendingFor } from './login.js';
import type { SignInAnswer } from './managed-login/model.js';
import { errorPage } from './pages/layout.js';
import type { StoredPasskey, WebAuthnChallenge } from './store.js';
import { userSub } from './tokens.js';

/** The cookie naming this browser's outstanding ceremony. */
export const WEBAUTHN_COOKIE = 'cognito-webauthn';
const CEREMONY_MS = 5 * 60_000;
const TIMEOUT_MS = 60_000;

/** A configured SPKI public key as the COSE key the library verifies with (EC2 P-256, RSA, Ed25519). */
export function spkiToCose(spkiBase64url: string): Uint8Array {
  const jwk = createPublicKey({ key: Buffer.from(spkiBase64url, 'base64url'), format: 'der', type: 'spki' }).export({ format: 'jwk' });
  const b = (v: string | undefined) => new Uint8Array(Buffer.from(v ?? '', 'base64url'));
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return isoCBOR.encode(new Map<number, number | Uint8Array>([[1, 2], [3, -7], [-1, 1], [-2, b(jwk.x)], [-3, b(jwk.y)]]));
  if (jwk.kty === 'RSA') return isoCBOR.encode(new Map<number, number | Uint8Array>([[1, 3], [3, -257], [-1, b(jwk.n)], [-2, b(jwk.e)]]));
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return isoCBOR.encode(new Map<number, number | Uint8Array>([[1, 1], [3, -8], [-1, 6], [-2, b(jwk.x)]]));
  throw new Error(`unsupported passkey public key type ${jwk.kty}${jwk.crv ? ` ${jwk.crv}` : ''}`);
}

/** The user's configured `Passkeys`, ready for verification (the store seeds them at every reset). */
export function seededPasskeys(user: UserConfig): StoredPasskey[] {
  return (user.Passkeys ?? []).map((p) => ({
    credentialId: p.CredentialId,
    publicKey: spkiToCose(p.PublicKey),
    counter: p.SignCount,
    ...(p.RelyingPartyId ? { rpId: p.RelyingPartyId } : {}),
    ...(p.UserHandle ? { userHandle: p.UserHandle } : {}),
    createdAt: 0,
  }));
}

/** The Host header's host name, without port or IPv6 brackets. */
function hostName(ctx: RequestContext): string {
  const host = ctx.header('host') ?? '127.0.0.1';
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  return host.replace(/:\d+$/, '');
}

/** The relying party id: `WebAuthnConfiguration.RelyingPartyId`, else the host the pages are served on. */
export function rpIdFor(emu: Emu, ctx: RequestContext): string {
  return emu.pool.WebAuthnConfiguration?.RelyingPartyId ?? hostName(ctx);
}

/** The page's origin as the browser puts it in clientDataJSON (the emulator serves plain http). */
const originFor = (ctx: RequestContext) => `http://${ctx.header('host') ?? '127.0.0.1'}`;

/** The user handle (WebAuthn `user.id`): the UTF-8 bytes of the user's `sub`. */
export const userHandleOf = (emu: Emu, user: UserConfig): string => Buffer.from(userSub(emu.pool.UserPoolId, user)).toString('base64url');

const uvRequired = (emu: Emu, purpose: WebAuthnChallenge['purpose']) => purpose === 'mfa' || emu.pool.WebAuthnConfiguration?.UserVerification === 'required';
const uvOption = (emu: Emu, purpose: WebAuthnChallenge['purpose']) => (uvRequired(emu, purpose) ? 'required' : 'preferred');

function newCeremony(emu: Emu, ctx: RequestContext, record: Omit<WebAuthnChallenge, 'expiresAt'>): void {
  const old = ctx.cookies[WEBAUTHN_COOKIE];
  if (old) emu.store.webauthn.delete(old);
  const id = randomUUID();
  emu.store.webauthn.set(id, { ...record, expiresAt: emu.clock.now() + CEREMONY_MS });
  ctx.setCookie(WEBAUTHN_COOKIE, id, { maxAgeSeconds: CEREMONY_MS / 1000 });
}

/** This browser's outstanding ceremony, taken (a challenge is answered once). */
function takeCeremony(emu: Emu, ctx: RequestContext): WebAuthnChallenge | undefined {
  const id = ctx.cookies[WEBAUTHN_COOKIE];
  if (!id) return undefined;
  const rec = emu.store.webauthn.get(id);
  emu.store.webauthn.delete(id);
  ctx.clearCookie(WEBAUTHN_COOKIE);
  return rec && rec.expiresAt > emu.clock.now() ? rec : undefined;
}

const transports = (p: StoredPasskey) => (p.transports ?? []) as AuthenticatorTransport[];

/** The signed-in user of this browser (the `cognito` session cookie), if any. */
function sessionUser(emu: Emu, ctx: RequestContext): UserConfig | undefined {
  const session = emu.store.validSession(ctx.cookies[SESSION_COOKIE], emu.clock.now());
  return session ? emu.store.findUser(session.username) : undefined;
}

/**
 * POST /passkeys/options?<authorize query>: `purpose` signIn (optional `username`, else the pending
 * sign-in's user, else discoverable), mfa (the pending MFA step's user), register (the signed-in user).
 */
export async function postPasskeyOptions(emu: Emu, ctx: RequestContext): Promise<Reply> {
  if (!csrfValid(ctx)) return csrfFailure(emu, ctx);
  const purpose = ctx.form.get('purpose');
  const rpId = rpIdFor(emu, ctx);
  const failed = () => json(ctx, 400, { error: emu.managed.texts.passkeyFailed } satisfies SignInAnswer);
  if (purpose === 'register') {
    const user = sessionUser(emu, ctx);
    if (!user) return json(ctx, 400, { error: 'Sign in before adding a passkey.' } satisfies SignInAnswer);
    const existing = emu.store.passkeysOf(user.Username);
    const options = await generateRegistrationOptions({
      rpName: rpId,
      rpID: rpId,
      userName: user.Username,
      userDisplayName: attribute(user, 'email') ?? user.Username,
      userID: new Uint8Array(Buffer.from(userHandleOf(emu, user), 'base64url')),
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: transports(p) })),
      authenticatorSelection: { residentKey: 'required', userVerification: uvOption(emu, 'register') },
      supportedAlgorithmIDs: [-7, -257],
      timeout: TIMEOUT_MS,
    });
    newCeremony(emu, ctx, { challenge: options.challenge, purpose: 'register', username: user.Username, rpId });
    return json(ctx, 200, { publicKey: options });
  }
  if (purpose !== 'signIn' && purpose !== 'mfa') return failed();
  let username: string | undefined;
  if (purpose === 'mfa') {
    username = pendingFor(emu, ctx, 'mfa')?.username;
    if (!username) return json(ctx, 400, { error: 'Invalid session for the user, session is expired.' } satisfies SignInAnswer);
  } else {
    username = (ctx.form.get('username') ?? '').trim() || pendingFor(emu, ctx, 'password')?.username;
  }
  const user = username ? emu.store.findUser(username) : undefined;
  const allow = user ? emu.store.passkeysOf(user.Username) : [];
  const options = await generateAuthenticationOptions({
    rpID: rpId,
    allowCredentials: allow.map((p) => ({ id: p.credentialId, transports: transports(p) })),
    userVerification: uvOption(emu, purpose),
    timeout: TIMEOUT_MS,
  });
  newCeremony(emu, ctx, { challenge: options.challenge, purpose, ...(username ? { username: user?.Username ?? username } : {}), rpId });
  return json(ctx, 200, { publicKey: options });
}

function parseCredential<T>(ctx: RequestContext): T | undefined {
  try {
    const v = JSON.parse(ctx.form.get('credential') ?? '') as unknown;
    return v && typeof v === 'object' ? (v as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Verify an assertion against the ceremony; the stored counter is updated when it passes. */
async function verifyAssertion(emu: Emu, ctx: RequestContext, ceremony: WebAuthnChallenge): Promise<{ username: string } | { reason: string }> {
  const response = parseCredential<AuthenticationResponseJSON>(ctx);
  if (!response?.id) return { reason: 'no credential' };
  const found = emu.store.findPasskey(response.id);
  if (!found) return { reason: 'unknown credential' };
  if (ceremony.username && emu.store.key(ceremony.username) !== emu.store.key(found.username)) return { reason: "another user's credential" };
  const { passkey } = found;
  if (passkey.userHandle && response.response?.userHandle && response.response.userHandle !== passkey.userHandle) return { reason: 'user handle mismatch' };
  const strict = emu.behaviour.passkeyCounter === 'strict';
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: ceremony.challenge,
      expectedOrigin: originFor(ctx),
      expectedRPID: ceremony.rpId,
      credential: { id: passkey.credentialId, publicKey: passkey.publicKey as Uint8Array<ArrayBuffer>, counter: strict ? passkey.counter : 0, transports: transports(passkey) },
      requireUserVerification: uvRequired(emu, ceremony.purpose),
    });
    if (!result.verified) return { reason: 'signature' };
    passkey.counter = Math.max(strict ? passkey.counter : 0, result.authenticationInfo.newCounter);
    return { username: found.username };
  } catch (err) {
    return { reason: err instanceof Error ? err.message : String(err) };
  }
}

/** POST /passkeys/verify?<authorize query>: a passkey sign-in (first factor) or passkey MFA. */
export async function postPasskeyVerify(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const c = checked(emu, ctx);
  if (isReply(c)) return c;
  if (!csrfValid(ctx)) return csrfFailure(emu, ctx);
  const failed = (reason: string) => {
    emu.logger.debug(`emulator: passkey rejected (${reason})`);
    return json(ctx, 400, { error: emu.managed.texts.passkeyFailed } satisfies SignInAnswer);
  };
  const ceremony = takeCeremony(emu, ctx);
  if (!ceremony || (ceremony.purpose !== 'signIn' && ceremony.purpose !== 'mfa')) return failed('no outstanding challenge');
  const verdict = await verifyAssertion(emu, ctx, ceremony);
  if ('reason' in verdict) return failed(verdict.reason);
  const user = emu.store.findUser(verdict.username);
  if (!user || !user.Enabled || user.UserStatus !== 'CONFIRMED') return failed('user cannot sign in');
  if (ceremony.purpose === 'mfa' && pendingFor(emu, ctx, 'mfa')?.username !== user.Username) return failed('no pending MFA step for this user');
  // A passkey sign-in needs no further factor (with user verification it is multi-factor itself).
  endPending(emu, ctx);
  const reply = await finishSignIn(emu, ctx, c.request, user.Username, epochSeconds(emu.clock));
  return answerFor(emu, ctx, c, reply, user.Username);
}

/** POST /passkeys/register: the signed-in user's new passkey (the offer after sign-in, `/passkeys/add`). */
export async function postPasskeyRegister(emu: Emu, ctx: RequestContext): Promise<Reply> {
  if (!csrfValid(ctx)) return csrfFailure(emu, ctx);
  const failed = (reason: string) => {
    emu.logger.debug(`emulator: passkey registration rejected (${reason})`);
    return json(ctx, 400, { error: emu.managed.texts.passkeyAddFailed } satisfies SignInAnswer);
  };
  const ceremony = takeCeremony(emu, ctx);
  const user = sessionUser(emu, ctx);
  if (!ceremony || ceremony.purpose !== 'register' || !user || emu.store.key(user.Username) !== emu.store.key(ceremony.username ?? '')) return failed('no outstanding registration for this user');
  const response = parseCredential<RegistrationResponseJSON>(ctx);
  if (!response?.id) return failed('no credential');
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge: ceremony.challenge,
      expectedOrigin: originFor(ctx),
      expectedRPID: ceremony.rpId,
      requireUserVerification: uvRequired(emu, 'register'),
    });
    if (!result.verified) return failed('attestation');
    const { credential } = result.registrationInfo;
    if (emu.store.findPasskey(credential.id)) return failed('credential already registered');
    emu.store.passkeysOf(user.Username).push({
      credentialId: credential.id,
      publicKey: credential.publicKey,
      counter: credential.counter,
      rpId: ceremony.rpId,
      userHandle: userHandleOf(emu, user),
      ...(credential.transports ? { transports: credential.transports } : {}),
      createdAt: emu.clock.now(),
    });
    emu.logger.debug(`emulator: passkey registered for ${user.Username}`);
    return json(ctx, 200, { ok: true } satisfies SignInAnswer);
  } catch (err) {
    return failed(err instanceof Error ? err.message : String(err));
  }
}

/** GET /passkeys/add?client_id=&redirect_uri=: add a passkey for the signed-in user (Managed Login only). */
export async function getPasskeysAdd(emu: Emu, ctx: RequestContext): Promise<Reply> {
  if (emu.ui !== 'managed') return { status: 404, headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: 'Not Found' };
  const clientId = ctx.query.get('client_id') ?? '';
  const redirectUri = ctx.query.get('redirect_uri') ?? '';
  const client = emu.clients.get(clientId);
  if (!client || !redirectUri || !redirectUriMatches(client.CallbackURLs, redirectUri)) {
    return redirect(ctx, `/error?error=redirect_mismatch&client_id=${encodeURIComponent(clientId)}`);
  }
  if (client.ManagedLoginBranding === false) return html(ctx, 403, emu.pages.unavailable());
  const user = sessionUser(emu, ctx);
  if (!user) {
    const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri });
    return redirect(ctx, `/login?${q.toString()}`);
  }
  const available = emu.pool.Policies?.SignInPolicy?.AllowedFirstAuthFactors?.includes('WEB_AUTHN') ?? false;
  const page = emu.pages.passkeyAdd;
  if (!page) return html(ctx, 400, errorPage('invalid_request'));
  return html(ctx, 200, await page({ action: `/passkeys/add${ctx.search}`, csrf: csrfToken(ctx), search: ctx.search, username: user.Username, redirectUri, passkeysAvailable: available }));
}

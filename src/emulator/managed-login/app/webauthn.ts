// The page's side of a passkey ceremony: fetch the options from the emulator, call the browser's
// own navigator.credentials.get/create with them (base64url fields made into bytes), and send the
// result back as JSON with base64url fields (the RegistrationResponseJSON / AuthenticationResponseJSON
// shapes a WebAuthn server library takes).
import type { SignInAnswer } from '../model.js';

const toBytes = (b64url: string): ArrayBuffer => {
  const b64 = b64url.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out.buffer;
};

const toB64url = (buf: ArrayBuffer | ArrayBufferView | null | undefined): string | undefined => {
  if (!buf) return undefined;
  const bytes = buf instanceof ArrayBuffer ? new Uint8Array(buf) : new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

async function postForm(url: string, fields: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(fields).toString(),
  });
  return (await res.json()) as Record<string, unknown>;
}

interface Descriptor {
  id: string;
  type: 'public-key';
  transports?: string[];
}

const descriptors = (list: unknown): PublicKeyCredentialDescriptor[] =>
  ((list as Descriptor[] | undefined) ?? []).map((d) => ({ type: 'public-key', id: toBytes(d.id), ...(d.transports?.length ? { transports: d.transports as AuthenticatorTransport[] } : {}) }));

/** Sign in (or pass MFA) with a passkey: options, navigator.credentials.get, verification. */
export async function passkeyAssertion(search: string, fields: Record<string, string>): Promise<SignInAnswer> {
  const opts = await postForm(`/passkeys/options${search}`, fields);
  if (typeof opts.error === 'string') return { error: opts.error };
  const o = opts.publicKey as Record<string, unknown>;
  const cred = (await navigator.credentials.get({
    publicKey: {
      challenge: toBytes(String(o.challenge)),
      rpId: String(o.rpId),
      allowCredentials: descriptors(o.allowCredentials),
      userVerification: (o.userVerification as UserVerificationRequirement | undefined) ?? 'preferred',
      timeout: Number(o.timeout ?? 60_000),
    },
  })) as PublicKeyCredential | null;
  if (!cred) throw new Error('no credential');
  const r = cred.response as AuthenticatorAssertionResponse;
  const json = {
    id: cred.id,
    rawId: toB64url(cred.rawId) ?? cred.id,
    type: 'public-key',
    response: {
      clientDataJSON: toB64url(r.clientDataJSON),
      authenticatorData: toB64url(r.authenticatorData),
      signature: toB64url(r.signature),
      ...(r.userHandle && r.userHandle.byteLength ? { userHandle: toB64url(r.userHandle) } : {}),
    },
    clientExtensionResults: {},
  };
  return (await postForm(`/passkeys/verify${search}`, { ...fields, credential: JSON.stringify(json) })) as SignInAnswer;
}

/** Register a passkey for the signed-in user: options, navigator.credentials.create, verification. */
export async function passkeyRegistration(search: string, fields: Record<string, string>): Promise<SignInAnswer> {
  const opts = await postForm(`/passkeys/options${search}`, { ...fields, purpose: 'register' });
  if (typeof opts.error === 'string') return { error: opts.error };
  const o = opts.publicKey as Record<string, unknown>;
  const user = o.user as { id: string; name: string; displayName: string };
  const rp = o.rp as { id: string; name: string };
  const cred = (await navigator.credentials.create({
    publicKey: {
      rp,
      user: { id: toBytes(user.id), name: user.name, displayName: user.displayName },
      challenge: toBytes(String(o.challenge)),
      pubKeyCredParams: o.pubKeyCredParams as PublicKeyCredentialParameters[],
      timeout: Number(o.timeout ?? 60_000),
      attestation: 'none',
      excludeCredentials: descriptors(o.excludeCredentials),
      authenticatorSelection: o.authenticatorSelection as AuthenticatorSelectionCriteria,
    },
  })) as PublicKeyCredential | null;
  if (!cred) throw new Error('no credential');
  const r = cred.response as AuthenticatorAttestationResponse;
  const transports = typeof r.getTransports === 'function' ? r.getTransports() : [];
  const json = {
    id: cred.id,
    rawId: toB64url(cred.rawId) ?? cred.id,
    type: 'public-key',
    response: { clientDataJSON: toB64url(r.clientDataJSON), attestationObject: toB64url(r.attestationObject), transports },
    clientExtensionResults: {},
  };
  return (await postForm(`/passkeys/register${search}`, { ...fields, credential: JSON.stringify(json) })) as SignInAnswer;
}

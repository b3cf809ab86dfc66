// Per-login secrets: the PKCE S256 pair (RFC 7636), `state` (RFC 6749 10.12) and the OIDC `nonce`.
import { createHash } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { registerSecret } from '../log.js';

/**
 * RFC 7636 4.2 S256: BASE64URL(SHA256(ASCII(code_verifier))). Computed with node:crypto rather than
 * oauth4webapi's calculatePKCECodeChallenge because that one is async (WebCrypto) and a login
 * attempt is built synchronously.
 */
export function pkceChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}

/** A fresh verifier (43 chars of base64url, 256 bits: RFC 7636 4.1), registered for redaction at once. */
export function newCodeVerifier(): string {
  const v = oauth.generateRandomCodeVerifier();
  registerSecret(v);
  return v;
}

/** Unguessable per-login values; not secrets in themselves, they only bind a callback to its login. */
export const newState = (): string => oauth.generateRandomState();
export const newNonce = (): string => oauth.generateRandomNonce();

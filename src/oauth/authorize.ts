// One login attempt: fresh PKCE + state + nonce and the URL the browser starts at (Cognito's
// /oauth2/authorize, or /login when the configured auth URL is Postman's ".../login" form).
import type { IdpConfig } from '../config/types.js';
import { newCodeVerifier, newNonce, newState, pkceChallenge } from './pkce.js';
import { rememberAttemptIdp } from './callback.js';

export { validateCallback } from './callback.js';
export type { CodeCallback, ImplicitCallback, ValidatedCallback } from './callback.js';

export interface LoginAttempt {
  /** Where the browser starts. */
  url: string;
  state: string;
  nonce: string;
  /** PKCE verifier; absent for the implicit grant, which has no token request to prove it in. */
  codeVerifier?: string;
  redirectUri: string;
  responseType: 'code' | 'token';
}

/**
 * Build a login attempt (Cognito authorize endpoint parameters, reference 1.1): response_type,
 * client_id, redirect_uri, scope (space separated), state, nonce, and for the code grant the PKCE
 * S256 challenge (Cognito supports only S256). `/login` accepts the same parameters (1.2).
 * `loginHint` pre-fills the username on Managed Login; classic pages ignore it.
 */
export function createLoginAttempt(idp: IdpConfig, extra: { loginHint?: string } = {}): LoginAttempt {
  const state = newState();
  const nonce = newNonce();
  const responseType = idp.responseType;
  const start = new URL(idp.authStart === 'login' ? idp.endpoints.login : idp.endpoints.authorize);
  const q = start.searchParams;
  q.set('response_type', responseType);
  q.set('client_id', idp.clientId);
  q.set('redirect_uri', idp.redirectUri);
  q.set('scope', idp.scopes.join(' '));
  q.set('state', state);
  q.set('nonce', nonce);
  let codeVerifier: string | undefined;
  if (responseType === 'code') {
    codeVerifier = newCodeVerifier();
    q.set('code_challenge', pkceChallenge(codeVerifier));
    q.set('code_challenge_method', 'S256');
  }
  if (extra.loginHint) q.set('login_hint', extra.loginHint);
  // Federated users: Cognito skips its own page and redirects to this IdP (reference A.1).
  if (idp.identityProvider) q.set('identity_provider', idp.identityProvider);
  else if (idp.idpIdentifier) q.set('idp_identifier', idp.idpIdentifier);
  const attempt: LoginAttempt = { url: start.href, state, nonce, redirectUri: idp.redirectUri, responseType };
  if (codeVerifier) attempt.codeVerifier = codeVerifier;
  rememberAttemptIdp(attempt, idp);
  return attempt;
}

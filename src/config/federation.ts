// Configuration checks for federated test users (COGNITO_IDENTITY_PROVIDER, COGNITO_IDP_IDENTIFIER,
// COGNITO_IDP_LOGIN_UI, COGNITO_IDP_SELECTOR_PROFILE): combinations that cannot work, and Google,
// which refuses automated browsers (federation-reference.md B.5), refused before any browser starts.
import type { SelectorProfile } from './selector-profile.js';
import type { IdpConfig, IdpLoginUi, UserCredentials } from './types.js';

export interface FederationSettings {
  identityProvider: string | undefined;
  idpIdentifier: string | undefined;
  idpLoginUi: IdpLoginUi | undefined;
  idpSelectorProfile: SelectorProfile | undefined;
  /** The configured sign-in URLs by variable (domain, auth URL, token URL), to spot Google's own sign-in. */
  urls: Record<string, string | undefined>;
}

/** Why Google cannot be a test user's IdP, as one sentence (also used when the browser lands there). */
export const GOOGLE_REASON =
  'Google refuses to sign in automated browsers: after the email step it shows "Couldn\'t sign you in - This browser or app may not be secure" (headless Chromium reports navigator.webdriver), and evading that detection is out of scope for this tool and for Playwright; use a Cognito user, or a federated user of an IdP that allows automated sign-in (Entra ID, Okta, Keycloak, Auth0, any OIDC or SAML IdP)';

const GOOGLE_HOSTS = /(^|\.)accounts\.google\.com$/i;

/** Does this URL point at Google's sign-in? */
export function isGoogleUrl(url: string): boolean {
  try {
    return GOOGLE_HOSTS.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** Problems as (variable, message) pairs, in the config loader's format. */
export function federationProblems(s: FederationSettings): { key: string; message: string }[] {
  const out: { key: string; message: string }[] = [];
  if (s.identityProvider !== undefined && /^\s*google\s*$/i.test(s.identityProvider)) out.push({ key: 'COGNITO_IDENTITY_PROVIDER', message: GOOGLE_REASON });
  for (const [key, url] of Object.entries(s.urls)) {
    if (url !== undefined && isGoogleUrl(url)) out.push({ key, message: `points at Google (${new URL(url).host}): ${GOOGLE_REASON}` });
  }
  if (s.identityProvider !== undefined && s.idpIdentifier !== undefined) {
    out.push({ key: 'COGNITO_IDP_IDENTIFIER', message: 'set together with COGNITO_IDENTITY_PROVIDER; Cognito takes one of identity_provider and idp_identifier, so set only one' });
  }
  if (s.idpLoginUi === 'custom' && !s.idpSelectorProfile) {
    out.push({ key: 'COGNITO_IDP_LOGIN_UI', message: '"custom" needs COGNITO_IDP_SELECTOR_PROFILE (a JSON file path or inline JSON with username, password and submit selectors)' });
  }
  const named = s.identityProvider ?? s.idpIdentifier;
  if (named !== undefined && s.idpLoginUi === undefined && !out.some((p) => p.key === 'COGNITO_IDENTITY_PROVIDER')) {
    out.push({
      key: 'COGNITO_IDP_LOGIN_UI',
      message: `required with ${s.identityProvider !== undefined ? 'COGNITO_IDENTITY_PROVIDER' : 'COGNITO_IDP_IDENTIFIER'}: which sign-in pages the identity provider shows (entra, okta, okta-classic, keycloak, auth0, oidc-provider, or custom with COGNITO_IDP_SELECTOR_PROFILE)`,
    });
  }
  return out;
}

/**
 * The IdP settings one user signs in with: its own TEST_USER_<NAME>_IDENTITY_PROVIDER /
 * _IDP_IDENTIFIER / _IDP_LOGIN_UI replace the COGNITO_* ones as a set (so a user naming its IdP
 * never also carries the global idp_identifier); without them, the shared configuration.
 */
export function idpForUser(idp: IdpConfig, user: Pick<UserCredentials, 'federation'>): IdpConfig {
  const f = user.federation;
  if (!f) return idp;
  const { identityProvider: _p, idpIdentifier: _i, idpLoginUi: _u, ...rest } = idp;
  return { ...rest, ...f };
}

/**
 * The checks of federationProblems for one user's own settings, named by that user's variables
 * (`prefix` is `TEST_USER_<NAME>`). A custom login UI uses the shared COGNITO_IDP_SELECTOR_PROFILE.
 */
export function userFederationProblems(prefix: string, user: Pick<UserCredentials, 'federation'>, idpSelectorProfile: SelectorProfile | undefined): { key: string; message: string }[] {
  const f = user.federation;
  if (!f) return [];
  const rename = (text: string) =>
    text.replace(/COGNITO_(IDENTITY_PROVIDER|IDP_IDENTIFIER|IDP_LOGIN_UI)\b/g, `${prefix}_$1`);
  return federationProblems({ identityProvider: f.identityProvider, idpIdentifier: f.idpIdentifier, idpLoginUi: f.idpLoginUi, idpSelectorProfile, urls: {} }).map((p) => ({
    key: rename(p.key),
    message: rename(p.message),
  }));
}

// The doctor's federation check (issue 12): with COGNITO_IDENTITY_PROVIDER or COGNITO_IDP_IDENTIFIER,
// /oauth2/authorize with that IdP must leave Cognito for the IdP (not "Login option is not
// available", not an error back to the app), and the IdP's page must answer. Pure verdicts here;
// commands/doctor.ts does the two probes.
import type { IdpConfig } from '../config/types.js';
import { ExitCode } from '../errors.js';
import { fail, pass, type CheckResult } from './check.js';
import { authorizeProbeUrl, unreachable } from './checks.js';
import type { ProbeOutcome } from './probe.js';

export const FEDERATION_CHECK = 'identity provider offered and answering';

const stripQuery = (url: string) => url.replace(/[?#].*$/, '');

/** What names the IdP, for messages: `identity provider Okta` / `the identity provider for "example.com"`. */
const named = (idp: IdpConfig): string => (idp.identityProvider ? `identity provider ${idp.identityProvider}` : `the identity provider for "${idp.idpIdentifier ?? ''}"`);
const setting = (idp: IdpConfig): string => (idp.identityProvider ? 'COGNITO_IDENTITY_PROVIDER' : 'COGNITO_IDP_IDENTIFIER');

/** The authorize request a federated sign-in makes: the usual one plus identity_provider / idp_identifier. */
export function federatedAuthorizeUrl(idp: IdpConfig): string | undefined {
  if (!idp.identityProvider && !idp.idpIdentifier) return undefined;
  const u = new URL(authorizeProbeUrl(idp));
  if (idp.identityProvider) u.searchParams.set('identity_provider', idp.identityProvider);
  else u.searchParams.set('idp_identifier', idp.idpIdentifier!);
  return u.href;
}

export type FederationVerdict = { result: CheckResult } | { upstreamUrl: string };

/** Step 1: where Cognito sends the browser for that IdP. */
export function checkFederatedAuthorize(outcome: ProbeOutcome, idp: IdpConfig, timeoutMs: number): FederationVerdict {
  if (outcome.kind === 'unreachable') return { result: unreachable(FEDERATION_CHECK, outcome, timeoutMs, 'domain') };
  if (/Login option is not available/i.test(outcome.body)) {
    return {
      result: fail(
        FEDERATION_CHECK,
        `app client ${idp.clientId} does not offer ${named(idp)} ("Login option is not available")`,
        `Add the IdP to the app client's identity providers (SupportedIdentityProviders; console: App client > Login pages > Identity providers), or fix ${setting(idp)}: it must be the ProviderName${idp.identityProvider ? '' : ' identifier (IdpIdentifiers)'} that describe-identity-provider shows.`,
        ExitCode.Usage,
      ),
    };
  }
  if (outcome.status < 300 || outcome.status >= 400 || !outcome.location) {
    return { result: fail(FEDERATION_CHECK, `${stripQuery(outcome.url)} with ${named(idp)} answered HTTP ${outcome.status} instead of redirecting to the IdP`, `Check ${setting(idp)} and the IdP's configuration in the user pool.`, ExitCode.IdpFailure) };
  }
  let target: URL;
  try {
    target = new URL(outcome.location, outcome.url);
  } catch {
    return { result: fail(FEDERATION_CHECK, `Cognito redirected to an invalid URL for ${named(idp)}`, `Check the IdP's endpoints in the user pool.`, ExitCode.IdpFailure) };
  }
  if (/\/error\/?$/.test(target.pathname) && target.origin === new URL(outcome.url).origin) {
    return { result: fail(FEDERATION_CHECK, `Cognito answered its error page (error=${target.searchParams.get('error') ?? ''}) for ${named(idp)}`, `Check ${setting(idp)} and the app client's callback URL.`, ExitCode.Usage) };
  }
  if (target.href.startsWith(stripQuery(idp.redirectUri)) && target.searchParams.get('error')) {
    const description = target.searchParams.get('error_description');
    return {
      result: fail(
        FEDERATION_CHECK,
        `Cognito could not start the sign-in at ${named(idp)}: error=${target.searchParams.get('error')}${description ? ` (${description})` : ''}`,
        'Check the IdP in the user pool: its issuer URL / metadata URL must be reachable from Cognito over HTTPS (ports 443/80), and its client id and secret current.',
        ExitCode.IdpFailure,
      ),
    };
  }
  return { upstreamUrl: target.href };
}

/** Step 2: the IdP's own page answers (any 2xx, or a redirect within its sign-in flow). */
export function checkUpstreamPage(outcome: ProbeOutcome, idp: IdpConfig, timeoutMs: number): CheckResult {
  if (outcome.kind === 'unreachable') {
    const r = unreachable(FEDERATION_CHECK, outcome, timeoutMs, 'domain');
    return { ...r, detail: `${named(idp)}: ${r.detail}`, fix: `Check network access from this machine to ${new URL(outcome.url).host}; the test browser must reach the IdP's sign-in page.` } as CheckResult;
  }
  const shown = stripQuery(outcome.url);
  if (outcome.status >= 200 && outcome.status < 400) return pass(FEDERATION_CHECK, `${named(idp)}: Cognito redirects to ${shown}, which answers HTTP ${outcome.status}`);
  return fail(FEDERATION_CHECK, `${named(idp)}: ${shown} answered HTTP ${outcome.status}`, outcome.status >= 500 ? 'The IdP is failing: try again later.' : "Check the IdP's app registration: Cognito's client id and redirect URI https://<your domain>/oauth2/idpresponse (SAML: ACS /saml2/idpresponse).", ExitCode.IdpFailure);
}

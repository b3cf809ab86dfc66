// The doctor's federation check against the real emulator and its upstream IdPs: the probes the
// doctor makes (authorize with identity_provider / idp_identifier, then the IdP's page) and the
// verdicts: offered and answering, not offered by the client (exit 2), IdP unreachable (exit 4).
import type { IdpConfig } from '../../src/config/types.js';
import { checkFederatedAuthorize, checkUpstreamPage, federatedAuthorizeUrl } from '../../src/doctor/federation.js';
import { probe } from '../../src/doctor/probe.js';
import { ExitCode } from '../../src/errors.js';
import { CALLBACK, DEAD_IDP, expect, FED_CLIENT, SAML_IDP, test } from '../fixtures/federation.js';

const TIMEOUT = 5000;

function idpConfig(base: string, extra: Partial<IdpConfig>): IdpConfig {
  return {
    domain: base,
    endpoints: { authorize: `${base}/oauth2/authorize`, login: `${base}/login`, token: `${base}/oauth2/token`, revoke: `${base}/oauth2/revoke`, userInfo: `${base}/oauth2/userInfo`, logout: `${base}/logout` },
    authStart: 'authorize',
    clientId: FED_CLIENT,
    clientAuth: 'body',
    redirectUri: CALLBACK,
    scopes: ['openid', 'email'],
    responseType: 'code',
    loginUi: 'classic',
    allowInsecureHttp: false,
    ...extra,
  };
}

/** What doctor does: the two probes and their verdicts. */
async function federationCheck(idp: IdpConfig) {
  const url = federatedAuthorizeUrl(idp)!;
  const first = checkFederatedAuthorize(await probe(url, { timeoutMs: TIMEOUT, readBody: true, accept: 'text/html' }), idp, TIMEOUT);
  return 'result' in first ? first.result : checkUpstreamPage(await probe(first.upstreamUrl, { timeoutMs: TIMEOUT, accept: 'text/html' }), idp, TIMEOUT);
}

test('an IdP the client offers passes, naming the IdP page that answered (by name and by identifier)', async ({ federation }) => {
  const { emulator } = federation;
  const sso = `${emulator.upstreams.get(SAML_IDP)!.baseUrl}/sso`;
  const byName = await federationCheck(idpConfig(emulator.baseUrl, { identityProvider: SAML_IDP }));
  expect(byName).toMatchObject({ status: 'pass', detail: `identity provider ${SAML_IDP}: Cognito redirects to ${sso}, which answers HTTP 200` });
  const byIdentifier = await federationCheck(idpConfig(emulator.baseUrl, { idpIdentifier: 'corp.example' }));
  expect(byIdentifier.status).toBe('pass');
});

test('an IdP the app client does not offer fails with exit 2 and says where to add it', async ({ federation }) => {
  const r = await federationCheck(idpConfig(federation.emulator.baseUrl, { clientId: 'demo-public-client', identityProvider: SAML_IDP }));
  expect(r).toMatchObject({ status: 'fail', exitCode: ExitCode.Usage, detail: `app client demo-public-client does not offer identity provider ${SAML_IDP} ("Login option is not available")` });
  expect(r.fix).toContain('SupportedIdentityProviders');
});

test('an IdP Cognito cannot reach fails with exit 4 and Cognito\'s error text', async ({ federation }) => {
  const r = await federationCheck(idpConfig(federation.emulator.baseUrl, { identityProvider: DEAD_IDP }));
  expect(r).toMatchObject({ status: 'fail', exitCode: ExitCode.IdpFailure });
  expect(r.detail).toBe(`Cognito could not start the sign-in at identity provider ${DEAD_IDP}: error=invalid_request (Connection reset)`);
});

test('without identity_provider / idp_identifier there is nothing to check', () => {
  expect(federatedAuthorizeUrl(idpConfig('http://127.0.0.1:9', {}))).toBeUndefined();
});

// The emulator's federation config: describe-identity-provider shapes (wrapper included) parsed
// into pool.identityProviders / client.supportedIdentityProviders, and each mistake refused with
// exit 2 naming the field.
import { test, expect } from '@playwright/test';
import { ExitCode } from '../../src/errors.js';
import { EmulatorError } from '../../packages/emulator/errors.js';
import { parsePoolConfig } from '../../packages/emulator/src/index.js';

const OIDC = { ProviderName: 'Okta', ProviderType: 'OIDC', ProviderDetails: { client_id: 'a', client_secret: 'b', authorize_scopes: 'openid email', oidc_issuer: 'https://corp.okta.com' } };
const SAML = { ProviderName: 'Entra', ProviderType: 'SAML', ProviderDetails: { MetadataURL: 'https://login.microsoftonline.com/t/federationmetadata/2007-06/federationmetadata.xml' }, IdpIdentifiers: ['corp.example'] };

const pool = (providers: unknown[], supported: string[] | null = ['COGNITO', 'Okta']) => ({
  UserPoolId: 'us-west-2_Abc123',
  UserPoolClients: [{ ClientId: 'c1', CallbackURLs: ['https://app.example.com/cb'], AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], ...(supported ? { SupportedIdentityProviders: supported } : {}) }],
  IdentityProviders: providers,
});

function refused(json: unknown): string {
  try {
    parsePoolConfig(json, 'test config');
  } catch (e) {
    expect(e).toBeInstanceOf(EmulatorError);
    expect((e as EmulatorError).exitCode).toBe(ExitCode.Usage);
    return (e as EmulatorError).message;
  }
  throw new Error('expected the config to be refused');
}

test('OIDC and SAML providers, one pasted with its {"IdentityProvider": ...} wrapper, parse into the camelCase model', () => {
  const p = parsePoolConfig(pool([{ IdentityProvider: { ...OIDC, AttributeMapping: { email: 'email', username: 'sub' } } }, SAML], ['COGNITO', 'Okta', 'Entra']));
  expect(p.identityProviders).toEqual([
    {
      providerName: 'Okta',
      providerType: 'OIDC',
      idpIdentifiers: [],
      attributeMapping: { email: 'email', username: 'sub' },
      oidc: { clientId: 'a', clientSecret: 'b', authorizeScopes: 'openid email', attributesRequestMethod: 'GET', issuer: 'https://corp.okta.com' },
    },
    { providerName: 'Entra', providerType: 'SAML', idpIdentifiers: ['corp.example'], attributeMapping: {}, saml: { metadataUrl: SAML.ProviderDetails.MetadataURL, idpInit: false, idpSignout: false } },
  ]);
  expect(p.UserPoolClients[0]!.supportedIdentityProviders).toEqual(['COGNITO', 'Okta', 'Entra']);
});

test('a client without SupportedIdentityProviders supports COGNITO only', () => {
  expect(parsePoolConfig(pool([], null)).UserPoolClients[0]!.supportedIdentityProviders).toEqual(['COGNITO']);
});

for (const [what, json, field] of [
  ['a social ProviderType', pool([{ ...OIDC, ProviderType: 'Google' }]), 'IdentityProviders[0].ProviderType'],
  ['an OIDC IdP without client_secret', pool([{ ...OIDC, ProviderDetails: { ...OIDC.ProviderDetails, client_secret: undefined } }]), 'IdentityProviders[0].ProviderDetails.client_secret'],
  ['authorize_scopes without openid', pool([{ ...OIDC, ProviderDetails: { ...OIDC.ProviderDetails, authorize_scopes: 'email' } }]), 'IdentityProviders[0].ProviderDetails.authorize_scopes'],
  ['an OIDC IdP without oidc_issuer', pool([{ ...OIDC, ProviderDetails: { ...OIDC.ProviderDetails, oidc_issuer: undefined } }]), 'IdentityProviders[0].ProviderDetails.oidc_issuer'],
  ['a SAML IdP without metadata', pool([{ ...SAML, ProviderDetails: {} }], ['COGNITO']), 'IdentityProviders[0].ProviderDetails.MetadataURL'],
  ['a ProviderName with a leading underscore', pool([{ ...OIDC, ProviderName: '_Okta' }], ['COGNITO']), 'IdentityProviders[0].ProviderName'],
  ['a duplicate ProviderName', pool([OIDC, OIDC]), 'IdentityProviders[1].ProviderName'],
  ['an identifier used by two IdPs', pool([{ ...OIDC, IdpIdentifiers: ['corp.example'] }, SAML]), 'IdentityProviders[1].IdpIdentifiers[0]'],
  ['a client naming an IdP the pool lacks', pool([OIDC], ['COGNITO', 'Auth0']), 'UserPoolClients[0].SupportedIdentityProviders[1]'],
  ['an AttributeMapping key over 32 characters', pool([{ ...OIDC, AttributeMapping: { ['custom:' + 'x'.repeat(30)]: 'y' } }]), 'IdentityProviders[0].AttributeMapping'],
  ['a LocalUpstream without users', pool([{ ...SAML, ProviderDetails: {}, LocalUpstream: { Users: [] } }], ['COGNITO']), 'IdentityProviders[0].LocalUpstream.Users'],
  ['an unknown LocalUpstream LoginUi', pool([{ ...OIDC, LocalUpstream: { Users: [{ Username: 'u', Password: 'p' }], LoginUi: 'ping' } }]), 'IdentityProviders[0].LocalUpstream.LoginUi'],
] as const) {
  test(`${what} is refused with exit 2 naming ${field}`, () => {
    expect(refused(json)).toContain(`invalid at ${field}`);
  });
}

test('a LocalUpstream stands in for oidc_issuer / MetadataURL (the emulator fills them in at start)', () => {
  const p = parsePoolConfig(pool([{ ...SAML, ProviderDetails: {}, LocalUpstream: { Users: [{ Username: 'bob', Password: 'pw', Claims: { email: 'bob@corp.example' } }] } }], ['Entra']));
  expect(p.identityProviders[0]!.localUpstream).toEqual({ users: [{ username: 'bob', password: 'pw', claims: { email: 'bob@corp.example' } }] });
});

// The pool served when no --config is given: the values of docs/hosted-ui-pages.md, used by the
// demo, the README and every test. Change them only together with that page contract.
import type { PoolConfig } from './config.js';

const CALLBACKS = ['https://oauth.pstmn.io/v1/callback', 'https://oauth.pstmn.io/v1/browser-callback', 'http://localhost:*/callback', 'myapp://callback'];
const LOGOUTS = ['https://oauth.pstmn.io/v1/logout', 'http://localhost:*/logout', 'myapp://logout'];
const USER_SCOPES = ['openid', 'email', 'profile', 'phone', 'aws.cognito.signin.user.admin', 'demo-api/read'];

/** Base32 TOTP secret of `mfa-user` (a test secret, published on purpose). */
export const DEFAULT_MFA_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

const attrs = (username: string, extra: Record<string, string> = {}) =>
  Object.entries({ email: `${username}@example.com`, email_verified: 'true', ...extra }).map(([Name, Value]) => ({ Name, Value }));

export const DEFAULT_POOL: PoolConfig = {
  UserPoolId: 'us-east-1_DemoPool1',
  Region: 'us-east-1',
  UserPoolClients: [
    {
      ClientId: 'demo-public-client',
      ClientName: 'demo public client (Postman, SPA)',
      CallbackURLs: CALLBACKS,
      LogoutURLs: LOGOUTS,
      AllowedOAuthFlows: ['code', 'implicit'],
      AllowedOAuthScopes: USER_SCOPES,
      AllowedOAuthFlowsUserPoolClient: true,
      EnableTokenRevocation: true,
    },
    {
      ClientId: 'demo-confidential-client',
      ClientName: 'demo confidential client (server app)',
      ClientSecret: 'demo-confidential-secret',
      CallbackURLs: CALLBACKS,
      LogoutURLs: LOGOUTS,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: USER_SCOPES,
      AllowedOAuthFlowsUserPoolClient: true,
      EnableTokenRevocation: true,
    },
    {
      ClientId: 'demo-m2m-client',
      ClientName: 'demo machine-to-machine client',
      ClientSecret: 'demo-m2m-secret',
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['demo-api/read', 'demo-api/write'],
      AllowedOAuthFlowsUserPoolClient: true,
      EnableTokenRevocation: true,
    },
  ],
  ResourceServers: [
    {
      Identifier: 'demo-api',
      Name: 'Demo API',
      Scopes: [
        { ScopeName: 'read', ScopeDescription: 'Read access to the demo API' },
        { ScopeName: 'write', ScopeDescription: 'Write access to the demo API' },
      ],
    },
  ],
  Users: [
    { Username: 'admin', Password: 'Admin-Passw0rd!', Groups: ['admin'], Attributes: attrs('admin', { given_name: 'Ada', family_name: 'Admin', name: 'Ada Admin' }) },
    { Username: 'reader', Password: 'Reader-Passw0rd!', Groups: ['reader'], Attributes: attrs('reader', { given_name: 'Rita', family_name: 'Reader', name: 'Rita Reader' }) },
    { Username: 'mfa-user', Password: 'Mfa-Passw0rd!', TotpSecret: DEFAULT_MFA_SECRET, Attributes: attrs('mfa-user') },
    { Username: 'new-password-user', Password: 'Temp-Passw0rd!', UserStatus: 'FORCE_CHANGE_PASSWORD', Attributes: attrs('new-password-user') },
    { Username: 'unconfirmed-user', Password: 'Unconf-Passw0rd!', UserStatus: 'UNCONFIRMED', Attributes: attrs('unconfirmed-user', { email_verified: 'false' }) },
    { Username: 'reset-user', UserStatus: 'RESET_REQUIRED', Attributes: attrs('reset-user') },
    { Username: 'disabled-user', Password: 'Disabled-Passw0rd!', Enabled: false, Attributes: attrs('disabled-user') },
  ],
};

// The auth flags shared by `run`, `token` and `doctor`, declared for commander: each maps to one
// configuration variable (config/flags.ts holds that map, so the library needs no commander), so
// flags are simply the highest layer of the one configuration order (config/load.ts).
import { Option, type Command } from 'commander';
import { IDP_LOGIN_UIS } from 'cognito-newman-common/idp-login-ui';

export function addAuthOptions(cmd: Command): Command {
  return cmd
    // --dotenv, not --env-file: Node 20 itself acts on --env-file anywhere on the command line and
    // exits 9 before cognito-newman runs when the file is missing. The old spelling still works
    // whenever Node lets it through (the file exists).
    .option('--dotenv <path>', 'dotenv file to read (default: ./.env)')
    .addOption(new Option('--env-file <path>', 'old spelling of --dotenv').hideHelp())
    .option('--domain <url>', 'user pool domain (COGNITO_DOMAIN)')
    .option('--client-id <id>', 'app client id (COGNITO_CLIENT_ID)')
    .addOption(new Option('--client-auth <how>', 'how the client secret is sent (COGNITO_CLIENT_AUTH)').choices(['basic', 'body']))
    .option('--redirect-uri <uri>', 'registered callback URL (COGNITO_REDIRECT_URI)')
    .option('--scopes <list>', 'space-separated scopes (COGNITO_SCOPES)')
    .option('--user-pool-id <id>', 'user pool id, enables token verification (COGNITO_USER_POOL_ID)')
    .option('--issuer <url>', 'token issuer (COGNITO_ISSUER)')
    .addOption(new Option('--login-ui <ui>', 'login page flavour (COGNITO_LOGIN_UI)').choices(['auto', 'classic', 'managed', 'custom']))
    .option('--auth-url <url>', 'authorization URL, e.g. <domain>/login as in Postman (COGNITO_AUTH_URL)')
    .option('--token-url <url>', 'token URL (COGNITO_TOKEN_URL)')
    .addOption(new Option('--response-type <type>', 'code (Authorization Code + PKCE) or token (implicit)').choices(['code', 'token']))
    .option('--selector-profile <file>', 'selectors for a non-Cognito login page (COGNITO_SELECTOR_PROFILE)')
    .option('--identity-provider <name>', 'federated user: go straight to this IdP (COGNITO_IDENTITY_PROVIDER)')
    .option('--idp-identifier <id>', 'federated user: go straight to the IdP with this identifier (COGNITO_IDP_IDENTIFIER)')
    .addOption(new Option('--idp-login-ui <ui>', "federated user: the IdP's sign-in pages (COGNITO_IDP_LOGIN_UI)").choices(IDP_LOGIN_UIS))
    .option('--idp-selector-profile <file>', "federated user: selectors for the IdP's pages (COGNITO_IDP_SELECTOR_PROFILE)")
    .option('--users <names>', 'named test users, comma-separated (TEST_USERS)')
    .option('--artifacts-dir <dir>', 'where failure diagnostics go (COGNITO_NEWMAN_ARTIFACTS_DIR)')
    .option('--concurrency <n>', 'users signed in at once (COGNITO_NEWMAN_CONCURRENCY)')
    .option('--no-cache', 'always sign in; do not read or write the token cache (off anyway when CI=true)')
    .option('--cache-margin <seconds>', 'reuse a cached access token only with at least this much life left (default 600)')
    .addOption(new Option('--auth-token <kind>', 'token put in OAuth 2.0 auth blocks and Authorization headers').choices(['access', 'id']).default('access'));
}

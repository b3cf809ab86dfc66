// OAuth protocol errors (RFC 6749 4.1.2.1 and 5.2, as Cognito uses them: reference 1.1 and 1.4)
// turned into CnErrors with code `OAUTH_<ERROR>`, the contract's exit code, and advice.
import { CnError, ExitCode } from '../errors.js';
import { redact } from '../log.js';
import type { IdpConfig } from '../config/types.js';

/** Which protocol step answered: the authorize redirect or a token/revocation endpoint call. */
export type OAuthStep = 'authorize' | 'authorization_code' | 'refresh_token' | 'client_credentials' | 'revoke';

export interface OAuthErrorInput {
  error: string;
  description?: string | undefined;
  /** HTTP status of the endpoint response (absent for a callback redirect). */
  status?: number | undefined;
  step: OAuthStep;
  /** How many requests were sent, when retries happened (in the error details). */
  attempts?: number | undefined;
  idp: Pick<IdpConfig, 'clientId' | 'redirectUri' | 'scopes' | 'clientAuth' | 'clientSecret' | 'endpoints'>;
}

interface Advice {
  exit: ExitCode;
  message: string;
  hint: string;
}

const STEP_LABEL: Record<OAuthStep, string> = {
  authorize: 'The sign-in redirect',
  authorization_code: 'The code exchange at the token endpoint',
  refresh_token: 'The refresh-token grant at the token endpoint',
  client_credentials: 'The client-credentials grant at the token endpoint',
  revoke: 'The token revocation endpoint',
};

/** `invalid_grant` -> `OAUTH_INVALID_GRANT`. */
export function oauthErrorCode(error: string): string {
  return `OAUTH_${error.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

/** The CnError for an OAuth `error` response, with protocol fields in details. Never contains a secret. */
export function oauthError(input: OAuthErrorInput, cause?: unknown): CnError {
  const description = input.description === undefined ? undefined : redact(input.description);
  const advice = adviceFor({ ...input, description });
  const details: Record<string, string | number | boolean | undefined> = {
    error: input.error,
    error_description: description,
    status: input.status,
    step: input.step,
    client_id: input.idp.clientId,
  };
  if (input.attempts !== undefined) details.attempts = input.attempts;
  const said = description ? ` (${input.error}: ${description})` : ` (${input.error})`;
  return new CnError(oauthErrorCode(input.error), advice.exit, `${advice.message}${said}.`, {
    hint: advice.hint,
    details,
    ...(cause === undefined ? {} : { cause }),
  });
}

function adviceFor(i: OAuthErrorInput): Advice {
  const { idp, step } = i;
  const client = `app client ${idp.clientId}`;
  const what = STEP_LABEL[step];
  const redirectMismatch = i.error === 'invalid_redirect' || i.error === 'redirect_mismatch' || i.description === 'invalid_redirect';

  if (redirectMismatch) {
    return {
      exit: ExitCode.Usage,
      message: `${what} was refused because the redirect URI ${idp.redirectUri} does not match`,
      hint: `Configuration problem: register exactly ${idp.redirectUri} as an allowed callback URL on ${client} (scheme, host, port, path and trailing slash must match), or set COGNITO_REDIRECT_URI to one that is registered.`,
    };
  }

  switch (i.error) {
    case 'invalid_grant':
      if (step === 'refresh_token') {
        return {
          exit: ExitCode.IdpFailure,
          message: `${what} was refused: the refresh token was revoked, expired, or issued to another app client`,
          hint: 'Sign in again to get a new refresh token (delete the token cache if one is used).',
        };
      }
      return {
        exit: ExitCode.IdpFailure,
        message: `${what} was refused: the authorization code was already used, expired (codes last 5 minutes), or its PKCE verifier or redirect URI does not match the sign-in`,
        // No earlier attempt of ours can have spent it: the exchange is resent only when the
        // request certainly was not processed (oauth/http.ts).
        hint: 'Codes are single use: run again to sign in afresh, and make sure nothing else (a proxy, another runner) redeems the same code.',
      };
    case 'invalid_client': {
      const other = idp.clientAuth === 'basic' ? 'body' : 'basic';
      return {
        exit: ExitCode.Usage,
        message: `${what} rejected the client authentication of ${client}`,
        hint: idp.clientSecret
          ? `Configuration problem: check COGNITO_CLIENT_ID and COGNITO_CLIENT_SECRET for ${client}. The secret is sent ${idp.clientAuth === 'basic' ? 'as HTTP Basic' : 'in the form body'} (COGNITO_CLIENT_AUTH=${idp.clientAuth}); if the server expects the other method, set COGNITO_CLIENT_AUTH=${other}. If this client has no secret, unset COGNITO_CLIENT_SECRET.`
          : `Configuration problem: ${client} probably has a client secret; set COGNITO_CLIENT_SECRET (and COGNITO_CLIENT_AUTH=basic or body), or check COGNITO_CLIENT_ID.`,
      };
    }
    case 'unauthorized_client': {
      const flow: Record<OAuthStep, string> = {
        authorize: 'the requested OAuth grant type (Authorization code grant, or Implicit grant for COGNITO_RESPONSE_TYPE=token)',
        authorization_code: 'the Authorization code grant',
        refresh_token: 'refresh tokens (ALLOW_REFRESH_TOKEN_AUTH)',
        client_credentials: 'the Client credentials grant',
        revoke: 'token revocation',
      };
      return {
        exit: ExitCode.Usage,
        message: `${what} was refused: ${client} is not allowed ${flow[step]}, or the redirect URI differs from the one used at sign-in`,
        hint: `Configuration problem: in the Cognito console, enable ${flow[step]} on ${client}, and check that COGNITO_REDIRECT_URI (${idp.redirectUri}) is registered on it.`,
      };
    }
    case 'invalid_scope':
      return {
        exit: ExitCode.Usage,
        message: `${what} was refused: a requested scope (${idp.scopes.join(' ')}) is unknown or not allowed for ${client}`,
        hint: `Configuration problem: enable the scopes on ${client} (custom scopes need a resource server), or change COGNITO_SCOPES. "email", "profile" and "phone" also need "openid".`,
      };
    case 'unsupported_grant_type':
      return {
        exit: ExitCode.Usage,
        message: `${what} was refused: the server does not support this grant type`,
        hint: `Configuration problem: check that COGNITO_TOKEN_URL (${idp.endpoints.token}) is the pool's /oauth2/token endpoint and that the grant is enabled on ${client}.`,
      };
    case 'unsupported_response_type':
      return {
        exit: ExitCode.Usage,
        message: `${what} was refused: ${client} does not allow this response type`,
        hint: `Configuration problem: enable the Authorization code grant (or Implicit grant for COGNITO_RESPONSE_TYPE=token) on ${client}.`,
      };
    case 'access_denied':
      return {
        exit: ExitCode.LoginRejected,
        message: `${what} reported that the sign-in was refused`,
        hint: 'The user was denied access: check the test user\'s status, group and app-client access, and any pre-authentication Lambda trigger or WAF rule on the pool.',
      };
    case 'login_required':
    case 'interaction_required':
    case 'consent_required':
      return {
        exit: ExitCode.LoginRejected,
        message: `${what} needs an interactive sign-in that did not happen`,
        hint: 'Start the sign-in without prompt=none, in a fresh browser context.',
      };
    case 'invalid_request':
      return {
        exit: ExitCode.IdpFailure,
        message: `${what} was refused as malformed`,
        hint:
          step === 'authorize'
            ? 'For a federated identity provider this often means it failed or timed out; otherwise check COGNITO_RESPONSE_TYPE and the app client settings. Run again with --debug for the details.'
            : 'This is likely a cognito-newman bug or a proxy altering the request; run again with --debug and report it.',
      };
    case 'unsupported_token_type':
      return {
        exit: ExitCode.IdpFailure,
        message: `${what} refused the token: only refresh tokens can be revoked`,
        hint: 'Pass the refresh token, not an access or ID token.',
      };
    case 'server_error':
    case 'temporarily_unavailable':
      return {
        exit: ExitCode.IdpFailure,
        message: `${what} failed with an error inside the identity provider`,
        hint: 'Cognito (or the federated IdP) had a problem; try again later.',
      };
    default:
      return {
        exit: ExitCode.IdpFailure,
        message: `${what} returned an OAuth error`,
        hint: 'See the error code in the message; run again with --debug for the protocol details.',
      };
  }
}

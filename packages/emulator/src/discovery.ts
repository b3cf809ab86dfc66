// The issuer side: /<poolId>/.well-known/openid-configuration and /<poolId>/.well-known/jwks.json.
// Real Cognito serves these on cognito-idp.<region>.amazonaws.com; the emulator serves both hosts'
// paths from one origin, so the issuer is `<baseUrl>/<poolId>`.
import { RESERVED_SCOPES } from './config.js';
import type { Emu } from './context.js';
import { json, type Reply, type RequestContext } from './http.js';

export function discoveryDocument(emu: Emu): Record<string, unknown> {
  return {
    authorization_endpoint: `${emu.baseUrl}/oauth2/authorize`,
    end_session_endpoint: `${emu.baseUrl}/logout`,
    id_token_signing_alg_values_supported: ['RS256'],
    issuer: emu.issuer,
    jwks_uri: `${emu.issuer}/.well-known/jwks.json`,
    response_types_supported: ['code', 'token'],
    revocation_endpoint: `${emu.baseUrl}/oauth2/revoke`,
    scopes_supported: ['openid', 'email', 'phone', 'profile'].filter((s) => (RESERVED_SCOPES as readonly string[]).includes(s)),
    subject_types_supported: ['public'],
    token_endpoint: `${emu.baseUrl}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    userinfo_endpoint: `${emu.baseUrl}/oauth2/userInfo`,
    code_challenge_methods_supported: ['S256'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', 'implicit'],
  };
}

export async function handleDiscovery(emu: Emu, ctx: RequestContext): Promise<Reply> {
  return json(ctx, 200, discoveryDocument(emu));
}

export async function handleJwks(emu: Emu, ctx: RequestContext): Promise<Reply> {
  return json(ctx, 200, emu.keys.jwks);
}

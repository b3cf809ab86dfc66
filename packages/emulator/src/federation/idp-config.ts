// `IdentityProviders[]` of the pool config in describe-identity-provider's shape (federation-reference
// A.6): ProviderName, ProviderType OIDC|SAML, ProviderDetails, AttributeMapping, IdpIdentifiers, plus
// the emulator-only `LocalUpstream` (an IdP the emulator starts on loopback). Parsed into the
// camelCase model the rest of the emulator reads (`pool.identityProviders`).
import { z } from 'zod';
import { BUILT_IN_IDP_LOGIN_UIS } from 'cognito-newman-common/idp-login-ui';

/** AWS: 1-32 characters, no leading/trailing `_` or whitespace; letters, marks, symbols, numbers, punctuation. */
const PROVIDER_NAME = /^[^_\p{Z}](?:[\p{L}\p{M}\p{S}\p{N}\p{P}]*[^_\p{Z}])?$/u;
const ORIGIN_URL = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

const OidcDetailsSchema = z.looseObject({
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  authorize_scopes: z
    .string()
    .min(1)
    .refine((s) => s.split(/\s+/).includes('openid'), 'must include openid (Cognito needs it for an OIDC IdP)'),
  attributes_request_method: z.enum(['GET', 'POST']).default('GET'),
  oidc_issuer: ORIGIN_URL.optional(),
  authorize_url: ORIGIN_URL.optional(),
  token_url: ORIGIN_URL.optional(),
  attributes_url: ORIGIN_URL.optional(),
  jwks_uri: ORIGIN_URL.optional(),
  /** Read-only in Cognito's describe output. */
  attributes_url_add_attributes: z.string().optional(),
});

const BoolString = z.enum(['true', 'false']);
const SamlDetailsSchema = z.looseObject({
  MetadataURL: ORIGIN_URL.optional(),
  /** The metadata XML itself (Cognito's JSON escapes its quotes). */
  MetadataFile: z.string().min(1).optional(),
  IDPSignout: BoolString.optional(),
  IDPInit: BoolString.optional(),
  EncryptedResponses: BoolString.optional(),
  RequestSigningAlgorithm: z.literal('rsa-sha256').optional(),
  /** Read-only in describe output (Cognito fills them from the metadata); ignored here. */
  SSORedirectBindingURI: z.string().optional(),
  SLORedirectBindingURI: z.string().optional(),
  ActiveEncryptionCertificate: z.string().optional(),
});

const LocalUpstreamSchema = z.looseObject({
  Users: z
    .array(
      z.looseObject({
        Username: z.string().min(1),
        Password: z.string().min(1),
        TotpSecret: z.string().regex(/^[A-Z2-7]+=*$/i, 'must be base32 (A-Z, 2-7)').min(16, 'must be at least 16 base32 characters').optional(),
        /** Claims (OIDC) or SAML attributes released for this user. */
        Claims: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .min(1, 'needs at least one user'),
  /** OIDC only: which login UI the local OP serves (replicas of the IdPs' pages, or oidc-provider's own). */
  LoginUi: z.enum(BUILT_IN_IDP_LOGIN_UIS).optional(),
});

export const IdentityProviderSchema = z
  .looseObject({
    UserPoolId: z.string().optional(),
    ProviderName: z
      .string()
      .min(1)
      .max(32)
      .regex(PROVIDER_NAME, 'must be 1-32 characters without a leading or trailing "_" or space'),
    ProviderType: z.string().min(1),
    ProviderDetails: z.record(z.string(), z.unknown()).default({}),
    AttributeMapping: z
      .record(z.string().min(1).max(32, 'attribute names are at most 32 characters'), z.string().min(1))
      .default({}),
    IdpIdentifiers: z
      .array(z.string().min(1).max(40).regex(/^[\w\s+=.@-]+$/, 'may contain only letters, digits, spaces and + = . @ - _'))
      .max(50)
      .default([]),
    /** Emulator-only: start this IdP on loopback (real Cognito cannot reach it). */
    LocalUpstream: LocalUpstreamSchema.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.ProviderName === 'COGNITO') ctx.addIssue({ code: 'custom', path: ['ProviderName'], message: 'COGNITO is the pool itself, not an external IdP' });
    if (p.ProviderType !== 'OIDC' && p.ProviderType !== 'SAML') {
      ctx.addIssue({ code: 'custom', path: ['ProviderType'], message: `"${p.ProviderType}" is not emulated; use OIDC or SAML (social IdPs are OIDC IdPs here)` });
      return;
    }
    const schema = p.ProviderType === 'OIDC' ? OidcDetailsSchema : SamlDetailsSchema;
    const r = schema.safeParse(p.ProviderDetails);
    if (!r.success) {
      for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', path: ['ProviderDetails', ...issue.path], message: issue.message });
      return;
    }
    const local = p.LocalUpstream !== undefined;
    if (p.ProviderType === 'OIDC' && !local && p.ProviderDetails.oidc_issuer === undefined) {
      ctx.addIssue({ code: 'custom', path: ['ProviderDetails', 'oidc_issuer'], message: 'is required (or a LocalUpstream for the emulator to start)' });
    }
    if (p.ProviderType === 'SAML' && !local && p.ProviderDetails.MetadataURL === undefined && p.ProviderDetails.MetadataFile === undefined) {
      ctx.addIssue({ code: 'custom', path: ['ProviderDetails', 'MetadataURL'], message: 'MetadataURL or MetadataFile is required (or a LocalUpstream for the emulator to start)' });
    }
    if (p.ProviderType === 'SAML' && p.LocalUpstream?.LoginUi !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['LocalUpstream', 'LoginUi'], message: 'applies to OIDC upstreams only; the local SAML IdP has one page' });
    }
  });

export type IdentityProviderInput = z.input<typeof IdentityProviderSchema>;
type IdpOutput = z.output<typeof IdentityProviderSchema>;

export interface OidcProviderDetails {
  clientId: string;
  clientSecret: string;
  authorizeScopes: string;
  attributesRequestMethod: 'GET' | 'POST';
  /** Filled in at start for a LocalUpstream. */
  issuer?: string;
  authorizeUrl?: string;
  tokenUrl?: string;
  attributesUrl?: string;
  jwksUri?: string;
}

export interface SamlProviderDetails {
  metadataUrl?: string;
  metadataFile?: string;
  idpInit: boolean;
  idpSignout: boolean;
}

export interface LocalUpstreamConfig {
  users: { username: string; password: string; totpSecret?: string; claims?: Record<string, unknown> }[];
  loginUi?: string;
}

/** One external IdP as the emulator uses it. */
export interface FederatedIdentityProvider {
  providerName: string;
  providerType: 'OIDC' | 'SAML';
  idpIdentifiers: string[];
  /** Pool attribute -> IdP claim / SAML attribute name. */
  attributeMapping: Record<string, string>;
  oidc?: OidcProviderDetails;
  saml?: SamlProviderDetails;
  localUpstream?: LocalUpstreamConfig;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The camelCase model of one validated IdentityProviders item. */
export function toFederatedProvider(p: IdpOutput): FederatedIdentityProvider {
  const d = p.ProviderDetails;
  const base = {
    providerName: p.ProviderName,
    providerType: p.ProviderType as 'OIDC' | 'SAML',
    idpIdentifiers: p.IdpIdentifiers,
    attributeMapping: p.AttributeMapping,
    ...(p.LocalUpstream
      ? {
          localUpstream: {
            users: p.LocalUpstream.Users.map((u) => ({
              username: u.Username,
              password: u.Password,
              ...(u.TotpSecret ? { totpSecret: u.TotpSecret } : {}),
              ...(u.Claims ? { claims: u.Claims } : {}),
            })),
            ...(p.LocalUpstream.LoginUi ? { loginUi: p.LocalUpstream.LoginUi } : {}),
          },
        }
      : {}),
  };
  if (p.ProviderType === 'OIDC') {
    const o: OidcProviderDetails = {
      clientId: str(d.client_id)!,
      clientSecret: str(d.client_secret)!,
      authorizeScopes: str(d.authorize_scopes)!,
      attributesRequestMethod: d.attributes_request_method === 'POST' ? 'POST' : 'GET',
    };
    const opt: [keyof OidcProviderDetails, string][] = [['issuer', 'oidc_issuer'], ['authorizeUrl', 'authorize_url'], ['tokenUrl', 'token_url'], ['attributesUrl', 'attributes_url'], ['jwksUri', 'jwks_uri']];
    for (const [k, key] of opt) {
      const v = str(d[key]);
      // Kept exactly as written: the ID token's `iss` must equal it (Auth0's issuer ends in "/").
      if (v) (o as unknown as Record<string, string>)[k] = v;
    }
    return { ...base, oidc: o };
  }
  return {
    ...base,
    saml: {
      ...(str(d.MetadataURL) ? { metadataUrl: str(d.MetadataURL)! } : {}),
      ...(str(d.MetadataFile) ? { metadataFile: str(d.MetadataFile)! } : {}),
      idpInit: d.IDPInit === 'true',
      idpSignout: d.IDPSignout === 'true',
    },
  };
}

/** Pool-level rules: unique names and identifiers; clients may name only COGNITO or configured IdPs. */
export function checkPoolProviders(
  providers: IdpOutput[],
  clients: { SupportedIdentityProviders?: string[] | undefined }[],
  ctx: z.RefinementCtx,
): void {
  const names = new Set<string>();
  const identifiers = new Map<string, string>();
  providers.forEach((p, i) => {
    if (names.has(p.ProviderName)) ctx.addIssue({ code: 'custom', path: ['IdentityProviders', i, 'ProviderName'], message: `duplicate ProviderName "${p.ProviderName}"` });
    names.add(p.ProviderName);
    p.IdpIdentifiers.forEach((id, j) => {
      const key = id.toLowerCase();
      const owner = identifiers.get(key);
      if (owner !== undefined && owner !== p.ProviderName) {
        ctx.addIssue({ code: 'custom', path: ['IdentityProviders', i, 'IdpIdentifiers', j], message: `"${id}" is already an identifier of ${owner} (identifiers are unique in a pool)` });
      }
      identifiers.set(key, p.ProviderName);
    });
  });
  clients.forEach((c, i) => {
    (c.SupportedIdentityProviders ?? []).forEach((name, j) => {
      if (name !== 'COGNITO' && !names.has(name)) {
        ctx.addIssue({ code: 'custom', path: ['UserPoolClients', i, 'SupportedIdentityProviders', j], message: `"${name}" is neither COGNITO nor a ProviderName in IdentityProviders` });
      }
    });
  });
}

/** Accept pasted `describe-identity-provider` output: `{"IdentityProvider": {...}}` items. */
export const unwrapIdentityProvider = (p: unknown): unknown =>
  p && typeof p === 'object' && 'IdentityProvider' in p ? (p as { IdentityProvider: unknown }).IdentityProvider : p;

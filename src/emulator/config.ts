// Pool configuration in Cognito's own API shapes (describe-user-pool / describe-user-pool-client /
// list-users output), validated with zod so a bad file fails with exit 2 naming the exact field.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { usageError } from '../errors.js';
import { checkPoolProviders, IdentityProviderSchema, toFederatedProvider, unwrapIdentityProvider, type FederatedIdentityProvider, type IdentityProviderInput } from './federation/idp-config.js';

/** Cognito's reserved OAuth scopes (authorize endpoint docs). */
export const RESERVED_SCOPES = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'] as const;

const TimeUnit = z.enum(['seconds', 'minutes', 'hours', 'days']);
const UNIT_SECONDS = { seconds: 1, minutes: 60, hours: 3600, days: 86400 } as const;

/** Cognito's rule for callback and sign-out URLs: absolute, no fragment, HTTPS except http://localhost; custom schemes allowed. */
function checkRedirectUrl(value: string, ctx: z.RefinementCtx): void {
  // The any-port pattern is emulator-only: http://localhost:*/path.
  const candidate = value.replace(/^http:\/\/localhost:\*(?=\/|$)/, 'http://localhost:1');
  let u: URL;
  try {
    u = new URL(candidate);
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not an absolute URL` });
    return;
  }
  if (value.includes('#')) ctx.addIssue({ code: 'custom', message: `"${value}" has a fragment, which Cognito does not allow` });
  if (u.protocol === 'http:' && u.hostname !== 'localhost') {
    ctx.addIssue({ code: 'custom', message: `"${value}" uses http://, which Cognito allows only for http://localhost` });
  }
}

const RedirectUrl = z.string().min(1).max(1024).superRefine(checkRedirectUrl);

const ClientSchema = z
  .looseObject({
    ClientId: z.string().min(1).max(128).regex(/^\S+$/, 'must not contain spaces'),
    ClientName: z.string().optional(),
    ClientSecret: z.string().min(1).optional(),
    UserPoolId: z.string().optional(),
    CallbackURLs: z.array(RedirectUrl).max(100).default([]),
    LogoutURLs: z.array(RedirectUrl).max(100).default([]),
    DefaultRedirectURI: z.string().optional(),
    AllowedOAuthFlows: z.array(z.enum(['code', 'implicit', 'client_credentials'])).default([]),
    AllowedOAuthScopes: z.array(z.string().min(1)).default([]),
    /** Cognito: false turns every OAuth flow of the client off. */
    AllowedOAuthFlowsUserPoolClient: z.boolean().default(true),
    AccessTokenValidity: z.number().int().positive().optional(),
    IdTokenValidity: z.number().int().positive().optional(),
    RefreshTokenValidity: z.number().int().positive().optional(),
    TokenValidityUnits: z
      .looseObject({ AccessToken: TimeUnit.optional(), IdToken: TimeUnit.optional(), RefreshToken: TimeUnit.optional() })
      .optional(),
    EnableTokenRevocation: z.boolean().default(true),
    PreventUserExistenceErrors: z.enum(['ENABLED', 'LEGACY']).default('ENABLED'),
    /** Minutes a multi-step sign-in (MFA, new password) may take: 3-15, default 3. */
    AuthSessionValidity: z.number().int().min(3).max(15).default(3),
    RefreshTokenRotation: z
      .looseObject({ Feature: z.enum(['ENABLED', 'DISABLED']), RetryGracePeriodSeconds: z.number().int().min(0).max(60).optional() })
      .optional(),
    ReadAttributes: z.array(z.string()).optional(),
    SupportedIdentityProviders: z.array(z.string()).optional(),
    /** `ALLOW_USER_AUTH` makes Managed Login choice-based: the username first, then the factor. */
    ExplicitAuthFlows: z.array(z.string()).optional(),
    /** Emulator-only: false makes Managed Login show "Login pages unavailable" for this client. */
    ManagedLoginBranding: z.boolean().default(true),
    /** Emulator-only: allow access and ID token lifetimes under Cognito's 5-minute minimum (down to 1 s), so long-run refresh can be tested in seconds. */
    AllowShortTokenValidity: z.boolean().default(false),
  })
  .superRefine((c, ctx) => {
    const seconds = (v: number | undefined, unit: z.infer<typeof TimeUnit> | undefined, defUnit: keyof typeof UNIT_SECONDS) =>
      v === undefined ? undefined : v * UNIT_SECONDS[unit ?? defUnit];
    const range = (field: string, s: number | undefined, min: number, max: number, text: string) => {
      if (s !== undefined && (s < min || s > max)) ctx.addIssue({ code: 'custom', path: [field], message: `must be between ${text}` });
    };
    const u = c.TokenValidityUnits;
    const [minLife, minText] = c.AllowShortTokenValidity ? [1, '1 second'] : [300, '5 minutes'];
    range('AccessTokenValidity', seconds(c.AccessTokenValidity, u?.AccessToken, 'hours'), minLife, 86400, `${minText} and 1 day`);
    range('IdTokenValidity', seconds(c.IdTokenValidity, u?.IdToken, 'hours'), minLife, 86400, `${minText} and 1 day`);
    range('RefreshTokenValidity', seconds(c.RefreshTokenValidity, u?.RefreshToken, 'days'), 3600, 3650 * 86400, '60 minutes and 3650 days');
    const flows = c.AllowedOAuthFlows;
    if (flows.includes('client_credentials') && (flows.includes('code') || flows.includes('implicit'))) {
      ctx.addIssue({ code: 'custom', path: ['AllowedOAuthFlows'], message: 'client_credentials cannot be combined with code or implicit (Cognito rule)' });
    }
    if (flows.includes('client_credentials') && !c.ClientSecret) {
      ctx.addIssue({ code: 'custom', path: ['ClientSecret'], message: 'a client with client_credentials needs a ClientSecret' });
    }
  })
  // The name other modules read (federation, Managed Login's identity-provider buttons).
  .transform((c) => ({ ...c, supportedIdentityProviders: c.SupportedIdentityProviders ?? ['COGNITO'] }));

const AttributeSchema = z.looseObject({ Name: z.string().min(1), Value: z.string() });

/** MFA methods as admin-get-user lists them (EMAIL_OTP and WEB_AUTHN since 2024 / 2026-04). */
export const MFA_METHODS = ['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP', 'WEB_AUTHN'] as const;
export type MfaMethod = (typeof MFA_METHODS)[number];

/** AdminSetUserMFAPreference's per-method settings. */
const MfaSettingsSchema = z.looseObject({ Enabled: z.boolean().default(false), PreferredMfa: z.boolean().default(false) });

const base64url = z.string().min(1).regex(/^[A-Za-z0-9_-]+$/, 'must be base64url (A-Z, a-z, 0-9, -, _; no padding)');

/**
 * A registered passkey: the fields of a Playwright `credentials.get()` entry under Cognito-style
 * names (ListWebAuthnCredentials has CredentialId, RelyingPartyId, FriendlyCredentialName).
 */
export const PasskeySchema = z.looseObject({
  CredentialId: base64url,
  /** The credential's public key, SPKI DER as base64url (what WebAuthn's getPublicKey() and Playwright give). */
  PublicKey: base64url,
  SignCount: z.number().int().min(0).default(0),
  RelyingPartyId: z.string().min(1).optional(),
  /** base64url user handle; when given, an assertion's userHandle must equal it. */
  UserHandle: base64url.optional(),
  FriendlyCredentialName: z.string().optional(),
});
export type PasskeyConfig = z.output<typeof PasskeySchema>;

/** Where the emulator delivers email and SMS messages (emulator-only; see messages/sinks.ts). */
const SinkSchema = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('s3'),
    bucket: z.string().min(3),
    prefix: z.string().default(''),
    endpoint: z.url().optional(),
    region: z.string().optional(),
    forcePathStyle: z.boolean().default(true),
  }),
  z.looseObject({ type: z.literal('smtp'), host: z.string().min(1), port: z.number().int().min(1).max(65535), secure: z.boolean().default(false) }),
  z.looseObject({ type: z.literal('file'), path: z.string().min(1) }),
]);
export type SinkConfig = z.output<typeof SinkSchema>;
export const MessageSinksSchema = z.looseObject({
  email: SinkSchema.optional(),
  sms: SinkSchema.refine((s) => s.type !== 'smtp', 'an SMTP sink takes email only; use s3 or file for SMS').optional(),
});
export type MessageSinksConfig = z.output<typeof MessageSinksSchema>;

const UserSchema = z.looseObject({
  Username: z.string().min(1).max(128),
  Attributes: z.array(AttributeSchema).default([]),
  UserStatus: z
    .enum(['CONFIRMED', 'UNCONFIRMED', 'FORCE_CHANGE_PASSWORD', 'RESET_REQUIRED', 'ARCHIVED', 'COMPROMISED', 'UNKNOWN', 'EXTERNAL_PROVIDER'])
    .default('CONFIRMED'),
  Enabled: z.boolean().default(true),
  /** Emulator-only: the user's password (Cognito never reveals it). */
  Password: z.string().optional(),
  /** Emulator-only: group names, emitted as `cognito:groups`. */
  Groups: z.array(z.string().min(1)).default([]),
  /** Emulator-only: base32 TOTP secret; the user must then pass a TOTP MFA step. */
  TotpSecret: z
    .string()
    .regex(/^[A-Z2-7]+=*$/i, 'must be base32 (A-Z, 2-7)')
    .min(16, 'must be at least 16 base32 characters')
    .optional(),
  /** MFA methods the user has (admin-get-user shape); two or more with no preference make Managed Login ask which. */
  UserMFASettingList: z.array(z.enum(MFA_METHODS)).optional(),
  PreferredMfaSetting: z.enum(MFA_METHODS).optional(),
  /** The user's MFA preference in AdminSetUserMFAPreference shapes (alternative to the two fields above). */
  SoftwareTokenMfaSettings: MfaSettingsSchema.optional(),
  SMSMfaSettings: MfaSettingsSchema.optional(),
  EmailMfaSettings: MfaSettingsSchema.optional(),
  /** A passkey as second factor (pool `WebAuthnConfiguration.FactorConfiguration` MULTI_FACTOR_WITH_USER_VERIFICATION). */
  WebAuthnMfaSettings: MfaSettingsSchema.optional(),
  /** Emulator-only: the user's registered passkeys (Cognito never reveals public keys). */
  Passkeys: z.array(PasskeySchema).default([]),
}).superRefine((u, ctx) => {
  if ((u.UserMFASettingList?.includes('SOFTWARE_TOKEN_MFA') || u.SoftwareTokenMfaSettings?.Enabled) && !u.TotpSecret) {
    ctx.addIssue({ code: 'custom', path: ['TotpSecret'], message: 'is required when the user has SOFTWARE_TOKEN_MFA' });
  }
  const email = u.Attributes.some((a) => a.Name === 'email' && a.Value);
  if ((u.UserMFASettingList?.includes('EMAIL_OTP') || u.EmailMfaSettings?.Enabled) && !email) {
    ctx.addIssue({ code: 'custom', path: ['Attributes'], message: 'needs an email attribute when the user has email MFA (EMAIL_OTP)' });
  }
});

const FIRST_FACTORS = ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'] as const;

const ResourceServerSchema = z.looseObject({
  Identifier: z.string().min(1).max(256),
  Name: z.string().optional(),
  Scopes: z.array(z.looseObject({ ScopeName: z.string().min(1).regex(/^[\x21\x23-\x2e\x30-\x5b\x5d-\x7e]+$/, 'has characters Cognito does not allow in a scope name'), ScopeDescription: z.string().default('') })).default([]),
});

const PoolSchema = z
  .looseObject({
    UserPoolId: z.string().regex(/^[\w-]+_[0-9a-zA-Z]+$/, 'must look like <region>_<id>, e.g. us-east-1_AbC123'),
    Region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1').optional(),
    /** Cognito: sign in with email/phone instead of a username. */
    UsernameAttributes: z.array(z.enum(['email', 'phone_number'])).optional(),
    AliasAttributes: z.array(z.enum(['email', 'phone_number', 'preferred_username'])).optional(),
    UsernameConfiguration: z.looseObject({ CaseSensitive: z.boolean() }).optional(),
    UserPoolClients: z.array(ClientSchema).default([]),
    ResourceServers: z.array(ResourceServerSchema).default([]),
    Users: z.array(UserSchema).default([]),
    /** describe-user-pool's `Policies`; only `SignInPolicy.AllowedFirstAuthFactors` is used (Managed Login's factors). */
    Policies: z
      .looseObject({ SignInPolicy: z.looseObject({ AllowedFirstAuthFactors: z.array(z.enum(FIRST_FACTORS)).min(1) }).optional() })
      .optional(),
    /** Passkeys: relying party id (default: the host the pages are served on), user verification, passkey as MFA. */
    WebAuthnConfiguration: z
      .looseObject({
        RelyingPartyId: z.string().min(1).optional(),
        UserVerification: z.enum(['required', 'preferred']).default('preferred'),
        FactorConfiguration: z.enum(['SINGLE_FACTOR', 'MULTI_FACTOR_WITH_USER_VERIFICATION']).default('SINGLE_FACTOR'),
      })
      .optional(),
    /** OFF: no MFA step for anyone; ON / OPTIONAL (absent = OPTIONAL): users' MFA settings decide. */
    MfaConfiguration: z.enum(['OFF', 'ON', 'OPTIONAL']).optional(),
    /** Email MFA and email sign-in codes: `Message` must hold `{####}`. */
    EmailMfaConfiguration: z.looseObject({ Message: z.string().regex(/\{####\}/, 'must contain {####}').optional(), Subject: z.string().min(1).optional() }).optional(),
    /** SMS codes' text: must hold `{####}`. */
    SmsAuthenticationMessage: z.string().regex(/\{####\}/, 'must contain {####}').optional(),
    /** The email sender (`From`), as describe-user-pool's EmailConfiguration. */
    EmailConfiguration: z.looseObject({ From: z.string().min(3).optional() }).optional(),
    /** Emulator-only: where email and SMS messages go (S3 as SES receiving leaves them, SMTP, files). */
    MessageSinks: MessageSinksSchema.optional(),
    /** describe-identity-provider shapes (federation/idp-config.ts). */
    IdentityProviders: z.array(IdentityProviderSchema).default([]),
  })
  .superRefine((p, ctx) => {
    checkPoolProviders(p.IdentityProviders, p.UserPoolClients, ctx);
    const prefix = p.UserPoolId.split('_')[0];
    if (p.Region !== undefined && p.Region !== prefix) {
      ctx.addIssue({ code: 'custom', path: ['Region'], message: `"${p.Region}" differs from the region in UserPoolId ("${prefix}")` });
    }
    const custom = new Set(p.ResourceServers.flatMap((rs) => rs.Scopes.map((s) => `${rs.Identifier}/${s.ScopeName}`)));
    const ids = new Set<string>();
    p.UserPoolClients.forEach((c, i) => {
      if (ids.has(c.ClientId)) ctx.addIssue({ code: 'custom', path: ['UserPoolClients', i, 'ClientId'], message: `duplicate ClientId "${c.ClientId}"` });
      ids.add(c.ClientId);
      c.AllowedOAuthScopes.forEach((s, j) => {
        const known = (RESERVED_SCOPES as readonly string[]).includes(s) || custom.has(s);
        if (!known) ctx.addIssue({ code: 'custom', path: ['UserPoolClients', i, 'AllowedOAuthScopes', j], message: `"${s}" is neither a reserved scope nor a ResourceServers scope` });
        else if (c.AllowedOAuthFlows.includes('client_credentials') && !custom.has(s)) {
          ctx.addIssue({ code: 'custom', path: ['UserPoolClients', i, 'AllowedOAuthScopes', j], message: `"${s}" is not a custom scope; client_credentials clients may only have ResourceServers scopes` });
        }
      });
    });
    const names = new Set<string>();
    const caseSensitive = p.UsernameConfiguration?.CaseSensitive ?? false;
    p.Users.forEach((u, i) => {
      const key = caseSensitive ? u.Username : u.Username.toLowerCase();
      if (names.has(key)) ctx.addIssue({ code: 'custom', path: ['Users', i, 'Username'], message: `duplicate Username "${u.Username}"` });
      names.add(key);
    });
  });

type ClientInput = z.input<typeof ClientSchema>;
type UserInput = z.input<typeof UserSchema>;

/** A pool as written by a user: Cognito API shapes; clients may be pasted `describe-user-pool-client` output. */
export type PoolConfig = Omit<z.input<typeof PoolSchema>, 'UserPoolClients' | 'Users' | 'IdentityProviders'> & {
  IdentityProviders?: (IdentityProviderInput | { IdentityProvider: IdentityProviderInput })[];
  UserPoolClients?: (ClientInput | { UserPoolClient: ClientInput })[];
  Users?: (UserInput | (Omit<UserInput, 'Attributes'> & { UserAttributes?: { Name: string; Value: string }[] }))[];
};
/** A validated pool with defaults filled in: what the emulator serves. */
export type ResolvedPoolConfig = z.output<typeof PoolSchema> & {
  Region: string;
  /** `IdentityProviders[]` under the names other modules read. */
  identityProviders: FederatedIdentityProvider[];
};
export type ClientConfig = z.output<typeof ClientSchema>;
export type UserConfig = z.output<typeof UserSchema>;
export type ResourceServerConfig = z.output<typeof ResourceServerSchema>;

/** "UserPoolClients[1].CallbackURLs[0]" from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else out += out ? `.${String(k)}` : String(k);
  }
  return out || '(root)';
}

/** Accept pasted CLI output: `{"UserPoolClient": {...}}` items and `UserAttributes` (admin-get-user). */
function unwrapCliShapes(json: unknown): unknown {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return json;
  const o = { ...(json as Record<string, unknown>) };
  // describe-user-pool output pasted whole.
  if (o.UserPool && typeof o.UserPool === 'object' && o.UserPoolId === undefined) {
    const up = o.UserPool as Record<string, unknown>;
    Object.assign(o, { ...up, ...o });
    if (o.UserPoolId === undefined && typeof up.Id === 'string') o.UserPoolId = up.Id;
    delete o.UserPool;
  }
  if (Array.isArray(o.UserPoolClients)) {
    o.UserPoolClients = o.UserPoolClients.map((c) =>
      c && typeof c === 'object' && 'UserPoolClient' in c ? (c as { UserPoolClient: unknown }).UserPoolClient : c,
    );
  }
  if (Array.isArray(o.IdentityProviders)) o.IdentityProviders = o.IdentityProviders.map(unwrapIdentityProvider);
  if (Array.isArray(o.Users)) {
    o.Users = o.Users.map((u) => {
      if (u && typeof u === 'object' && !('Attributes' in u) && 'UserAttributes' in u) {
        const { UserAttributes, ...rest } = u as Record<string, unknown>;
        return { ...rest, Attributes: UserAttributes };
      }
      return u;
    });
  }
  return o;
}

/**
 * Validate a pool object (parsed JSON or a literal in code). Invalid input throws a usage error
 * (exit 2) naming the first bad field, e.g. `UserPoolClients[1].CallbackURLs[0]`.
 */
export function parsePoolConfig(json: unknown, source = 'pool config'): ResolvedPoolConfig {
  const result = PoolSchema.safeParse(unwrapCliShapes(json));
  if (!result.success) {
    const issues = result.error.issues;
    const first = issues[0];
    const field = first ? formatPath(first.path) : '(root)';
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    throw usageError('EMULATOR_BAD_CONFIG', `The emulator ${source} is invalid at ${field}: ${first?.message ?? 'invalid'}${more}.`, {
      hint: 'Fix that field; the format is Cognito API shapes (see README, "The local Cognito emulator").',
      details: { field, problems: issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ') },
    });
  }
  const pool = result.data;
  return {
    ...pool,
    Region: pool.Region ?? pool.UserPoolId.split('_')[0] ?? 'us-east-1',
    identityProviders: pool.IdentityProviders.map(toFederatedProvider),
  };
}

/** Read and validate a JSON pool file; missing, unreadable or invalid files are exit-2 errors. */
export async function loadPoolConfigFile(path: string): Promise<ResolvedPoolConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw usageError('EMULATOR_CONFIG_UNREADABLE', `The emulator config file ${path} could not be read.`, {
      hint: 'Check the path given to --config.',
      cause,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw usageError('EMULATOR_BAD_CONFIG', `The emulator config file ${path} is not valid JSON (${(cause as Error).message}).`, {
      hint: 'Fix the JSON syntax; the format is described in README, "The local Cognito emulator".',
      cause,
    });
  }
  return parsePoolConfig(json, `config file ${path}`);
}

/** Token lifetimes of a client in seconds (Cognito defaults: 60 min id/access, 30 days refresh). */
export function tokenLifetimes(c: ClientConfig): { access: number; id: number; refresh: number } {
  const u = c.TokenValidityUnits;
  return {
    access: c.AccessTokenValidity === undefined ? 3600 : c.AccessTokenValidity * UNIT_SECONDS[u?.AccessToken ?? 'hours'],
    id: c.IdTokenValidity === undefined ? 3600 : c.IdTokenValidity * UNIT_SECONDS[u?.IdToken ?? 'hours'],
    refresh: c.RefreshTokenValidity === undefined ? 30 * 86400 : c.RefreshTokenValidity * UNIT_SECONDS[u?.RefreshToken ?? 'days'],
  };
}

// Loads and validates the configuration: the sources in the contract's order (collection auth block
// < .env < environment < Secrets Manager < CLI flags), one zod-checked pass, every problem at once.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import dotenv from 'dotenv';
// zod's v3 API (shipped inside zod 4) loads in ~25 ms against ~100 ms for v4: this module is on
// every command's start-up path, including the cache hit that must stay as fast as bare Newman.
import { z } from 'zod/v3';
import { CnError, isCnError, usageError, ExitCode } from '../errors.js';
import { createLogger, registerSecret, type Logger } from '../log.js';
import { checkSelectorProfile, PROFILE_FIELDS_HINT, type SelectorProfile } from './selector-profile.js';
import { federationProblems, userFederationProblems } from './federation.js';
import { usersFromEnv, namedUsers, userVariablePrefix, DEFAULT_USER } from '../secrets/env.js';
import { DEFAULTS, isConfigKey, isSecretKey, isUserKey, type ConfigKey } from './keys.js';
import { cognitoIssuer, isLoopbackHost, jwksUriFor, parseDomain, parsePoolId } from './domain.js';
import type { ClientAuth, Config, IdpConfig, IdpEndpoints, IdpLoginUi, LoginUi, ResponseType } from './types.js';
import { warnAboutDotenv } from './dotenv-hints.js';
import { IDP_LOGIN_UIS, IDP_LOGIN_UI_WORDS } from 'cognito-newman-common/idp-login-ui';

export interface ConfigSources {
  /** Default `process.env`. Only contract variables and `TEST_USER_*` names are read. */
  env?: NodeJS.ProcessEnv;
  /** Base for relative paths (.env, selector profile). Default `process.cwd()`. */
  cwd?: string;
  /** Default `<cwd>/.env` (a missing default file is fine; a missing named file is a problem). */
  /** Default <cwd>/.env (optional); a path (must exist); or false to read no .env at all (the demo). */
  envFile?: string | false;
  /** CLI flags: the highest source. */
  flags?: Partial<Record<ConfigKey, string>>;
  /** From the collection's OAuth 2.0 block (variables resolved): the lowest source. */
  collectionAuth?: Partial<Record<ConfigKey, string>>;
  /** AWS Secrets Manager look-up by secret name or ARN; sits between the environment and flags. */
  resolveSecret?: (secretId: string) => Promise<Record<string, string>>;
  /** The whole value of a secret (COGNITO_CLIENT_SECRET_ID). */
  resolveSecretString?: (secretId: string) => Promise<string>;
  /** Where the loud insecure-HTTP warning goes. Default: stderr. */
  logger?: Logger;
  /** A test user is needed (a sign-in): none configured is a problem listed with the others. */
  requireUser?: boolean;
}

/** Source names, lowest precedence first. This array IS the documented order. */
export const SOURCE_ORDER = ['collection auth block', '.env', 'environment', 'Secrets Manager', 'flags'] as const;
export type SourceName = (typeof SOURCE_ORDER)[number];

type Values = Record<string, string>;

interface Merged {
  values: Values;
  /** Which source each value came from, for messages such as "COGNITO_DOMAIN (from .env)". */
  origin: Record<string, SourceName>;
}

/** The one function that owns precedence: later sources in SOURCE_ORDER win, key by key. */
export function mergeSources(layers: Partial<Record<SourceName, Values>>): Merged {
  const values: Values = {};
  const origin: Record<string, SourceName> = {};
  for (const name of SOURCE_ORDER) {
    for (const [k, v] of Object.entries(layers[name] ?? {})) {
      values[k] = v;
      origin[k] = name;
    }
  }
  return { values, origin };
}

/**
 * Keep the names this tool reads, drop empty values (a blank `KEY=` in a .env template means "not
 * set", so it must not hide a lower source), and register secrets the moment they are read.
 */
function pick(input: Record<string, string | undefined> | undefined): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries(input ?? {})) {
    if (v === undefined || v.trim() === '' || !(isConfigKey(k) || isUserKey(k))) continue;
    if (isSecretKey(k)) registerSecret(v);
    out[k] = v.trim();
  }
  return out;
}

/** A problem is "<VARIABLE>: <what is wrong>"; the variable leads so the list reads per variable. */
class Problems {
  readonly list: { key: string; message: string }[] = [];
  constructor(private readonly origin: Record<string, SourceName>) {}
  add(key: string, message: string): void {
    const from = this.origin[key];
    this.list.push({ key, message: from && from !== 'environment' ? `${message} (from ${from})` : message });
  }
}

/** One message for every issue a schema raises itself (missing, wrong type, not in the enum). */
const msg = (message: string) => ({ errorMap: () => ({ message }) });

const httpUrl = (what: string) =>
  z.string().refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), {
    message: `must be an absolute https:// URL (${what})`,
  });

const positiveInt = (min: number, max: number) =>
  z.coerce
    .number(msg('must be a whole number'))
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` });

// One schema per variable, parsed one by one so every bad variable is reported, not just the first.
const FIELDS = {
  COGNITO_DOMAIN: z.string().optional(),
  COGNITO_CLIENT_ID: z.string(msg('required: the app client id of the user pool')).min(1),
  COGNITO_CLIENT_SECRET: z.string().optional(),
  COGNITO_CLIENT_AUTH: z
    .preprocess(
      (v) => (typeof v === 'string' ? ({ header: 'basic', client_secret_basic: 'basic', client_secret_post: 'body' }[v.toLowerCase()] ?? v.toLowerCase()) : v),
      z.enum(['basic', 'body'], msg('must be "basic" or "body"')),
    )
    .optional(),
  COGNITO_REDIRECT_URI: z
    .string()
    .refine((v) => URL.canParse(v) && !v.includes('#'), { message: 'must be an absolute URL without a fragment, registered on the app client' })
    .default(DEFAULTS.redirectUri),
  COGNITO_SCOPES: z
    .string()
    .default(DEFAULTS.scopes)
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .refine((a) => a.length > 0, { message: 'must list at least one scope' }),
  COGNITO_USER_POOL_ID: z
    .string()
    .refine((v) => tryParse(() => parsePoolId(v)), { message: 'is not a user pool id (expected <region>_<id>, e.g. us-east-1_AbC123)' })
    .optional(),
  COGNITO_ISSUER: httpUrl('the token issuer').optional(),
  COGNITO_LOGIN_UI: z
    .preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(['auto', 'classic', 'managed', 'custom'], msg('must be auto, classic, managed or custom')))
    .optional(),
  COGNITO_AUTH_URL: httpUrl('the authorize or /login URL').optional(),
  COGNITO_TOKEN_URL: httpUrl('the token endpoint').optional(),
  COGNITO_RESPONSE_TYPE: z
    .preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(['code', 'token'], msg('must be "code" or "token"')))
    .default('code'),
  COGNITO_SELECTOR_PROFILE: z.string().optional(),
  // Cognito's limits (CreateIdentityProvider): ProviderName 1-32 characters, identifiers 1-40.
  COGNITO_IDENTITY_PROVIDER: z.string().max(32, { message: 'must be an identity provider name of at most 32 characters (its ProviderName)' }).optional(),
  COGNITO_IDP_IDENTIFIER: z
    .string()
    .regex(/^[\w\s+=.@-]{1,40}$/, { message: 'must be an IdP identifier of at most 40 characters (letters, digits, spaces and + = . @ - _)' })
    .optional(),
  COGNITO_IDP_LOGIN_UI: z
    .preprocess(
      (v) => (typeof v === 'string' ? v.toLowerCase() : v),
      z.enum(IDP_LOGIN_UIS, msg(`must be ${IDP_LOGIN_UI_WORDS}`)),
    )
    .optional(),
  COGNITO_IDP_SELECTOR_PROFILE: z.string().optional(),
  COGNITO_INSECURE_ALLOW_HTTP: z
    .preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(['1', '0', 'true', 'false'], msg('must be 1 (or unset)')))
    .optional()
    .transform((v) => v === '1' || v === 'true'),
  COGNITO_NEWMAN_ARTIFACTS_DIR: z.string().default(DEFAULTS.artifactsDir),
  COGNITO_NEWMAN_CONCURRENCY: positiveInt(1, 64).default(DEFAULTS.concurrency),
  COGNITO_NEWMAN_LOGIN_TIMEOUT_MS: positiveInt(1000, 600_000).default(DEFAULTS.loginTimeoutMs),
  COGNITO_NEWMAN_TOKEN_DEADLINE_MS: positiveInt(100, 600_000).default(DEFAULTS.tokenDeadlineMs),
  COGNITO_NEWMAN_REQUEST_TIMEOUT_MS: positiveInt(100, 600_000).default(DEFAULTS.requestTimeoutMs),
  COGNITO_NEWMAN_API_TIMEOUT_MS: positiveInt(0, 3_600_000).default(DEFAULTS.apiRequestTimeoutMs),
  COGNITO_NEWMAN_CODE_TIMEOUT_MS: positiveInt(1000, 600_000).optional(),
  COGNITO_PASSKEY_RP_ID: z.string().regex(/^[A-Za-z0-9.-]+$/, { message: 'must be a domain name (the pool\'s WebAuthnConfiguration.RelyingPartyId)' }).optional(),
  API_TEST_COLLECTION: z.string().optional(),
  API_TEST_ENVIRONMENT: z.string().optional(),
} satisfies Partial<Record<ConfigKey, z.ZodType>>;

type Fields = { [K in keyof typeof FIELDS]?: z.output<(typeof FIELDS)[K]> };

function tryParse(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}

/**
 * Load the configuration from every source, validate it, and derive endpoints and issuer.
 * Throws one CnError CONFIG_INVALID (exit 2) that lists every problem found.
 */
export async function loadConfig(sources: ConfigSources = {}): Promise<Config> {
  const cwd = sources.cwd ?? process.cwd();
  const logger = sources.logger ?? createLogger('info');
  const early: { key: string; message: string }[] = [];

  const layers: Partial<Record<SourceName, Values>> = {
    'collection auth block': pick(sources.collectionAuth),
    '.env': readDotenv(cwd, sources.envFile, early, logger),
    environment: pick(sources.env ?? process.env),
    flags: pick(sources.flags),
  };
  // Secret ids may come from any source (flags included), so look them up in a merge without secrets.
  const withoutSecrets = mergeSources(layers).values;
  layers['Secrets Manager'] = {
    ...(await resolveSecrets(withoutSecrets, sources.resolveSecret, early)),
    ...(await resolveClientSecret(withoutSecrets, sources.resolveSecretString, early)),
  };

  const { values, origin } = mergeSources(layers);
  rebaseBlockUrls(values, origin);
  const problems = new Problems(origin);
  for (const p of early) problems.add(p.key, p.message);

  // Per-variable validation.
  const f: Fields = {};
  for (const [key, schema] of Object.entries(FIELDS) as [keyof typeof FIELDS, z.ZodType][]) {
    const r = schema.safeParse(values[key]);
    if (r.success) (f as Record<string, unknown>)[key] = r.data;
    else problems.add(key, isSecretKey(key) ? 'is invalid' : (r.error.issues[0]?.message ?? 'is invalid'));
  }

  const idp = deriveIdp(f, values, cwd, problems, logger);
  const { users, problems: userProblems } = usersFromEnv(values);
  for (const p of userProblems) {
    const i = p.indexOf(': ');
    problems.add(i > 0 ? p.slice(0, i) : 'TEST_USERS', i > 0 ? p.slice(i + 2) : p);
  }
  for (const u of users) {
    for (const p of userFederationProblems(userVariablePrefix(u.name), u, idp?.idpSelectorProfile)) problems.add(p.key, p.message);
  }
  if (sources.requireUser && users.length === 0 && !problems.list.some((p) => p.key.startsWith('TEST_USER'))) {
    const why = 'required: a test user signs in (or set TEST_USER_SECRET_ID, or name users in TEST_USERS)';
    problems.add('TEST_USER_USERNAME', why);
    problems.add('TEST_USER_PASSWORD', why);
  }

  if (problems.list.length > 0 || !idp) throw configError(problems.list);

  const config: Config = {
    idp,
    users,
    concurrency: f.COGNITO_NEWMAN_CONCURRENCY ?? DEFAULTS.concurrency,
    artifactsDir: resolve(cwd, f.COGNITO_NEWMAN_ARTIFACTS_DIR ?? DEFAULTS.artifactsDir),
    timeouts: {
      loginMs: f.COGNITO_NEWMAN_LOGIN_TIMEOUT_MS ?? DEFAULTS.loginTimeoutMs,
      tokenDeadlineMs: f.COGNITO_NEWMAN_TOKEN_DEADLINE_MS ?? DEFAULTS.tokenDeadlineMs,
      requestMs: f.COGNITO_NEWMAN_REQUEST_TIMEOUT_MS ?? DEFAULTS.requestTimeoutMs,
      apiRequestMs: f.COGNITO_NEWMAN_API_TIMEOUT_MS ?? DEFAULTS.apiRequestTimeoutMs,
    },
  };
  // Set only when configured: the driver's default (DEFAULTS.codeTimeoutMs) applies otherwise.
  if (f.COGNITO_NEWMAN_CODE_TIMEOUT_MS !== undefined) config.timeouts.codeMs = f.COGNITO_NEWMAN_CODE_TIMEOUT_MS;
  if (f.COGNITO_PASSKEY_RP_ID) config.passkeyRpId = f.COGNITO_PASSKEY_RP_ID.toLowerCase();
  if (f.API_TEST_COLLECTION || f.API_TEST_ENVIRONMENT) {
    config.apiTest = {};
    if (f.API_TEST_COLLECTION) config.apiTest.collection = f.API_TEST_COLLECTION;
    if (f.API_TEST_ENVIRONMENT) config.apiTest.environment = f.API_TEST_ENVIRONMENT;
  }
  return config;
}

/** A Secrets Manager failure as one configuration problem, keeping its fix (IAM action, region, key). */
function secretProblem(err: unknown): string {
  if (!isCnError(err)) return 'could not be read from Secrets Manager';
  const what = err.message.replace(/\.+$/, '');
  return err.hint ? `${what} (fix: ${err.hint.replace(/\.+$/, '')})` : what;
}

/**
 * The collection's OAuth 2.0 block names the domain the collection was written for. When a domain
 * is configured above it (.env, environment, flags), that domain wins, and the block's URLs keep
 * only their paths (so Postman's `<domain>/login` form still starts at /login).
 */
function rebaseBlockUrls(values: Values, origin: Partial<Record<string, SourceName>>): void {
  const block: SourceName = 'collection auth block';
  const domain = values.COGNITO_DOMAIN;
  if (!domain || origin.COGNITO_DOMAIN === block) return;
  let base: string;
  try {
    base = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(domain) ? domain : `https://${domain}`).origin;
  } catch {
    return; // reported by the domain's own validation
  }
  for (const key of ['COGNITO_AUTH_URL', 'COGNITO_TOKEN_URL'] as const) {
    const raw = values[key];
    if (!raw || origin[key] !== block) continue;
    try {
      const u = new URL(raw);
      values[key] = new URL(u.pathname + u.search, base).toString();
    } catch {
      // an unparsable block URL is reported by validation as it stands
    }
  }
}

function configError(list: { key: string; message: string }[]): CnError {
  const n = list.length || 1;
  const text = list.map((p) => `${p.key}: ${p.message.replace(/\.+$/, '')}`).join('; ');
  const details: Record<string, string> = {};
  for (const p of list) details[p.key] = details[p.key] ? `${details[p.key]}; ${p.message}` : p.message;
  return usageError('CONFIG_INVALID', `The configuration has ${n} problem${n === 1 ? '' : 's'}: ${text}.`, {
    hint: `Fix these in .env, the environment or the command-line flags (flags win over Secrets Manager, which wins over the environment, then .env, then the collection's OAuth 2.0 block); see .env.example.`,
    details,
  });
}

/** .env parsed into its own object (process.env is never touched); quiet so dotenv prints nothing. */
function readDotenv(cwd: string, envFile: string | false | undefined, problems: { key: string; message: string }[], logger: Logger): Values {
  if (envFile === false) return {};
  const path = envFile === undefined ? resolve(cwd, '.env') : isAbsolute(envFile) ? envFile : resolve(cwd, envFile);
  const target: Record<string, string> = {};
  const result = dotenv.config({ path, processEnv: target, quiet: true });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    // Only a file the user named is required to exist; the default .env is optional.
    if (!missing || envFile !== undefined) {
      problems.push({ key: 'envFile', message: `${path} ${missing ? 'does not exist' : `cannot be read (${result.error.message})`}` });
    }
    return {};
  }
  warnAboutDotenv(path, logger);
  return pick(target);
}

/** Secrets Manager values become the user's variables in their own layer (between env and flags). */
async function resolveSecrets(
  values: Values,
  resolveSecret: ConfigSources['resolveSecret'],
  problems: { key: string; message: string }[],
): Promise<Values> {
  const wanted: { user: string; key: string; id: string }[] = [];
  for (const user of [DEFAULT_USER, ...namedUsers(values.TEST_USERS)]) {
    const key = `${userVariablePrefix(user)}_SECRET_ID`;
    const id = values[key];
    if (id) wanted.push({ user, key, id });
  }
  if (wanted.length === 0) return {};
  if (!resolveSecret) {
    for (const w of wanted) problems.push({ key: w.key, message: 'is set, but AWS Secrets Manager support is not available in this command' });
    return {};
  }
  const settled = await Promise.allSettled(wanted.map((w) => resolveSecret(w.id)));
  const out: Values = {};
  for (const [i, r] of settled.entries()) {
    const w = wanted[i]!;
    if (r.status === 'rejected') {
      // An unreachable AWS is not a configuration problem: let its own exit code (4) through.
      if (isCnError(r.reason) && r.reason.exitCode !== ExitCode.Usage) throw r.reason;
      problems.push({ key: w.key, message: secretProblem(r.reason) });
      continue;
    }
    const secret = normaliseSecretFields(r.value);
    const p = userVariablePrefix(w.user);
    registerSecret(secret.password);
    registerSecret(secret.totpSecret);
    registerSecret(secret.passkey);
    registerSecret(secret.codeSourcePassword);
    if (!secret.username || !(secret.password || secret.passkey || secret.codeSource)) {
      problems.push({ key: w.key, message: `secret "${w.id}" must hold {"username","password"} (and optionally "totpSecret"), or a passwordless user's {"username","passkey"} or {"username","codeSource"}` });
    }
    if (secret.username) out[`${p}_USERNAME`] = secret.username;
    if (secret.password) out[`${p}_PASSWORD`] = secret.password;
    if (secret.totpSecret) out[`${p}_TOTP_SECRET`] = secret.totpSecret;
    if (secret.passkey) out[`${p}_PASSKEY`] = secret.passkey;
    if (secret.codeSource) out[`${p}_CODE_SOURCE`] = secret.codeSource;
    if (secret.codeSourcePassword) out[`${p}_CODE_SOURCE_PASSWORD`] = secret.codeSourcePassword;
    if (secret.signInFactor) out[`${p}_SIGN_IN_FACTOR`] = secret.signInFactor;
  }
  return out;
}

/** COGNITO_CLIENT_SECRET_ID: the app client secret from Secrets Manager, plain or as JSON {"clientSecret"}. */
async function resolveClientSecret(
  values: Values,
  resolveString: ConfigSources['resolveSecretString'],
  problems: { key: string; message: string }[],
): Promise<Values> {
  const id = values.COGNITO_CLIENT_SECRET_ID;
  if (!id) return {};
  if (!resolveString) {
    problems.push({ key: 'COGNITO_CLIENT_SECRET_ID', message: 'is set, but AWS Secrets Manager support is not available in this command' });
    return {};
  }
  let raw: string;
  try {
    raw = await resolveString(id);
  } catch (err) {
    if (isCnError(err) && err.exitCode !== ExitCode.Usage) throw err;
    problems.push({ key: 'COGNITO_CLIENT_SECRET_ID', message: secretProblem(err) });
    return {};
  }
  let secret = raw.trim();
  if (secret.startsWith('{')) {
    try {
      const json = JSON.parse(secret) as Record<string, unknown>;
      const found = json.clientSecret ?? json.client_secret ?? json.COGNITO_CLIENT_SECRET;
      secret = typeof found === 'string' ? found : '';
    } catch {
      secret = '';
    }
    if (!secret) problems.push({ key: 'COGNITO_CLIENT_SECRET_ID', message: `secret "${id}" is JSON without a "clientSecret" key` });
  }
  registerSecret(secret);
  return secret ? { COGNITO_CLIENT_SECRET: secret } : {};
}

type SecretFields = { username?: string; password?: string; totpSecret?: string; passkey?: string; codeSource?: string; codeSourcePassword?: string; signInFactor?: string };

function normaliseSecretFields(raw: Record<string, string>): SecretFields {
  const by = new Map(Object.entries(raw).map(([k, v]) => [k.toLowerCase().replace(/[^a-z]/g, ''), typeof v === 'string' ? v : undefined]));
  const out: SecretFields = {};
  for (const [field, key] of [['passkey', 'passkey'], ['codeSource', 'codesource'], ['codeSourcePassword', 'codesourcepassword'], ['signInFactor', 'signinfactor']] as const) {
    const v = by.get(key);
    if (v) out[field] = v;
  }
  const username = by.get('username');
  const password = by.get('password');
  const totp = by.get('totpsecret') ?? by.get('totp');
  if (username) out.username = username;
  if (password) out.password = password;
  if (totp) out.totpSecret = totp;
  return out;
}

/** Parse the domain and pool id once and derive every endpoint, the issuer and the JWKS URI. */
function deriveIdp(f: Fields, values: Values, cwd: string, problems: Problems, logger: Logger): IdpConfig | undefined {
  const allowInsecureHttp = f.COGNITO_INSECURE_ALLOW_HTTP ?? false;

  // The domain: COGNITO_DOMAIN, else the origin of the auth or token URL (a Postman block has those).
  let origin: string | undefined;
  let domainRegion: string | undefined;
  const rawDomain = values.COGNITO_DOMAIN;
  if (rawDomain) {
    const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(rawDomain);
    const withScheme = hasScheme ? rawDomain : `https://${rawDomain}`;
    const schemelessHost = hasScheme ? undefined : rawDomain.split(/[/:]/, 1)[0] ?? '';
    if (schemelessHost !== undefined && (isLoopbackHost(schemelessHost) || /^[^/]+:\d+/.test(rawDomain))) {
      // A bare Cognito host gets https:// (what Cognito serves); a port or a loopback host is most
      // likely the local emulator, which speaks plain http: guessing would end in a TLS error.
      problems.add('COGNITO_DOMAIN', `"${rawDomain}" has no scheme; write http://${rawDomain} (the local emulator speaks plain http) or https://${rawDomain}`);
    } else {
      try {
        const d = parseDomain(withScheme);
        const path = new URL(withScheme).pathname;
        if (path !== '/' && path !== '') {
          problems.add('COGNITO_DOMAIN', `must be just the domain (https://<host>), not a URL with the path "${path}"; put a full /login or /oauth2/authorize URL in COGNITO_AUTH_URL instead`);
        } else {
          origin = d.origin;
          domainRegion = d.region;
        }
      } catch {
        problems.add('COGNITO_DOMAIN', 'is not a URL (expected https://<prefix>.auth.<region>.amazoncognito.com or https://<custom-domain>)');
      }
    }
  } else if (f.COGNITO_AUTH_URL ?? f.COGNITO_TOKEN_URL) {
    origin = new URL((f.COGNITO_AUTH_URL ?? f.COGNITO_TOKEN_URL)!).origin;
  } else if (!problems.list.some((p) => p.key === 'COGNITO_AUTH_URL' || p.key === 'COGNITO_TOKEN_URL')) {
    problems.add('COGNITO_DOMAIN', 'required: the user pool domain, https://<prefix>.auth.<region>.amazoncognito.com or your custom domain');
  }

  let poolRegion: string | undefined;
  if (f.COGNITO_USER_POOL_ID) poolRegion = parsePoolId(f.COGNITO_USER_POOL_ID).region;
  const issuer = (f.COGNITO_ISSUER ?? (f.COGNITO_USER_POOL_ID ? cognitoIssuer(f.COGNITO_USER_POOL_ID) : undefined))?.replace(/\/+$/, '');

  // HTTPS only, except loopback (the emulator) or the loud opt-in.
  const insecure: string[] = [];
  const checkScheme = (key: ConfigKey, url: string | undefined) => {
    if (!url || !URL.canParse(url)) return;
    const u = new URL(url);
    if (u.protocol === 'https:' || isLoopbackHost(u.hostname)) return;
    if (allowInsecureHttp) insecure.push(`${key}=${u.origin}`);
    else problems.add(key, `uses ${u.protocol}// on a non-loopback host (${u.host}); use https://, or set COGNITO_INSECURE_ALLOW_HTTP=1 to allow it (credentials and tokens then cross the network unencrypted)`);
  };
  checkScheme('COGNITO_DOMAIN', origin);
  checkScheme('COGNITO_AUTH_URL', f.COGNITO_AUTH_URL);
  checkScheme('COGNITO_TOKEN_URL', f.COGNITO_TOKEN_URL);
  checkScheme('COGNITO_ISSUER', f.COGNITO_ISSUER);
  // Loud whenever the opt-in is on, so it cannot sit forgotten in a .env.
  if (allowInsecureHttp) {
    logger.warn(
      insecure.length > 0
        ? `INSECURE: COGNITO_INSECURE_ALLOW_HTTP=1 lets passwords, codes and tokens travel over plain HTTP to ${insecure.join(', ')}. Never use this against a real user pool.`
        : 'INSECURE: COGNITO_INSECURE_ALLOW_HTTP=1 is set (no endpoint uses plain http:// right now); remove it unless you need it.',
    );
  }

  const selectorProfile = readSelectorProfile(f.COGNITO_SELECTOR_PROFILE, cwd, problems);
  const idpSelectorProfile = readSelectorProfile(f.COGNITO_IDP_SELECTOR_PROFILE, cwd, problems, 'COGNITO_IDP_SELECTOR_PROFILE');
  const idpLoginUi: IdpLoginUi | undefined = f.COGNITO_IDP_LOGIN_UI ?? (idpSelectorProfile ? 'custom' : undefined);
  for (const p of federationProblems({ identityProvider: f.COGNITO_IDENTITY_PROVIDER, idpIdentifier: f.COGNITO_IDP_IDENTIFIER, idpLoginUi, idpSelectorProfile, urls: { COGNITO_DOMAIN: origin, COGNITO_AUTH_URL: f.COGNITO_AUTH_URL, COGNITO_TOKEN_URL: f.COGNITO_TOKEN_URL } })) {
    if (!problems.list.some((q) => q.key === p.key)) problems.add(p.key, p.message);
  }
  const loginUi: LoginUi = f.COGNITO_LOGIN_UI ?? (selectorProfile ? 'custom' : 'auto');
  if (loginUi === 'custom' && !selectorProfile && !problems.list.some((p) => p.key === 'COGNITO_SELECTOR_PROFILE')) {
    problems.add('COGNITO_LOGIN_UI', '"custom" needs COGNITO_SELECTOR_PROFILE (a JSON file path or inline JSON with username, password and submit selectors)');
  }

  if (!origin || !f.COGNITO_CLIENT_ID || !f.COGNITO_REDIRECT_URI || !f.COGNITO_SCOPES || !f.COGNITO_RESPONSE_TYPE) return undefined;

  // Postman's setup guide uses https://<domain>/login as the Auth URL: start there, as it does.
  const authUrl = f.COGNITO_AUTH_URL;
  const startsAtLogin = authUrl !== undefined && /\/login\/?$/.test(new URL(authUrl).pathname);
  const endpoints: IdpEndpoints = {
    authorize: authUrl && !startsAtLogin ? authUrl : `${origin}/oauth2/authorize`,
    login: authUrl && startsAtLogin ? authUrl : `${origin}/login`,
    token: f.COGNITO_TOKEN_URL ?? `${origin}/oauth2/token`,
    revoke: `${origin}/oauth2/revoke`,
    userInfo: `${origin}/oauth2/userInfo`,
    logout: `${origin}/logout`,
  };

  const clientSecret = f.COGNITO_CLIENT_SECRET;
  // A public client sends client_id in the body whatever this says; "body" records that truthfully.
  const clientAuth: ClientAuth = f.COGNITO_CLIENT_AUTH ?? (clientSecret ? 'basic' : 'body');
  const region = poolRegion ?? domainRegion;

  const idp: IdpConfig = {
    domain: origin,
    endpoints,
    authStart: startsAtLogin ? 'login' : 'authorize',
    clientId: f.COGNITO_CLIENT_ID,
    clientAuth,
    redirectUri: f.COGNITO_REDIRECT_URI,
    scopes: f.COGNITO_SCOPES,
    responseType: f.COGNITO_RESPONSE_TYPE as ResponseType,
    loginUi,
    allowInsecureHttp,
  };
  if (clientSecret) idp.clientSecret = clientSecret;
  if (f.COGNITO_USER_POOL_ID) idp.userPoolId = f.COGNITO_USER_POOL_ID;
  if (region) idp.region = region;
  if (issuer) {
    idp.issuer = issuer;
    idp.jwksUri = jwksUriFor(issuer);
  }
  if (selectorProfile) idp.selectorProfile = selectorProfile;
  if (f.COGNITO_IDENTITY_PROVIDER) idp.identityProvider = f.COGNITO_IDENTITY_PROVIDER;
  if (f.COGNITO_IDP_IDENTIFIER) idp.idpIdentifier = f.COGNITO_IDP_IDENTIFIER;
  if (idpLoginUi) idp.idpLoginUi = idpLoginUi;
  if (idpSelectorProfile) idp.idpSelectorProfile = idpSelectorProfile;
  return idp;
}

/** A selector profile is inline JSON (starts with "{") or a path to a JSON file, relative to cwd. */
function readSelectorProfile(
  value: string | undefined,
  cwd: string,
  problems: Problems,
  key: 'COGNITO_SELECTOR_PROFILE' | 'COGNITO_IDP_SELECTOR_PROFILE' = 'COGNITO_SELECTOR_PROFILE',
): SelectorProfile | undefined {
  if (!value) return undefined;
  let text = value;
  if (!value.trimStart().startsWith('{')) {
    const path = resolve(cwd, value);
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      problems.add(key, `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      return undefined;
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    problems.add(key, 'is not valid JSON');
    return undefined;
  }
  const checked = checkSelectorProfile(json);
  if (checked.problems) {
    problems.add(key, `is not a valid selector profile: ${checked.problems.join('; ')} (fields: ${PROFILE_FIELDS_HINT})`);
    return undefined;
  }
  return checked.profile;
}

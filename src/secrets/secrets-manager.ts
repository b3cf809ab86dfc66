// Test-user credentials and client secrets from AWS Secrets Manager (GetSecretValue), each secret
// fetched once per resolver, every value registered for redaction, SDK errors turned into CnErrors.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { idpFailure, isCnError, usageError, type CnError } from '../errors.js';
import { registerSecret, silentLogger, type Logger } from '../log.js';

/**
 * Which JSON keys of a secret hold the credentials.
 *
 * Configured with `TEST_USER_SECRET_KEYS`, a JSON object naming any of the three, e.g.
 * `TEST_USER_SECRET_KEYS={"username":"user","password":"pass","totpSecret":"mfa"}`; keys it does
 * not name keep their defaults. A JSON map was chosen over a positional `a:b:c` list because it is
 * self-describing, allows overriding one key alone, and key names may themselves contain colons.
 */
export interface SecretKeyNames {
  username: string;
  password: string;
  totpSecret: string;
}

export const DEFAULT_SECRET_KEY_NAMES: Readonly<SecretKeyNames> = Object.freeze({
  username: 'username',
  password: 'password',
  totpSecret: 'totpSecret',
});

/** The env variable read by {@link secretKeyNamesFromEnv}. */
export const SECRET_KEYS_ENV = 'TEST_USER_SECRET_KEYS';

export interface SecretResolver {
  /** The secret's string value parsed as a flat JSON object; non-string leaves are stringified. */
  getJson(secretId: string): Promise<Record<string, string>>;
  /** The secret's raw string value (a binary secret is decoded as UTF-8). */
  getString(secretId: string): Promise<string>;
}

export interface SecretsManagerResolverOptions {
  /**
   * Read for the region (`AWS_REGION`, `AWS_DEFAULT_REGION`) only. The SDK itself reads
   * credentials (default chain) and `AWS_ENDPOINT_URL_SECRETS_MANAGER` / `AWS_ENDPOINT_URL` from
   * `process.env` and the shared AWS config files, so those must be in `process.env`.
   */
  env?: NodeJS.ProcessEnv;
  /** Used for every secret as is (its own region and endpoint); otherwise one client per region. */
  client?: SecretsManagerClient;
  logger?: Logger;
}

interface ParsedArn {
  partition: string;
  region: string;
  accountId: string;
  name: string;
}

// arn:<partition>:secretsmanager:<region>:<account>:secret:<name>[-<6 random chars>]
const ARN_RE = /^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)$/;

/** Parse a Secrets Manager secret ARN; undefined for a plain name. */
export function parseSecretArn(secretId: string): ParsedArn | undefined {
  const m = ARN_RE.exec(secretId);
  if (!m) return undefined;
  return { partition: m[1]!, region: m[2]!, accountId: m[3]!, name: m[4]! };
}

/**
 * The region to ask for `secretId`: an ARN's own region wins (the secret lives only there), then
 * `AWS_REGION`, then `AWS_DEFAULT_REGION` (the CLI's name, which SDK v3 ignores). Undefined leaves
 * the choice to the SDK (the profile's `region` in ~/.aws/config).
 */
export function regionForSecret(secretId: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return parseSecretArn(secretId)?.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
}

/** Key names from `TEST_USER_SECRET_KEYS` (see {@link SecretKeyNames}), defaults when unset. */
export function secretKeyNamesFromEnv(env: NodeJS.ProcessEnv = process.env): SecretKeyNames {
  const raw = env[SECRET_KEYS_ENV]?.trim();
  if (!raw) return { ...DEFAULT_SECRET_KEY_NAMES };
  const invalid = () =>
    usageError('SECRET_KEYS_INVALID', `${SECRET_KEYS_ENV} is not a JSON object of key names.`, {
      hint: `Set it like ${SECRET_KEYS_ENV}={"username":"user","password":"pass","totpSecret":"mfa"} (any subset), or unset it for the defaults username, password, totpSecret.`,
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalid();
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid();
  const out: SecretKeyNames = { ...DEFAULT_SECRET_KEY_NAMES };
  for (const [k, v] of Object.entries(parsed)) {
    if (!(k in out) || typeof v !== 'string' || !v) throw invalid();
    out[k as keyof SecretKeyNames] = v;
  }
  return out;
}

/**
 * A resolver that reads secrets with `secretsmanager:GetSecretValue`. Each secret id is fetched at
 * most once per resolver, also when asked concurrently (the in-flight promise is shared); a failed
 * fetch is forgotten so a later call may try again. Values are registered as secrets before any
 * caller sees them and are never logged.
 */
export function createSecretsManagerResolver(options: SecretsManagerResolverOptions = {}): SecretResolver {
  const env = options.env ?? process.env;
  const logger = options.logger ?? silentLogger;
  const clients = new Map<string, SecretsManagerClient>();
  const strings = new Map<string, Promise<string>>();
  const jsons = new Map<string, Promise<Record<string, string>>>();

  const clientFor = (region: string | undefined): SecretsManagerClient => {
    if (options.client) return options.client;
    const k = region ?? '';
    let c = clients.get(k);
    if (!c) {
      silenceNodeVersionWarning();
      c = new SecretsManagerClient(region ? { region } : {});
      clients.set(k, c);
    }
    return c;
  };

  const fetchString = async (secretId: string): Promise<string> => {
    const client = clientFor(regionForSecret(secretId, env));
    logger.debug(`reading secret ${secretId} from AWS Secrets Manager`);
    let out;
    try {
      out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    } catch (err) {
      throw mapSecretsManagerError(err, { secretId, region: await clientRegion(client) });
    }
    const value =
      out.SecretString ?? (out.SecretBinary ? Buffer.from(out.SecretBinary).toString('utf8') : undefined);
    if (value === undefined) {
      throw usageError('SECRET_EMPTY', `Secret ${secretId} has no current value (AWSCURRENT).`, {
        hint: 'Store a value in the secret, e.g. aws secretsmanager put-secret-value --secret-id <id> --secret-string file://secret.json.',
        details: { secretId },
      });
    }
    // A JSON secret is masked in a GitHub Actions log field by field (never as its raw, often
    // multi-line text), all but the username: no secret, and it must stay readable.
    registerSecret(value, { publicKeys: [usernameKey()] });
    return value;
  };

  const usernameKey = (): string => {
    try {
      return secretKeyNamesFromEnv(env).username;
    } catch {
      // a bad key-name setting is reported by credentialsFromSecret's caller
      return DEFAULT_SECRET_KEY_NAMES.username;
    }
  };

  const memo = <T>(map: Map<string, Promise<T>>, id: string, load: () => Promise<T>): Promise<T> => {
    let p = map.get(id);
    if (!p) {
      p = load();
      map.set(id, p);
      p.catch(() => map.delete(id));
    }
    return p;
  };

  const getString = (secretId: string) => memo(strings, secretId, () => fetchString(secretId));
  const getJson = (secretId: string) =>
    memo(jsons, secretId, async () => {
      const json = parseSecretJson(secretId, await getString(secretId));
      // Registered the moment they are fetched, all but the username: no secret, and it must stay
      // readable in reports (a user "admin" would otherwise blank every "admin" in a collection).
      const username = usernameKey();
      for (const [k, v] of Object.entries(json)) if (k !== username) registerSecret(v);
      return json;
    });
  return { getString, getJson };
}

/**
 * The test user's credentials from a JSON secret (`{"username","password","totpSecret"}` unless
 * `keys` says otherwise). Username and password are required; the TOTP secret is optional.
 */
export async function credentialsFromSecret(
  resolver: Pick<SecretResolver, 'getJson'>,
  secretId: string,
  keys: SecretKeyNames = DEFAULT_SECRET_KEY_NAMES,
): Promise<{ username: string; password?: string; totpSecret?: string; passkey?: string; codeSource?: string; codeSourcePassword?: string; signInFactor?: string }> {
  const json = await resolver.getJson(secretId);
  // Everything in the secret but the username is treated as secret (an extra field may be a recovery code).
  for (const [k, v] of Object.entries(json)) if (k !== keys.username) registerSecret(v);
  const required = (field: 'username' | 'password'): string => {
    const v = json[keys[field]];
    if (v) return v;
    const present = Object.keys(json);
    throw usageError('SECRET_KEY_MISSING', `Secret ${secretId} has no non-empty "${keys[field]}" key (the ${field}).`, {
      hint:
        `Add "${keys[field]}" to the secret's JSON, or name the key that holds the ${field} with ${SECRET_KEYS_ENV}` +
        ` (the secret has keys: ${present.length ? present.map((k) => `"${k}"`).join(', ') : 'none'}).`,
      details: { secretId, key: keys[field] },
    });
  };
  const username = required('username');
  // A passwordless user's secret holds a passkey (the output of `passkey enroll`) or names where
  // its one-time codes arrive instead of a password (issue 18).
  const passkey = json.passkey || undefined;
  const codeSource = json.codeSource || undefined;
  const password = passkey || codeSource ? json[keys.password] || undefined : required('password');
  const totpSecret = json[keys.totpSecret] || undefined;
  const extra = {
    ...(passkey ? { passkey } : {}),
    ...(codeSource ? { codeSource } : {}),
    ...(json.codeSourcePassword ? { codeSourcePassword: json.codeSourcePassword } : {}),
    ...(json.signInFactor ? { signInFactor: json.signInFactor } : {}),
  };
  return { username, ...(password ? { password } : {}), ...(totpSecret ? { totpSecret } : {}), ...extra };
}

// ---------------------------------------------------------------------------------------------

function parseSecretJson(secretId: string, value: string): Record<string, string> {
  const notJson = (what: string) =>
    // No cause and no parser message: JSON.parse quotes the input, which is the secret.
    usageError('SECRET_NOT_JSON', `Secret ${secretId} is ${what}.`, {
      hint: 'Store the credentials as a JSON object, e.g. {"username":"...","password":"...","totpSecret":"..."} (in the console: Secret type "Other", key/value pairs).',
      details: { secretId },
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw notJson('not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw notJson('JSON but not an object');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (v === null || v === undefined) continue;
    const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    // Registered by the caller, which knows which key holds the username (no secret).
    out[k] = s;
  }
  return out;
}

async function clientRegion(client: SecretsManagerClient): Promise<string | undefined> {
  try {
    return await client.config.region();
  } catch {
    return undefined;
  }
}

/** The AWS SDK's errors as seen here: a `name`, sometimes a `$fault`, a Node `code` for sockets. */
interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);
const INVALID_CREDENTIAL_NAMES = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredTokenException',
  'ExpiredToken',
  'IncompleteSignature',
]);

/**
 * Turn an error from `GetSecretValue` into a CnError. Classified by the SDK's error `name`
 * (the service's `__type`), which is stable, never by message, except where AWS gives one name
 * to two causes (AccessDeniedException for IAM and for KMS key policies; "Region is missing").
 * Messages name the secret, region, key and IAM action, never a value.
 */
export function mapSecretsManagerError(err: unknown, ctx: { secretId: string; region?: string }): CnError {
  if (isCnError(err)) return err;
  const e = (err ?? {}) as SdkErrorShape;
  const name = e.name ?? '';
  const message = typeof e.message === 'string' ? e.message : '';
  const { secretId } = ctx;
  const region = ctx.region ? `region ${ctx.region}` : 'the default region';
  const arn = parseSecretArn(secretId);
  const resource = arn ? secretId : `arn:aws:secretsmanager:${ctx.region ?? '<region>'}:<account>:secret:${secretId}-*`;
  const details = { secretId, region: ctx.region, awsError: name || undefined, httpStatus: e.$metadata?.httpStatusCode };
  const opts = (hint: string) => ({ hint, details, cause: err });

  const kms = /\bKMS\b|kms:/i.test(message);
  if (name === 'DecryptionFailure' || name.startsWith('KMS') || (name === 'AccessDeniedException' && kms)) {
    return usageError(
      'SECRET_KMS_DENIED',
      `Secrets Manager could not decrypt secret ${secretId} in ${region}: the caller may not use the secret's KMS key.`,
      opts(
        `Allow kms:Decrypt on the secret's KMS key (the key policy or an IAM policy, usually with the condition kms:ViaService=secretsmanager.${ctx.region ?? '<region>'}.amazonaws.com), and check that the key is enabled.`,
      ),
    );
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied') {
    return usageError(
      'SECRET_ACCESS_DENIED',
      `Access to secret ${secretId} in ${region} was denied.`,
      opts(
        `Allow the action secretsmanager:GetSecretValue on ${resource} for the AWS identity in use (its IAM policy, or the secret's resource policy), and check that no SCP or permission boundary denies it.`,
      ),
    );
  }
  if (name === 'ResourceNotFoundException') {
    return usageError(
      'SECRET_NOT_FOUND',
      `Secret ${secretId} was not found in ${region}.`,
      opts(
        arn
          ? 'Check the ARN (copy it from the console or `aws secretsmanager describe-secret`), and that the AWS account in use is the one that owns the secret.'
          : 'Check the name and the region (set AWS_REGION, or give the full secret ARN, whose region wins), and that the AWS account in use owns the secret.',
      ),
    );
  }
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return usageError(
      'AWS_CREDENTIALS_MISSING',
      `No AWS credentials were found to read secret ${secretId}.`,
      opts(
        'Provide them the usual AWS ways: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN), or AWS_PROFILE with ~/.aws/config (run `aws sso login` for SSO profiles); in GitHub Actions use OIDC with aws-actions/configure-aws-credentials (permissions: id-token: write).',
      ),
    );
  }
  if (INVALID_CREDENTIAL_NAMES.has(name)) {
    return usageError(
      'AWS_CREDENTIALS_INVALID',
      `AWS rejected the credentials in use while reading secret ${secretId} (${name}).`,
      opts('Refresh them: expired session tokens need a new `aws sso login` or role assumption; check that the access key is active and the clock is right.'),
    );
  }
  if (/region is missing/i.test(message)) {
    return usageError(
      'AWS_REGION_MISSING',
      `No AWS region is known for secret ${secretId}.`,
      opts('Set AWS_REGION (e.g. AWS_REGION=eu-west-1), give the secret as a full ARN, or set region in the AWS profile.'),
    );
  }
  if (NETWORK_CODES.has(e.code ?? '') || NETWORK_NAMES.has(name) || isNetworkCause(err)) {
    return idpFailure(
      'SECRETS_MANAGER_UNREACHABLE',
      `Could not reach AWS Secrets Manager in ${region} to read secret ${secretId} (${e.code ?? name}).`,
      opts('Check network access to secretsmanager.<region>.amazonaws.com (proxy, VPC endpoint), or AWS_ENDPOINT_URL_SECRETS_MANAGER if it is set, then run again.'),
    );
  }
  if (name === 'InvalidRequestException' || name === 'InvalidParameterException' || name === 'ValidationException') {
    return usageError(
      'SECRET_UNAVAILABLE',
      `Secrets Manager refused to return secret ${secretId}: ${message || name}`,
      opts('The secret may be scheduled for deletion or the id malformed; restore it or fix TEST_USER_SECRET_ID.'),
    );
  }
  // An answer the SDK could not parse (moto and some proxies send IAM's XML error to a JSON
  // service): a 401/403 still means the identity in use may not read the secret.
  const status = e.$metadata?.httpStatusCode;
  if ((status === 401 || status === 403) && (name === 'SyntaxError' || /deserializ/i.test(message) || !name)) {
    return usageError(
      'SECRET_ACCESS_DENIED',
      `AWS refused to read secret ${secretId} in ${region} (HTTP ${status}): the AWS identity in use is not allowed to, or its credentials are not valid.`,
      opts(
        `Allow the action secretsmanager:GetSecretValue on ${resource} for that identity (its IAM policy, or the secret's resource policy), and check which credentials are in use (aws sts get-caller-identity).`,
      ),
    );
  }
  if (e.$fault === 'client') {
    return usageError(
      'SECRET_READ_FAILED',
      `Reading secret ${secretId} in ${region} failed: ${name}${message ? `: ${message}` : ''}`,
      opts('Check the secret id, region and the permissions of the AWS identity in use.'),
    );
  }
  return idpFailure(
    'SECRETS_MANAGER_FAILED',
    `AWS Secrets Manager failed to return secret ${secretId} in ${region} (${name || 'unknown error'}).`,
    opts('This is usually temporary (throttling or a service error); run again, and check the AWS Health Dashboard if it persists.'),
  );
}

function isNetworkCause(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } } | undefined)?.cause;
  return !!cause && NETWORK_CODES.has(cause.code ?? '');
}

// The SDK warns on every Node 20 process that *future* SDK releases will need Node 22. The SDK is
// pinned here, so the warning is noise on stderr for every user; honour an explicit setting.
function silenceNodeVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

// What the library entry points share (src/index.ts and the Playwright fixture): options of the
// configuration sources, the public token shape, and the boundary where errors lose any secret.
// Internal: not in the package's exports map.
import { CnError, ExitCode, isCnError } from './errors.js';
import { createLogger, enableGithubMasking, redact, silentLogger, type Logger, type LogLevel } from './log.js';
import type { TokenSet } from './oauth/types.js';

/** Where the configuration comes from: the CLI's sources, in the CLI's order (.env < environment < Secrets Manager < `settings`). */
export interface ConfigOptions {
  /**
   * Configuration variables by their documented names (`COGNITO_DOMAIN`, `TEST_USERS`,
   * `TEST_USER_ADMIN_SECRET_ID`, ...): the highest layer, as CLI flags are. Passwords may be given
   * here too (code is not a command line), but a `.env` or Secrets Manager keeps them out of code.
   */
  settings?: Record<string, string>;
  /** Read instead of `process.env` (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** A dotenv file to read (default `./.env` when it exists). */
  envFile?: string;
  /**
   * The token cache: on by default except in CI (`CI=true`), exactly as for the CLI; `false` is
   * `--no-cache`. `marginSeconds`: reuse a cached access token only with this much life left (600).
   */
  cache?: boolean | { marginSeconds?: number };
  /** Progress and warnings (stderr): a Logger, or a level. Default silent. */
  logger?: Logger | LogLevel;
}

/** One user's tokens. */
export interface CognitoTokens {
  /** `default` for TEST_USER_*, else the lower-case name from TEST_USERS. */
  user: string;
  accessToken: string;
  /** Present when the scopes include `openid`. */
  idToken?: string;
  /** Absent for the implicit grant. */
  refreshToken?: string;
  tokenType: string;
  /** When the access token expires. */
  expiresAt: Date;
  scope?: string;
}

let masking = false;
/** In GitHub Actions, as the CLI does: every secret is announced with ::add-mask:: the moment it is learnt. */
function maskOnGithub(env: NodeJS.ProcessEnv): void {
  if (masking || env.GITHUB_ACTIONS !== 'true') return;
  masking = true;
  enableGithubMasking();
}

export function configRequest(options: ConfigOptions): { flags: Record<string, unknown>; logger: Logger; settings?: Record<string, string>; env?: NodeJS.ProcessEnv } {
  const cache = options.cache;
  const flags: Record<string, unknown> = {
    ...(options.envFile ? { envFile: options.envFile } : {}),
    ...(cache === false ? { cache: false } : {}),
    ...(typeof cache === 'object' && cache.marginSeconds !== undefined ? { cacheMargin: String(cache.marginSeconds) } : {}),
  };
  const logger = typeof options.logger === 'object' ? options.logger : options.logger ? createLogger(options.logger) : silentLogger;
  maskOnGithub(options.env ?? process.env);
  return { flags, logger, ...(options.settings ? { settings: options.settings } : {}), ...(options.env ? { env: options.env } : {}) };
}

export function toPublic(user: string, t: TokenSet): CognitoTokens {
  return {
    user,
    accessToken: t.accessToken,
    ...(t.idToken ? { idToken: t.idToken } : {}),
    ...(t.refreshToken ? { refreshToken: t.refreshToken } : {}),
    tokenType: t.tokenType,
    expiresAt: new Date(t.accessTokenExpiresAt),
    ...(t.scope ? { scope: t.scope } : {}),
  };
}

export function fromPublic(t: CognitoTokens): { name: string; tokens: TokenSet } {
  const expiresAt = t.expiresAt.getTime();
  return {
    name: t.user,
    tokens: {
      accessToken: t.accessToken,
      ...(t.idToken ? { idToken: t.idToken } : {}),
      ...(t.refreshToken ? { refreshToken: t.refreshToken } : {}),
      tokenType: t.tokenType,
      expiresIn: Math.max(0, Math.round((expiresAt - Date.now()) / 1000)),
      accessTokenExpiresAt: expiresAt,
      ...(t.scope ? { scope: t.scope } : {}),
    },
  };
}

/** Run a library call; whatever it throws leaves as a CnError with every registered secret masked. */
export async function asLibraryCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toLibraryError(err);
  }
}

/**
 * The error a library user sees: the CLI's code, exit code and hint, message and hint redacted, and
 * the cause reduced to a redacted one-line description (a third-party error may quote a request).
 */
export function toLibraryError(err: unknown): CnError {
  const cause = err instanceof CnError ? err.cause : err;
  const causeText = cause === undefined ? undefined : redact(cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause));
  const safeCause = causeText === undefined ? {} : { cause: new Error(causeText) };
  if (isCnError(err)) {
    const details = Object.fromEntries(Object.entries(err.details).map(([k, v]) => [k, typeof v === 'string' ? redact(v) : v]));
    const out = new CnError(err.code, err.exitCode, redact(err.message), { ...(err.hint ? { hint: redact(err.hint) } : {}), details, ...safeCause });
    return out;
  }
  const msg = redact(err instanceof Error ? err.message : String(err));
  return new CnError('UNEXPECTED', ExitCode.IdpFailure, `${msg}.`, { hint: 'This is a bug in cognito-newman; please report it.', ...safeCause });
}

// The public library API (`import { getTokens, runCollection } from 'cognito-newman'`): a thin layer
// over the functions the CLI's `token` and `run` commands call, with the same configuration
// sources, token cache, refresh and errors. Errors leave as CnError with the CLI's code, exit code
// and hint, and with every known secret masked.
import { signIn } from './session/sign-in.js';
import { executeRun } from './session/run.js';
import { CnError, ExitCode, isCnError, usageError } from './errors.js';
import type { Logger, LogLevel } from './log.js';
import { asLibraryCall, configRequest, fromPublic, toPublic, type CognitoTokens, type ConfigOptions } from './library.js';
import { SUPPORTED_REPORTERS, toNewmanRunOptions, type BailModifier, type KeyValue, type ReporterOptions } from './newman/options.js';
import type { RunSummary } from './newman/summary-types.js';
import type { V3ReadOptions, V3ReadResult } from './newman/v3/read.js';

export { CnError, ExitCode, isCnError };
export type { CnErrorOptions } from './errors.js';
export type { Logger, LogLevel, CognitoTokens, ConfigOptions };
export type { Config, IdpConfig, IdpEndpoints, UserCredentials, Timeouts, ClientAuth, LoginUi, ResponseType, PasskeyCredential, SignInFactor, CodeSource } from './config/types.js';
export type { ConfigKey } from './config/keys.js';
export type { RunSummary, UserReport } from './newman/summary-types.js';
export type { ReporterOptions, KeyValue, BailModifier } from './newman/options.js';
export type { V3ReadOptions, V3ReadResult } from './newman/v3/read.js';
export { isV3CollectionPath } from './newman/v3/detect.js';

export interface GetTokensOptions extends ConfigOptions {
  /** Only these named users (`TEST_USERS`); every configured user when absent. */
  users?: string | string[];
}

/** Tokens keyed by user name (`default`, or the names of TEST_USERS). */
export type CognitoTokensByUser = Record<string, CognitoTokens>;

export interface RunCollectionOptions extends ConfigOptions {
  /** Tokens from getTokens: injected as they are, no sign-in. Without them the run signs in as `cognito-newman run` does. */
  tokens?: CognitoTokensByUser | CognitoTokens[];
  /** Postman environment file (path or URL): 2.1 JSON or v12 YAML (`*.environment.yaml`). Values typed secret are redacted everywhere. */
  environment?: string;
  /** Postman globals file: 2.1 JSON or v12 YAML (`*.globals.yaml`). */
  globals?: string;
  /** Extra environment variables (newman's --env-var), in memory. */
  envVar?: Record<string, string> | KeyValue[];
  folder?: string | string[];
  /** Default `['cli']`. Supported: cli, junit, json, htmlextra, progress, emojitrain. */
  reporters?: string[];
  /** Per reporter options, e.g. `{ junit: { export: 'out/junit.xml' } }`. */
  reporter?: ReporterOptions;
  /** Where report files go unless a reporter's `export` says otherwise (default `reports`). */
  reportsDir?: string;
  /** `i/n`: run only shard i of n (top-level folders). */
  shard?: string;
  /** Which token goes into the collection's OAuth 2.0 blocks (default `access`). */
  authToken?: 'access' | 'id';
  iterationCount?: number;
  iterationData?: string;
  bail?: boolean | BailModifier[];
  timeout?: number;
  timeoutRequest?: number;
  timeoutScript?: number;
  delayRequest?: number;
  insecure?: boolean;
  suppressExitCode?: boolean;
}

export interface RunCollectionResult {
  /** 0 all passed, 1 an assertion or request failed (the CLI's exit codes). */
  exitCode: 0 | 1;
  summary: RunSummary;
}

/**
 * Sign in every configured user (or `options.users`) and resolve to their tokens: from the token
 * cache when fresh, else by the refresh grant, else through the Hosted UI in headless Chromium.
 * Rejects with a CnError (`code`, `exitCode`, `hint`) exactly where `cognito-newman token` fails.
 */
export async function getTokens(options: GetTokensOptions = {}): Promise<CognitoTokensByUser> {
  return asLibraryCall(async () => {
    const userNames = options.users === undefined ? undefined : Array.isArray(options.users) ? options.users : [options.users];
    const { users } = await signIn({ ...configRequest(options), ...(userNames ? { userNames } : {}) });
    return Object.fromEntries(users.map((u) => [u.name, toPublic(u.name, u.tokens)]));
  });
}

/**
 * Run a collection with Newman in this process, tokens injected in memory as `cognito-newman run`
 * does (variables `accessToken`, `admin_accessToken`, ... and the OAuth 2.0 auth blocks), every
 * report redacted. `collection` is a 2.1 JSON file (path or URL), a Postman v3 (Git-native)
 * collection folder, or the 2.1 collection object. Resolves with exit code 1 when assertions fail;
 * rejects with a CnError when the run cannot start.
 */
export async function runCollection(collection: string | object, options: RunCollectionOptions = {}): Promise<RunCollectionResult> {
  return asLibraryCall(async () => {
    const request = configRequest(options);
    const plan = toNewmanRunOptions({
      ...(options.environment ? { environment: options.environment } : {}),
      ...(options.globals ? { globals: options.globals } : {}),
      ...(options.folder ? { folder: Array.isArray(options.folder) ? options.folder : [options.folder] } : {}),
      envVar: keyValues(options.envVar),
      reporters: options.reporters ?? ['cli'],
      ...(options.iterationCount !== undefined ? { iterationCount: options.iterationCount } : {}),
      ...(options.iterationData ? { iterationData: options.iterationData } : {}),
      ...(options.bail ? { bail: options.bail === true ? true : options.bail } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      ...(options.timeoutRequest !== undefined ? { timeoutRequest: options.timeoutRequest } : {}),
      ...(options.timeoutScript !== undefined ? { timeoutScript: options.timeoutScript } : {}),
      ...(options.delayRequest !== undefined ? { delayRequest: options.delayRequest } : {}),
      ...(options.insecure ? { insecure: true } : {}),
      ...(options.suppressExitCode ? { suppressExitCode: true } : {}),
    });
    if (options.reporters) {
      for (const name of options.reporters) {
        if (!(SUPPORTED_REPORTERS as readonly string[]).includes(name)) {
          throw usageError('REPORTER_UNSUPPORTED', `Reporter "${name}" is not supported.`, { hint: `Choose from ${SUPPORTED_REPORTERS.join(', ')}; these are the reporters whose output cognito-newman can redact.` });
        }
      }
      plan.reporters = [...new Set(options.reporters)]; // [] is allowed here: no reporter at all
    }
    for (const [name, opts] of Object.entries(options.reporter ?? {})) plan.reporter[name] = { ...plan.reporter[name], ...opts };
    const tokens = options.tokens ? (Array.isArray(options.tokens) ? options.tokens : Object.values(options.tokens)).map(fromPublic) : undefined;
    return executeRun({
      ...request,
      collection,
      plan,
      ...(options.shard ? { shard: options.shard } : {}),
      reportsDir: options.reportsDir ?? 'reports',
      authToken: options.authToken ?? 'access',
      ...(tokens ? { tokens } : {}),
    });
  });
}

/**
 * A Postman v3 (Git-native, Postman v12) collection folder as the Postman Collection v2.1 object,
 * the same conversion as `cognito-newman convert`: `warnings` names what 2.1 or Newman cannot
 * express. File references are written relative to `options.relativeTo` (default: the current
 * directory, where Newman looks for them). Rejects with a CnError (exit code 2) naming the file and
 * line of bad input. The YAML reader loads only when this is called.
 */
export async function convertV3ToV21(folder: string, options: V3ReadOptions = {}): Promise<V3ReadResult> {
  return asLibraryCall(async () => (await import('./newman/v3/read.js')).convertV3ToV21(folder, options));
}

function keyValues(v: RunCollectionOptions['envVar']): KeyValue[] {
  if (!v) return [];
  return Array.isArray(v) ? v : Object.entries(v).map(([key, value]) => ({ key, value }));
}


export interface EnrollPasskeyOptions extends ConfigOptions {
  /** The named user (default: the first configured user). */
  user?: string;
}

/**
 * Sign a test user in with what it has (password, TOTP, an emailed or texted code) and register a
 * passkey on Managed Login's `/passkeys/add` with Playwright's software authenticator, as
 * `cognito-newman passkey enroll` does. Resolves to the credential JSON to store as
 * `TEST_USER_PASSKEY` or the key `passkey` of the user's secret: it holds a private key.
 */
export async function enrollPasskey(options: EnrollPasskeyOptions = {}): Promise<import('./config/types.js').PasskeyCredential> {
  return asLibraryCall(async () => {
    const { enrollUserPasskey } = await import('./session/passkey-enroll.js');
    return (await enrollUserPasskey({ ...configRequest(options), ...(options.user ? { user: options.user } : {}) })).credential;
  });
}

// Preflight: every check that needs no identity provider, run before any browser starts, with all
// problems gathered into one paragraph (as the configuration errors are): flag combinations, the
// files a run reads, the folders it writes, the folders `--folder` names, the scopes a token
// option needs. A mistake found here costs milliseconds instead of a sign-in and a whole run.
import { access, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Config } from '../config/types.js';
import { CnError, ExitCode, isCnError } from '../errors.js';
import type { Logger } from '../log.js';
import type { CollectionJson } from '../newman/auth-block.js';
import type { NewmanRunPlan } from '../newman/options.js';
import { installAdvice, isInstalled } from '../optional-packages.js';

export interface PreflightProblem {
  /** The flag, variable or file the problem is about: leads its sentence. */
  key: string;
  message: string;
  /** `local`: a folder cannot be written (exit 5 when nothing else is wrong); otherwise usage (exit 2). */
  kind: 'usage' | 'local';
}

/** Collects problems; `finish()` throws them as one error. */
export class Preflight {
  readonly problems: PreflightProblem[] = [];
  /** A configuration error taken in whole: thrown as it is when nothing else is wrong. */
  private configError: CnError | undefined;

  add(key: string, message: string, kind: PreflightProblem['kind'] = 'usage'): void {
    this.problems.push({ key, message, kind });
  }

  /**
   * Run a step whose usage error (exit 2) is one more problem rather than the end; other errors
   * (an unreachable AWS, a bug) still end the command at once. A configuration error keeps every
   * problem it listed, so the final paragraph has them all.
   */
  async attempt<T>(key: string, step: () => Promise<T>): Promise<T | undefined> {
    try {
      return await step();
    } catch (err) {
      if (!isCnError(err) || err.exitCode !== ExitCode.Usage) throw err;
      if (err.code === 'CONFIG_INVALID' && Object.keys(err.details).length > 0) {
        if (this.problems.length === 0) this.configError = err;
        for (const [k, v] of Object.entries(err.details)) this.add(k, String(v));
      } else {
        this.add(key, err.message.replace(/\.+$/, ''));
      }
      return undefined;
    }
  }

  /** Throw the problems found so far as one paragraph (exit 2, or 5 when only folders are unwritable). */
  finish(): void {
    if (this.problems.length === 0) return;
    if (this.configError && this.problems.length === Object.keys(this.configError.details).length) throw this.configError;
    throw preflightError(this.problems);
  }
}

export function preflightError(list: readonly PreflightProblem[]): CnError {
  const n = list.length;
  const text = list.map((p) => `${p.key}: ${p.message.replace(/\.+$/, '')}`).join('; ');
  const onlyLocal = list.every((p) => p.kind === 'local');
  const details: Record<string, string> = {};
  for (const p of list) details[p.key] = details[p.key] ? `${details[p.key]}; ${p.message}` : p.message;
  return new CnError(
    onlyLocal ? 'PREFLIGHT_FAILED' : 'CONFIG_INVALID',
    onlyLocal ? ExitCode.LocalEnvironment : ExitCode.Usage,
    `Nothing was started: ${n} problem${n === 1 ? '' : 's'} found before signing in: ${text}.`,
    {
      hint: 'Fix them and run again (configuration: .env, the environment or the flags, see .env.example; files and folders: the paths given).',
      details,
    },
  );
}

const isUrl = (s: string) => /^https?:\/\//i.test(s);

/** A file the run reads: it must exist and be a readable file (URLs are left to the run). */
export async function checkFile(pre: Preflight, key: string, path: string | undefined, what: string): Promise<void> {
  if (!path || isUrl(path)) return;
  const full = resolve(path);
  try {
    const info = await stat(full);
    if (!info.isFile()) {
      pre.add(key, `${path} is not a file (the ${what})`);
      return;
    }
    await access(full, constants.R_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    pre.add(key, code === 'ENOENT' ? `${path} does not exist (the ${what})` : `${path} cannot be read (${code ?? 'error'}; the ${what})`);
  }
}

/**
 * Why `dir` could not be created or written, or undefined when it can: the folder itself when it
 * exists, else the nearest existing parent (which must be a writable folder).
 */
export async function unwritableReason(dir: string): Promise<string | undefined> {
  let p = resolve(dir);
  for (;;) {
    try {
      const info = await stat(p);
      if (!info.isDirectory()) return p === resolve(dir) ? `${p} is a file, not a folder` : `${p} is a file, so the folder ${resolve(dir)} cannot be created`;
      await access(p, constants.W_OK | constants.X_OK);
      return undefined;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        const parent = dirname(p);
        if (parent === p) return `no part of ${resolve(dir)} exists`;
        p = parent;
        continue;
      }
      return `${p} is not writable (${code ?? 'error'})`;
    }
  }
}

export async function checkWritableDir(pre: Preflight, key: string, dir: string | undefined, what: string): Promise<void> {
  if (!dir) return;
  const why = await unwritableReason(dir);
  if (why) pre.add(key, `${why} (the ${what})`, 'local');
}

interface ItemLike {
  id?: unknown;
  name?: unknown;
  item?: unknown;
}

/** Every folder and request name (and id) in the collection, at any depth, as newman's --folder matches them. */
export function itemNames(collection: CollectionJson): Set<string> {
  const names = new Set<string>();
  const walk = (items: unknown) => {
    if (!Array.isArray(items)) return;
    for (const it of items as ItemLike[]) {
      if (!it || typeof it !== 'object') continue;
      if (typeof it.name === 'string') names.add(it.name);
      if (typeof it.id === 'string') names.add(it.id);
      walk(it.item);
    }
  };
  walk((collection as { item?: unknown }).item);
  return names;
}

export interface RunPreflightInput {
  plan: NewmanRunPlan;
  collection: CollectionJson | undefined;
  /** Every file a reporter or export will write (run.ts computes them with the reports folder). */
  outputFiles: string[];
}

/** The Newman side of `run`: the files it reads, the folders it runs, the files it writes. */
export async function checkRunInputs(pre: Preflight, input: RunPreflightInput): Promise<void> {
  const { plan, collection } = input;
  await Promise.all([
    checkFile(pre, '--globals', plan.globals, 'globals file'),
    checkFile(pre, '--iteration-data', plan.iterationData, 'iteration data file'),
    checkFile(pre, '--ssl-client-cert', plan.sslClientCert, 'client certificate'),
    checkFile(pre, '--ssl-client-key', plan.sslClientKey, 'client certificate key'),
    checkFile(pre, '--ssl-client-cert-list', plan.sslClientCertList, 'client certificates list'),
    checkFile(pre, '--ssl-extra-ca-certs', plan.sslExtraCaCerts, 'extra CA certificates'),
    checkFile(pre, '--cookie-jar', plan.cookieJar, 'cookie jar'),
  ]);
  if (collection && plan.folder?.length) {
    const names = itemNames(collection);
    const missing = plan.folder.filter((f) => !names.has(f));
    if (missing.length) {
      const known = [...itemNamesTopLevel(collection)].slice(0, 10);
      pre.add('--folder', `${missing.map((m) => `"${m}"`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in the collection (its top-level items: ${known.map((k) => `"${k}"`).join(', ') || 'none'})`);
    }
  }
  // Newman loads reporters by package name; htmlextra is an optional peer (src/optional-packages.ts).
  if (plan.reporters.includes('htmlextra') && !isInstalled('newman-reporter-htmlextra')) pre.add('-r htmlextra', `its package, newman-reporter-htmlextra, is not installed: run \`${installAdvice('newman-reporter-htmlextra')}\` (the built-in html report needs nothing)`, 'local');
  const dirs = [...new Set(input.outputFiles.map((f) => (f.endsWith('/') ? f : dirname(f))))];
  await Promise.all(dirs.map((d) => checkWritableDir(pre, 'reports', d, 'folder a report or export is written to')));
}

function itemNamesTopLevel(collection: CollectionJson): string[] {
  const items = (collection as { item?: unknown }).item;
  return Array.isArray(items) ? (items as ItemLike[]).map((i) => (typeof i?.name === 'string' ? i.name : '')).filter(Boolean) : [];
}

export interface TokenUseInput {
  config: Config;
  /** `--auth-token`: which token goes into auth blocks and headers. */
  authToken: 'access' | 'id';
  /** The users that will sign in (all, or the one --user names). */
  userCount: number;
  /** `token --format`, when the command is `token`. */
  format?: string;
  /** The token cache folder when the cache is on. */
  cacheDir?: string;
  logger: Logger;
}

/**
 * What the configuration and the flags ask of the tokens, checked before a sign-in: an ID token
 * needs the `openid` scope; a single Authorization header has room for one user; diagnostics need
 * a writable artifacts folder. An unwritable cache is only a warning (the cache is an optimisation):
 * the returned flag says whether to use it.
 */
export async function checkTokenUse(pre: Preflight, input: TokenUseInput): Promise<{ useCache: boolean }> {
  const { config } = input;
  if (input.authToken === 'id' && !config.idp.scopes.includes('openid')) {
    pre.add('--auth-token', `"id" needs the openid scope, and COGNITO_SCOPES is "${config.idp.scopes.join(' ')}" (Cognito issues an ID token only with openid); add openid or use --auth-token access`);
  }
  if (input.format === 'header' && input.userCount > 1) {
    pre.add('--format', `"header" prints one Authorization header, but ${input.userCount} users are configured (${config.users.map((u) => u.name).join(', ')}); pick one with --user NAME, or use --format json or env`);
  }
  await checkWritableDir(pre, 'COGNITO_NEWMAN_ARTIFACTS_DIR', config.artifactsDir, 'folder for sign-in failure diagnostics');
  let useCache = input.cacheDir !== undefined;
  if (input.cacheDir) {
    const why = await unwritableReason(input.cacheDir);
    if (why) {
      input.logger.warn(`The token cache cannot be used: ${why}. Continuing without it (sign-ins are not reused); set COGNITO_NEWMAN_CACHE_DIR to a folder you own, or pass --no-cache.`);
      useCache = false;
    }
  }
  return { useCache };
}

// The local token cache: one file per (domain, client, user, scopes) under the user's cache folder,
// 0600 in a 0700 folder, written atomically, holding tokens only so laptop runs skip the browser.
import { createHash, randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { chmod, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
// zod's v3 API (shipped inside zod 4) loads in ~25 ms against ~100 ms for v4: this module is on
// every command's start-up path, including the cache hit that must stay as fast as bare Newman.
import { z } from 'zod/v3';
import { isCnError, localFailure } from '../errors.js';
import { registerSecret, type Logger } from '../log.js';
import type { TokenSet } from '../oauth/types.js';
import { onInterrupt } from '../interrupt.js';

/** What a cached token set was issued for; a different value of any field is a different file. */
export interface CacheKey {
  domain: string;
  clientId: string;
  username: string;
  scopes: string[];
  /** Federated users: `identity_provider=<name>` or `idp_identifier=<id>`; the same username through another IdP is another user. */
  idp?: string;
}

/** The cache key of one user of a configured IdP (the user-pool domain, client, scopes and the federated IdP, if any). */
export function cacheKeyFor(
  idp: { domain: string; clientId: string; scopes: string[]; identityProvider?: string; idpIdentifier?: string },
  username: string,
): CacheKey {
  const via = idp.identityProvider ? `identity_provider=${idp.identityProvider}` : idp.idpIdentifier ? `idp_identifier=${idp.idpIdentifier.toLowerCase()}` : undefined;
  return { domain: idp.domain, clientId: idp.clientId, username, scopes: idp.scopes, ...(via ? { idp: via } : {}) };
}

export interface CachedTokens {
  tokens: TokenSet;
  /** Epoch milliseconds of the write. */
  savedAt: number;
}

/** Reuse a cached access token only while it has at least this long left (issue 5: 10 minutes). */
export const DEFAULT_MARGIN_MS = 10 * 60_000;

const APP = 'cognito-newman';
const FORMAT_VERSION = 1;
const CACHE_FILE_RE = /^[0-9a-f]{64}\.json$/;
const TEMP_FILE_RE = /^[0-9a-f]{64}\.json\.[0-9a-f]+\.tmp$/;

/**
 * The cache folder: `COGNITO_NEWMAN_CACHE_DIR`, else `$XDG_CACHE_HOME/cognito-newman` (when
 * absolute, as the XDG spec requires), else the platform's per-user cache folder:
 * `~/Library/Caches/cognito-newman` on macOS, `%LOCALAPPDATA%\cognito-newman` on Windows,
 * `~/.cache/cognito-newman` elsewhere.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const explicit = env.COGNITO_NEWMAN_CACHE_DIR?.trim();
  if (explicit) return resolve(explicit);
  const xdg = env.XDG_CACHE_HOME?.trim();
  if (xdg && isAbsolute(xdg)) return join(xdg, APP);
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA?.trim() || join(env.USERPROFILE?.trim() || homedir(), 'AppData', 'Local');
    return join(local, APP);
  }
  const home = env.HOME?.trim() || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Caches', APP);
  return join(home, '.cache', APP);
}

/** The key in one canonical form: domain lower-cased without a trailing slash, scopes sorted and unique. */
function canonicalKey(key: CacheKey): CacheKey {
  return {
    domain: key.domain.trim().replace(/\/+$/, '').toLowerCase(),
    clientId: key.clientId,
    username: key.username,
    scopes: [...new Set(key.scopes)].sort(),
    ...(key.idp ? { idp: key.idp } : {}),
  };
}

/**
 * The file name for a key: the SHA-256 of its canonical JSON, in hex, plus `.json`, so neither the
 * username nor the domain can be read from a directory listing.
 */
export function cacheFileName(key: CacheKey): string {
  const k = canonicalKey(key);
  // Fixed member order: the hash must not depend on how the caller built the object.
  // A non-federated key hashes as before, so existing cache files stay valid.
  const canonical = JSON.stringify(k.idp ? [FORMAT_VERSION, k.domain, k.clientId, k.username, k.scopes, k.idp] : [FORMAT_VERSION, k.domain, k.clientId, k.username, k.scopes]);
  return `${createHash('sha256').update(canonical).digest('hex')}.json`;
}

const tokenSetSchema = z.object({
  accessToken: z.string().min(1),
  idToken: z.string().min(1).optional(),
  refreshToken: z.string().min(1).optional(),
  tokenType: z.string().min(1),
  expiresIn: z.number().finite(),
  accessTokenExpiresAt: z.number().finite(),
  scope: z.string().optional(),
});

const cacheFileSchema = z.object({
  version: z.literal(FORMAT_VERSION),
  key: z.object({
    domain: z.string(),
    clientId: z.string(),
    username: z.string(),
    scopes: z.array(z.string()),
    idp: z.string().optional(),
  }),
  savedAt: z.number().finite(),
  tokens: tokenSetSchema,
});

/**
 * The cached tokens for `key`, or undefined when there are none. A file that is not JSON, has the
 * wrong shape, or was written for another key (copied, renamed, or a future format) is ignored with
 * a warning and never throws: the caller then signs in as if there were no cache.
 */
export async function readCache(dir: string, key: CacheKey, logger: Logger): Promise<CachedTokens | undefined> {
  const file = join(dir, cacheFileName(key));
  if (!(await privateEnough(dir, file, logger))) return undefined;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      logger.warn(`ignoring token cache file ${file}: it cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    logger.warn(`ignoring token cache file ${file}: it is not valid JSON (it will be replaced on the next sign-in).`);
    return undefined;
  }
  const parsed = cacheFileSchema.safeParse(json);
  if (!parsed.success) {
    logger.warn(`ignoring token cache file ${file}: it is not a cognito-newman token cache file of this version.`);
    return undefined;
  }
  const stored = parsed.data;
  if (!sameKey(canonicalKey(stored.key), canonicalKey(key))) {
    logger.warn(`ignoring token cache file ${file}: it was written for a different domain, client, user or scopes (or identity provider).`);
    return undefined;
  }
  const tokens = pickTokens(stored.tokens);
  // Values read back from disk are as secret as when they were issued.
  registerSecret(tokens.accessToken);
  registerSecret(tokens.idToken);
  registerSecret(tokens.refreshToken);
  return { tokens, savedAt: stored.savedAt };
}

/**
 * Store `tokens` for `key`: the folder is created or tightened to 0700, the file is written 0600 to
 * a temporary name in the same folder and renamed over the old one, so a reader never sees a
 * partial file. Only the key, the time and the TokenSet fields are written, never anything else the
 * caller's object may carry (a password, a TOTP secret).
 *
 * Throws CACHE_UNWRITABLE (exit 5) when the folder cannot be made private or written; use
 * {@link saveCache} for the usual policy of warning and carrying on without a cache.
 */
export async function writeCache(dir: string, key: CacheKey, tokens: TokenSet): Promise<void> {
  const file = join(dir, cacheFileName(key));
  const body = JSON.stringify({ version: FORMAT_VERSION, key: canonicalKey(key), savedAt: Date.now(), tokens: pickTokens(tokens) });
  let tmp: string | undefined;
  // Interrupted mid-write: the temporary file goes (the rename makes the real one whole or absent).
  const forget = onInterrupt(() => {
    if (tmp) unlinkSync(tmp);
  });
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // mkdir leaves an existing folder as it was: tighten it, other users must not list or plant files.
    await chmod(dir, 0o700);
    tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(body, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
    tmp = undefined;
  } catch (err) {
    throw unwritable(dir, err);
  } finally {
    forget();
    if (tmp) await unlink(tmp).catch(() => undefined);
  }
}

/**
 * {@link writeCache} with the policy a user expects of an optimisation: if the cache cannot be
 * written, warn (with the path and the fix) and carry on; the run itself still succeeds. Returns
 * whether the tokens were saved. Other errors still throw.
 */
export async function saveCache(dir: string, key: CacheKey, tokens: TokenSet, logger: Logger): Promise<boolean> {
  try {
    await writeCache(dir, key, tokens);
    return true;
  } catch (err) {
    if (isCnError(err) && err.code === 'CACHE_UNWRITABLE') {
      logger.warn(`${err.message} Continuing without the token cache. ${err.hint ?? ''}`.trim());
      return false;
    }
    throw err;
  }
}

/**
 * Delete the cache file of one key, or every cache file in `dir` when no key is given (leftover
 * temporary files too). Only files named like cache files are touched, so a shared folder given as
 * COGNITO_NEWMAN_CACHE_DIR is safe. Returns how many cache files were deleted.
 */
export async function deleteCache(dir: string, key?: CacheKey): Promise<number> {
  let names: string[];
  if (key) {
    names = [cacheFileName(key)];
  } else {
    try {
      names = (await readdir(dir)).filter((n) => CACHE_FILE_RE.test(n) || TEMP_FILE_RE.test(n));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw unwritable(dir, err);
    }
  }
  let count = 0;
  for (const name of names) {
    try {
      await unlink(join(dir, name));
      if (CACHE_FILE_RE.test(name)) count++;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw unwritable(dir, err);
    }
  }
  return count;
}

/** True while the access token stays valid for at least `marginMs` after `now`. */
export function isFresh(tokens: TokenSet, marginMs: number, now: number = Date.now()): boolean {
  return Number.isFinite(tokens.accessTokenExpiresAt) && tokens.accessTokenExpiresAt - now >= marginMs;
}

/**
 * Whether to use the cache: never with --no-cache; `COGNITO_NEWMAN_CACHE=1|true` forces it on and
 * `0|false` off; otherwise off in CI (`CI` set to anything but `false`/`0`, as CI services do),
 * because a CI job starts from a clean machine and should not leave tokens on a shared runner.
 */
export function cacheEnabled(opts: { noCache?: boolean; env?: NodeJS.ProcessEnv }): boolean {
  if (opts.noCache) return false;
  const env = opts.env ?? process.env;
  const force = env.COGNITO_NEWMAN_CACHE?.trim().toLowerCase();
  if (force === '1' || force === 'true') return true;
  if (force === '0' || force === 'false') return false;
  const ci = env.CI?.trim().toLowerCase();
  return !ci || ci === 'false' || ci === '0';
}

// ---------------------------------------------------------------------------------------------

/**
 * Tokens readable by others are as good as leaked: before a cache file is used, its folder and the
 * file itself must be this user's and private. Looser modes are tightened (0700/0600) with a
 * warning; a file or folder of another user, or one that cannot be tightened, is not used at all.
 * True when the file may be read (or does not exist). POSIX only: Windows has no mode bits here.
 */
async function privateEnough(dir: string, file: string, logger: Logger): Promise<boolean> {
  if (process.platform === 'win32') return true;
  const uid = process.getuid?.();
  for (const [path, wanted] of [[dir, 0o700], [file, 0o600]] as const) {
    let info;
    try {
      info = await stat(path);
    } catch {
      return true; // absent: nothing to read (readFile reports other problems)
    }
    if (uid !== undefined && info.uid !== uid) {
      logger.warn(`ignoring token cache file ${file}: ${path === file ? 'it belongs' : `its folder ${dir} belongs`} to another user (uid ${info.uid}); remove it, or set COGNITO_NEWMAN_CACHE_DIR to a folder of your own.`);
      return false;
    }
    const mode = info.mode & 0o777;
    if ((mode & 0o077) === 0) continue;
    try {
      await chmod(path, wanted);
      logger.warn(`${path} was readable by others (mode ${mode.toString(8)}); made it private (chmod ${wanted.toString(8)}). Tokens that others could read should be revoked: cognito-newman logout.`);
    } catch (err) {
      logger.warn(`ignoring token cache file ${file}: ${path} is readable by others (mode ${mode.toString(8)}) and could not be made private (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
      return false;
    }
  }
  return true;
}

function sameKey(a: CacheKey, b: CacheKey): boolean {
  return (
    a.domain === b.domain &&
    a.clientId === b.clientId &&
    a.username === b.username &&
    a.idp === b.idp &&
    a.scopes.length === b.scopes.length &&
    a.scopes.every((s, i) => s === b.scopes[i])
  );
}

/** Copy the TokenSet fields by name: a spread would carry whatever else the object holds to disk. */
function pickTokens(t: TokenSet): TokenSet {
  const out: TokenSet = {
    accessToken: t.accessToken,
    tokenType: t.tokenType,
    expiresIn: t.expiresIn,
    accessTokenExpiresAt: t.accessTokenExpiresAt,
  };
  if (t.idToken !== undefined) out.idToken = t.idToken;
  if (t.refreshToken !== undefined) out.refreshToken = t.refreshToken;
  if (t.scope !== undefined) out.scope = t.scope;
  return out;
}

function unwritable(dir: string, err: unknown) {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return localFailure('CACHE_UNWRITABLE', `The token cache folder ${dir} cannot be written${code ? ` (${code})` : ''}.`, {
    hint: 'Make it writable by you (or remove it), point COGNITO_NEWMAN_CACHE_DIR at a folder you own, or pass --no-cache.',
    details: { dir, errno: code },
    cause: err,
  });
}

// Token cache on real files in a temporary folder: round trip, permissions, atomic replacement,
// ignoring corrupt and foreign files, freshness, key canonicalisation, and what is (not) stored.
import { test, expect } from '@playwright/test';
import { chmod, mkdir, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cacheDir,
  cacheEnabled,
  cacheFileName,
  deleteCache,
  DEFAULT_MARGIN_MS,
  isFresh,
  readCache,
  saveCache,
  writeCache,
  type CacheKey,
} from '../../src/tokens/cache.js';
import { CnError, ExitCode } from '../../src/errors.js';
import { clearSecrets, registerSecret, type Logger } from '../../src/log.js';
import type { TokenSet } from '../../src/oauth/types.js';

const KEY: CacheKey = {
  domain: 'https://my-pool.auth.eu-west-1.amazoncognito.com',
  clientId: '4abcd1234efgh5678ijkl',
  username: 'alice@example.com',
  scopes: ['openid', 'email', 'profile'],
};

function tokens(overrides: Partial<TokenSet> = {}): TokenSet {
  return {
    accessToken: 'eyJ.access-token.sig',
    idToken: 'eyJ.id-token.sig',
    refreshToken: 'eyJ.refresh-token.sig',
    tokenType: 'Bearer',
    expiresIn: 3600,
    accessTokenExpiresAt: Date.now() + 3_600_000,
    ...overrides,
  };
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { level: 'info', info: () => {}, debug: () => {}, warn: (m) => warnings.push(m), warnings };
}

let root = '';
let dir = '';
test.beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'cn-cache-'));
  dir = join(root, 'cache');
});
test.afterEach(async () => {
  clearSecrets();
  await rm(root, { recursive: true, force: true });
});

const mode = async (path: string) => (await stat(path)).mode & 0o777;

test('round trip: what is written is read back with its save time', async () => {
  const t = tokens({ scope: 'openid email profile' });
  const before = Date.now();
  await writeCache(dir, KEY, t);
  const got = await readCache(dir, KEY, recordingLogger());
  expect(got?.tokens).toEqual(t);
  expect(got!.savedAt).toBeGreaterThanOrEqual(before);
  expect(got!.savedAt).toBeLessThanOrEqual(Date.now());
});

test('no file yet reads as undefined without a warning', async () => {
  const log = recordingLogger();
  expect(await readCache(dir, KEY, log)).toBeUndefined();
  expect(log.warnings).toEqual([]);
});

test('the cache file is 0600 in a 0700 folder', async () => {
  await writeCache(dir, KEY, tokens());
  expect(await mode(dir)).toBe(0o700);
  expect(await mode(join(dir, cacheFileName(KEY)))).toBe(0o600);
});

test('an existing 0755 folder is tightened to 0700', async () => {
  await mkdir(dir, { mode: 0o755 });
  await chmod(dir, 0o755);
  await writeCache(dir, KEY, tokens());
  expect(await mode(dir)).toBe(0o700);
});

test('a rewrite replaces the file by rename: an open reader keeps the whole old file, no temp file is left', async () => {
  const file = join(dir, cacheFileName(KEY));
  await writeCache(dir, KEY, tokens({ accessToken: 'first-access-token' }));
  const oldContent = await readFile(file, 'utf8');
  const reader = await open(file, 'r');
  try {
    await writeCache(dir, KEY, tokens({ accessToken: 'second-access-token' }));
    // In-place truncate-and-write would show the reader the new or a partial body.
    expect(await reader.readFile('utf8')).toBe(oldContent);
  } finally {
    await reader.close();
  }
  expect(await readFile(file, 'utf8')).toContain('second-access-token');
  expect(await readdir(dir)).toEqual([cacheFileName(KEY)]);
});

test('a corrupt file is ignored with a warning', async () => {
  await writeCache(dir, KEY, tokens());
  await writeFile(join(dir, cacheFileName(KEY)), '{"version":1,"key":');
  const log = recordingLogger();
  expect(await readCache(dir, KEY, log)).toBeUndefined();
  expect(log.warnings.join('\n')).toContain('not valid JSON');
});

test('a file of the wrong shape is ignored with a warning', async () => {
  // Private, as the cache makes its files (a looser mode is its own warning, token-cache-permissions.spec.ts).
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(join(dir, cacheFileName(KEY)), JSON.stringify({ version: 1, key: KEY, savedAt: 1, tokens: { accessToken: 42 } }), { mode: 0o600 });
  const log = recordingLogger();
  expect(await readCache(dir, KEY, log)).toBeUndefined();
  expect(log.warnings).toHaveLength(1);
});

test("a foreign file (another user's, under this key's name) is ignored with a warning", async () => {
  const bob = { ...KEY, username: 'bob@example.com' };
  await writeCache(dir, bob, tokens({ accessToken: 'bobs-access-token' }));
  await rm(join(dir, cacheFileName(KEY)), { force: true });
  await writeFile(join(dir, cacheFileName(KEY)), await readFile(join(dir, cacheFileName(bob))));
  const log = recordingLogger();
  expect(await readCache(dir, KEY, log)).toBeUndefined();
  expect(log.warnings.join('\n')).toContain('different domain, client, user or scopes');
});

test('isFresh: valid for at least the margin', () => {
  const now = 1_700_000_000_000;
  const t = (left: number) => tokens({ accessTokenExpiresAt: now + left });
  expect(DEFAULT_MARGIN_MS).toBe(600_000);
  expect(isFresh(t(DEFAULT_MARGIN_MS), DEFAULT_MARGIN_MS, now)).toBe(true);
  expect(isFresh(t(DEFAULT_MARGIN_MS - 1), DEFAULT_MARGIN_MS, now)).toBe(false);
  expect(isFresh(t(-1), 0, now)).toBe(false);
  expect(isFresh(t(5_000), 0, now)).toBe(true);
});

test('key canonicalisation: scope order, duplicates and domain case or slash do not matter', () => {
  const name = cacheFileName(KEY);
  expect(name).toMatch(/^[0-9a-f]{64}\.json$/);
  expect(cacheFileName({ ...KEY, scopes: ['profile', 'openid', 'email', 'email'] })).toBe(name);
  expect(cacheFileName({ ...KEY, domain: 'https://My-Pool.auth.eu-west-1.amazoncognito.com/' })).toBe(name);
});

test('key canonicalisation: a different user, client, domain or scope set is a different file', () => {
  const name = cacheFileName(KEY);
  expect(cacheFileName({ ...KEY, username: 'bob@example.com' })).not.toBe(name);
  expect(cacheFileName({ ...KEY, clientId: 'other-client' })).not.toBe(name);
  expect(cacheFileName({ ...KEY, domain: 'https://auth.example.com' })).not.toBe(name);
  expect(cacheFileName({ ...KEY, scopes: ['openid'] })).not.toBe(name);
});

test('the file name shows neither the username nor the domain', () => {
  const name = cacheFileName(KEY);
  expect(name).not.toContain('alice');
  expect(name).not.toContain('amazoncognito');
});

test('a re-ordered key reads the same file', async () => {
  await writeCache(dir, KEY, tokens());
  const got = await readCache(dir, { ...KEY, scopes: [...KEY.scopes].reverse() }, recordingLogger());
  expect(got?.tokens.accessToken).toBe('eyJ.access-token.sig');
});

test('the file holds only tokens: never the password or TOTP secret, even registered and riding on the object', async () => {
  const password = 'correct-horse-battery-staple';
  const totpSecret = 'JBSWY3DPEHPK3PXPJBSWY3DP';
  registerSecret(password);
  registerSecret(totpSecret);
  const t = tokens();
  registerSecret(t.accessToken);
  const carrying = { ...t, password, totpSecret } as TokenSet;
  await writeCache(dir, KEY, carrying);
  const text = await readFile(join(dir, cacheFileName(KEY)), 'utf8');
  expect(text).not.toContain(password);
  expect(text).not.toContain(totpSecret);
  // Tokens are registered secrets too, yet must be stored verbatim to be usable.
  expect(text).toContain(t.accessToken);
  expect(Object.keys(JSON.parse(text)).sort()).toEqual(['key', 'savedAt', 'tokens', 'version']);
});

test('an unwritable folder is CACHE_UNWRITABLE, exit 5, with the path and the fix', async () => {
  await writeFile(join(root, 'a-file'), 'x');
  const bad = join(root, 'a-file', 'cache');
  let caught: unknown;
  try {
    await writeCache(bad, KEY, tokens());
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(CnError);
  const err = caught as CnError;
  expect(err.code).toBe('CACHE_UNWRITABLE');
  expect(err.exitCode).toBe(ExitCode.LocalEnvironment);
  expect(err.message).toContain(bad);
  expect(err.hint).toContain('--no-cache');
});

test('saveCache warns and carries on when the folder is unwritable', async () => {
  await writeFile(join(root, 'a-file'), 'x');
  const log = recordingLogger();
  expect(await saveCache(join(root, 'a-file', 'cache'), KEY, tokens(), log)).toBe(false);
  expect(log.warnings.join('\n')).toContain('Continuing without the token cache');
  expect(await saveCache(dir, KEY, tokens(), log)).toBe(true);
});

test('deleteCache removes one user or all, counting files, and leaves other files alone', async () => {
  const bob = { ...KEY, username: 'bob@example.com' };
  const carol = { ...KEY, username: 'carol@example.com' };
  for (const k of [KEY, bob, carol]) await writeCache(dir, k, tokens());
  await writeFile(join(dir, 'notes.txt'), 'not ours');
  expect(await deleteCache(dir, bob)).toBe(1);
  expect(await deleteCache(dir, bob)).toBe(0);
  expect(await readCache(dir, KEY, recordingLogger())).toBeDefined();
  expect(await deleteCache(dir)).toBe(2);
  expect(await readdir(dir)).toEqual(['notes.txt']);
  expect(await deleteCache(join(root, 'missing'))).toBe(0);
});

test('cacheDir: explicit folder, then XDG_CACHE_HOME, then the platform default', () => {
  expect(cacheDir({ COGNITO_NEWMAN_CACHE_DIR: '/tmp/cn', XDG_CACHE_HOME: '/x' }, 'linux')).toBe('/tmp/cn');
  expect(cacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/a' }, 'linux')).toBe('/x/cache/cognito-newman');
  expect(cacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/a' }, 'linux')).toBe('/home/a/.cache/cognito-newman');
  expect(cacheDir({ HOME: '/home/a' }, 'linux')).toBe('/home/a/.cache/cognito-newman');
  expect(cacheDir({ HOME: '/Users/a' }, 'darwin')).toBe('/Users/a/Library/Caches/cognito-newman');
  expect(cacheDir({ LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'win32')).toContain('cognito-newman');
});

test('cacheEnabled: --no-cache and CI turn it off, COGNITO_NEWMAN_CACHE=1 forces it on in CI', () => {
  expect(cacheEnabled({ env: {} })).toBe(true);
  expect(cacheEnabled({ noCache: true, env: {} })).toBe(false);
  expect(cacheEnabled({ env: { CI: 'true' } })).toBe(false);
  expect(cacheEnabled({ env: { CI: '1' } })).toBe(false);
  expect(cacheEnabled({ env: { CI: 'false' } })).toBe(true);
  expect(cacheEnabled({ env: { CI: 'true', COGNITO_NEWMAN_CACHE: '1' } })).toBe(true);
  expect(cacheEnabled({ noCache: true, env: { CI: 'true', COGNITO_NEWMAN_CACHE: '1' } })).toBe(false);
  expect(cacheEnabled({ env: { COGNITO_NEWMAN_CACHE: '0' } })).toBe(false);
});

// The token cache refuses to be careless (issue 11): a cache file or folder that others can read is
// reported and made private (chmod 600/700) before its tokens are used, and a file that belongs to
// another user is ignored, never used silently. Real files in a temporary folder. The ownership
// check runs both as root (a file given to another uid) and as a user without privileges (a file
// root left behind, as a `sudo` run does): when the tests run as root, as CI does, that part runs
// in a child process under setpriv with another uid.
import { spawnSync } from 'node:child_process';
import { chmod, chown, mkdtemp, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test, expect } from '@playwright/test';
import { build } from 'esbuild';
import { cacheFileName, readCache, writeCache, type CacheKey } from '../../src/tokens/cache.js';
import type { TokenSet } from '../../src/oauth/types.js';

const KEY: CacheKey = { domain: 'https://auth.example.com', clientId: 'client-1', username: 'admin', scopes: ['openid'] };
const TOKENS: TokenSet = { accessToken: 'cached-access-token-value', refreshToken: 'cached-refresh-token-value', tokenType: 'Bearer', expiresIn: 3600, accessTokenExpiresAt: Date.now() + 3_600_000 };

function logs() {
  const warnings: string[] = [];
  return { warnings, logger: { level: 'info' as const, info: () => undefined, debug: () => undefined, warn: (m: string) => void warnings.push(m) } };
}
const mode = async (p: string) => (await stat(p)).mode & 0o777;

test.skip(process.platform === 'win32', 'POSIX permissions');

test('a world-readable cache file in a world-readable folder is reported and made private before use', async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'cn-perm-')), 'cache');
  await writeCache(dir, KEY, TOKENS);
  const file = join(dir, cacheFileName(KEY));
  await chmod(file, 0o644);
  await chmod(dir, 0o755);
  const l = logs();
  const cached = await readCache(dir, KEY, l.logger);
  expect(cached?.tokens.accessToken).toBe(TOKENS.accessToken);
  expect(await mode(file)).toBe(0o600);
  expect(await mode(dir)).toBe(0o700);
  expect(l.warnings.join('\n')).toContain(`${file} was readable by others (mode 644); made it private (chmod 600)`);
  expect(l.warnings.join('\n')).toContain(`${dir} was readable by others (mode 755); made it private (chmod 700)`);
  // Private now: the next read says nothing.
  const again = logs();
  await readCache(dir, KEY, again.logger);
  expect(again.warnings).toEqual([]);
});

const isRoot = process.getuid?.() === 0;
/** A uid with no privileges and no files of its own here. */
const OTHER_UID = 54321;

/**
 * Make the cache file one the current user does not own: given to OTHER_UID when root; otherwise
 * (nothing can be given away without root) its name is made to lead to one of root's files, which
 * is what the check looks at, as reading the name would. Returns the owner's uid.
 */
async function giveAway(file: string, uid: number): Promise<number> {
  if (isRoot) {
    await chown(file, uid, uid);
    return uid;
  }
  await unlink(file);
  await symlink('/etc/passwd', file);
  return (await stat(file)).uid;
}

test('a cache file that belongs to another user is ignored with a warning', async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'cn-perm-')), 'cache');
  await writeCache(dir, KEY, TOKENS);
  const file = join(dir, cacheFileName(KEY));
  const owner = await giveAway(file, OTHER_UID);
  expect(owner).not.toBe(process.getuid?.());
  const l = logs();
  expect(await readCache(dir, KEY, l.logger)).toBeUndefined();
  expect(l.warnings.join('\n')).toContain(`ignoring token cache file ${file}: it belongs to another user (uid ${owner})`);
});

/**
 * readCache as a user without privileges, in a child process: the module bundled into one file in
 * a folder that user can read (the repository may sit below /root), run under setpriv with
 * OTHER_UID when the tests run as root. Returns the warnings it logged and whether it used the file.
 */
async function readCacheAsUnprivilegedUser(work: string, dir: string): Promise<{ used: boolean; warnings: string[] }> {
  const entry = join(work, 'entry.ts');
  await writeFile(
    entry,
    `import { readCache } from ${JSON.stringify(resolve(import.meta.dirname, '../../src/tokens/cache.ts'))};
const warnings = [];
const logger = { level: 'info', info() {}, debug() {}, warn: (m) => warnings.push(m) };
const cached = await readCache(process.argv[2], JSON.parse(process.argv[3]), logger);
process.stdout.write(JSON.stringify({ used: cached !== undefined, warnings, uid: process.getuid() }));`,
  );
  const script = join(work, 'read-cache.mjs');
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: script, logLevel: 'silent' });
  await chmod(script, 0o644);
  const argv = [process.execPath, script, dir, JSON.stringify(KEY)];
  const command = isRoot ? ['setpriv', `--reuid=${OTHER_UID}`, `--regid=${OTHER_UID}`, '--clear-groups', ...argv] : argv;
  const res = spawnSync(command[0]!, command.slice(1), { cwd: work, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: work }, timeout: 20_000 });
  if (res.error || res.status !== 0) throw new Error(`the check as uid ${isRoot ? OTHER_UID : process.getuid?.()} failed: ${res.error?.message ?? ''}${res.stderr}`);
  const out = JSON.parse(res.stdout) as { used: boolean; warnings: string[]; uid: number };
  expect(out.uid).not.toBe(0);
  return out;
}

test('as a user without privileges: a cache file root left behind (a sudo run) is ignored with a warning', async () => {
  const work = await mkdtemp(join(tmpdir(), 'cn-perm-'));
  await chmod(work, 0o755);
  const dir = join(work, 'cache');
  await writeCache(dir, KEY, TOKENS);
  const file = join(dir, cacheFileName(KEY));
  if (isRoot) await chown(dir, OTHER_UID, OTHER_UID); // the folder is the user's own; the file in it stays root's
  else expect(await giveAway(file, 0)).toBe(0);
  const r = await readCacheAsUnprivilegedUser(work, dir);
  expect(r.used).toBe(false);
  expect(r.warnings.join('\n')).toContain(`ignoring token cache file ${file}: it belongs to another user (uid 0)`);
});

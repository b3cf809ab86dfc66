// The token cache refuses to be careless (issue 11): a cache file or folder that others can read is
// reported and made private (chmod 600/700) before its tokens are used, and a file that belongs to
// another user is ignored, never used silently. Real files in a temporary folder.
import { chmod, chown, mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
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

test('a cache file that belongs to another user is ignored with a warning', async () => {
  test.skip(process.getuid?.() !== 0, 'needs root to give the file to another user');
  const dir = join(await mkdtemp(join(tmpdir(), 'cn-perm-')), 'cache');
  await writeCache(dir, KEY, TOKENS);
  const file = join(dir, cacheFileName(KEY));
  await chown(file, 54321, 54321);
  const l = logs();
  expect(await readCache(dir, KEY, l.logger)).toBeUndefined();
  expect(l.warnings.join('\n')).toContain(`ignoring token cache file ${file}: it belongs to another user (uid 54321)`);
});

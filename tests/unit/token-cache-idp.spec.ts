// The token cache keys on the federated IdP: the same username through another IdP (or none) is
// another file, a file written for another IdP is ignored, and non-federated keys hash as before.
import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { cacheFileName, cacheKeyFor, readCache, writeCache } from '../../src/tokens/cache.js';
import type { Logger } from '../../src/log.js';

const IDP = { domain: 'https://pool.auth.eu-west-1.amazoncognito.com', clientId: 'client1', scopes: ['openid', 'email'] };
const TOKENS = { accessToken: 'a.b.c', tokenType: 'Bearer', expiresIn: 3600, accessTokenExpiresAt: Date.now() + 3_600_000 };

test('the same user via two IdPs by name, via an identifier and directly are four cache files', () => {
  const names = new Set([
    cacheFileName(cacheKeyFor({ ...IDP, identityProvider: 'Okta' }, 'alice')),
    cacheFileName(cacheKeyFor({ ...IDP, identityProvider: 'Entra' }, 'alice')),
    cacheFileName(cacheKeyFor({ ...IDP, idpIdentifier: 'corp.example' }, 'alice')),
    cacheFileName(cacheKeyFor(IDP, 'alice')),
  ]);
  expect(names.size).toBe(4);
  // Identifiers match case-insensitively at Cognito, so they key the same way.
  expect(cacheFileName(cacheKeyFor({ ...IDP, idpIdentifier: 'Corp.Example' }, 'alice'))).toBe(cacheFileName(cacheKeyFor({ ...IDP, idpIdentifier: 'corp.example' }, 'alice')));
});

test('a key without an IdP hashes exactly as before federation existed (existing caches stay valid)', () => {
  const before = createHash('sha256').update(JSON.stringify([1, IDP.domain, IDP.clientId, 'alice', [...IDP.scopes].sort()])).digest('hex');
  expect(cacheFileName(cacheKeyFor(IDP, 'alice'))).toBe(`${before}.json`);
});

test('a cache file written for another IdP is ignored with a warning', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cn-cache-idp-'));
  const okta = cacheKeyFor({ ...IDP, identityProvider: 'Okta' }, 'alice');
  await writeCache(dir, okta, TOKENS);
  expect((await readCache(dir, okta, silent()))?.tokens.accessToken).toBe('a.b.c');
  // Same file name forced by copying: the key stored inside must still match.
  const { copyFile } = await import('node:fs/promises');
  const entra = cacheKeyFor({ ...IDP, identityProvider: 'Entra' }, 'alice');
  await copyFile(join(dir, cacheFileName(okta)), join(dir, cacheFileName(entra)));
  const warnings: string[] = [];
  expect(await readCache(dir, entra, silent(warnings))).toBeUndefined();
  expect(warnings.join('\n')).toContain('identity provider');
});

function silent(warnings: string[] = []): Logger {
  const noop = () => undefined;
  return { debug: noop, info: noop, warn: (m: string) => warnings.push(m), error: noop } as unknown as Logger;
}

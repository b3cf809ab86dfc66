// Unit tests of the token variables handed to Newman: names of the contract, per user, configurable.
import { test, expect } from '@playwright/test';
import type { TokenSet } from '../../src/oauth/types.js';
import { primaryUser, tokenVariables } from '../../src/newman/variables.js';

const tokens = (tag: string, extra: Partial<TokenSet> = {}): TokenSet => ({
  accessToken: `access-${tag}`,
  idToken: `id-${tag}`,
  refreshToken: `refresh-${tag}`,
  tokenType: 'Bearer',
  expiresIn: 3600,
  accessTokenExpiresAt: Date.UTC(2030, 0, 2, 3, 4, 5),
  ...extra,
});

test('the default user gets the unprefixed variables of the contract, expiry as ISO time', () => {
  expect(tokenVariables([{ name: 'default', tokens: tokens('d') }])).toEqual([
    { key: 'accessToken', value: 'access-d' },
    { key: 'idToken', value: 'id-d' },
    { key: 'refreshToken', value: 'refresh-d' },
    { key: 'tokenType', value: 'Bearer' },
    { key: 'accessTokenExpiresAt', value: '2030-01-02T03:04:05.000Z' },
  ]);
});

test('named users get <name>_ variables; the default user alone has the unprefixed ones', () => {
  const vars = tokenVariables([
    { name: 'default', tokens: tokens('d') },
    { name: 'admin', tokens: tokens('a') },
    { name: 'reader', tokens: tokens('r') },
  ]);
  const map = Object.fromEntries(vars.map((v) => [v.key, v.value]));
  expect(map.accessToken).toBe('access-d');
  expect(map.admin_accessToken).toBe('access-a');
  expect(map.reader_idToken).toBe('id-r');
  expect(map.reader_accessTokenExpiresAt).toBe('2030-01-02T03:04:05.000Z');
  expect(vars.filter((v) => v.key === 'accessToken')).toHaveLength(1);
  expect(Object.keys(map)).not.toContain('default_accessToken');
});

test('without a default user the first named user also fills the unprefixed variables', () => {
  const users = [
    { name: 'admin', tokens: tokens('a') },
    { name: 'reader', tokens: tokens('r') },
  ];
  expect(primaryUser(users)?.name).toBe('admin');
  const map = Object.fromEntries(tokenVariables(users).map((v) => [v.key, v.value]));
  expect(map.accessToken).toBe('access-a');
  expect(map.admin_accessToken).toBe('access-a');
  expect(map.reader_accessToken).toBe('access-r');
});

test('variable names are configurable', () => {
  const vars = tokenVariables([{ name: 'admin', tokens: tokens('a') }], { accessToken: 'jwt', idToken: 'id_jwt' });
  const keys = vars.map((v) => v.key);
  expect(keys).toContain('jwt');
  expect(keys).toContain('admin_jwt');
  expect(keys).toContain('admin_id_jwt');
  expect(keys).not.toContain('accessToken');
});

test('absent tokens give no variable, so an environment value is not blanked', () => {
  const { idToken: _i, refreshToken: _r, ...implicit } = tokens('i');
  const keys = tokenVariables([{ name: 'default', tokens: implicit }]).map((v) => v.key);
  expect(keys).toEqual(['accessToken', 'tokenType', 'accessTokenExpiresAt']);
});

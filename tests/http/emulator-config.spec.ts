// Pool configuration: Cognito API shapes (also pasted describe-user-pool-client output), defaults,
// and validation errors that are exit 2 and name the field.
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { ExitCode } from '../../src/errors.js';
import { EmulatorError } from '../../packages/emulator/errors.js';
import { DEFAULT_POOL, loadPoolConfigFile, parsePoolConfig, startEmulator, tokenLifetimes, type PoolConfig } from '../../packages/emulator/src/index.js';
import { authorizeQuery, claims, codeFor, exchange, POSTMAN } from '../fixtures/emulator-http.js';

const minimal = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  UserPoolId: 'us-west-2_Abc123',
  UserPoolClients: [{ ClientId: 'c1', CallbackURLs: ['https://app.example.com/cb'], AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'] }],
  ...over,
});

function configError(json: unknown): EmulatorError {
  try {
    parsePoolConfig(json, 'test config');
  } catch (e) {
    expect(e).toBeInstanceOf(EmulatorError);
    expect((e as EmulatorError).exitCode).toBe(ExitCode.Usage);
    return e as EmulatorError;
  }
  throw new Error('expected the config to be refused');
}

test('a minimal pool gets Cognito defaults and the region from the pool id', () => {
  const p = parsePoolConfig(minimal());
  expect(p.Region).toBe('us-west-2');
  const c = p.UserPoolClients[0]!;
  expect(c).toMatchObject({ EnableTokenRevocation: true, AuthSessionValidity: 3, LogoutURLs: [], AllowedOAuthFlowsUserPoolClient: true });
  expect(tokenLifetimes(c)).toEqual({ access: 3600, id: 3600, refresh: 30 * 86400 });
});

test('a bad callback URL is named by its path, e.g. UserPoolClients[1].CallbackURLs[0]', () => {
  const json = minimal();
  (json.UserPoolClients as unknown[]).push({ ClientId: 'c2', CallbackURLs: ['http://app.example.com/cb'] });
  const e = configError(json);
  expect(e.message).toContain('UserPoolClients[1].CallbackURLs[0]');
  expect(e.message).toContain('http://localhost');
  expect(e.details.field).toBe('UserPoolClients[1].CallbackURLs[0]');
});

for (const [what, mutate, field] of [
  ['a malformed pool id', (j: Record<string, unknown>) => (j.UserPoolId = 'nounderscore'), 'UserPoolId'],
  ['a region that differs from the pool id', (j: Record<string, unknown>) => (j.Region = 'eu-west-1'), 'Region'],
  ['an unknown flow', (j: Record<string, unknown>) => ((j.UserPoolClients as Record<string, unknown>[])[0]!.AllowedOAuthFlows = ['password']), 'UserPoolClients[0].AllowedOAuthFlows[0]'],
  ['a scope no resource server defines', (j: Record<string, unknown>) => ((j.UserPoolClients as Record<string, unknown>[])[0]!.AllowedOAuthScopes = ['openid', 'api/read']), 'UserPoolClients[0].AllowedOAuthScopes[1]'],
  ['a callback with a fragment', (j: Record<string, unknown>) => ((j.UserPoolClients as Record<string, unknown>[])[0]!.CallbackURLs = ['https://a.example/#x']), 'UserPoolClients[0].CallbackURLs[0]'],
  ['an access token lifetime over 1 day', (j: Record<string, unknown>) => ((j.UserPoolClients as Record<string, unknown>[])[0]!.AccessTokenValidity = 25), 'UserPoolClients[0].AccessTokenValidity'],
  ['client_credentials without a secret', (j: Record<string, unknown>) => (j.UserPoolClients = [{ ClientId: 'm', AllowedOAuthFlows: ['client_credentials'] }]), 'UserPoolClients[0].ClientSecret'],
  ['a duplicate ClientId', (j: Record<string, unknown>) => (j.UserPoolClients = [{ ClientId: 'x' }, { ClientId: 'x' }]), 'UserPoolClients[1].ClientId'],
  ['an unknown user status', (j: Record<string, unknown>) => (j.Users = [{ Username: 'a', UserStatus: 'HAPPY' }]), 'Users[0].UserStatus'],
  ['a TOTP secret that is not base32', (j: Record<string, unknown>) => (j.Users = [{ Username: 'a', TotpSecret: 'not base32 at all!!' }]), 'Users[0].TotpSecret'],
  ['an attribute without a value', (j: Record<string, unknown>) => (j.Users = [{ Username: 'a', Attributes: [{ Name: 'email' }] }]), 'Users[0].Attributes[0].Value'],
  ['a duplicate username (case-insensitive pool)', (j: Record<string, unknown>) => (j.Users = [{ Username: 'Ann' }, { Username: 'ann' }]), 'Users[1].Username'],
] as const) {
  test(`config validation names the field for ${what}`, () => {
    const json = minimal();
    mutate(json);
    const e = configError(json);
    expect(e.details.field).toBe(field);
    expect(e.message).toContain(field);
  });
}

test('pasted describe-user-pool-client output ({"UserPoolClient": {...}}) is accepted', () => {
  const p = parsePoolConfig(minimal({ UserPoolClients: [{ UserPoolClient: { ClientId: 'pasted', CallbackURLs: ['https://x.example/cb'], AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], CreationDate: '2024-01-01T00:00:00Z' } }] }));
  expect(p.UserPoolClients[0]!.ClientId).toBe('pasted');
});

test('admin-get-user style UserAttributes are accepted as Attributes', () => {
  const p = parsePoolConfig(minimal({ Users: [{ Username: 'a', UserAttributes: [{ Name: 'email', Value: 'a@x.example' }] }] }));
  expect(p.Users[0]!.Attributes).toEqual([{ Name: 'email', Value: 'a@x.example' }]);
});

test('loadPoolConfigFile: a missing file and invalid JSON are usage errors', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'emu-config-'));
  await expect(loadPoolConfigFile(join(dir, 'none.json'))).rejects.toMatchObject({ code: 'EMULATOR_CONFIG_UNREADABLE', exitCode: 2 });
  const bad = join(dir, 'bad.json');
  await writeFile(bad, '{ "UserPoolId": ');
  await expect(loadPoolConfigFile(bad)).rejects.toMatchObject({ code: 'EMULATOR_BAD_CONFIG', exitCode: 2 });
});

test('the example config examples/emulator/my-pool.json loads and signs in', async () => {
  const config = await loadPoolConfigFile('examples/emulator/my-pool.json');
  const emu = await startEmulator({ config });
  try {
    expect(emu.issuer).toBe(`${emu.baseUrl}/eu-west-1_MyPool42`);
    const q = authorizeQuery({ client_id: 'my-postman-client', scope: 'openid orders/read' });
    const code = await codeFor(emu.baseUrl, 'alice', 'Alice-Passw0rd!', q);
    const t = (await (await exchange(emu.baseUrl, { grant_type: 'authorization_code', client_id: 'my-postman-client', code, redirect_uri: POSTMAN })).json()) as Record<string, string>;
    expect(claims(t.id_token!)).toMatchObject({ 'custom:tenant': 'acme', 'cognito:groups': ['admins'] });
    expect(claims(t.access_token!)).toMatchObject({ scope: 'openid orders/read' });
  } finally {
    await emu.stop();
  }
});

test('the default pool matches the page contract (docs/hosted-ui-pages.md)', () => {
  const p = parsePoolConfig(DEFAULT_POOL);
  expect(p.UserPoolId).toBe('us-east-1_DemoPool1');
  const byId = Object.fromEntries(p.UserPoolClients.map((c) => [c.ClientId, c]));
  expect(byId['demo-public-client']).toMatchObject({ AllowedOAuthFlows: ['code', 'implicit'] });
  expect(byId['demo-public-client']!.ClientSecret).toBeUndefined();
  expect(byId['demo-confidential-client']).toMatchObject({ ClientSecret: 'demo-confidential-secret', AllowedOAuthFlows: ['code'] });
  expect(byId['demo-m2m-client']).toMatchObject({ ClientSecret: 'demo-m2m-secret', AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['demo-api/read', 'demo-api/write'] });
  for (const id of ['demo-public-client', 'demo-confidential-client']) {
    expect(byId[id]!.CallbackURLs).toEqual(['https://oauth.pstmn.io/v1/callback', 'https://oauth.pstmn.io/v1/browser-callback', 'http://localhost:*/callback', 'myapp://callback']);
    expect(byId[id]!.AllowedOAuthScopes).toEqual(['openid', 'email', 'profile', 'phone', 'aws.cognito.signin.user.admin', 'demo-api/read']);
  }
  const users = Object.fromEntries(p.Users.map((u) => [u.Username, u]));
  expect(users.admin).toMatchObject({ Password: 'Admin-Passw0rd!', Groups: ['admin'] });
  expect(users.reader).toMatchObject({ Password: 'Reader-Passw0rd!', Groups: ['reader'] });
  expect(users['mfa-user']!.TotpSecret).toBeTruthy();
  expect(users['new-password-user']).toMatchObject({ Password: 'Temp-Passw0rd!', UserStatus: 'FORCE_CHANGE_PASSWORD' });
  expect(users['unconfirmed-user']).toMatchObject({ Password: 'Unconf-Passw0rd!', UserStatus: 'UNCONFIRMED' });
  expect(users['reset-user']).toMatchObject({ UserStatus: 'RESET_REQUIRED' });
  expect(users['disabled-user']).toMatchObject({ Enabled: false });
});

test('a pool that signs in by email finds the user by email address', async () => {
  const config: PoolConfig = { ...minimal(), UsernameAttributes: ['email'], Users: [{ Username: '7c1e-uuid', Password: 'Mail-Passw0rd!', Attributes: [{ Name: 'email', Value: 'mail@example.com' }] }] } as PoolConfig;
  (config.UserPoolClients![0] as Record<string, unknown>).CallbackURLs = [POSTMAN];
  const emu = await startEmulator({ config });
  try {
    const code = await codeFor(emu.baseUrl, 'MAIL@example.com', 'Mail-Passw0rd!', authorizeQuery({ client_id: 'c1', scope: 'openid' }));
    expect(code).toMatch(/-/);
  } finally {
    await emu.stop();
  }
});

test('a client with EnableTokenRevocation false refuses revoke with invalid_request', async () => {
  const config = minimal();
  (config.UserPoolClients as Record<string, unknown>[])[0]!.EnableTokenRevocation = false;
  const emu = await startEmulator({ config: config as PoolConfig });
  try {
    const res = await fetch(`${emu.baseUrl}/oauth2/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=eyJjx&client_id=c1' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
  } finally {
    await emu.stop();
  }
});

test('a client with AllowedOAuthFlowsUserPoolClient false gets unauthorized_client at authorize', async () => {
  const config = minimal();
  (config.UserPoolClients as Record<string, unknown>[])[0]!.AllowedOAuthFlowsUserPoolClient = false;
  const emu = await startEmulator({ config: config as PoolConfig });
  try {
    const res = await fetch(`${emu.baseUrl}/oauth2/authorize?${authorizeQuery({ client_id: 'c1', redirect_uri: 'https://app.example.com/cb', scope: 'openid' })}`, { redirect: 'manual' });
    expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('unauthorized_client');
  } finally {
    await emu.stop();
  }
});

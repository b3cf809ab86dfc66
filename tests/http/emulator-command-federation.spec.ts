// `cognito-newman emulator --config` with a SAML LocalUpstream: the local IdP is started before the
// pool answers, its metadata URL replaces MetadataURL, the output lists the IdP and its users
// (passwords hidden), an OIDC LocalUpstream starts the local OIDC upstream as its issuer, and
// stop() stops the IdP too.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test, expect } from '@playwright/test';
import type { Logger } from '../../src/log.js';
import { runEmulatorCommand } from '../../packages/emulator/src/command.js';

const PASSWORD = 'Local-Saml-Passw0rd!';
const config = {
  UserPoolId: 'eu-west-1_Fed1',
  UserPoolClients: [{ ClientId: 'web', CallbackURLs: ['http://localhost:*/callback'], AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid', 'email'], SupportedIdentityProviders: ['COGNITO', 'Corp'] }],
  IdentityProviders: [{ ProviderName: 'Corp', ProviderType: 'SAML', ProviderDetails: {}, IdpIdentifiers: ['corp.example'], LocalUpstream: { Users: [{ Username: 'carol', Password: PASSWORD }] } }],
};

async function configFile(json: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cn-emu-fed-'));
  const path = join(dir, 'pool.json');
  await writeFile(path, JSON.stringify(json));
  return path;
}

test('a SAML LocalUpstream is started with the emulator, listed in its output, and stopped with it', async () => {
  const lines: string[] = [];
  const logger: Logger = { level: 'info', info: (m) => lines.push(m), warn: (m) => lines.push(`warning: ${m}`), debug: () => {} };
  const out = new Writable({ write: (_c, _e, cb) => cb() });
  const emu = await runEmulatorCommand({ port: 0, configPath: await configFile(config) }, logger, out);
  const local = emu.upstreams.get('Corp')!;
  try {
    const text = lines.join('\n');
    expect(text).toContain(`  Corp (SAML; metadata ${local.baseUrl}/metadata; identifiers corp.example; clients web)`);
    expect(text).toContain(`local SAML IdP at ${local.baseUrl} (emulator-only; real Cognito cannot reach loopback)`);
    expect(text).toContain('user carol (password set) -> pool user Corp_carol');
    expect(text).not.toContain(PASSWORD);
    const metadata = await fetch(`${local.baseUrl}/metadata`);
    expect(await metadata.text()).toContain('IDPSSODescriptor');
  } finally {
    await emu.stop();
  }
  await expect(fetch(`${local.baseUrl}/metadata`)).rejects.toThrow();
});

test('an OIDC LocalUpstream starts the local OIDC upstream, and the IdP\'s issuer is that OP', async () => {
  const oidc = { ...config, IdentityProviders: [{ ProviderName: 'Corp', ProviderType: 'OIDC', ProviderDetails: { client_id: 'a', client_secret: 'b', authorize_scopes: 'openid' }, LocalUpstream: { Users: [{ Username: 'carol', Password: PASSWORD }] } }] };
  const logger: Logger = { level: 'info', info: () => {}, warn: () => {}, debug: () => {} };
  const started = await runEmulatorCommand({ port: 0, configPath: await configFile(oidc) }, logger, new Writable({ write: (_c, _e, cb) => cb() }));
  const local = started.upstreams.get('Corp')!;
  try {
    expect(started.config.identityProviders[0]!.oidc!.issuer).toBe(local.issuer);
    expect((await fetch(`${local.issuer}/.well-known/openid-configuration`)).status).toBe(200);
  } finally {
    await started.stop();
  }
  await expect(fetch(`${local.issuer}/.well-known/openid-configuration`)).rejects.toThrow();
});

// The `cognito-newman emulator` lines about federation: each IdP, who may use it, and where a local
// upstream listens (emulator-only: real Cognito cannot reach loopback).
import type { RunningEmulator } from '../index.js';

export function describeIdentityProviders(emu: RunningEmulator, showSecrets: boolean): string[] {
  const providers = emu.config.identityProviders;
  if (!providers.length) return [];
  const lines = ['', 'Identity providers:'];
  for (const p of providers) {
    const clients = emu.config.UserPoolClients.filter((c) => c.supportedIdentityProviders.includes(p.providerName)).map((c) => c.ClientId);
    const where = p.oidc ? `issuer ${p.oidc.issuer ?? '?'}` : p.saml?.metadataUrl ? `metadata ${p.saml.metadataUrl}` : 'metadata from MetadataFile';
    const notes = [p.providerType, where, p.idpIdentifiers.length ? `identifiers ${p.idpIdentifiers.join(', ')}` : '', clients.length ? `clients ${clients.join(', ')}` : 'no client offers it'].filter(Boolean);
    lines.push(`  ${p.providerName} (${notes.join('; ')})`);
    const local = emu.upstreams.get(p.providerName);
    if (local && p.localUpstream) {
      lines.push(`    local ${p.providerType} IdP at ${local.baseUrl} (emulator-only; real Cognito cannot reach loopback)`);
      for (const u of p.localUpstream.users) {
        const secret = showSecrets ? `password ${u.password}` : 'password set';
        // The pool username is <ProviderName>_<sub> (OIDC) or <ProviderName>_<NameID> (SAML); both default to the username.
        const subject = u.claims?.[p.providerType === 'SAML' ? 'nameID' : 'sub'];
        lines.push(`    user ${u.username} (${secret}${u.totpSecret ? '; TOTP' : ''}) -> pool user ${p.providerName}_${typeof subject === 'string' ? subject : u.username}`);
      }
    }
  }
  return lines;
}

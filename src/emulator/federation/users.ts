// The federated user in the pool: `<ProviderName>_<sub or NameID>`, status EXTERNAL_PROVIDER, the
// `identities` attribute, the automatic `<poolId>_<ProviderName>` group, and attributes from the
// IdP's AttributeMapping, refreshed at every sign-in (federation-reference A.4).
import type { UserConfig } from '../config.js';
import type { Emu } from '../context.js';
import type { FederatedIdentityProvider } from './idp-config.js';

/** Cognito's username limit; a longer federated name fails with its validation message. */
export const MAX_USERNAME = 128;

export const federatedUsername = (idp: FederatedIdentityProvider, subject: string): string => `${idp.providerName}_${subject}`;

/** One claim as a Cognito attribute value (strings as they are; booleans "true"/"false"; lists comma-joined). */
function attributeValue(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(',');
  return JSON.stringify(v);
}

/** Pool attributes from the IdP's claims per AttributeMapping (`username` is the subject, not an attribute). */
export function mapAttributes(idp: FederatedIdentityProvider, claims: Record<string, unknown>): { Name: string; Value: string }[] {
  const out: { Name: string; Value: string }[] = [];
  for (const [poolAttr, claim] of Object.entries(idp.attributeMapping)) {
    if (poolAttr === 'username' || poolAttr === 'sub' || poolAttr === 'identities') continue;
    const v = attributeValue(claims[claim]);
    if (v !== undefined) out.push({ Name: poolAttr, Value: v });
  }
  return out;
}

/**
 * Create the federated user on the first sign-in, update its mapped attributes on later ones.
 * Returns the pool username, or a Cognito-style validation error text.
 */
export function linkFederatedUser(
  emu: Emu,
  idp: FederatedIdentityProvider,
  subject: string,
  claims: Record<string, unknown>,
): { username: string } | { error: string } {
  const username = federatedUsername(idp, subject);
  if (username.length > MAX_USERNAME) {
    return { error: `1 validation error detected: Value '${username}' at 'userName' failed to satisfy constraint: Member must have length less than or equal to ${MAX_USERNAME}` };
  }
  const mapped = mapAttributes(idp, claims);
  const group = `${emu.pool.UserPoolId}_${idp.providerName}`;
  const existing = emu.store.findUser(username);
  if (existing) {
    for (const a of mapped) {
      const at = existing.Attributes.findIndex((x) => x.Name === a.Name);
      if (at >= 0) existing.Attributes[at] = a;
      else existing.Attributes.push(a);
    }
    if (!existing.Groups.includes(group)) existing.Groups.push(group);
    return { username: existing.Username };
  }
  const identities = [
    { userId: subject, providerName: idp.providerName, providerType: idp.providerType, issuer: null, primary: 'true', dateCreated: String(emu.clock.now()) },
  ];
  const user: UserConfig = {
    Username: username,
    Attributes: [...mapped, { Name: 'identities', Value: JSON.stringify(identities) }],
    UserStatus: 'EXTERNAL_PROVIDER',
    Enabled: true,
    Passkeys: [],
    Groups: [group],
  };
  const key = emu.pool.UsernameConfiguration?.CaseSensitive ? username : username.toLowerCase();
  emu.store.users.set(key, user);
  return { username };
}

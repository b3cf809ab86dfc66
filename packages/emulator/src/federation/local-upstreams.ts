// Emulator-only convenience: IdentityProviders items with `LocalUpstream` get a real IdP started on
// loopback next to the emulator (SAML: upstream/saml; OIDC: upstream/oidc), and their
// ProviderDetails (MetadataURL / oidc_issuer) pointed at it. Real Cognito cannot reach loopback.
import { usageError } from '../../errors.js';
import type { Emu } from '../context.js';
import type { RunningSamlUpstream } from '../upstream/saml/index.js';
import { idpResponseUrl } from './oidc.js';
import { acsUrl, spEntityId } from './saml.js';
import { startOidcUpstream } from '../upstream/oidc/index.js';
import type { UpstreamLoginUi } from '../upstream/oidc/login-ui.js';

export interface LocalUpstream {
  providerName: string;
  providerType: 'OIDC' | 'SAML';
  baseUrl: string;
  /** OIDC: the issuer. */
  issuer?: string;
  /** SAML: the metadata URL and the running IdP (tests may point it at another SP). */
  metadataUrl?: string;
  saml?: RunningSamlUpstream;
  stop(): Promise<void>;
}

/** Start every configured local upstream (after the emulator listens: they need its ACS / redirect URL). */
export async function startLocalUpstreams(emu: Emu, host: string): Promise<LocalUpstream[]> {
  const started: LocalUpstream[] = [];
  try {
    for (const idp of emu.pool.identityProviders) {
      const local = idp.localUpstream;
      if (!local) continue;
      if (idp.providerType === 'SAML') {
        // Loaded only when configured: the SAML libraries are not on the start-up path of other pools.
        const { startSamlUpstream } = await import('../upstream/saml/index.js');
        const up = await startSamlUpstream({
          host,
          sp: { entityId: spEntityId(emu.pool.UserPoolId), acsUrl: acsUrl(emu) },
          users: local.users,
          organisation: `${idp.providerName} (local SAML IdP)`,
        });
        idp.saml = { ...(idp.saml ?? { idpInit: false, idpSignout: false }), metadataUrl: up.metadataUrl };
        delete idp.saml.metadataFile;
        started.push({ providerName: idp.providerName, providerType: 'SAML', baseUrl: up.baseUrl, metadataUrl: up.metadataUrl, saml: up, stop: () => up.stop() });
        continue;
      }
      if (!idp.oidc) {
        throw usageError('EMULATOR_OIDC_UPSTREAM_MISSING', `IdentityProviders ${idp.providerName}: an OIDC LocalUpstream needs ProviderDetails (client_id, client_secret, authorize_scopes).`, {
          hint: 'Give the OIDC ProviderDetails the upstream client is made from.',
        });
      }
      const up = await startOidcUpstream({
        host,
        // The config checks LoginUi against the replicas' names; the upstream refuses others too.
        ...(local.loginUi ? { loginUi: local.loginUi as UpstreamLoginUi } : {}),
        clients: [{ clientId: idp.oidc.clientId, clientSecret: idp.oidc.clientSecret, redirectUris: [idpResponseUrl(emu)] }],
        users: local.users,
      });
      idp.oidc.issuer = up.issuer;
      started.push({ providerName: idp.providerName, providerType: 'OIDC', baseUrl: up.baseUrl, issuer: up.issuer, stop: () => up.stop() });
    }
  } catch (err) {
    await Promise.all(started.map((u) => u.stop()));
    throw err;
  }
  return started;
}

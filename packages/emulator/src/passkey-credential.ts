// A passkey made outside the browser (node:crypto, ES256): the Playwright credential JSON that
// `browserContext.credentials.create(rpId, credential)` takes back, and the matching pool
// `Passkeys` entry, so a demo or a test can seed a user's passkey before the emulator starts.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { PasskeyCredential } from 'cognito-newman-common/passkey-credential';
import type { PasskeyConfig } from './config.js';
import { userSub } from './tokens.js';

export type { PasskeyCredential };

/** The WebAuthn user handle the emulator gives a user: the UTF-8 bytes of its `sub`, base64url. */
export function passkeyUserHandle(poolId: string, username: string, sub?: string): string {
  const s = sub ?? userSub(poolId, { Username: username, Attributes: [] } as never);
  return Buffer.from(s).toString('base64url');
}

export function createPasskeyCredential(rpId: string, userHandle: string): { credential: PasskeyCredential; poolEntry: PasskeyConfig } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const credential: PasskeyCredential = {
    id: randomBytes(16).toString('base64url'),
    rpId,
    userHandle,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64url'),
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64url'),
    signCount: 0,
  };
  return {
    credential,
    poolEntry: { CredentialId: credential.id, PublicKey: credential.publicKey, SignCount: 0, RelyingPartyId: rpId, UserHandle: userHandle },
  };
}

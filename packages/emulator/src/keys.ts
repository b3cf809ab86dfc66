// The pool's two RSA signing keys (Cognito signs id and access tokens with different keys) and
// the JWKS. Generated once per process and cached so every later start-up is fast.
import { generateKeyPair, exportJWK, calculateJwkThumbprint, type JWK, type CryptoKey } from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface PoolKeys {
  id: SigningKey;
  access: SigningKey;
  /** `{"keys":[...]}` as served at /<poolId>/.well-known/jwks.json. */
  jwks: { keys: JWK[] };
}

async function makeKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(publicKey);
  // Cognito kids are base64 strings; a thumbprint gives a stable, unique one per key.
  const kid = `${await calculateJwkThumbprint(jwk)}=`;
  return { kid, privateKey, publicJwk: { kid, alg: 'RS256', kty: 'RSA', e: jwk.e!, n: jwk.n!, use: 'sig' } };
}

let cached: Promise<PoolKeys> | undefined;

/** The process-wide key pair set (two keys); created on first use. */
export function poolKeys(): Promise<PoolKeys> {
  cached ??= (async () => {
    const [id, access] = await Promise.all([makeKey(), makeKey()]);
    return { id, access, jwks: { keys: [id.publicJwk, access.publicJwk] } };
  })();
  return cached;
}

// The passkey credential JSON, shared by the runner (TEST_USER_PASSKEY, `passkey enroll`'s output,
// installed into Playwright's software authenticator) and the emulator (demo and test passkeys it
// makes and seeds): one shape, the one `browserContext.credentials.create(rpId, {...})` takes
// (cognito-reference 3.2).

/**
 * `privateKey` is PKCS#8 DER and `publicKey` SPKI DER, both base64url; `id` and `userHandle`
 * base64url. The runner derives the signature counter from the clock and never stores it.
 */
export interface PasskeyCredential {
  id: string;
  rpId: string;
  userHandle: string;
  privateKey: string;
  publicKey: string;
  /** A floor for the counter (Playwright's own export carries one); the clock counter is used when higher. */
  signCount?: number;
}

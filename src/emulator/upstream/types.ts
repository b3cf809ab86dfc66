// What the local upstream identity providers (OIDC and SAML) share: the users they sign in.

/** A user of a local upstream IdP: real password checking, TOTP when a secret is set, extra claims or attributes. */
export type UpstreamUser = {
  username: string;
  password: string;
  /** Base32 TOTP secret: the IdP asks for a code after the password. */
  totpSecret?: string;
  /** Claims (OIDC) or attributes (SAML) released for this user; `sub` defaults to the username. */
  claims?: Record<string, unknown>;
};

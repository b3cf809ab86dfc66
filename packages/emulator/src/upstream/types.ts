// The users of a local upstream IdP (the SAML one here, the OIDC one in upstream/oidc): who may
// sign in on its password page and which claims or SAML attributes it releases for them.

export interface UpstreamUser {
  /** What the user types on the IdP's page; also the SAML NameID / OIDC `sub` unless claims say otherwise. */
  username: string;
  password: string;
  /** Base32 TOTP secret: the IdP then asks for a one-time code after the password. */
  totpSecret?: string;
  /** Released claims (OIDC) or attributes (SAML), e.g. `{ email: 'a@example.com', groups: ['x'] }`. */
  claims?: Record<string, unknown>;
}

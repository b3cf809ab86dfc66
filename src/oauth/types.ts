// Token shapes shared by the token client, the login driver, the cache and the Newman runner.

/** Tokens from one grant. Times are epoch milliseconds. */
export interface TokenSet {
  accessToken: string;
  idToken?: string;
  refreshToken?: string;
  /** As the server sent it (`Bearer`, or `bearer` from the implicit grant). */
  tokenType: string;
  expiresIn: number;
  accessTokenExpiresAt: number;
  scope?: string;
}

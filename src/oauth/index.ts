// The OAuth steps in one import: PKCE/state/nonce, authorize URL, callback validation, token
// endpoint client and JWT checks.
export { createLoginAttempt, type LoginAttempt } from './authorize.js';
export { validateCallback, type CodeCallback, type ImplicitCallback, type ValidatedCallback, type ValidateCallbackOptions } from './callback.js';
export { pkceChallenge } from './pkce.js';
export { exchangeCode, refreshTokens, clientCredentials, revokeToken, type TokenClientOptions } from './token-client.js';
export { verifyTokenSet, type VerifyExpectations } from './jwt.js';
export { oauthError, oauthErrorCode, type OAuthStep } from './errors.js';
export { parseRetryAfter } from './http.js';
export type { TokenSet } from './types.js';

// The shape of a run's summary, apart from the code that builds it: the public library API returns
// it, and its declarations must not need Newman's type package (a devDependency) in a consumer.

export interface RunFailure {
  /** `assertion` for a failed pm.test, `error` for a request or script error. */
  kind: 'assertion' | 'error';
  /** The request (item) the failure happened in. */
  item: string;
  /** The test name, or the error's name. */
  test: string;
  /** Redacted. */
  message: string;
  iteration: number;
}

export interface UserReport {
  name: string;
  /** The Cognito username, when known. */
  username?: string;
  /** The Newman variables that carry this user's tokens. */
  variables: string[];
  /** ISO time the access token expires. */
  accessTokenExpiresAt: string;
}

export interface RunSummary {
  collection: string;
  passed: boolean;
  iterations: number;
  requests: { total: number; failed: number };
  assertions: { total: number; failed: number };
  failures: RunFailure[];
  durationMs: number;
  users: UserReport[];
  /** OAuth 2.0 blocks that received a token, whose and which one. */
  authBlocks: { count: number; user?: string; token: 'access' | 'id' };
  /** Files written by reporters and exports, redacted. */
  reports: string[];
  /** A run-level error (Newman's own), redacted. */
  error?: string;
}

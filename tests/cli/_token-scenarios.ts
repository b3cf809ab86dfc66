// The scenarios of `cognito-newman token` (issue 3's acceptance list), as one table shared by the
// end-to-end tests (token.spec.ts: each scenario's outcome) and the leak test (leak.spec.ts: the
// same runs, searched for secrets). Each run gets its own emulator on port 0 and a fresh cwd, and
// runs the BUILT CLI with real Chromium, so what is proven is what a user gets.
import http from 'node:http';
import { mkdtempSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { startEmulator, DEFAULT_MFA_SECRET, type EmulatorOptions, type RunningEmulator } from '../../packages/emulator/src/index.js';
import { runCli, describe, type CliResult } from '../fixtures/cli.js';
import { Jar, submitPage, authorizeQuery, claims } from '../fixtures/emulator-http.js';

export { describe, claims };

/** The default pool's users (docs/hosted-ui-pages.md). */
export const USERS = {
  admin: { username: 'admin', password: 'Admin-Passw0rd!' },
  reader: { username: 'reader', password: 'Reader-Passw0rd!' },
  mfa: { username: 'mfa-user', password: 'Mfa-Passw0rd!', totpSecret: DEFAULT_MFA_SECRET },
  newPassword: { username: 'new-password-user', password: 'Temp-Passw0rd!' },
  unconfirmed: { username: 'unconfirmed-user', password: 'Unconf-Passw0rd!' },
} as const;

type User = { username: string; password: string; totpSecret?: string };

export const PUBLIC_CLIENT = 'demo-public-client';
export const CONFIDENTIAL = { id: 'demo-confidential-client', secret: 'demo-confidential-secret' };
export const M2M = { id: 'demo-m2m-client', secret: 'demo-m2m-secret' };
export const UNREGISTERED_CALLBACK = 'https://app.example.com/not-registered/callback';

/** What a scenario's hooks and checks can see. */
export interface ScenarioRun {
  emulator: RunningEmulator;
  /** The CLI's working directory (artifacts, cache and anything else it writes land here). */
  cwd: string;
  env: Record<string, string | undefined>;
  /** The run the scenario is about. */
  result: CliResult;
  /** Every CLI run of the scenario, the main one last (the refresh scenario runs twice). */
  outputs: CliResult[];
  /** Requests the scenario's own loopback callback server received, if it has one. */
  callbackHits: string[];
}

export interface Scenario {
  /** Short id, for the leak test's titles and special cases. */
  id: string;
  /** The behaviour, as the test title states it. */
  title: string;
  emulator?: EmulatorOptions;
  /** The default test user; `null` for no user (client credentials). Default: admin. */
  user?: User | null;
  /** Extra environment (values `undefined` remove a variable). */
  env?: (emulator: RunningEmulator, ctx: { cwd: string; callbackPort: number | undefined }) => Record<string, string | undefined>;
  args?: string[];
  /** A loopback server standing where the redirect URI points, counting requests. */
  callbackServer?: boolean;
  /** Before the main run: faults, earlier failures, an earlier run. */
  before?: (emulator: RunningEmulator, ctx: { run: (args: string[]) => Promise<CliResult> }) => Promise<void> | void;
  exit: number;
  /** The error code expected in `error [CODE]` on stderr. */
  errorCode?: string;
  /** Scenario-specific assertions, while the emulator still runs. */
  check?: (run: ScenarioRun) => Promise<void> | void;
  /** Bound on one CLI run (a hung CLI fails the test instead of the suite). */
  timeoutMs?: number;
  /** Where its outcome is already proven end to end: token.spec.ts skips it, the leak test still runs it. */
  provenIn?: string;
}

export interface RunOptions {
  /** Appended to the scenario's own arguments (the leak test adds --debug). */
  extraArgs?: string[];
  /** Point HOME and TMPDIR into the cwd too, so whatever the run leaves anywhere is searched. */
  confineHome?: boolean;
  /** Skip the scenario's own check (the leak test asserts the exit code only). */
  skipCheck?: boolean;
  /** More assertions while the emulator still runs. */
  inspect?: (run: ScenarioRun) => Promise<void>;
}

/** The environment a user of the emulator sets (see the `emulator` command's printout), CI so no cache. */
export function baseEnv(emulator: RunningEmulator, user: User | null): Record<string, string | undefined> {
  return {
    CI: 'true',
    COGNITO_DOMAIN: emulator.baseUrl,
    COGNITO_CLIENT_ID: PUBLIC_CLIENT,
    COGNITO_USER_POOL_ID: emulator.poolId,
    COGNITO_ISSUER: emulator.issuer,
    ...(user
      ? {
          TEST_USER_USERNAME: user.username,
          TEST_USER_PASSWORD: user.password,
          ...(user.totpSecret ? { TEST_USER_TOTP_SECRET: user.totpSecret } : {}),
        }
      : {}),
  };
}

/** A server on the loopback address where a redirect URI points: it must never get a request. */
async function countingServer(): Promise<{ port: number; hits: string[]; close: () => Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.end('callback reached');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  // Sanity: it does count (so zero hits later means nothing came, not a dead server).
  await fetch(`http://127.0.0.1:${port}/probe`).then((r) => r.text());
  expect(hits).toEqual(['GET /probe']);
  hits.length = 0;
  return { port, hits, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Run one scenario end to end: emulator, hooks, the CLI, then the check; everything stopped after. */
export async function runScenario(s: Scenario, options: RunOptions = {}): Promise<ScenarioRun> {
  const emulator = await startEmulator({ port: 0, ...s.emulator });
  const cwd = mkdtempSync(join(tmpdir(), `cn-token-${s.id}-`));
  const callback = s.callbackServer ? await countingServer() : undefined;
  try {
    const user = s.user === undefined ? USERS.admin : s.user;
    const env: Record<string, string | undefined> = {
      ...baseEnv(emulator, user),
      ...s.env?.(emulator, { cwd, callbackPort: callback?.port }),
    };
    if (options.confineHome) {
      for (const d of ['home', 'tmp']) mkdirSync(join(cwd, d));
      env.HOME = join(cwd, 'home');
      env.TMPDIR = join(cwd, 'tmp');
    }
    const outputs: CliResult[] = [];
    const run = async (args: string[]) => {
      const r = await runCli([...args, ...(options.extraArgs ?? [])], { env, cwd, timeoutMs: s.timeoutMs ?? 90_000 });
      outputs.push(r);
      return r;
    };
    await s.before?.(emulator, { run });
    const result = await run(['token', ...(s.args ?? [])]);
    const done: ScenarioRun = { emulator, cwd, env, result, outputs, callbackHits: callback?.hits ?? [] };
    expect(result.code, describe(result)).toBe(s.exit);
    if (s.errorCode) expect(result.stderr, describe(result)).toContain(`error [${s.errorCode}]`);
    if (!options.skipCheck) await s.check?.(done);
    await options.inspect?.(done);
    return done;
  } finally {
    await callback?.close();
    await emulator.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Assertions shared by the scenarios

export interface PrintedTokens {
  accessToken: string;
  idToken?: string;
  refreshToken?: string;
  tokenType: string;
  expiresIn: number;
  accessTokenExpiresAt: string;
  scope?: string;
}

/** stdout must be exactly one JSON document of tokens: nothing else shares it. */
export function printedTokens(r: CliResult): PrintedTokens {
  let parsed: unknown;
  expect(() => (parsed = JSON.parse(r.stdout)), describe(r)).not.toThrow();
  const t = parsed as PrintedTokens;
  expect(typeof t.accessToken, describe(r)).toBe('string');
  return t;
}

/** A successful sign-in: JSON tokens on stdout that are the ones the emulator issued, for this user and client; progress on stderr. */
export function expectSignedIn(run: ScenarioRun, who: { username: string; clientId?: string; refresh?: boolean }): PrintedTokens {
  const t = printedTokens(run.result);
  const issued = run.emulator.observed.tokens;
  expect(issued).toContain(t.accessToken);
  expect(t.idToken && issued.includes(t.idToken), 'the ID token is one the emulator issued').toBe(true);
  if (who.refresh !== false) expect(t.refreshToken && issued.includes(t.refreshToken), 'the refresh token is one the emulator issued').toBe(true);
  const clientId = who.clientId ?? PUBLIC_CLIENT;
  expect(claims(t.accessToken)).toMatchObject({ token_use: 'access', username: who.username, client_id: clientId });
  expect(claims(t.idToken!)).toMatchObject({ token_use: 'id', 'cognito:username': who.username, aud: clientId });
  expect(new Date(t.accessTokenExpiresAt).getTime()).toBeGreaterThan(Date.now());
  expect(run.result.stderr, describe(run.result)).toContain(`signed in user ${who.username} (login,`);
  return t;
}

/** A refused run prints no token and no partial output on stdout, and one error paragraph (no stack) on stderr. */
export function expectRefused(r: CliResult): string {
  expect(r.stdout, describe(r)).toBe('');
  const error = r.stderr.split('\n').filter((l) => l.startsWith('error ['));
  expect(error, describe(r)).toHaveLength(1);
  expect(r.stderr, 'no stack trace without --debug').not.toMatch(/^\s+at /m);
  return error[0]!;
}

// ---------------------------------------------------------------------------------------------
// The table

const selectorProfileWithDudSubmit = JSON.stringify({
  name: 'misconfigured',
  username: '#signInFormUsername',
  password: '#signInFormPassword',
  // A visible element that does nothing when clicked: the form stays, typed password and all.
  submit: 'span.textDescription-customizable',
});

export const SCENARIOS: Scenario[] = [
  {
    id: 'classic-public',
    title: 'classic Hosted UI, public client (no secret): exit 0, the issued tokens as JSON on stdout, progress on stderr',
    exit: 0,
    check: (run) => {
      expectSignedIn(run, { username: 'admin' });
      // Not a terminal: one line as the sign-in starts, one as it ends (issue 14).
      expect(run.result.stderr.trim().split('\n'), describe(run.result)).toEqual(['signing in user admin ...', expect.stringMatching(/^signed in user admin \(login, \d+ ms\)$/)]);
    },
  },
  {
    id: 'managed-one-step',
    title: 'Managed Login, one step: exit 0 with verified tokens',
    emulator: { ui: 'managed' },
    exit: 0,
    check: (run) => void expectSignedIn(run, { username: 'admin' }),
  },
  {
    id: 'managed-username-first',
    title: 'Managed Login, username first (Next, then the password): exit 0 with verified tokens',
    emulator: { ui: 'managed', usernameFirst: true },
    exit: 0,
    check: (run) => void expectSignedIn(run, { username: 'admin' }),
  },
  {
    id: 'totp-mfa',
    title: 'TOTP MFA: the code from TEST_USER_TOTP_SECRET is accepted, exit 0',
    user: USERS.mfa,
    exit: 0,
    check: (run) => void expectSignedIn(run, { username: 'mfa-user' }),
  },
  {
    id: 'wrong-password',
    title: 'wrong password: exit 3 LOGIN_REJECTED quoting Cognito\'s "Incorrect username or password."',
    user: { ...USERS.admin, password: 'Wrong-Passw0rd!' },
    exit: 3,
    errorCode: 'LOGIN_REJECTED',
    check: (run) => {
      const line = expectRefused(run.result);
      expect(line).toContain('Incorrect username or password.');
      expect(line).toContain('TEST_USER_PASSWORD');
    },
  },
  {
    id: 'locked-out',
    title: 'locked out (earlier failures): exit 3 LOGIN_LOCKED_OUT, even with the right password, advising to wait',
    // Cognito's first lockout is short; a longer one keeps the test independent of timing.
    emulator: { behaviour: { lockout: { maxFailures: 5, durationMs: 10 * 60_000, multiplier: 2, maxDurationMs: 15 * 60_000 } } },
    user: USERS.reader,
    before: async (emulator) => {
      for (let i = 0; i < 5; i++) {
        const res = await submitPage(emulator.baseUrl, `/login?${authorizeQuery()}`, { username: 'reader', password: `Bad-Passw0rd-${i}` }, new Jar());
        expect(res.status).toBe(302);
      }
    },
    exit: 3,
    errorCode: 'LOGIN_LOCKED_OUT',
    check: (run) => {
      const line = expectRefused(run.result);
      expect(line).toContain('Password attempts exceeded');
      expect(line).toMatch(/\bWait\b/);
    },
  },
  {
    id: 'new-password-required',
    title: 'new password required: exit 3 NEW_PASSWORD_REQUIRED with the admin-set-user-password --permanent fix',
    user: USERS.newPassword,
    exit: 3,
    errorCode: 'NEW_PASSWORD_REQUIRED',
    check: (run) => {
      const line = expectRefused(run.result);
      expect(line).toContain(
        `aws cognito-idp admin-set-user-password --user-pool-id ${run.emulator.poolId} --username new-password-user --password '<new password>' --permanent`,
      );
    },
  },
  {
    id: 'unconfirmed-user',
    title: 'unconfirmed user: exit 3 USER_NOT_CONFIRMED with the admin-confirm-sign-up fix',
    user: USERS.unconfirmed,
    exit: 3,
    errorCode: 'USER_NOT_CONFIRMED',
    check: (run) => {
      const line = expectRefused(run.result);
      expect(line).toContain(`aws cognito-idp admin-confirm-sign-up --user-pool-id ${run.emulator.poolId} --username unconfirmed-user`);
    },
  },
  {
    id: 'unregistered-redirect',
    title: 'unregistered redirect URI: exit 2 REDIRECT_MISMATCH, the hint names the URI and the app client',
    env: () => ({ COGNITO_REDIRECT_URI: UNREGISTERED_CALLBACK }),
    exit: 2,
    errorCode: 'REDIRECT_MISMATCH',
    check: (run) => {
      const line = expectRefused(run.result);
      expect(line).toContain(`Register this exact callback URL ${UNREGISTERED_CALLBACK} on app client ${PUBLIC_CLIENT}`);
      expect(run.emulator.observed.codes).toEqual([]);
    },
  },
  {
    id: 'unknown-client',
    title: 'unknown client: exit 2 REDIRECT_MISMATCH, saying the client may not exist and to check COGNITO_CLIENT_ID',
    env: () => ({ COGNITO_CLIENT_ID: 'no-such-client' }),
    exit: 2,
    errorCode: 'REDIRECT_MISMATCH',
    check: (run) => {
      const line = expectRefused(run.result);
      expect(line).toContain('no app client no-such-client exists');
      expect(line).toContain('check COGNITO_CLIENT_ID');
    },
  },
  {
    id: 'token-429-twice',
    title: 'token endpoint answers 429 twice (Retry-After), then succeeds: exit 0',
    before: (emulator) => emulator.faults.failNextToken(2, 429, { retryAfterSeconds: 1 }),
    exit: 0,
    check: (run) => {
      expectSignedIn(run, { username: 'admin' });
      expect(run.emulator.faults.pending('token'), 'both 429s were answered, so the exchange was retried').toBe(0);
      // One sign-in; the injected answers come before the handler, so it saw the exchange once.
      expect(run.emulator.observed.codes).toHaveLength(1);
      expect(run.emulator.observed.codeVerifiers).toHaveLength(1);
    },
  },
  {
    id: 'token-500-exchange',
    title: 'token endpoint answers 500 to the code exchange: exit 4 TOKEN_ANSWER_LOST after that one request (a code is single use), with the advice to run again',
    before: (emulator) => emulator.faults.failNext('token', 1000, 500),
    exit: 4,
    errorCode: 'TOKEN_ANSWER_LOST',
    check: (run) => {
      expectRefused(run.result);
      expect(run.emulator.faults.pending('token'), 'the exchange was sent once, never retried').toBe(999);
      expect(run.result.stderr).toContain('the code is single-use, so it cannot be retried: run again');
    },
  },
  {
    id: 'tampered-state',
    title: 'tampered state on the redirect: exit 4 CALLBACK_STATE_MISMATCH, and the code is never exchanged',
    before: (emulator) => emulator.faults.setTamperState(true),
    exit: 4,
    errorCode: 'CALLBACK_STATE_MISMATCH',
    check: (run) => {
      expectRefused(run.result);
      expect(run.emulator.observed.codes).toHaveLength(1);
      expect(run.emulator.observed.codeVerifiers, 'no token request was made').toEqual([]);
    },
  },
  {
    id: 'code-reuse',
    title: 'a code already redeemed: exit 4 OAUTH_INVALID_GRANT with the single-use hint, sent once and never retried',
    before: (emulator) => emulator.faults.setSpendCodes(true),
    exit: 4,
    errorCode: 'OAUTH_INVALID_GRANT',
    check: (run) => {
      const line = expectRefused(run.result);
      expect(line).toContain('single use');
      expect(run.emulator.observed.codeVerifiers).toHaveLength(1);
    },
  },
  {
    id: 'confidential-basic',
    title: 'confidential client, secret sent with HTTP Basic: exit 0',
    env: () => ({ COGNITO_CLIENT_ID: CONFIDENTIAL.id, COGNITO_CLIENT_SECRET: CONFIDENTIAL.secret, COGNITO_CLIENT_AUTH: 'basic' }),
    exit: 0,
    check: (run) => void expectSignedIn(run, { username: 'admin', clientId: CONFIDENTIAL.id }),
  },
  {
    id: 'confidential-body',
    title: 'confidential client, secret sent in the form body: exit 0',
    env: () => ({ COGNITO_CLIENT_ID: CONFIDENTIAL.id, COGNITO_CLIENT_SECRET: CONFIDENTIAL.secret, COGNITO_CLIENT_AUTH: 'body' }),
    exit: 0,
    check: (run) => void expectSignedIn(run, { username: 'admin', clientId: CONFIDENTIAL.id }),
  },
  {
    id: 'implicit',
    title: 'implicit grant (--response-type token): exit 0 with the access and ID tokens from the fragment, no code, no refresh token',
    args: ['--response-type', 'token'],
    exit: 0,
    check: (run) => {
      const t = expectSignedIn(run, { username: 'admin', refresh: false });
      expect(t.refreshToken).toBeUndefined();
      expect(run.emulator.observed.codes).toEqual([]);
      expect(run.emulator.observed.codeVerifiers).toEqual([]);
    },
  },
  {
    id: 'client-credentials',
    title: 'client credentials (--grant client-credentials, COGNITO_SCOPES=demo-api/read): exit 0, an access token with exactly that scope',
    user: null,
    args: ['--grant', 'client-credentials'],
    env: () => ({ COGNITO_CLIENT_ID: M2M.id, COGNITO_CLIENT_SECRET: M2M.secret, COGNITO_SCOPES: 'demo-api/read' }),
    exit: 0,
    check: (run) => {
      const t = printedTokens(run.result);
      expect(run.emulator.observed.tokens).toEqual([t.accessToken]);
      expect(claims(t.accessToken)).toMatchObject({ token_use: 'access', client_id: M2M.id, sub: M2M.id, scope: 'demo-api/read' });
      expect(t.idToken).toBeUndefined();
      expect(t.refreshToken).toBeUndefined();
    },
  },
  {
    id: 'refresh',
    title: 'refresh: a cached token set too close to expiry is refreshed with the refresh token, no browser sign-in',
    provenIn: 'tests/cli/token-cache.spec.ts ("a run after the access token expired uses the refresh grant and no browser")',
    // The cache is on for laptops: no CI, a cache folder inside the run's cwd (so the leak test searches it).
    env: (_emulator, { cwd }) => ({ CI: undefined, COGNITO_NEWMAN_CACHE_DIR: join(cwd, 'token-cache') }),
    before: async (_emulator, { run }) => {
      const first = await run(['token']);
      expect(first.code, describe(first)).toBe(0);
    },
    // Access tokens last an hour: a two-hour margin makes the cached one stale.
    args: ['--cache-margin', '7200'],
    exit: 0,
    check: (run) => {
      expect(run.result.stderr, describe(run.result)).toMatch(/signed in user admin \(refresh, \d+ ms\)/);
    },
  },
  {
    id: 'loopback-callback',
    title: 'redirect URI http://localhost:<port>/callback with a real server there: exit 0, and the server gets no request',
    callbackServer: true,
    env: (_emulator, { callbackPort }) => ({ COGNITO_REDIRECT_URI: `http://localhost:${callbackPort}/callback` }),
    exit: 0,
    check: (run) => {
      expectSignedIn(run, { username: 'admin' });
      expect(run.callbackHits).toEqual([]);
    },
  },
  {
    id: 'diagnostics',
    title: 'a selector profile whose submit does nothing: exit 4 LOGIN_TIMEOUT with diagnostics (screenshot, visible text, URL) under the cwd',
    env: () => ({ COGNITO_SELECTOR_PROFILE: selectorProfileWithDudSubmit, COGNITO_NEWMAN_LOGIN_TIMEOUT_MS: '6000' }),
    exit: 4,
    errorCode: 'LOGIN_TIMEOUT',
    check: async (run) => {
      const line = expectRefused(run.result);
      const dir = diagnosticsDir(run);
      expect(line).toContain(dir);
      const { readdirSync, readFileSync } = await import('node:fs');
      expect(readdirSync(dir).sort()).toEqual(['page-text.txt', 'page-url.txt', 'page.png', 'summary.txt']);
      expect(readFileSync(join(dir, 'page-text.txt'), 'utf8')).toContain('Sign in with your username and password');
      // The URL is kept, its query values are not (state, code challenge, nonce).
      const url = readFileSync(join(dir, 'page-url.txt'), 'utf8').trim();
      expect(url).toMatch(/\/login\?/);
      expect(url).not.toMatch(/=[^…&]/);
    },
  },
];

/** The one diagnostics folder a failed run wrote under the default artifacts folder of its cwd. */
export function diagnosticsDir(run: ScenarioRun): string {
  const m = /Diagnostics \(screenshot, visible text, URL\): (\S+?)\.?(?:\s|$)/.exec(run.result.stderr);
  expect(m, describe(run.result)).not.toBeNull();
  const dir = m![1]!;
  expect(dir.startsWith(join(run.cwd, 'cognito-newman-artifacts'))).toBe(true);
  return dir;
}

export const scenario = (id: string): Scenario => {
  const s = SCENARIOS.find((x) => x.id === id);
  if (!s) throw new Error(`no scenario ${id}`);
  return s;
};

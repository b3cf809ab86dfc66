// Shared pieces of the login-driver end-to-end tests: the emulator fixture plus one guarded
// Chromium per worker (launched as the product launches it), an IdpConfig for the running emulator,
// the default pool's users, and helpers that run one sign-in and return its URL or its error.
import type { Browser, BrowserContext } from 'playwright-core';
import { test as emulatorTest, expect, type RunningEmulator } from '../fixtures/emulator.js';
import type { IdpConfig, UserCredentials } from '../../src/config/types.js';
import { launchBrowser } from '../../src/login/browser.js';
import { loginInBrowser, type LoginInput } from '../../src/login/driver.js';
import { createLoginAttempt, type LoginAttempt } from '../../src/oauth/authorize.js';
import { CnError } from '../../src/errors.js';
import { DEFAULT_MFA_SECRET } from '../../packages/emulator/src/default-pool.js';
import type { Logger } from '../../src/log.js';

export const POSTMAN_CALLBACK = 'https://oauth.pstmn.io/v1/callback';

/** Hosts the worker's browser can never reach, as launchBrowser({ blockedHosts }) guards them in the product. */
export const GUARDED_HOSTS = ['oauth.pstmn.io', 'localhost'];

export const test = emulatorTest.extend<{ artifactsDir: string; logs: CapturedLogger }, { loginBrowser: Browser }>({
  loginBrowser: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const browser = await launchBrowser({ blockedHosts: GUARDED_HOSTS });
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
  // eslint-disable-next-line no-empty-pattern
  artifactsDir: async ({}, use, testInfo) => {
    await use(testInfo.outputPath('login-artifacts'));
  },
  // eslint-disable-next-line no-empty-pattern
  logs: async ({}, use) => {
    await use(capturingLogger());
  },
});
export { expect };

/** The default pool's users (docs/hosted-ui-pages.md). */
export const USERS = {
  admin: { name: 'default', username: 'admin', password: 'Admin-Passw0rd!' },
  reader: { name: 'reader', username: 'reader', password: 'Reader-Passw0rd!' },
  mfa: { name: 'default', username: 'mfa-user', password: 'Mfa-Passw0rd!', totpSecret: DEFAULT_MFA_SECRET },
  newPassword: { name: 'default', username: 'new-password-user', password: 'Temp-Passw0rd!' },
  unconfirmed: { name: 'default', username: 'unconfirmed-user', password: 'Unconf-Passw0rd!' },
  reset: { name: 'default', username: 'reset-user', password: 'Reset-Passw0rd!' },
  disabled: { name: 'default', username: 'disabled-user', password: 'Disabled-Passw0rd!' },
} satisfies Record<string, UserCredentials>;

/** An IdpConfig for the running emulator (public client, Postman's callback unless overridden). */
export function emulatorIdp(emulator: Pick<RunningEmulator, 'baseUrl' | 'poolId' | 'issuer'>, overrides: Partial<IdpConfig> = {}): IdpConfig {
  const origin = emulator.baseUrl;
  return {
    domain: origin,
    endpoints: {
      authorize: `${origin}/oauth2/authorize`,
      login: `${origin}/login`,
      token: `${origin}/oauth2/token`,
      revoke: `${origin}/oauth2/revoke`,
      userInfo: `${origin}/oauth2/userInfo`,
      logout: `${origin}/logout`,
    },
    authStart: 'authorize',
    clientId: 'demo-public-client',
    clientAuth: 'body',
    redirectUri: POSTMAN_CALLBACK,
    scopes: ['openid', 'email', 'profile'],
    responseType: 'code',
    userPoolId: emulator.poolId,
    issuer: emulator.issuer,
    loginUi: 'auto',
    allowInsecureHttp: true,
    ...overrides,
  };
}

export interface CapturedLogger extends Logger {
  lines: string[];
}

/** A debug logger that keeps its lines (to check what the driver did, and that no secret was logged). */
export function capturingLogger(): CapturedLogger {
  const lines: string[] = [];
  return {
    level: 'debug',
    lines,
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    debug: (m) => lines.push(`debug: ${m}`),
  };
}

export interface SignIn {
  browser: Browser;
  idp: IdpConfig;
  user: UserCredentials;
  artifactsDir: string;
  logger: Logger;
  timeoutMs?: number;
  context?: BrowserContext;
  attempt?: LoginAttempt;
  extra?: Partial<LoginInput>;
}

/** One sign-in: a fresh attempt, the driver, the captured URL. */
export async function signIn(o: SignIn): Promise<{ url: string; attempt: LoginAttempt }> {
  const attempt = o.attempt ?? createLoginAttempt(o.idp);
  const url = await loginInBrowser({
    browser: o.browser,
    idp: o.idp,
    user: o.user,
    attempt,
    artifactsDir: o.artifactsDir,
    timeoutMs: o.timeoutMs ?? 20_000,
    logger: o.logger,
    ...(o.context ? { context: o.context } : {}),
    ...o.extra,
  });
  return { url, attempt };
}

/** One sign-in that must fail: its CnError. */
export async function signInError(o: SignIn): Promise<CnError> {
  try {
    const { url } = await signIn(o);
    throw new Error(`expected the sign-in to fail, but it reached ${url.split('?')[0]}`);
  } catch (err) {
    if (err instanceof CnError) return err;
    throw err;
  }
}

/** Every string a test user's secrets could leak as. */
export function secretsOf(user: UserCredentials): string[] {
  return [...(user.password ? [user.password] : []), ...(user.totpSecret ? [user.totpSecret] : [])];
}

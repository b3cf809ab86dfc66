// The Playwright Test fixture (`cognito-newman/playwright`): `test` extended with `cognitoTokens`
// and `cognitoRequest` (an APIRequestContext sending `Authorization: Bearer <token>`), the user
// chosen with `test.use({ cognitoUser: 'admin' })`. Each user signs in once per worker, through the
// same code, configuration and token cache as the CLI, and stays fresh for the worker's life.
import { createRequire } from 'node:module';
import { test as base, expect, type APIRequestContext } from '@playwright/test';
import { asLibraryCall, configRequest, toPublic, type CognitoTokens, type ConfigOptions } from '../library.js';
import { createRedactor } from '../newman/redaction.js';
import { usageError } from '../errors.js';
import { WorkerSessions } from './session.js';

export { expect };
export type { CognitoTokens, ConfigOptions };

export interface CognitoTestOptions {
  /** The test user (a name from TEST_USERS, or `default`); the first configured user when unset. */
  cognitoUser: string | undefined;
  /** Which token `cognitoRequest` sends: `access` (default) or `id` (API Gateway's Cognito authorizer). */
  cognitoAuthToken: 'access' | 'id';
}

export interface CognitoWorkerOptions {
  /** Configuration sources for the worker's sign-ins (default: `.env` and the environment, as the CLI). */
  cognitoConfig: ConfigOptions;
}

export interface CognitoFixtures {
  /** The chosen user's tokens, fresh for at least 30 seconds. */
  cognitoTokens: CognitoTokens;
  /** An API request context whose every request carries `Authorization: Bearer <token>`. */
  cognitoRequest: APIRequestContext;
}

interface InternalWorkerFixtures {
  _cognitoSessions: WorkerSessions;
}

type PlaywrightCore = typeof import('playwright-core');

let untraced: PlaywrightCore | undefined;
/**
 * A Playwright instance of its own for `cognitoRequest`. Why: Playwright Test traces every request
 * context of the `playwright` instance it runs (request headers included) and turns each call into
 * a report step with its parameters; a context of a separate in-process instance is outside that
 * instrumentation, so the bearer token reaches no trace, report or attachment.
 * No public API makes a second instance: `playwright-core`'s entry exports the one singleton
 * (`require('./lib/coreBundle').inprocess.playwright`), which is the very instance Playwright Test
 * instruments (its `playwright` fixture is `require('playwright-core')`), so its `request` would be
 * traced. The factory behind it, `inprocess.createInProcessPlaywright()` in the untyped
 * `lib/coreBundle` subpath, is the only way (checked in 1.65.2).
 */
function untracedPlaywright(): PlaywrightCore {
  const require = createRequire(import.meta.url);
  untraced ??= (require('playwright-core/lib/coreBundle') as { inprocess: { createInProcessPlaywright(): PlaywrightCore } }).inprocess.createInProcessPlaywright();
  return untraced;
}

const REQUEST_METHODS = new Set(['fetch', 'get', 'post', 'put', 'patch', 'delete', 'head']);

/** The report's step title for a request: method and URL without its query (which may carry anything). */
const stepTitle = (method: string, url: unknown) => `cognitoRequest.${method} ${String(typeof url === 'string' ? url : ((url as { url?: () => string })?.url?.() ?? '')).split('?')[0]}`;

/**
 * Wrap a request context so that an error it throws (Playwright's call log lists the request's
 * headers) carries no token: test failures end up in reports.
 */
function withRedactedErrors(context: APIRequestContext, token: string): APIRequestContext {
  const redactor = createRedactor([token]);
  const clean = (err: unknown): unknown => {
    if (err instanceof Error) {
      err.message = redactor.text(err.message);
      if (err.stack) err.stack = redactor.text(err.stack);
    }
    return err;
  };
  return new Proxy(context, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      const call = (args: unknown[]) => {
        try {
          const out: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
          return out instanceof Promise ? out.catch((err: unknown) => Promise.reject(clean(err))) : out;
        } catch (err) {
          throw clean(err);
        }
      };
      // Requests show in the report as steps of their own (this instance is not instrumented), titled
      // by method and URL only: never a header.
      if (typeof prop === 'string' && REQUEST_METHODS.has(prop)) return (...args: unknown[]) => base.step(stepTitle(prop, args[0]), () => call(args) as Promise<unknown>, { box: true });
      return (...args: unknown[]) => call(args);
    },
  });
}

export const test = base.extend<CognitoTestOptions & CognitoFixtures, CognitoWorkerOptions & InternalWorkerFixtures>({
  cognitoUser: [undefined, { option: true }],
  cognitoAuthToken: ['access', { option: true }],
  cognitoConfig: [{}, { option: true, scope: 'worker' }],

  _cognitoSessions: [
    async ({ cognitoConfig }, use) => {
      const sessions = new WorkerSessions(configRequest(cognitoConfig));
      await use(sessions);
      await sessions.close();
    },
    { scope: 'worker', box: true },
  ],

  cognitoTokens: [
    async ({ _cognitoSessions, cognitoUser }, use) => {
      const { name, tokens } = await asLibraryCall(() => _cognitoSessions.tokens(cognitoUser));
      await use(toPublic(name, tokens));
    },
    { box: true },
  ],

  cognitoRequest: [
    async ({ cognitoTokens, cognitoAuthToken, baseURL, extraHTTPHeaders, ignoreHTTPSErrors, proxy }, use) => {
      const token = cognitoAuthToken === 'id' ? cognitoTokens.idToken : cognitoTokens.accessToken;
      if (!token) {
        throw usageError('ID_TOKEN_MISSING', `cognitoAuthToken is "id", but user ${cognitoTokens.user} has no ID token.`, {
          hint: 'Cognito issues an ID token only when the scope includes openid: add it to COGNITO_SCOPES.',
        });
      }
      const context = await untracedPlaywright().request.newContext({
        ...(baseURL ? { baseURL } : {}),
        ...(ignoreHTTPSErrors ? { ignoreHTTPSErrors } : {}),
        ...(proxy ? { proxy } : {}),
        extraHTTPHeaders: { ...extraHTTPHeaders, Authorization: `Bearer ${token}` },
      });
      await use(withRedactedErrors(context, token));
      await context.dispose();
    },
    { box: true },
  ],
});

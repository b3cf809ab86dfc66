// Registering a passkey for a test user (`cognito-newman passkey enroll`): sign the user in with
// what it has, then open Managed Login's /passkeys/add page in the same browser context (the
// Cognito session cookie of that sign-in makes the user known there), press its add button, and
// let Playwright's software authenticator answer navigator.credentials.create. The new credential,
// private key included, is read back from the authenticator and returned to the caller, which
// prints it on stdout only.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { IdpConfig, PasskeyCredential, UserCredentials } from '../config/types.js';
import { idpFailure, loginRejected, usageError } from '../errors.js';
import { redact, type Logger } from '../log.js';
import { createLoginAttempt } from '../oauth/authorize.js';
import { loginInBrowser } from './driver.js';
import { installEmptyAuthenticator, registeredPasskeys } from './passkey.js';
import { findChoice } from './screens.js';
import { clickButton } from './actions.js';
import { waitInteractive } from './interactive.js';
import { DEFAULTS } from '../config/keys.js';
import { maskUrl } from './diagnostics.js';

export interface EnrollInput {
  browser: Browser;
  idp: IdpConfig;
  user: UserCredentials;
  artifactsDir: string;
  timeoutMs: number;
  codeTimeoutMs?: number;
  logger: Logger;
}

const ADD_BUTTON = /^(add|create|register|set up|save)( a| your)? passkey$/i;
const ADDED = /passkey (was |has been )?(added|created|registered|saved)|added (a|your) passkey/i;
const FAILED = /could not be added|not allowed|failed|try again|unavailable|not available/i;

/** The /passkeys/add URL for the app client (cognito-reference 3.2: client_id and redirect_uri). */
export function passkeysAddUrl(idp: Pick<IdpConfig, 'domain' | 'clientId' | 'redirectUri'>): string {
  const u = new URL('/passkeys/add', idp.domain);
  u.searchParams.set('client_id', idp.clientId);
  u.searchParams.set('redirect_uri', idp.redirectUri);
  return u.toString();
}

/** Sign in, register a passkey on /passkeys/add, and return it. */
export async function enrollPasskey(input: EnrollInput): Promise<PasskeyCredential> {
  const { browser, idp, user, logger } = input;
  if (idp.loginUi === 'classic') {
    throw usageError('PASSKEYS_NEED_MANAGED_LOGIN', 'Passkeys exist only on Managed Login; COGNITO_LOGIN_UI is "classic".', {
      hint: 'Switch the domain to Managed Login (ManagedLoginVersion 2, Essentials or Plus plan) and allow WEB_AUTHN in the pool\'s sign-in policy, then set COGNITO_LOGIN_UI=auto or managed.',
    });
  }
  const deadline = Date.now() + input.timeoutMs + (user.codeSource ? (input.codeTimeoutMs ?? DEFAULTS.codeTimeoutMs) : 0);
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'en-US', serviceWorkers: 'block', acceptDownloads: false });
  try {
    // Sign in first, in this context: the session cookie it leaves is what /passkeys/add needs.
    await installEmptyAuthenticator(context);
    const before = new Set((await registeredPasskeys(context)).map((c) => c.id));
    await loginInBrowser({
      browser,
      idp,
      user,
      attempt: createLoginAttempt(idp),
      artifactsDir: input.artifactsDir,
      timeoutMs: input.timeoutMs,
      ...(input.codeTimeoutMs !== undefined ? { codeTimeoutMs: input.codeTimeoutMs } : {}),
      logger,
      context,
    });
    logger.debug(`${user.username} signed in; opening ${maskUrl(passkeysAddUrl(idp))}`);
    const page = await context.newPage();
    const left = () => Math.max(1_000, deadline - Date.now());
    const response = await page.goto(passkeysAddUrl(idp), { waitUntil: 'domcontentloaded', timeout: left() }).catch((err: unknown) => {
      throw idpFailure('PASSKEY_PAGE_UNREACHABLE', `The browser could not open ${maskUrl(passkeysAddUrl(idp))}.`, { hint: 'Check COGNITO_DOMAIN; the page exists on Managed Login domains only.', cause: err });
    });
    if (response && response.status() >= 400) {
      throw idpFailure('PASSKEY_PAGE_FAILED', `${maskUrl(page.url())} answered HTTP ${response.status()}.`, {
        hint: 'The domain must use Managed Login (ManagedLoginVersion 2) and the app client must allow the redirect URI; check COGNITO_REDIRECT_URI and the pool\'s passkey settings.',
      });
    }
    await waitInteractive(page, left()).catch(() => undefined);
    const button = await waitForAddButton(page, left());
    if (!button) {
      const text = await page.evaluate(() => document.body?.innerText ?? '');
      if (/sign in|password|username/i.test(text) && !/passkey/i.test(text)) {
        throw loginRejected('PASSKEY_NOT_SIGNED_IN', `After signing ${user.username} in, ${maskUrl(page.url())} asked to sign in again instead of offering to add a passkey.`, {
          hint: 'The app client\'s session did not carry over; check that COGNITO_DOMAIN is the Managed Login domain the user signed in on.',
        });
      }
      throw usageError('PASSKEYS_NOT_AVAILABLE', `The /passkeys/add page offers no way to add a passkey for ${user.username}: "${redact(firstLine(text))}".`, {
        hint: 'Allow passkeys in the user pool: add WEB_AUTHN to Policies.SignInPolicy.AllowedFirstAuthFactors and set WebAuthnConfiguration (relying party id = the domain), on the Essentials or Plus plan.',
      });
    }
    logger.debug('pressing the add-passkey button; the software authenticator answers');
    await clickButton(page, button, null, Math.min(15_000, left()));
    const created = await waitForCredential(context, page, before, left());
    if (!created) {
      const text = await page.evaluate(() => document.body?.innerText ?? '');
      throw loginRejected('PASSKEY_NOT_ADDED', `Cognito did not add the passkey for ${user.username}${FAILED.test(text) ? `: "${redact(firstMatchingLine(text, FAILED))}"` : ''}.`, {
        hint: 'Check the pool\'s WebAuthnConfiguration (relying party id must be this domain, user verification) and that the user has fewer passkeys than the limit.',
      });
    }
    return created;
  } finally {
    await context.close().catch(() => undefined);
  }
}

async function waitForAddButton(page: Page, timeoutMs: number): Promise<string | undefined> {
  const end = Date.now() + Math.min(timeoutMs, 15_000);
  for (;;) {
    const found = await findChoice(page, ADD_BUTTON, 'add-passkey').catch(() => undefined);
    if (found) return found.selector;
    if (Date.now() > end) return undefined;
    await page.waitForTimeout(100);
  }
}

/** The credential the authenticator registered, once the page confirms it; undefined when the page says it failed. */
async function waitForCredential(context: BrowserContext, page: Page, before: Set<string>, timeoutMs: number): Promise<PasskeyCredential | undefined> {
  const end = Date.now() + Math.min(timeoutMs, 30_000);
  for (;;) {
    const fresh = (await registeredPasskeys(context)).find((c) => !before.has(c.id));
    const text = await page.evaluate(() => document.body?.innerText ?? '').catch(() => '');
    // The authenticator made a key before the server checked it: only the page's confirmation counts.
    if (fresh && ADDED.test(text)) return fresh;
    if (FAILED.test(text) && !ADDED.test(text)) return undefined;
    if (Date.now() > end) return undefined;
    await page.waitForTimeout(100);
  }
}

const firstLine = (t: string) => t.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3).join(' / ').slice(0, 200);
const firstMatchingLine = (t: string, re: RegExp) => t.split('\n').find((l) => re.test(l))?.trim().slice(0, 200) ?? '';

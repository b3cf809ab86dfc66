// Federated test users: the Cognito leg of the sign-in (straight through to the IdP, or Cognito's
// page offering IdPs: the classic "Sign in with your corporate ID" buttons, Managed Login's
// "Corporate email" form), the upstream IdP's interstitial pages, and its refusals, worded as the
// IdP's (federation-reference.md A.1, A.7, A.8, B).
//
// Cognito's page is read by what is visible (buttons by their text or the classic idpButton class,
// a field by its label), never by the emulator's markup alone: Managed Login's IdP markup is
// UNCERTAIN in the reference, and the classic page renders every form twice.
import type { Page } from 'playwright-core';
import type { IdpConfig, UserCredentials } from '../config/types.js';
import { GOOGLE_REASON, isGoogleUrl } from '../config/federation.js';
import { CnError, idpFailure, loginRejected, usageError } from '../errors.js';
import { redact, type Logger } from '../log.js';
import { clickButton, fillField } from './actions.js';
import { maskUrl } from './diagnostics.js';
import { userVariable } from './driver.js';
import { checkFilled, waitInteractive } from './interactive.js';
import { errorMeaning, type PageState } from './pages.js';
import { evaluateInPage, type PageHelpers } from './page-helpers.js';
import { errors as playwrightErrors } from './playwright.js';
import type { SelectorProfile } from '../config/selector-profile.js';
import { accountTileSelector } from './upstream-profiles.js';

/** The test user is federated: the sign-in continues on an upstream IdP's pages. */
export function isFederated(idp: Pick<IdpConfig, 'idpLoginUi' | 'idpSelectorProfile'>): boolean {
  return idp.idpLoginUi !== undefined || idp.idpSelectorProfile !== undefined;
}

/** The IdP as messages name it. */
export function upstreamName(idp: Pick<IdpConfig, 'identityProvider' | 'idpIdentifier' | 'idpLoginUi'>): string {
  if (idp.identityProvider) return `identity provider ${idp.identityProvider}`;
  if (idp.idpIdentifier) return `the identity provider for "${idp.idpIdentifier}"`;
  return `the identity provider (${idp.idpLoginUi ?? 'custom'} pages)`;
}

/** The Google refusal (exit 2), when the browser is about to reach Google's sign-in anyway. */
export function googleRefused(where: string): CnError {
  return usageError('IDP_GOOGLE_UNSUPPORTED', `The sign-in leads to Google (${where}), which cannot be automated. ${GOOGLE_REASON}.`, {
    hint: 'Sign in a Cognito user of this pool instead, or federate the test user through another IdP.',
  });
}

/** What the in-page reader saw on the Cognito leg. */
type LegSnapshot =
  | { kind: 'left'; url: string }
  | { kind: 'error'; url: string; text: string }
  | { kind: 'choices'; url: string; buttons: string[]; corporate: boolean; classic: boolean }
  | { kind: 'nothing'; url: string; acted: boolean };

const ACTED_PROP = '__cognitoNewmanIdpChosen';
const SINCE_PROP = '__cognitoNewmanLegSince';

interface LegArgs {
  cognitoOrigin: string;
  /** Read the IdP choices (no IdP named in the configuration). */
  choose: boolean;
  graceMs: number;
  waitMs: number;
  actedProp: string;
  sinceProp: string;
  cognitoMarks: string;
  errorPattern: string;
}

/** Cognito's texts when a federated sign-in fails on its side (A.1, A.8). */
const FEDERATION_ERRORS = String.raw`Login option is not available[^\n]*|Something went wrong[^\n]*|Invalid State/RelayState provided\.?|An error was encountered with the requested page\.?`;

/** Elements only Cognito's own pages carry (classic and Managed Login). */
const COGNITO_MARKS = 'input[name="cognitoAsfData"], input[name="_csrf"], input[name="csrf"], [class*="-customizable"], form[name="cognitoSignInForm"], form[name="loginWithIdentityProvider"]';

/**
 * Runs in the page (sent as source: self-contained). Resolves when the page has left Cognito's
 * origin, shows one of Cognito's federation errors, offers IdPs (marking each offered button with
 * `data-cn-idp="<index>"` and the corporate email field and its button with `data-cn-corporate`),
 * or stayed loaded with none of these for `graceMs`; null after `waitMs`.
 */
export function readCognitoLeg(a: LegArgs, h: PageHelpers): Promise<LegSnapshot | null> {
  const w = window as unknown as Record<string, unknown>;
  const { isVisible, textOf } = h;
  const readChoices = (): { buttons: string[]; corporate: boolean } => {
    const buttons: string[] = [];
    for (const el of Array.from(document.querySelectorAll('[data-cn-idp], [data-cn-corporate]'))) {
      el.removeAttribute('data-cn-idp');
      el.removeAttribute('data-cn-corporate');
    }
    for (const el of Array.from(document.querySelectorAll('input[type="button"], input[type="submit"], button, a[role="button"], a[href]'))) {
      if (!isVisible(el)) continue;
      let name = '';
      if (el.classList.contains('idpButton-customizable')) {
        name = el.getAttribute('aria-label') || (el as HTMLInputElement).value || textOf(el);
      } else {
        const t = textOf(el) || (el as HTMLInputElement).value || '';
        // Social and Managed Login buttons read "Continue with X" / "Sign in with X" (UNCERTAIN markup).
        const m = /^(?:continue|sign in|log in|login) with (?!your corporate id)(.+)$/i.exec(t.trim());
        if (m && m[1]) name = m[1];
      }
      name = name.trim();
      if (name && !buttons.includes(name)) {
        el.setAttribute('data-cn-idp', String(buttons.length));
        buttons.push(name);
      }
    }
    let corporate = false;
    for (const input of Array.from(document.querySelectorAll('input'))) {
      if (!isVisible(input) || !['text', 'email', ''].includes(input.type)) continue;
      const labelled = (input.getAttribute('aria-labelledby') || '')
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => textOf(document.getElementById(id)));
      // The classic page repeats its ids in both copies, so label[for] may point at the hidden
      // copy's field: labels inside the field's own form count too.
      const own = input.closest('form');
      const formLabels = own ? Array.from(own.querySelectorAll('label')).filter((l) => !l.htmlFor || l.htmlFor === input.id) : [];
      const label = [...Array.from(input.labels ?? []), ...formLabels].map((l) => textOf(l)).concat(labelled, input.getAttribute('aria-label') || '', input.placeholder || '').join(' ');
      const inIdpForm = input.closest('form[name="loginWithIdentityProvider"]') !== null;
      if (!inIdpForm && !/corporate|work e-?mail|enterprise|company e-?mail/i.test(label)) continue;
      input.setAttribute('data-cn-corporate', 'field');
      const form = input.closest('form');
      const submit = form
        ? Array.from(form.querySelectorAll('button[type="submit"], input[type="submit"], button:not([type])')).find((b) => isVisible(b) && !b.hasAttribute('data-cn-idp'))
        : undefined;
      if (submit) submit.setAttribute('data-cn-corporate', 'submit');
      corporate = true;
      break;
    }
    return { buttons, corporate };
  };
  const look = (): LegSnapshot | null => {
    const url = location.href;
    if (location.origin !== a.cognitoOrigin) return { kind: 'left', url };
    const body = document.body ? document.body.innerText || '' : '';
    const err = new RegExp(a.errorPattern, 'i').exec(body);
    if (err) return { kind: 'error', url, text: body.slice(0, 4000) };
    if (document.readyState !== 'complete') return null;
    const acted = w[a.actedProp] === true;
    if (a.choose && !acted) {
      const c = readChoices();
      // The classic page is plain HTML; anything else may still hydrate (Managed Login is React).
      const classic = document.querySelector('.idpButton-customizable, form[name="loginWithIdentityProvider"], form[name="cognitoSignInForm"]') !== null;
      if (c.buttons.length > 0 || c.corporate) return { kind: 'choices', url, ...c, classic };
    }
    // A page without Cognito's marks on Cognito's origin is the IdP's own (the driver was pointed
    // straight at it). The marks: classic's *-customizable classes and forms, both families' hidden
    // csrf / cognitoAsfData fields (UNCERTAIN for Managed Login, reference 3.1).
    if (!document.querySelector(a.cognitoMarks)) return { kind: 'left', url };
    const now = performance.now();
    const since = typeof w[a.sinceProp] === 'number' ? (w[a.sinceProp] as number) : now;
    w[a.sinceProp] = since;
    return now - since >= a.graceMs ? { kind: 'nothing', url, acted } : null;
  };
  return new Promise((resolve) => {
    let done = false;
    const finish = (v: LegSnapshot | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(v);
    };
    const timer = setTimeout(() => finish(null), Math.max(1, a.waitMs));
    const tick = () => {
      if (done) return;
      const r = look();
      if (r) finish(r);
      else requestAnimationFrame(tick);
    };
    tick();
  });
}

export interface CognitoLegInput {
  page: Page;
  idp: IdpConfig;
  user: UserCredentials;
  /** Where the browser started (its origin is Cognito's). */
  startUrl: string;
  logger: Logger;
  remaining: () => number;
  /** How long a loaded Cognito page may offer nothing before it is reported. */
  graceMs: number;
}

const isDocumentReplaced = (err: unknown): boolean => err instanceof Error && /Execution context was destroyed/i.test(err.message);

/**
 * Get from Cognito to the upstream IdP. With COGNITO_IDENTITY_PROVIDER / COGNITO_IDP_IDENTIFIER,
 * Cognito redirects at once (A.1) and this only checks it did. Otherwise it takes the IdP Cognito's
 * page offers: the only IdP button, else the corporate email form when the username is an email
 * (Cognito routes by its domain, A.5); anything else is a usage error naming what is offered.
 * Returns once the page has left Cognito's origin.
 */
export async function passCognitoLeg(input: CognitoLegInput): Promise<void> {
  const { page, idp, user, logger } = input;
  const cognitoOrigin = new URL(input.startUrl).origin;
  const named = idp.identityProvider ?? idp.idpIdentifier;
  const timeout = () => Math.min(input.remaining(), 15_000);
  let choices = 0;
  let interactive = false;
  for (;;) {
    const left = input.remaining();
    if (left <= 1) throw new playwrightErrors.TimeoutError('Timed out on the Cognito page of a federated sign-in.');
    let snap: LegSnapshot | null;
    try {
      snap = await evaluateInPage(page, readCognitoLeg, { cognitoOrigin, choose: named === undefined, graceMs: input.graceMs, waitMs: left, actedProp: ACTED_PROP, sinceProp: SINCE_PROP, cognitoMarks: COGNITO_MARKS, errorPattern: FEDERATION_ERRORS });
    } catch (err) {
      if (isDocumentReplaced(err)) continue;
      throw err;
    }
    if (!snap) continue;
    switch (snap.kind) {
      case 'left':
        if (isGoogleUrl(snap.url)) throw googleRefused(new URL(snap.url).host);
        logger.debug(`left Cognito's page for ${maskUrl(snap.url)}`);
        return;
      case 'error':
        throw cognitoLegError(snap.text, idp, named, snap.url);
      case 'choices': {
        const choice = chooseIdp(snap.buttons, snap.corporate, user, idp);
        if (!interactive && !snap.classic && idp.loginUi !== 'classic') {
          // Managed Login renders on the server and hydrates later: a click or a typed email before
          // that is lost (or submits the bare server form). Wait, then read the page again.
          interactive = true;
          const r = await waitInteractive(page, timeout());
          if (r) logger.debug(`Cognito's page interactive after ${r.waitedMs} ms (${r.react ? 'React hydrated' : r.gaveUp ? 'gave up waiting for hydration' : 'no React on the fields'})`);
          continue;
        }
        choices += 1;
        await page.evaluate((prop) => {
          (window as unknown as Record<string, unknown>)[prop] = true;
        }, ACTED_PROP);
        if (choice.kind === 'corporate') {
          logger.debug(`Cognito's page: signing in through the corporate email form (${user.username})`);
          await fillField(page, '[data-cn-corporate="field"]', user.username, timeout(), { tag: 'corporate' });
          // A re-render after hydration resets a controlled input: type it again before submitting.
          if ((await checkFilled(page, { corporate: user.username })).length) {
            logger.debug('the page reset the corporate email after typing (a re-render); typing again');
            await fillField(page, '[data-cn-corporate="field"]', user.username, timeout(), { tag: 'corporate' });
          }
          if (await anyVisible(page, '[data-cn-corporate="submit"]')) await clickButton(page, '[data-cn-corporate="submit"]', '[data-cn-corporate="field"]', timeout());
          else await page.keyboard.press('Enter');
        } else {
          logger.debug(`Cognito's page: choosing identity provider ${choice.name}`);
          await clickButton(page, `[data-cn-idp="${choice.index}"]`, null, timeout());
        }
        continue;
      }
      case 'nothing':
        if (named !== undefined) {
          throw usageError('IDP_REDIRECT_MISSING', `Cognito showed its own page at ${maskUrl(snap.url)} instead of sending the browser to ${upstreamName(idp)}.`, {
            hint: `Check that ${named} is the identity provider's ProviderName (COGNITO_IDENTITY_PROVIDER) or one of its IdpIdentifiers (COGNITO_IDP_IDENTIFIER), and that app client ${idp.clientId} lists it in SupportedIdentityProviders.`,
          });
        }
        if (snap.acted && choices < 2) {
          // A click before the page's script was ready (a hydrating React page) is lost: once more.
          logger.debug("Cognito's page did not move after the IdP was chosen; choosing again");
          await page.evaluate((props) => {
            for (const p of props) delete (window as unknown as Record<string, unknown>)[p];
          }, [ACTED_PROP, SINCE_PROP]);
          continue;
        }
        if (snap.acted) {
          throw idpFailure('IDP_CHOICE_STUCK', `Cognito's page at ${maskUrl(snap.url)} stayed after the identity provider was chosen.`, {
            hint: 'For the corporate email form, check that the username\'s email domain is one of the IdP\'s IdpIdentifiers; otherwise set COGNITO_IDENTITY_PROVIDER.',
          });
        }
        throw usageError('IDP_NOT_OFFERED', `Cognito's sign-in page for app client ${idp.clientId} offers no external identity provider, but the test user is federated (COGNITO_IDP_LOGIN_UI=${idp.idpLoginUi ?? 'custom'}).`, {
          hint: `Enable the IdP on app client ${idp.clientId} (SupportedIdentityProviders), or name it with COGNITO_IDENTITY_PROVIDER (or COGNITO_IDP_IDENTIFIER); for a Cognito user, unset COGNITO_IDP_LOGIN_UI.`,
        });
    }
  }
}

type IdpChoice = { kind: 'corporate' } | { kind: 'button'; name: string; index: number };

/** Which IdP to take from what Cognito's page offers (no IdP named in the configuration). */
export function chooseIdp(buttons: string[], corporate: boolean, user: Pick<UserCredentials, 'username'>, idp: Pick<IdpConfig, 'clientId'>): IdpChoice {
  const isEmail = /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(user.username);
  const pick = (): IdpChoice | undefined => {
    if (buttons.length === 1) return { kind: 'button', name: buttons[0]!, index: 0 };
    if (corporate && isEmail) return { kind: 'corporate' };
    return undefined;
  };
  const choice = pick();
  if (choice?.kind === 'button' && /^google$/i.test(choice.name)) throw googleRefused(`Cognito's "${choice.name}" button`);
  if (choice) return choice;
  const offered = [...buttons.map((b) => `"${b}"`), ...(corporate ? ['a corporate email form'] : [])];
  const why = corporate && !isEmail ? ` The corporate email form routes by the email's domain, and the username ${user.username} is not an email address.` : '';
  throw usageError('IDP_CHOICE_AMBIGUOUS', `Cognito's sign-in page for app client ${idp.clientId} offers ${offered.join(', ')}, and no identity provider is configured.${why}`, {
    hint: `Set COGNITO_IDENTITY_PROVIDER to the one to use${buttons.length ? ` (${buttons.join(', ')})` : ''}, or COGNITO_IDP_IDENTIFIER to one of its identifiers.`,
    details: { offered: buttons.join(', ') },
  });
}

/** Cognito's federation errors (A.1, A.8) as ours, from the page's visible text. */
function cognitoLegError(pageText: string, idp: IdpConfig, named: string | undefined, url: string): CnError {
  const phrase = (re: RegExp) => redact((re.exec(pageText)?.[0] ?? '').trim());
  if (/Login option is not available/i.test(pageText)) {
    return usageError('IDP_NOT_AVAILABLE', `Cognito refused the identity provider${named ? ` ${named}` : ''} for app client ${idp.clientId}: "${phrase(/Login option is not available[^\n]*/i)}".`, {
      hint: `The user pool has no identity provider by that ${idp.idpIdentifier ? 'identifier' : 'name'}, or app client ${idp.clientId} does not list it in SupportedIdentityProviders; check COGNITO_IDENTITY_PROVIDER / COGNITO_IDP_IDENTIFIER against describe-identity-provider.`,
    });
  }
  // A state problem shows on the generic error page too, so it is looked for first.
  const failed = /Invalid State\/RelayState provided\.?|Something went wrong[^\n]*/i;
  if (failed.test(pageText)) {
    return idpFailure('FEDERATION_FAILED', `Cognito ended the federated sign-in with "${phrase(failed)}".`, {
      hint: "A federated sign-in must finish within 5 minutes in one browser context (Cognito's state cookies); run again, and check the IdP's configuration in the user pool if it repeats.",
    });
  }
  let error = 'unknown';
  try {
    error = new URL(url).searchParams.get('error') ?? 'unknown';
  } catch {
    // keep "unknown"
  }
  return usageError('AUTHORIZE_REJECTED', `Cognito showed its error page (error=${error}) for app client ${idp.clientId} during the federated sign-in.`, {
    hint: `Check that ${idp.redirectUri} is among the client's Allowed callback URLs, and that the client offers ${named ?? 'the identity provider'} (SupportedIdentityProviders) and the Authorization code grant.`,
  });
}

/**
 * An unrecognised page on the way back from the IdP: if it is one of Cognito's federation errors,
 * fail with that error instead of "unknown page".
 */
export async function rejectFederationErrorPage(page: Page, idp: IdpConfig): Promise<void> {
  const text = await page.evaluate(() => (document.body ? document.body.innerText : '')).catch(() => '');
  if (new RegExp(FEDERATION_ERRORS, 'i').test(text)) throw cognitoLegError(text, idp, idp.identityProvider ?? idp.idpIdentifier, page.url());
}

/** Whether a selector has a visible match now (without Playwright's injected script). */
async function anyVisible(page: Page, selector: string): Promise<boolean> {
  return evaluateInPage(page, (sel, h) => h.visibleIn(document, sel).length > 0, selector);
}

/** Act on an upstream interstitial: pick the user's account, the authenticator app, "Stay signed in?". */
export async function actOnUpstreamPage(page: Page, state: PageState, profile: SelectorProfile, user: UserCredentials, logger: Logger, timeoutMs: number): Promise<void> {
  switch (state.kind) {
    case 'account-picker': {
      const tile = profile.accountTile ? accountTileSelector(profile.accountTile, user.username) : undefined;
      if (tile && (await anyVisible(page, tile))) {
        logger.debug(`"Pick an account": choosing ${user.username}`);
        await clickButton(page, tile, null, timeoutMs);
        return;
      }
      if (profile.otherAccount && (await anyVisible(page, profile.otherAccount))) {
        logger.debug('"Pick an account": using another account');
        await clickButton(page, profile.otherAccount, null, timeoutMs);
        return;
      }
      throw idpFailure('ACCOUNT_NOT_OFFERED', `The identity provider's "Pick an account" page offers neither ${user.username} nor another account.`, {
        hint: 'Check the selector profile\'s accountTile and otherAccount against the page.',
      });
    }
    case 'mfa-method':
      logger.debug('choosing the authenticator app code on the MFA method page');
      await clickButton(page, profile.mfaMethod as string, null, timeoutMs);
      return;
    case 'stay-signed-in':
      logger.debug('answering "Stay signed in?"');
      await clickButton(page, profile.staySignedIn as string, null, timeoutMs);
      return;
    default:
      return;
  }
}

/** A visible error on the upstream IdP's page after we submitted something: the IdP refused. */
export function rejectUpstreamError(state: PageState, submitted: boolean, idp: IdpConfig, user: UserCredentials): void {
  const text = state.errorText;
  if (!text || !submitted) return;
  const shown = redact(text);
  const who = upstreamName(idp);
  const Who = who.charAt(0).toUpperCase() + who.slice(1);
  switch (errorMeaning(text, state.kind === 'totp')) {
    case 'locked-out':
      throw loginRejected('LOGIN_LOCKED_OUT', `${Who} locked user ${user.username} out: "${shown}".`, {
        hint: `Wait before trying again, and check ${userVariable(user, 'PASSWORD')} (the user's password at the IdP) first.`,
      });
    case 'mfa-rejected':
      throw loginRejected('MFA_REJECTED', `${Who} refused the TOTP code for user ${user.username}: "${shown}".`, {
        hint: `Check ${userVariable(user, 'TOTP_SECRET')} (the authenticator secret enrolled at the IdP) and this machine's clock.`,
      });
    default:
      throw loginRejected('LOGIN_REJECTED', `${Who} refused the sign-in for user ${user.username}: "${shown}".`, {
        hint: `Check the username and ${userVariable(user, 'PASSWORD')}: for a federated user they are the user's credentials at the IdP, not a Cognito user's.`,
      });
  }
}

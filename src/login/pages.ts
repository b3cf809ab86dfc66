// Page recognition: which login page the browser shows, decided by visible content only (never by
// timing, never by the emulator's markup alone). Real Hosted UI pages are not ours, so every rule
// accepts alternatives (docs/hosted-ui-pages.md, cognito-reference.md 2, 3).
//
// `collectSnapshot` and `classifyPage` run inside the page (their source is sent to the browser, so
// they must stay self-contained: no imports, no outer variables) and also in Node for unit tests.
import type { Page } from 'playwright-core';
import { errors as playwrightErrors } from './playwright.js';
import type { SelectorProfile } from '../config/selector-profile.js';
import { PAGE_HELPERS_SOURCE, type PageHelpers } from './page-helpers.js';

export type PageKind =
  /** Username and password on one page: classic, managed one-step, or a custom IdP. */
  | 'login'
  /** Username only (Managed Login username-first, or a custom two-step page). */
  | 'username'
  /** Password only (second step of username-first). */
  | 'password'
  | 'totp'
  | 'new-password'
  | 'confirm'
  | 'reset-required'
  /** Cognito's error page for an unregistered redirect URI or an unknown client. */
  | 'redirect-mismatch'
  /** Cognito's error page for another reason (`/error?error=<code>`). */
  | 'error-page'
  | 'pages-unavailable'
  | 'consent'
  /** Managed Login: choose how to sign in (password, passkey, email or SMS code): the driver picks the password. */
  | 'factor-choice'
  /** Managed Login: choose the MFA method (authenticator app or SMS): the driver picks the app. */
  | 'mfa-choice'
  /** Managed Login: an offer to register a passkey after sign-in: the driver declines it. */
  | 'passkey-offer'
  /** Managed Login: sign in (or verify, as MFA) with a passkey: a button calls navigator.credentials.get. */
  | 'passkey-prompt'
  /** "Sign in as <user>": a live session offers to continue (Cognito, when the sign-in starts at /login). */
  | 'signed-in-as'
  /** Upstream IdP pages (federated users): "Pick an account", an MFA method list, "Stay signed in?". */
  | 'account-picker'
  | 'mfa-method'
  | 'stay-signed-in'
  /** The tiny page the callback capture serves. */
  | 'callback'
  | 'unknown';

export type LoginUiMode = 'auto' | 'classic' | 'managed' | 'custom';

/** CSS probes the page is searched for; only visible matches are counted. */
export type Probes = Record<string, string>;

export interface PageSnapshot {
  url: string;
  readyState: string;
  title: string;
  /** Visible text of the page (innerText of body), capped. */
  text: string;
  /** Probe name -> number of visible matches. */
  visible: Record<string, number>;
  /** Visible, non-empty error messages: the `error` probe, invalid fields' descriptions, then error-shaped text. */
  errors: string[];
  /** Visible texts of buttons, links, radios and labels (what a person can pick on a choice screen). */
  choices?: string[];
  /** Probes whose selector the browser rejected (a broken custom profile). */
  invalidProbes: string[];
  /** The capture's own page is shown. */
  callbackMarker: boolean;
}

export interface PageState {
  kind: PageKind;
  /** Which family the page looked like: classic Hosted UI, Managed Login, or a custom profile. */
  variant: 'classic' | 'managed' | 'custom' | undefined;
  /** The same family for every kind of page (variant is set only on sign-in forms). */
  family?: 'classic' | 'managed' | 'custom';
  /** The visible error message, as the page shows it. */
  errorText: string | undefined;
  /** For Cognito's `/error` page: the `error` query value. */
  errorParam: string | undefined;
  url: string;
  readyState: string;
  invalidProbes: string[];
}

/** The meta tag the capture's fulfilled page carries, so it is never mistaken for an unknown page. */
export const CALLBACK_MARKER = 'cognito-newman-callback';

/** The probe set for one profile, plus the Cognito content probes when `cognito` rules apply. */
export function probesFor(profile: SelectorProfile, cognito: boolean): Probes {
  const probes: Probes = {
    username: profile.username,
    // Username-first second steps may show the username read-only; only an editable one is filled.
    usernameEditable: `:is(${profile.username}):not([readonly]):not([disabled]):not([type="hidden"])`,
    password: profile.password,
    submit: profile.submit,
  };
  if (profile.next) probes.next = profile.next;
  if (profile.otp) probes.otp = profile.otp;
  if (profile.error) probes.error = profile.error;
  if (profile.consent) probes.consent = profile.consent;
  if (profile.accountPicker) probes.accountPicker = profile.accountPicker;
  if (profile.mfaMethod) probes.mfaMethod = profile.mfaMethod;
  if (profile.staySignedIn) probes.staySignedIn = profile.staySignedIn;
  if (cognito) {
    probes.cognitoForm = 'form[name="cognitoSignInForm"], form.cognito-asf, #signInFormUsername';
    probes.newPassword = 'input[name="newPassword"], input#new_password, input[name="confirmPassword"], input[autocomplete="new-password"]';
    probes.confirmCode = 'input[name="confirmation_code"], input#verification_code';
    probes.anyPassword = 'input[type="password"]';
    probes.textInput = 'input[type="text"], input[type="number"], input[type="tel"], input:not([type])';
    probes.anyField = 'input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]):not([type="submit"]):not([type="button"]):not([type="image"]):not([type="reset"]), textarea';
    // A one-time-code field by its shape, whatever its name or id (Managed Login's has neither, cognito-reference 3.1).
    probes.codeShaped = 'input[autocomplete="one-time-code"], input[inputmode="numeric"]:not([type="hidden"]), input[maxlength="6"], input[maxlength="8"]';
  }
  return probes;
}

/**
 * Runs in the page: counts visible matches of each probe and reads visible text and errors.
 * Visibility follows Playwright's notion (a non-empty box, not visibility:hidden), so the hidden
 * copy of the classic page's duplicated form never counts.
 */
export function collectSnapshot(probes: Probes, callbackMarker: string, h: PageHelpers): PageSnapshot {
  const { isVisible } = h;
  const visible: Record<string, number> = {};
  const invalidProbes: string[] = [];
  const errors: string[] = [];
  for (const name of Object.keys(probes)) {
    let found: Element[] = [];
    try {
      found = Array.from(document.querySelectorAll(probes[name] as string)).filter(isVisible);
    } catch {
      invalidProbes.push(name);
    }
    visible[name] = found.length;
    if (name === 'error') {
      for (const el of found) {
        const t = h.textOf(el);
        if (t && !errors.includes(t)) errors.push(t);
      }
    }
  }
  const body = document.body;
  const text = body ? (body.innerText || '').slice(0, 20000) : '';
  const clean = (t: string) => t.replace(/\s+/g, ' ').trim();
  // Errors without a known selector: what an invalid field is described by (Cloudscape's form-field
  // error has no role="alert"), then lines that read like Cognito's sign-in errors.
  if (errors.length === 0) {
    for (const field of Array.from(document.querySelectorAll('[aria-invalid="true"]')).filter(isVisible)) {
      for (const id of (field.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean)) {
        const d = document.getElementById(id);
        const t = d && isVisible(d) ? clean(d.innerText || d.textContent || '') : '';
        if (t && !errors.includes(t)) errors.push(t);
      }
    }
  }
  if (errors.length === 0) {
    const shaped = /^(Invalid input: .+|Incorrect username or password\.?|Password attempts exceeded\.?|User does not exist\.?|User is disabled\.?|Missing [a-z ]{3,40}\.|Invalid (email address|phone number|code)\b.*|Invalid code received for user.*|Too many invalid credentials attempts.*|Passkey .{0,40}(failed|not allowed|not recogni[sz]ed).*|.{0,40}passkey could not be (used|verified|added).*)$/i;
    for (const line of text.split('\n')) {
      const t = clean(line);
      if (t && shaped.test(t) && !errors.includes(t)) errors.push(t);
    }
  }
  const choices: string[] = [];
  for (const el of Array.from(document.querySelectorAll('button, a[href], [role="button"], [role="radio"], [role="tab"], label')).filter(isVisible)) {
    const t = clean((el as HTMLElement).innerText || el.textContent || '');
    if (t && t.length <= 80 && !choices.includes(t)) choices.push(t);
  }
  // Styled radios hide the native input: their name comes from what labels them.
  for (const radio of Array.from(document.querySelectorAll('input[type="radio"]')) as HTMLInputElement[]) {
    const names = [radio.getAttribute('aria-label') || '', ...Array.from(radio.labels || []).map((l) => l.innerText || '')];
    for (const id of (radio.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean)) {
      const l = document.getElementById(id);
      if (l && isVisible(l)) names.push(l.innerText || '');
    }
    for (const n of names.map(clean)) if (n && n.length <= 80 && !choices.includes(n)) choices.push(n);
  }
  return {
    url: location.href,
    readyState: document.readyState,
    title: document.title || '',
    text,
    visible,
    errors,
    choices,
    invalidProbes,
    callbackMarker: !!document.querySelector(`meta[name="${callbackMarker}"]`),
  };
}

/**
 * Runs in the page and in Node: decide the page kind from a snapshot. Order matters: error pages
 * first, then user-state pages (whose forms also hold password fields), then sign-in forms.
 */
export function classifyPage(snap: PageSnapshot, mode: LoginUiMode): PageState {
  const count = (name: string): number => snap.visible[name] ?? 0;
  const text = snap.text || '';
  let path = '';
  let errorParam: string | undefined;
  try {
    const u = new URL(snap.url);
    path = u.pathname;
    errorParam = u.searchParams.get('error') ?? undefined;
  } catch {
    path = '';
  }
  const cognito = mode !== 'custom';
  const base = {
    url: snap.url,
    readyState: snap.readyState,
    invalidProbes: snap.invalidProbes,
    errorText: snap.errors[0],
  };
  const variant: PageState['variant'] = mode === 'custom' ? 'custom' : count('cognitoForm') > 0 ? 'classic' : mode === 'classic' ? 'classic' : 'managed';
  const state = (kind: PageKind, extra: Partial<PageState> = {}): PageState => ({
    kind,
    variant: kind === 'login' || kind === 'username' || kind === 'password' ? variant : undefined,
    family: variant,
    errorParam: undefined,
    ...base,
    ...extra,
  });

  if (snap.callbackMarker) return state('callback');

  if (cognito) {
    if (/An error was encountered with the requested page/i.test(text) || /\/error\/?$/.test(path)) {
      const p = errorParam;
      // Cognito answers both an unregistered redirect URI and an unknown client with this page;
      // an older variant shows it without the query (cognito-reference.md 1.1).
      if (!p || p === 'redirect_mismatch') return state('redirect-mismatch', { errorParam: p });
      return state('error-page', { errorParam: p });
    }
    if (/Login pages? (are )?unavailable/i.test(text)) return state('pages-unavailable');
    if (/Reset your password|password reset code|Password reset required/i.test(text) || /\/confirmforgotpassword\/?$/i.test(path)) {
      return state('reset-required');
    }
    if (count('confirmCode') > 0 || /Confirm your account/i.test(text) || /\/confirm\/?$/i.test(path)) {
      return state('confirm');
    }
    const otpText = /authenticator app|multi-factor authentication|one-time (pass)?code|verification code from|MFA code/i.test(text);
    if (count('otp') > 0 || (otpText && count('textInput') > 0 && count('anyPassword') === 0)) return state('totp');
    // The one visible field is code-shaped and nothing asks for a username or password: a code step.
    if (count('anyField') === 1 && count('codeShaped') === 1 && count('anyPassword') === 0 && count('usernameEditable') === 0) return state('totp');
    if (count('newPassword') > 0 || (/change password|new password/i.test(text) && count('anyPassword') > 1)) {
      return state('new-password');
    }
  } else if (count('otp') > 0) {
    return state('totp');
  }
  // Upstream IdP interstitials (only probed when the profile names them).
  if (count('accountPicker') > 0) return state('account-picker');
  if (count('mfaMethod') > 0) return state('mfa-method');

  const editableUser = count('usernameEditable') > 0;
  const password = count('password') > 0;
  if (editableUser && password) return state('login');
  if (editableUser && (count('next') > 0 || count('submit') > 0)) return state('username');
  if (password && count('submit') > 0) return state('password');
  if (cognito && count('anyField') === 0 && count('anyPassword') === 0) {
    // Choice screens have no field to fill, only things to pick (Managed Login, cognito-reference 3.1).
    const choices = snap.choices || [];
    const has = (re: RegExp) => choices.some((c) => re.test(c));
    const decline = /^(not now|skip( for now)?|no,? thanks|maybe later|remind me later|later|cancel|continue without( a)? passkey|do(n't| not) add( a)? passkey|skip passkey( setup)?)$/i;
    if (/passkey/i.test(text) && has(decline)) return state('passkey-offer');
    if (has(/authenticator|totp|software token/i) && has(/\bsms\b|text message|phone/i)) return state('mfa-choice');
    const passwordChoice = /^(sign in with |use )?(your |a )?password$/i;
    if (has(passwordChoice) && has(/passkey|email|sms|text message|one-time|code|security key/i)) return state('factor-choice');
    // Two or more factor options without a password among them: a passwordless user's choice, or
    // an MFA choice when the page speaks of a second factor (issue 18; texts are not public).
    const options = [/passkey|security key/i, /^[^a-z]*e-?mail\b/i, /\bsms\b|text message|\bphone\b/i, /authenticator|totp|software token/i];
    const offered = options.filter((re) => choices.some((c) => c.length <= 40 && re.test(c))).length;
    if (offered >= 2) return state(/multi-?factor|\bMFA\b|two-?(step|factor)|second factor|verification method/i.test(text) ? 'mfa-choice' : 'factor-choice');
    // One call to action about a passkey, nothing to type: the passkey sign-in (or passkey MFA) screen.
    if (/passkey/i.test(text) && has(/^(continue|next|verify|sign in|sign in with (a |your )?passkey|use (a |your )?passkey|use passkey)$/i)) return state('passkey-prompt');
  }
  if (count('consent') > 0) return state('consent');
  if (count('staySignedIn') > 0) return state('stay-signed-in');
  // After the form checks: the username-first password step links "Sign in as a different user".
  if (cognito && count('anyPassword') === 0 && count('submit') > 0 && /\bsign(ed)? in as\s+\S/i.test(text)) return state('signed-in-as');
  return state('unknown');
}

/** What a visible error message means. Cognito's texts are matched loosely: wording may change. */
export type ErrorMeaning = 'missing-value' | 'locked-out' | 'disabled' | 'not-confirmed' | 'reset-required' | 'session-expired' | 'mfa-rejected' | 'rejected';

export function errorMeaning(text: string, onTotpPage: boolean): ErrorMeaning {
  // Client-side validation: the page thinks a field is empty (a value lost to a re-render), not Cognito's answer.
  if (/^(missing|please enter|enter) (an? |your )?(email( address)?|username|password|phone( number)?|code)\b/i.test(text.trim())) return 'missing-value';
  if (/session (is |has )?expired|invalid session/i.test(text)) return 'session-expired';
  if (/password attempts exceeded|too many (failed|unsuccessful)|temporarily locked/i.test(text)) return 'locked-out';
  if (/user is disabled|account (is )?disabled/i.test(text)) return 'disabled';
  if (/not confirmed/i.test(text)) return 'not-confirmed';
  if (/password reset required|reset your password/i.test(text)) return 'reset-required';
  if (onTotpPage || /invalid code|code mismatch|invalid (verification|authentication|mfa) code/i.test(text)) return 'mfa-rejected';
  return 'rejected';
}

export interface WaitForPageOptions {
  probes: Probes;
  mode: LoginUiMode;
  /** The state we last acted on; the wait ends only when the page moved on from it or shows a new error. */
  after: { step: number; kind: PageKind; errorText?: string | undefined } | undefined;
  /** The step number written onto the document we return, so the next wait can tell it apart. */
  step: number;
  /** How long a fully loaded page may stay unrecognised before it counts as unknown. */
  unknownGraceMs: number;
  timeoutMs: number;
}

/** Marker property on `window`: which step recognised this document. */
const STEP_PROP = '__cognitoNewmanStep';
const UNKNOWN_PROP = '__cognitoNewmanUnknownSince';
/** Marker property on `window`: how many times a wait evaluated this document. */
export const POLLS_PROP = '__cognitoNewmanPolls';

/**
 * The in-page predicate: a recognised page that differs from the one acted on (a new document, a
 * new kind, or an error shown), or a loaded page that stayed unrecognised for the grace period.
 */
function pagePredicate(
  arg: {
    probes: Probes;
    mode: LoginUiMode;
    after: { step: number; kind: PageKind; errorText?: string | undefined } | null;
    step: number;
    unknownGraceMs: number;
    marker: string;
    stepProp: string;
    unknownProp: string;
    pollsProp: string;
  },
  collect: typeof collectSnapshot,
  classify: typeof classifyPage,
  h: PageHelpers,
): PageState | false {
  const w = window as unknown as Record<string, unknown>;
  // How many times any wait looked at this document (lets tests prove a wait is really waiting).
  w[arg.pollsProp] = (typeof w[arg.pollsProp] === 'number' ? (w[arg.pollsProp] as number) : 0) + 1;
  const snap = collect(arg.probes, arg.marker, h);
  const st = classify(snap, arg.mode);
  if (st.kind === 'unknown') {
    if (document.readyState !== 'complete') {
      w[arg.unknownProp] = undefined;
      return false;
    }
    const now = performance.now();
    const since = typeof w[arg.unknownProp] === 'number' ? (w[arg.unknownProp] as number) : now;
    w[arg.unknownProp] = since;
    if (now - since < arg.unknownGraceMs) return false;
    w[arg.stepProp] = arg.step;
    return st;
  }
  w[arg.unknownProp] = undefined;
  const sameDocument = arg.after !== null && w[arg.stepProp] === arg.after.step;
  if (sameDocument && arg.after !== null && st.kind === arg.after.kind) {
    // In the same document an error still showing from before the submit is not an answer to it:
    // wait for another text, or for the same text after it went away (a second, identical answer).
    const clearedProp = `${arg.stepProp}ErrorCleared${arg.step}`;
    if (!st.errorText) {
      w[clearedProp] = true;
      return false;
    }
    if (st.errorText === arg.after.errorText && w[clearedProp] !== true) return false;
  }
  w[arg.stepProp] = arg.step;
  return st;
}

/** JavaScript source of the predicate with its helpers passed in, for `page.waitForFunction`. */
export function predicateSource(arg: Omit<WaitForPageOptions, 'timeoutMs'>): string {
  const payload = {
    probes: arg.probes,
    mode: arg.mode,
    after: arg.after ?? null,
    step: arg.step,
    unknownGraceMs: arg.unknownGraceMs,
    marker: CALLBACK_MARKER,
    stepProp: STEP_PROP,
    unknownProp: UNKNOWN_PROP,
    pollsProp: POLLS_PROP,
  };
  // Each helper is sent as its own source text: none of them may reference anything outside itself.
  return `(${pagePredicate.toString()})(${JSON.stringify(payload)}, ${collectSnapshot.toString()}, ${classifyPage.toString()}, ${PAGE_HELPERS_SOURCE})`;
}

/**
 * The in-page wait: run the predicate on every animation frame until it returns a state, or
 * resolve `null` after `waitMs` (a timer too, since a page that renders no frames runs no rAF).
 */
export function waitSource(arg: Omit<WaitForPageOptions, 'timeoutMs'>, waitMs: number): string {
  // A predicate that throws (a page that broke a DOM builtin) rejects at once instead of waiting out the timeout.
  return `new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => { if (!done) { done = true; resolve(null); } }, ${Math.max(1, Math.round(waitMs))});
    const tick = () => {
      if (done) return;
      let state;
      try { state = ${predicateSource(arg)}; } catch (error) { done = true; clearTimeout(timer); reject(error); return; }
      if (state) { done = true; clearTimeout(timer); resolve(state); } else requestAnimationFrame(tick);
    };
    tick();
  })`;
}

/** A navigation replaced the document the evaluation ran in: look again in the new one. */
const isDocumentReplaced = (err: unknown): boolean => err instanceof Error && /Execution context was destroyed/i.test(err.message);

/**
 * Wait until the page is recognisable and has moved on from `after` (bounded by `timeoutMs`).
 * Survives navigations: when a new document replaces the one being watched, the wait starts again
 * in the new one (the step marker on `window` tells documents apart).
 *
 * Why not `page.waitForFunction`: it loads Playwright's injected script (~180 KB) into every
 * document; one plain evaluation that resolves when the page is ready costs a fraction of that
 * (measured in `npm run bench`), and five parallel sign-ins share two cores.
 */
export async function waitForPageState(page: Page, options: WaitForPageOptions): Promise<PageState> {
  const deadline = Date.now() + Math.max(1, options.timeoutMs);
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new playwrightErrors.TimeoutError(`Timed out after ${options.timeoutMs} ms waiting for a recognisable sign-in page.`);
    try {
      const state = (await page.evaluate(waitSource(options, left))) as PageState | null;
      if (state) return state;
    } catch (err) {
      if (!isDocumentReplaced(err)) throw err;
    }
  }
}

/** What the page shows now, read in the page with the shared helpers. */
export async function snapshotPage(page: Page, probes: Probes): Promise<PageSnapshot> {
  return (await page.evaluate(`(${collectSnapshot.toString()})(${JSON.stringify(probes)}, ${JSON.stringify(CALLBACK_MARKER)}, ${PAGE_HELPERS_SOURCE})`)) as PageSnapshot;
}

/** One snapshot and its classification now (for diagnostics and timeouts). */
export async function currentPageState(page: Page, probes: Probes, mode: LoginUiMode): Promise<PageState | undefined> {
  try {
    return classifyPage(await snapshotPage(page, probes), mode);
  } catch {
    return undefined;
  }
}

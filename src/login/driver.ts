// The Hosted UI driver: signs one user in through whatever login pages the identity provider shows
// and returns the captured callback URL. A loop recognises the page by content, acts, and waits for
// the page to move on; the callback capture races every step, so an instant redirect (a session
// cookie) ends the loop at any point. No fixed sleeps: every wait is on page state and bounded.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { IdpConfig, UserCredentials } from '../config/types.js';
import type { LoginAttempt } from '../oauth/authorize.js';
import { CnError, ExitCode, idpFailure, isCnError, loginRejected, usageError } from '../errors.js';
import { redact, registerSecret, type Logger } from '../log.js';
import { clickButton as click, fillField as fill, visibleText, type ActionPath, type TargetOptions } from './actions.js';
import { checkFilled, waitInteractive } from './interactive.js';
import { CHOICES, findChoice, findCodeField, marked } from './screens.js';
import { installCallbackCapture, type CallbackCapture } from './capture.js';
import { bounded, DIAGNOSTICS_GRACE_MS, maskUrl, stopLoading, writeDiagnostics } from './diagnostics.js';
import { currentPageState, errorMeaning, probesFor, waitForPageState, type LoginUiMode, type PageKind, type PageState, type Probes } from './pages.js';
import { CLASSIC_PROFILE, MANAGED_PROFILE, type SelectorProfile } from '../config/selector-profile.js';
import { freshTotpCode } from './totp.js';
import { actOnUpstreamPage, isFederated, passCognitoLeg, rejectFederationErrorPage, rejectUpstreamError, upstreamName } from './federation.js';
import { upstreamProfileFor } from './upstream-profiles.js';
import { DEFAULTS } from '../config/keys.js';
import { stepClock, type StepTimes } from '../tokens/steps.js';
import { installPasskey } from './passkey.js';
import { choiceNotAnswerable, codeChannel, codeRejected, factorMissing, firstFactorsOf, mfaMethodsOf, passkeyRejected, pickOption, visibleOptions } from './factors.js';
import { startCodeWaiter, type CodeWaiter } from '../codes/wait.js';
import { userVariablePrefix } from '../secrets/env.js';

export interface LoginInput {
  browser: Browser;
  idp: IdpConfig;
  user: UserCredentials;
  attempt: LoginAttempt;
  artifactsDir: string;
  timeoutMs: number;
  logger: Logger;
  /**
   * Internal (tests, benchmarks): sign in inside this context instead of a fresh one, and leave it
   * open, so a Cognito session cookie from an earlier sign-in is sent.
   */
  context?: BrowserContext;
  /** Internal: how long a loaded page may stay unrecognised before it is reported. Default 5 s. */
  unknownPageGraceMs?: number;
  /** Internal: the clock for TOTP codes. */
  now?: () => number;
  /** Where the sign-in's step times go (the `--debug` breakdown and `npm run bench`). */
  steps?: StepTimes;
  /**
   * Internal (tests): turn off one guard of hydrating pages to show the next one is needed.
   * `waitBeforeTyping: false` types before hydration; `checkTyped: false` skips the check of typed values.
   */
  guards?: { waitBeforeTyping?: boolean; checkTyped?: boolean };
  /** Longest wait for an emailed or texted code; added to `timeoutMs` for a user with a code source. Default 60 s. */
  codeTimeoutMs?: number;
  /** Where a command code source and the AWS SDK read their environment. Default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Per sign-in state of the factor screens: the code source being watched, the last code screen's channel. */
interface FactorState {
  codes?: CodeWaiter;
  channel?: 'email' | 'sms' | 'totp';
}

/** Resource types a sign-in never needs; stylesheets stay (the classic page's visibility depends on them). */
const BLOCKED_RESOURCE_TYPES = ['Image', 'Font', 'Media'] as const;
/** Generous cap on page transitions: a real sign-in takes 2 to 5 pages (Managed Login's choices add a few). */
const MAX_STEPS = 14;
/** How often a step is typed again after the page said a typed value was missing (a re-render lost it). */
const MAX_MISSING_RETRIES = 2;
const DEFAULT_UNKNOWN_GRACE_MS = 5_000;

/** The selector profile for the configured login UI. */
export function profileFor(idp: Pick<IdpConfig, 'loginUi' | 'selectorProfile'>): SelectorProfile {
  switch (idp.loginUi) {
    case 'classic':
      return CLASSIC_PROFILE;
    case 'managed':
      return MANAGED_PROFILE;
    case 'custom':
      if (!idp.selectorProfile) {
        throw usageError('SELECTOR_PROFILE_MISSING', 'COGNITO_LOGIN_UI is "custom" but no selector profile is configured.', {
          hint: 'Set COGNITO_SELECTOR_PROFILE to a JSON file or inline JSON with username, password and submit selectors.',
        });
      }
      return idp.selectorProfile;
    default:
      // auto: both Cognito families; recognition tells them apart by content.
      return {
        name: 'auto',
        username: joinSelectors(CLASSIC_PROFILE.username, MANAGED_PROFILE.username),
        password: joinSelectors(CLASSIC_PROFILE.password, MANAGED_PROFILE.password),
        next: joinSelectors(MANAGED_PROFILE.next, CLASSIC_PROFILE.submit),
        submit: joinSelectors(CLASSIC_PROFILE.submit, MANAGED_PROFILE.submit),
        otp: joinSelectors(CLASSIC_PROFILE.otp, MANAGED_PROFILE.otp),
        error: joinSelectors(CLASSIC_PROFILE.error, MANAGED_PROFILE.error),
      };
  }
}

function joinSelectors(...lists: (string | undefined)[]): string {
  const parts = lists.flatMap((l) => (l ? l.split(/,(?![^(]*\))/) : [])).map((s) => s.trim());
  return [...new Set(parts.filter(Boolean))].join(', ');
}

/** The variable holding this user's secret, as the contract names it (for messages). */
export function userVariable(user: Pick<UserCredentials, 'name'>, field: 'PASSWORD' | 'TOTP_SECRET'): string {
  return user.name === 'default' ? `TEST_USER_${field}` : `TEST_USER_${user.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${field}`;
}

/** Thrown internally when the callback was captured mid-step: the sign-in is over. */
class Captured {
  constructor(readonly url: string) {}
}
/** Thrown internally when the overall deadline passed. */
class DeadlineReached {}

/**
 * Sign `user` in through the Hosted UI (or a custom IdP page) in a fresh browser context and return
 * the full callback URL the IdP redirected to (`?code=`/`?error=`, or `#access_token=` for the
 * implicit grant). Nothing is sent to the callback host. Failures are CnErrors: exit 2 for client
 * configuration pages, 3 for a refused sign-in or a user-state page, 4 for unknown pages and
 * timeouts (with diagnostics written to `artifactsDir`).
 */
export async function loginInBrowser(input: LoginInput): Promise<string> {
  const { browser, idp, user, attempt, logger } = input;
  registerSecret(user.password);
  registerSecret(user.totpSecret);
  registerSecret(user.passkey?.privateKey);
  // A federated user: Cognito's page (or a redirect) leads to the upstream IdP, whose pages the
  // upstream profile reads without Cognito's content rules.
  const federated = isFederated(idp);
  const profile = federated ? upstreamProfileFor(idp) : profileFor(idp);
  const mode: LoginUiMode = federated ? 'custom' : idp.loginUi;
  const probes = probesFor(profile, mode !== 'custom');
  const started = Date.now();
  const codeWaitMs = user.codeSource ? (input.codeTimeoutMs ?? DEFAULTS.codeTimeoutMs) : 0;
  // A code's delivery is waited for on top of the page work, so a slow inbox is named as such (exit 4 "no code").
  const deadline = started + input.timeoutMs + codeWaitMs;
  const lap = stepClock(input.steps);
  const remaining = () => Math.max(1, deadline - Date.now());

  const ownContext = input.context === undefined;
  let context: BrowserContext | undefined = input.context;
  let page: Page | undefined;
  let capture: CallbackCapture | undefined;
  const stop = new AbortController();
  /** Everything typed into the page that is secret: the password, TOTP codes (scrubbed from diagnostics). */
  const typed: string[] = user.password ? [user.password] : [];
  const factors: FactorState = {};
  // Watch the code source from the start: only messages that arrive after this are read.
  if (user.codeSource && !federated) {
    factors.codes = startCodeWaiter({
      source: user.codeSource,
      address: user.codeAddress ?? (/@|^\+?\d{6,}$/.test(user.username) ? user.username : undefined),
      username: user.username,
      who: `user ${user.username}`,
      variable: `${userVariablePrefix(user.name)}_CODE_SOURCE`,
      logger,
      ...(input.env ? { env: input.env } : {}),
    });
  }
  let deadlineTimer: NodeJS.Timeout | undefined;
  let lastState: PageState | undefined;
  let documentStatus: number | undefined;
  const scene = (): Scene => ({ input, page, profile, probes, mode, typed, documentStatus });
  // The deadline covers the set-up too: a browser too busy to open a context must not outlast it.
  const deadlineHit = new Promise<DeadlineReached>((resolve) => {
    deadlineTimer = setTimeout(() => resolve(new DeadlineReached()), remaining());
  });
  const withinDeadline = async <T>(work: Promise<T>): Promise<T> => {
    work.catch(() => undefined);
    const outcome = await Promise.race([work, deadlineHit]);
    if (outcome instanceof DeadlineReached) throw outcome;
    return outcome;
  };
  try {
    if (!context) {
      const opening = browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'en-US', serviceWorkers: 'block', acceptDownloads: false });
      context = await withinDeadline(opening).catch((err: unknown) => {
        // Opened after the deadline: nobody will use it.
        void opening.then((late) => late.close()).catch(() => undefined);
        throw err;
      });
    }
    // The passkey goes into the software authenticator before any page exists (cognito-reference 3.2).
    if (user.passkey && !federated) await withinDeadline(installPasskey(context, user.passkey));
    page = await withinDeadline(context.newPage());
    // The HTTP status of the latest main-frame document, so an unknown page can say "HTTP 503".
    const mainFrame = page.mainFrame();
    page.on('response', (response) => {
      try {
        if (response.request().isNavigationRequest() && response.frame() === mainFrame) documentStatus = response.status();
      } catch {
        // A response without a frame (service worker) says nothing about the page.
      }
    });
    capture = await withinDeadline(installCallbackCapture(page, attempt.redirectUri, logger, { blockResourceTypes: BLOCKED_RESOURCE_TYPES }));
    lap('open a context and page');

    const cap = capture;
    const capturedP = cap.url.then((url) => new Captured(url));
    /** Run one step; the capture or the deadline may end it first. */
    const run = async <T>(work: Promise<T>): Promise<T> => {
      const outcome = await Promise.race([
        work.then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        ),
        capturedP,
        deadlineHit,
      ]);
      if (outcome instanceof Captured || outcome instanceof DeadlineReached) throw outcome;
      if (!outcome.ok) {
        const url = cap.captured();
        if (url !== undefined) throw new Captured(url);
        throw outcome.error;
      }
      return outcome.value;
    };

    logger.debug(`opening the sign-in page ${maskUrl(attempt.url)}`);
    try {
      await run(page.goto(attempt.url, { waitUntil: 'commit', timeout: remaining() }));
    } catch (err) {
      if (err instanceof Captured || err instanceof DeadlineReached) throw err;
      throw unreachable(err, attempt.url);
    }
    if (federated) {
      await run(passCognitoLeg({ page, idp, user, startUrl: attempt.url, logger, remaining, graceMs: input.unknownPageGraceMs ?? DEFAULT_UNKNOWN_GRACE_MS }));
      lap('reached the identity provider');
    }

    const acted = new Set<PageKind>();
    let after: { step: number; kind: PageKind; errorText?: string | undefined } | undefined;
    let missingRetries = 0;
    for (let step = 1; step <= MAX_STEPS; step++) {
      const state = await run(
        waitForPageState(page, {
          probes,
          mode,
          after,
          step,
          unknownGraceMs: input.unknownPageGraceMs ?? DEFAULT_UNKNOWN_GRACE_MS,
          timeoutMs: remaining(),
        }),
      );
      lastState = state;
      lap(`${describe(state.kind)} shown`);
      logger.debug(`sign-in page: ${state.kind}${state.variant ? ` (${state.variant})` : ''} at ${maskUrl(state.url)}`);
      if (state.invalidProbes.length) {
        throw usageError('SELECTOR_PROFILE_INVALID', `The selector profile "${profile.name}" has selectors the browser rejects: ${state.invalidProbes.join(', ')}.`, {
          hint: 'Use plain CSS selectors (no Playwright-only syntax such as text= or :visible).',
        });
      }
      if (state.errorText && acted.has(state.kind) && errorMeaning(state.errorText, false) === 'missing-value') {
        // The page's own check says a field is empty although it was typed: a re-render lost the
        // value (typing before hydration). Type the step again instead of reporting a rejection.
        if (missingRetries >= MAX_MISSING_RETRIES) {
          throw await unexpectedPage(scene(), state, `The ${describe(state.kind)} kept saying "${redact(state.errorText)}" although cognito-newman typed the value ${missingRetries + 1} times`);
        }
        missingRetries += 1;
        logger.debug(`the ${describe(state.kind)} says "${redact(state.errorText)}": a typed value was lost, typing the step again`);
        acted.delete(state.kind);
      } else if (federated) {
        rejectUpstreamError(state, ['login', 'password', 'username', 'totp'].some((k) => acted.has(k as PageKind)), idp, user);
      } else {
        rejectOnError(state, acted, input, factors);
      }
      rejectOnPage(state, input, documentStatus);
      switch (state.kind) {
        case 'login':
        case 'username':
        case 'password':
        case 'totp':
        case 'consent':
        case 'signed-in-as':
        case 'factor-choice':
        case 'mfa-choice':
        case 'passkey-offer':
        case 'passkey-prompt':
        case 'account-picker':
        case 'mfa-method':
        case 'stay-signed-in':
          if (acted.has(state.kind)) throw await unexpectedPage(scene(), state, `The ${describe(state.kind)} came back without an error message after it was submitted.`);
          const outcome = await run(act(page, state, profile, probes, input, remaining, stop.signal, typed, factors));
          if (outcome?.noChoice) {
            throw await withDiagnostics(scene(), 'LOGIN_CHOICE_NOT_FOUND', `The ${describe(state.kind)} offers no option cognito-newman can pick (${outcome.noChoice}) at ${maskUrl(state.url)}.`, hintFor(input));
          }
          lap(`${describe(state.kind)} filled and submitted`);
          acted.add(state.kind);
          break;
        case 'callback':
          // The capture's page: the race above ends the loop as soon as the URL is recorded.
          await run(cap.url);
          break;
        default:
          // Back on Cognito after the IdP, its federation errors are named (reference A.8).
          if (federated) await run(rejectFederationErrorPage(page, idp));
          throw await unexpectedPage(scene(), state, undefined);
      }
      after = { step, kind: state.kind, errorText: state.errorText };
    }
    throw await unexpectedPage(scene(), lastState, `The sign-in went through ${MAX_STEPS} pages without reaching the callback.`);
  } catch (err) {
    if (err instanceof Captured) {
      lap('callback captured');
      logger.debug(`sign-in finished in ${Date.now() - started} ms`);
      return err.url;
    }
    if (err instanceof DeadlineReached || isTimeout(err)) throw await timedOut(scene(), lastState);
    if (isCnError(err)) throw err;
    if (!page || isBrowserGone(err)) throw browserFailed(err, page !== undefined);
    throw await unexpectedFailure(scene(), err, lastState);
  } finally {
    stop.abort();
    if (deadlineTimer) clearTimeout(deadlineTimer);
    void factors.codes?.close();
    if (ownContext) {
      // The captured URL is all we need: the context (and its capture session) closes in the
      // background instead of adding its ~100 ms to every sign-in; closing the browser waits for it.
      const closing = context;
      void capture?.dispose().finally(() => closing?.close().catch(() => undefined));
    } else {
      await capture?.dispose();
      await page?.close().catch(() => undefined);
    }
  }
}

/** Fill and submit what the page asks for. */
async function act(
  page: Page,
  state: PageState,
  profile: SelectorProfile,
  probes: Probes,
  input: LoginInput,
  remaining: () => number,
  signal: AbortSignal,
  typed: string[],
  factors: FactorState,
): Promise<{ noChoice: string } | void> {
  const { user, logger } = input;
  const timeout = () => Math.min(remaining(), 15_000);
  const usernameField = probes.usernameEditable ?? profile.username;
  // Pages that may hydrate and re-render (Managed Login is React): wait until interactive, check
  // typed values before submitting. The classic page and custom profiles keep the direct path.
  const hydrating = input.idp.loginUi !== 'classic' && input.idp.loginUi !== 'custom' && state.family !== 'classic';
  // The direct actions fall back to Playwright's waiting locators; say so, it explains a slow step.
  const note = (what: string) => (path: ActionPath) => {
    if (path === 'locator') logger.debug(`${what}: not actionable at once, used Playwright's waiting locator`);
  };
  const personal: TargetOptions = { personal: true };
  const fillField = (selector: string, value: string, what: string, tag: string) => fill(page, selector, value, timeout(), { ...personal, tag }).then(note(what));
  const clickButton = (selector: string, near: string | null, what: string) => click(page, selector, near, timeout(), personal).then(note(what));
  const interactive = async () => {
    if (!hydrating) return undefined;
    const r = await waitInteractive(page, timeout());
    if (r) logger.debug(`page interactive after ${r.waitedMs} ms (${r.react ? 'React hydrated' : r.gaveUp ? 'gave up waiting for hydration' : 'no React on the fields'})`);
    return r;
  };
  /** Fill fields, then check each still holds its value before submitting; type lost ones again once. */
  const fillAll = async (fields: { selector: string; value: string; what: string; tag: string }[]) => {
    const before = input.guards?.waitBeforeTyping !== false ? await interactive() : undefined;
    for (const f of fields) await fillField(f.selector, f.value, f.what, f.tag);
    if (!hydrating) return;
    // Typed into a page React had not taken over yet: let it hydrate (and re-render) before checking.
    if (!before?.react) await interactive();
    if (input.guards?.checkTyped === false) return;
    const expected = Object.fromEntries(fields.map((f) => [f.tag, f.value]));
    const lost = await checkFilled(page, expected);
    if (!lost.length) return;
    logger.debug(`the page reset ${lost.join(' and ')} after typing (a re-render); typing again`);
    await interactive();
    for (const f of fields.filter((x) => lost.includes(x.tag))) await fillField(f.selector, f.value, f.what, f.tag);
    const still = await checkFilled(page, expected);
    if (still.length) logger.debug(`${still.join(' and ')} still not as typed; submitting anyway (the page will say what it misses)`);
  };
  const pick = async (pattern: RegExp, what: string): Promise<{ noChoice: string } | void> => {
    await interactive();
    const choice = await findChoice(page, pattern, 'choice');
    if (!choice) return { noChoice: what };
    logger.debug(`picking ${what} on the ${describe(state.kind)}`);
    await clickButton(choice.selector, null, what);
    // A radio or tile only selects; its form still needs submitting.
    if (choice.radioLike) await clickButton(profile.submit, choice.selector, 'the submit button');
  };
  switch (state.kind) {
    case 'login': {
      if (!user.password) {
        // A passwordless user on a one-step page: the passkey button beside the form, username typed first.
        if (!user.passkey) throw factorMissing(user, 'password');
        await fillAll([{ selector: usernameField, value: user.username, what: 'the username field', tag: 'username' }]);
        const button = await findChoice(page, /^(sign in with (a |your )?passkey|use (a |your )?passkey|passkey)$/i, 'choice');
        if (!button) throw factorMissing(user, 'password');
        logger.debug('signing in with the passkey (one-step page)');
        await clickButton(button.selector, null, 'the passkey button');
        return;
      }
      await fillAll([
        { selector: usernameField, value: user.username, what: 'the username field', tag: 'username' },
        { selector: profile.password, value: user.password, what: 'the password field', tag: 'password' },
      ]);
      logger.debug('submitting username and password');
      await clickButton(profile.submit, marked('password'), 'the submit button');
      return;
    }
    case 'username': {
      await fillAll([{ selector: usernameField, value: user.username, what: 'the username field', tag: 'username' }]);
      logger.debug('submitting the username (username-first page)');
      await clickButton(profile.next ?? profile.submit, marked('username'), 'the next button');
      return;
    }
    case 'password': {
      if (!user.password) throw factorMissing(user, 'password');
      await fillAll([{ selector: profile.password, value: user.password, what: 'the password field', tag: 'password' }]);
      logger.debug('submitting the password');
      await clickButton(profile.submit, marked('password'), 'the submit button');
      return;
    }
    case 'totp': {
      // Managed Login's email and SMS code screens look like the TOTP step: what the page says tells them apart.
      factors.channel = input.idp.loginUi === 'custom' ? 'totp' : await codeChannel(page);
      if (factors.channel !== 'totp') {
        const channel = factors.channel;
        if (!factors.codes) throw factorMissing(user, 'code', channel);
        await interactive();
        logger.debug(`waiting for the one-time code Cognito sent by ${channel === 'sms' ? 'SMS' : 'email'}`);
        const code = await factors.codes.next(Math.max(1_000, Math.min(input.codeTimeoutMs ?? DEFAULTS.codeTimeoutMs, remaining() - 2_000)), signal);
        typed.push(code);
        const field = (await findCodeField(page)) ?? profile.otp ?? 'input[autocomplete="one-time-code"]';
        await fillAll([{ selector: field, value: code, what: 'the code field', tag: 'otp' }]);
        logger.debug(`submitting the ${channel === 'sms' ? 'SMS' : 'email'} code`);
        await clickButton(profile.submit, marked('otp'), 'the submit button');
        return;
      }
      const secret = user.totpSecret;
      if (!secret) throw mfaSecretMissing(input);
      const source = userVariable(user, 'TOTP_SECRET');
      await interactive();
      // Leave a second for typing and submitting; beyond that, waiting for a window is pointless.
      const code = await freshTotpCode(secret, { maxWaitMs: Math.max(0, remaining() - 1_000), signal, source, ...(input.now ? { now: input.now } : {}) });
      typed.push(code);
      // Managed Login's code field has no known id or name: find it as a person would.
      const otpField = (hydrating ? await findCodeField(page) : undefined) ?? profile.otp ?? 'input[name="authentication_code"]';
      await fillAll([{ selector: otpField, value: code, what: 'the code field', tag: 'otp' }]);
      logger.debug('submitting a TOTP code');
      await clickButton(profile.submit, marked('otp'), 'the submit button');
      return;
    }
    case 'factor-choice': {
      await interactive();
      const offered = await visibleOptions(page);
      const choice = pickOption(offered, firstFactorsOf(user));
      if (!choice) throw choiceNotAnswerable(user, 'factor', offered);
      return pick(choice.pattern, `the ${choice.factor === 'password' ? 'password' : choice.factor === 'passkey' ? 'passkey' : `${choice.factor} code`}`);
    }
    case 'mfa-choice': {
      await interactive();
      const offered = await visibleOptions(page);
      const choice = pickOption(offered, mfaMethodsOf(user));
      if (!choice) throw choiceNotAnswerable(user, 'mfa', offered);
      return pick(choice.pattern, choice.factor === 'totp' ? 'the authenticator app' : `${choice.factor} as MFA`);
    }
    case 'passkey-prompt': {
      if (!user.passkey) throw factorMissing(user, 'passkey');
      // The click is the user gesture; the software authenticator answers navigator.credentials.get.
      return pick(/^(continue|next|verify|sign in|sign in with (a |your )?passkey|use (a |your )?passkey|use passkey)$/i, 'the passkey');
    }
    case 'passkey-offer':
      return pick(CHOICES.declinePasskey, 'not to add a passkey');
    case 'consent': {
      logger.debug('confirming the consent page');
      await clickButton(profile.consent as string, null, 'the consent button');
      return;
    }
    case 'account-picker':
    case 'mfa-method':
    case 'stay-signed-in':
      return actOnUpstreamPage(page, state, profile, user, logger, timeout());
    case 'signed-in-as': {
      // A fresh context holds only this user's session; a reused one might hold someone else's.
      const text = await visibleText(page);
      if (!text.toLowerCase().includes(user.username.toLowerCase())) {
        throw idpFailure('SIGNED_IN_AS_OTHER_USER', `The Hosted UI offers to continue a session of another user, not ${user.username}.`, {
          hint: 'Sign in with a fresh browser context (the default) or sign out first (/logout).',
        });
      }
      logger.debug('continuing the existing Hosted UI session');
      await clickButton(profile.submit, null, 'the continue button');
      return;
    }
    default:
      return;
  }
}

/** A visible error message after we submitted something: Cognito refused the sign-in. */
function rejectOnError(state: PageState, acted: Set<PageKind>, input: LoginInput, factors: FactorState = {}): void {
  const text = state.errorText;
  if (!text) return;
  const submitted = acted.has('login') || acted.has('password') || acted.has('username') || acted.has('totp') || acted.has('passkey-prompt');
  if (!submitted) return;
  const { user, idp } = input;
  const shown = redact(text);
  // Passkey and emailed/texted codes have their own messages (issue 18); a lockout stays a lockout.
  if (errorMeaning(text, false) !== 'locked-out' && errorMeaning(text, false) !== 'missing-value') {
    if (state.kind === 'passkey-prompt' || (acted.has('passkey-prompt') && /passkey/i.test(text))) throw passkeyRejected(user, shown, idp.domain);
    if (state.kind === 'login' && !user.password && user.passkey) throw passkeyRejected(user, shown, idp.domain);
    if (state.kind === 'totp' && acted.has('totp') && (factors.channel === 'email' || factors.channel === 'sms')) throw codeRejected(user, factors.channel, shown);
  }
  const pool = idp.userPoolId ?? '<user pool id>';
  const who = `user ${user.username}`;
  switch (errorMeaning(text, state.kind === 'totp' && acted.has('totp'))) {
    case 'locked-out':
      throw loginRejected('LOGIN_LOCKED_OUT', `Cognito locked ${who} out after too many failed sign-ins: "${shown}".`, {
        hint: `Wait before trying again (the lockout grows with each further failure), and check ${userVariable(user, 'PASSWORD')} first so the next attempt succeeds.`,
      });
    case 'disabled':
      throw userDisabled(input, shown);
    case 'not-confirmed':
      throw userNotConfirmed(input, pool);
    case 'reset-required':
      throw passwordResetRequired(input, pool);
    case 'session-expired':
      throw idpFailure('LOGIN_SESSION_EXPIRED', `Cognito ended the multi-step sign-in of ${who}: "${shown}".`, {
        hint: 'The steps took longer than the app client\'s authentication session (3 to 15 minutes); run again, and raise the client\'s AuthSessionValidity if it repeats.',
      });
    case 'mfa-rejected':
      throw loginRejected('MFA_REJECTED', `Cognito refused the TOTP code for ${who}: "${shown}".`, {
        hint: `Check the TOTP secret (${userVariable(user, 'TOTP_SECRET')}) and this machine's clock: codes depend on the time (sync it with NTP).`,
      });
    default:
      throw loginRejected('LOGIN_REJECTED', `Cognito refused the sign-in for ${who}: "${shown}".`, {
        hint: `Check the username and ${userVariable(user, 'PASSWORD')} (and that the user exists in this user pool and app client).`,
      });
  }
}

/** Pages that end the sign-in whatever was done before: user states and client configuration. */
function rejectOnPage(state: PageState, input: LoginInput, documentStatus?: number): void {
  const { user, idp, attempt } = input;
  const pool = idp.userPoolId ?? '<user pool id>';
  // Cognito's error page served with a 5xx or 429 is the service failing, not the app client's
  // configuration: without the status, a 502 read as a redirect mismatch (exit 2).
  if ((state.kind === 'redirect-mismatch' || state.kind === 'error-page') && documentStatus !== undefined && (documentStatus >= 500 || documentStatus === 429)) {
    throw idpFailure('IDP_ERROR_PAGE', `The identity provider answered the sign-in page with HTTP ${documentStatus} and its error page${state.errorParam ? ` (error=${state.errorParam})` : ''}.`, {
      hint: documentStatus === 429 ? 'It is throttling sign-ins: run fewer at once (COGNITO_NEWMAN_CONCURRENCY) or later.' : 'A service problem at the user-pool domain; run again later, and check the AWS Health Dashboard if it persists.',
      details: { status: documentStatus },
    });
  }
  switch (state.kind) {
    case 'new-password':
      throw loginRejected('NEW_PASSWORD_REQUIRED', `User ${user.username} must choose a new password before signing in (status FORCE_CHANGE_PASSWORD); Cognito shows its change-password page.`, {
        hint: `Set a permanent password once: aws cognito-idp admin-set-user-password --user-pool-id ${pool} --username ${user.username} --password '<new password>' --permanent, then store it in ${userVariable(user, 'PASSWORD')}.`,
      });
    case 'confirm':
      throw userNotConfirmed(input, pool);
    case 'reset-required':
      throw passwordResetRequired(input, pool);
    case 'redirect-mismatch':
      throw usageError(
        'REDIRECT_MISMATCH',
        `Cognito refused the redirect URI ${attempt.redirectUri} for app client ${idp.clientId} (its error page, redirect_mismatch): the URI is not among the client's Allowed callback URLs, or no app client ${idp.clientId} exists in this user pool.`,
        {
          hint: `Register this exact callback URL ${attempt.redirectUri} on app client ${idp.clientId} (Allowed callback URLs), or set COGNITO_REDIRECT_URI to one that is registered; if the client does not exist, check COGNITO_CLIENT_ID.`,
          details: { error: state.errorParam ?? 'redirect_mismatch', clientId: idp.clientId, redirectUri: attempt.redirectUri },
        },
      );
    case 'error-page':
      throw usageError('AUTHORIZE_REJECTED', `Cognito showed its error page (error=${state.errorParam ?? 'unknown'}) instead of the sign-in page for app client ${idp.clientId}.`, {
        hint: 'Check the app client settings: allowed OAuth flows (Authorization code grant / Implicit grant), scopes and the Hosted UI identity provider (Cognito user pool).',
        details: { error: state.errorParam },
      });
    case 'pages-unavailable':
      throw usageError('LOGIN_PAGES_UNAVAILABLE', `Cognito shows "Login pages unavailable" for app client ${idp.clientId}: the domain uses Managed Login and this client has no branding style.`, {
        hint: `Assign a Managed Login branding style to app client ${idp.clientId} (aws cognito-idp create-managed-login-branding --user-pool-id ${pool} --client-id ${idp.clientId} --use-cognito-provided-values), or switch the domain to the classic Hosted UI (ManagedLoginVersion 1).`,
      });
    default:
      return;
  }
}

function userDisabled(input: LoginInput, shown: string): CnError {
  const pool = input.idp.userPoolId ?? '<user pool id>';
  return loginRejected('USER_DISABLED', `User ${input.user.username} is disabled in the user pool: "${shown}".`, {
    hint: `Enable it: aws cognito-idp admin-enable-user --user-pool-id ${pool} --username ${input.user.username}.`,
  });
}

function userNotConfirmed(input: LoginInput, pool: string): CnError {
  return loginRejected('USER_NOT_CONFIRMED', `User ${input.user.username} has not confirmed its sign-up (status UNCONFIRMED); Cognito asks for a confirmation code.`, {
    hint: `Confirm it: aws cognito-idp admin-confirm-sign-up --user-pool-id ${pool} --username ${input.user.username}.`,
  });
}

function passwordResetRequired(input: LoginInput, pool: string): CnError {
  const { user } = input;
  return loginRejected('PASSWORD_RESET_REQUIRED', `User ${user.username} must reset its password (status RESET_REQUIRED); Cognito shows its password-reset page.`, {
    hint: `Set a permanent password: aws cognito-idp admin-set-user-password --user-pool-id ${pool} --username ${user.username} --password '<new password>' --permanent, then store it in ${userVariable(user, 'PASSWORD')}.`,
  });
}

function mfaSecretMissing(input: LoginInput): CnError {
  const v = userVariable(input.user, 'TOTP_SECRET');
  const who = isFederated(input.idp) ? upstreamName(input.idp) : 'Cognito';
  return loginRejected('MFA_SECRET_MISSING', `User ${input.user.username} has TOTP MFA, and ${who} asks for a code, but no TOTP secret is configured.`, {
    hint: `Set ${v} to the user's authenticator secret (base32), or add "totpSecret" to the user's Secrets Manager secret.`,
  });
}

function describe(kind: PageKind): string {
  switch (kind) {
    case 'login':
      return 'sign-in page';
    case 'username':
      return 'username page';
    case 'password':
      return 'password page';
    case 'totp':
      return 'TOTP code page';
    case 'consent':
      return 'consent page';
    case 'signed-in-as':
      return '"Sign in as" page';
    case 'factor-choice':
      return 'sign-in method choice';
    case 'mfa-choice':
      return 'MFA method choice';
    case 'passkey-offer':
      return 'passkey offer';
    case 'passkey-prompt':
      return 'passkey sign-in';
    case 'account-picker':
      return '"Pick an account" page';
    case 'mfa-method':
      return 'MFA method page';
    case 'stay-signed-in':
      return '"Stay signed in?" page';
    default:
      return `${kind} page`;
  }
}

const isTimeout = (err: unknown): boolean => err instanceof Error && err.name === 'TimeoutError';
const isBrowserGone = (err: unknown): boolean =>
  err instanceof Error && /Target page, context or browser has been closed|Browser has been closed|browser has disconnected|Target crashed/i.test(err.message);

/** The browser itself failed (crashed, closed, could not open a page): a local problem, exit 5. */
function browserFailed(err: unknown, hadPage: boolean): CnError {
  const msg = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
  return new CnError('BROWSER_FAILED', ExitCode.LocalEnvironment, `The browser ${hadPage ? 'closed or crashed during the sign-in' : 'could not open a page'}: ${redact(msg)}.`, {
    hint: 'Check memory and /dev/shm on this machine and that Chromium runs here; run again with --debug for the browser output.',
    cause: err,
  });
}

function unreachable(err: unknown, url: string): CnError {
  const msg = err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err);
  const net = /net::(ERR_[A-Z_]+)/.exec(msg)?.[1];
  return idpFailure('IDP_UNREACHABLE', `The browser could not open the sign-in page ${maskUrl(url)}${net ? ` (${net})` : ''}.`, {
    hint: 'Check COGNITO_DOMAIN (or COGNITO_AUTH_URL), the network and any proxy; the user-pool domain must be reachable from this machine.',
    cause: err,
    ...(net ? { details: { network: net } } : {}),
  });
}

/** What failure reporting needs to know about the sign-in in progress. */
interface Scene {
  input: LoginInput;
  page: Page | undefined;
  profile: SelectorProfile;
  probes: Probes;
  mode: LoginUiMode;
  /** Secret values typed into the page (password, TOTP codes). */
  typed: readonly string[];
  /** HTTP status of the page's latest document. */
  documentStatus: number | undefined;
}

/** Diagnostics, then the error naming their folder. */
async function withDiagnostics(scene: Scene, code: string, message: string, hint: string, cause?: unknown, budget?: { deadline: number; pageUnresponsive: boolean }): Promise<CnError> {
  const { input, page, profile } = scene;
  const result = await writeDiagnostics({
    ...(budget ?? {}),
    page,
    artifactsDir: input.artifactsDir,
    userName: input.user.name,
    reason: code,
    secretSelectors: [profile.password, ...(profile.otp ? [profile.otp] : []), marked('password'), marked('otp')],
    typedSecrets: scene.typed,
  });
  const where = result.dir
    ? ` Diagnostics (screenshot, visible text, URL): ${result.dir}${result.problem ? ` (incomplete: ${result.problem})` : ''}.`
    : ` Diagnostics could not be written (${result.problem ?? 'unknown reason'}).`;
  return new CnError(code, ExitCode.IdpFailure, redact(message) + where, {
    hint,
    ...(result.dir ? { details: { diagnostics: result.dir } } : {}),
    ...(cause !== undefined ? { cause } : {}),
  });
}

async function unexpectedPage(scene: Scene, state: PageState | undefined, why: string | undefined): Promise<CnError> {
  const status = scene.documentStatus !== undefined && scene.documentStatus >= 400 ? ` (HTTP ${scene.documentStatus})` : '';
  const at = state ? ` at ${maskUrl(state.url)}${status}` : status;
  const message = why ? `${why.replace(/\.$/, '')}${at}.` : `The sign-in reached a page cognito-newman does not recognise${at}.`;
  return withDiagnostics(scene, 'UNEXPECTED_PAGE', message, hintFor(scene.input));
}

async function timedOut(scene: Scene, last: PageState | undefined): Promise<CnError> {
  const { page, input } = scene;
  let now: PageState | undefined;
  let unresponsive = false;
  // Looking at the page and writing diagnostics share one grace after the timeout (README, "Timeouts").
  const graceEnd = Date.now() + DIAGNOSTICS_GRACE_MS;
  if (page && !page.isClosed()) {
    // A navigation still waiting for its response would hold the page; cancel it first.
    await stopLoading(page, 1_000);
    const seen = await bounded<PageState | undefined | 'timed out'>(currentPageState(page, scene.probes, scene.mode), 1_500, 'timed out');
    unresponsive = seen === 'timed out';
    now = seen === 'timed out' ? undefined : seen;
  }
  const state = now ?? last;
  const where = state ? ` (last page: ${state.kind === 'unknown' ? 'not recognised' : describe(state.kind)} at ${maskUrl(state.url)})` : '';
  return withDiagnostics(
    scene,
    'LOGIN_TIMEOUT',
    `The sign-in did not reach the callback within ${Math.round(input.timeoutMs / 1000)} s${where}.`,
    `The identity provider may be slow or the page may wait for something cognito-newman does not provide; raise the login timeout or look at the diagnostics. ${hintFor(input)}`,
    undefined,
    { deadline: graceEnd, pageUnresponsive: unresponsive },
  );
}

async function unexpectedFailure(scene: Scene, err: unknown, last: PageState | undefined): Promise<CnError> {
  const msg = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
  const at = last ? ` on the ${describe(last.kind)} at ${maskUrl(last.url)}` : '';
  return withDiagnostics(scene, 'UNEXPECTED_PAGE', `The browser step failed${at}: ${msg}.`, hintFor(scene.input), err);
}

function hintFor(input: LoginInput): string {
  if (isFederated(input.idp)) {
    return input.idp.idpLoginUi === 'custom'
      ? "Check the identity provider's selector profile (COGNITO_IDP_SELECTOR_PROFILE) against the page in the diagnostics."
      : `Check COGNITO_IDP_LOGIN_UI (${input.idp.idpLoginUi}) against the identity provider's page in the diagnostics, or describe its pages with COGNITO_IDP_LOGIN_UI=custom and COGNITO_IDP_SELECTOR_PROFILE.`;
  }
  return input.idp.loginUi === 'custom'
    ? 'Check the selector profile (COGNITO_SELECTOR_PROFILE) against the page in the diagnostics.'
    : 'Check COGNITO_DOMAIN and COGNITO_LOGIN_UI (auto, classic, managed); if the page is a Cognito page, report it with the diagnostics.';
}

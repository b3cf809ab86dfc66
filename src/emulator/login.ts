// The interactive sign-in pages: /login (classic or managed, one-step or username-first),
// /verifyPassword, /mfa (TOTP), /changePassword (FORCE_CHANGE_PASSWORD), /confirm and /resendcode
// (UNCONFIRMED), /forgotPassword and /confirmforgotPassword (RESET_REQUIRED), /signup.
// Every form carries `_csrf` (classic) or `csrf` (Managed Login) paired with the XSRF-TOKEN cookie;
// failures are POST-redirect-GET with the message in the `cognito-fl` flash cookie (cognito-reference
// 1.3, 2.4, 2.5). Managed Login's app posts the same forms with `Accept: application/json` and gets
// JSON answers (an error, a redirect, or the next client-rendered step), the same checks behind both.
import { randomUUID } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { authorizeFailure, checkAuthorizeRequest, finishSignIn, SESSION_COOKIE, type AuthorizeCheck } from './authorize.js';
import { epochSeconds } from './clock.js';
import type { ClientConfig, MfaMethod, UserConfig } from './config.js';
import type { Emu } from './context.js';
import { html, json, redirect, type Reply, type RequestContext } from './http.js';
import type { FirstFactor, SignInAnswer } from './managed-login/model.js';
import { isUsernameFirst } from './pages/managed.js';
import { attribute, MFA_STEP, mfaMethodFor, poolFirstFactors, userFirstFactors, userMfaMethods, type MfaStep } from './factors.js';
import { checkCode, sendCode } from './one-time-codes.js';
import { FEDERATION_MESSAGES, federationErrorPage } from './federation/leg.js';
import { clientProviders, emailDomain } from './federation/start.js';
import { errorPage } from './pages/layout.js';
import type { AuthRequest, PendingAuth } from './store.js';

export const XSRF_COOKIE = 'XSRF-TOKEN';
export const FLASH_COOKIE = 'cognito-fl';
/** Emulator-only: links the steps of one sign-in (password -> new password -> MFA). */
export const PENDING_COOKIE = 'cognito-auth-session';

export const MESSAGES = {
  incorrect: 'Incorrect username or password.',
  noSuchUser: 'User does not exist.',
  attemptsExceeded: 'Password attempts exceeded',
  disabled: 'User is disabled.',
  notConfirmed: 'User is not confirmed.',
  resetRequired: 'Password reset required for the user',
  invalidMfaCode: 'Invalid code received for user',
  sessionExpired: 'Invalid session for the user, session is expired.',
  passwordsDiffer: 'Passwords do not match.',
  invalidVerificationCode: 'Invalid verification code provided, please try again.',
} as const;

// ---------- CSRF and flash ----------

export function csrfToken(ctx: RequestContext): string {
  const existing = ctx.cookies[XSRF_COOKIE];
  if (existing) return existing;
  const t = randomUUID();
  ctx.setCookie(XSRF_COOKIE, t);
  return t;
}

export function csrfValid(ctx: RequestContext): boolean {
  const sent = ctx.form.get('_csrf') ?? ctx.form.get('csrf');
  const cookie = ctx.cookies[XSRF_COOKIE];
  return !!sent && !!cookie && sent === cookie;
}

interface Flash {
  error?: string;
  info?: string;
}

/** Spring-style flash map, base64 JSON with a targetRequestPath, as Cognito's cognito-fl cookie. */
function setFlash(ctx: RequestContext, path: string, flash: Flash): void {
  const attributes: Record<string, string> = {};
  if (flash.error) attributes.errormessage = flash.error;
  if (flash.info) attributes.infomessage = flash.info;
  const value = Buffer.from(JSON.stringify([{ attributes, targetRequestPath: path }])).toString('base64');
  ctx.setCookie(FLASH_COOKIE, value, { maxAgeSeconds: 180 });
}

function takeFlash(ctx: RequestContext, path: string): Flash {
  const raw = ctx.cookies[FLASH_COOKIE];
  if (!raw) return {};
  try {
    const list = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as { attributes?: Record<string, string>; targetRequestPath?: string }[];
    const hit = list.find((f) => f.targetRequestPath === path);
    if (!hit) return {};
    ctx.clearCookie(FLASH_COOKIE);
    return {
      ...(hit.attributes?.errormessage ? { error: hit.attributes.errormessage } : {}),
      ...(hit.attributes?.infomessage ? { info: hit.attributes.infomessage } : {}),
    };
  } catch {
    ctx.clearCookie(FLASH_COOKIE);
    return {};
  }
}

// ---------- helpers ----------

/** The current query with some parameters changed or removed (undefined removes). */
function searchWith(ctx: RequestContext, changes: Record<string, string | undefined>): string {
  const q = new URLSearchParams(ctx.query);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) q.delete(k);
    else q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

function back(emu: Emu, ctx: RequestContext, path: string, flash: Flash, search = ctx.search): Reply {
  setFlash(ctx, path, flash);
  return redirect(ctx, `${path}${search}`, emu.behaviour.flashRedirectStatus);
}

export type Checked = { request: AuthRequest; client: ClientConfig; check: Extract<AuthorizeCheck, { kind: 'ok' }> };

/** Every page validates the authorize query it carries, so /login works directly as the auth URL. */
export function checked(emu: Emu, ctx: RequestContext): Checked | Reply {
  const check = checkAuthorizeRequest(emu, ctx.query);
  if (check.kind !== 'ok') return authorizeFailure(ctx, check);
  return { request: check.request, client: check.client, check };
}
export const isReply = (x: Checked | Reply): x is Reply => 'status' in x;

export function csrfFailure(emu: Emu, ctx: RequestContext): Reply {
  if (wantsJson(emu, ctx)) return json(ctx, 403, { error: 'Your session has expired. Reload the page and try again.' } satisfies SignInAnswer);
  if (emu.behaviour.csrfFailure === 'redirect-login') return redirect(ctx, `/login${ctx.search}`, emu.behaviour.flashRedirectStatus);
  return html(ctx, 403, errorPage('invalid_csrf'));
}

function unavailable(emu: Emu, ctx: RequestContext, client: ClientConfig): Reply | undefined {
  if (emu.ui === 'managed' && client.ManagedLoginBranding === false) return html(ctx, 403, emu.pages.unavailable());
  return undefined;
}

export function pendingFor(emu: Emu, ctx: RequestContext, step: 'password' | 'new_password' | 'mfa') {
  const p = emu.store.validPending(ctx.cookies[PENDING_COOKIE], emu.clock.now());
  return p && p.step === step ? p : undefined;
}

function startPending(emu: Emu, ctx: RequestContext, client: ClientConfig, username: string, step: 'password' | 'new_password' | 'mfa'): void {
  const old = ctx.cookies[PENDING_COOKIE];
  if (old) emu.store.pending.delete(old);
  const p = emu.store.newPending(username, step, emu.clock.now() + client.AuthSessionValidity * 60_000);
  ctx.setCookie(PENDING_COOKIE, p.id, { maxAgeSeconds: client.AuthSessionValidity * 60 });
}

export function endPending(emu: Emu, ctx: RequestContext): void {
  const id = ctx.cookies[PENDING_COOKIE];
  if (id) emu.store.pending.delete(id);
  ctx.clearCookie(PENDING_COOKIE);
}

/** Cognito's default password policy: 8+ characters, upper, lower, digit, symbol (API messages). */
export function passwordPolicyError(pw: string): string | undefined {
  const base = 'Password does not conform to policy: ';
  if (pw.length < 8) return `${base}Password not long enough`;
  if (!/[A-Z]/.test(pw)) return `${base}Password must have uppercase characters`;
  if (!/[a-z]/.test(pw)) return `${base}Password must have lowercase characters`;
  if (!/[0-9]/.test(pw)) return `${base}Password must have numeric characters`;
  if (!/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/.test(pw)) return `${base}Password must have symbol characters`;
  return undefined;
}

/** RFC 6238 check with a ±1 step window; a code accepted once is refused afterwards. */
function totpAccepts(emu: Emu, user: UserConfig, code: string): boolean {
  if (!user.TotpSecret || !/^\d{6}$/.test(code)) return false;
  const totp = new TOTP({ secret: Secret.fromBase32(user.TotpSecret.replace(/=+$/, '').toUpperCase()), digits: 6, period: 30, algorithm: 'SHA1' });
  const now = emu.clock.now();
  const delta = totp.validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return false;
  const key = `${user.Username}:${Math.floor(now / 30_000) + delta}`;
  if (emu.store.usedTotp.has(key)) return false;
  emu.store.usedTotp.add(key);
  return true;
}

/** A request from Managed Login's app, which wants a JSON answer instead of a page or redirect. */
function wantsJson(emu: Emu, ctx: RequestContext): boolean {
  return emu.ui === 'managed' && (ctx.header('accept') ?? '').includes('application/json');
}

/** Start one MFA method for a pending sign-in: send its code (email, SMS with a phone number) or name its step. */
async function startMfaMethod(emu: Emu, p: PendingAuth, user: UserConfig, method: MfaMethod): Promise<SignInAnswer> {
  p.mfaMethod = method;
  delete p.otp;
  const step = MFA_STEP[method];
  // SMS without a phone number: nothing to send; the configured confirmation code stands for it (as before).
  if (method === 'EMAIL_OTP' || (method === 'SMS_MFA' && attribute(user, 'phone_number'))) {
    const sent = await sendCode(emu, p, user, method === 'EMAIL_OTP' ? 'email' : 'sms', 'mfa');
    return 'error' in sent ? { error: sent.error, field: 'code' } : { step, destination: sent.destination };
  }
  return { step };
}

/** The first MFA answer for a pending sign-in: a choice, or the one method's step. */
async function mfaAnswer(emu: Emu, p: PendingAuth, user: UserConfig): Promise<SignInAnswer> {
  const m = mfaMethodFor(emu, user);
  if (m === 'choice') return { step: 'mfaChoice', mfaChoices: userMfaMethods(emu, user) };
  return startMfaMethod(emu, p, user, m ?? 'SOFTWARE_TOKEN_MFA');
}

/** The JSON answer for the app, from the reply a form post would get (the same checks behind both). */
export async function answerFor(emu: Emu, ctx: RequestContext, c: Checked, reply: Reply, username?: string): Promise<Reply> {
  const location = reply.headers.location;
  if (reply.status < 300 || reply.status >= 400 || !location) return reply;
  if (location.split('?')[0] === '/mfa') {
    const p = pendingFor(emu, ctx, 'mfa') ?? emu.store.pending.get(pendingIdFrom(ctx) ?? '');
    const user = p ? emu.store.findUser(p.username) : undefined;
    if (!p || !user) return json(ctx, 200, { step: 'totp' } satisfies SignInAnswer);
    const answer = await mfaAnswer(emu, p, user);
    return json(ctx, 'error' in answer ? 400 : 200, answer);
  }
  // Pools that allow passkeys offer one to a user without a passkey after sign-in (declinable).
  const user = username ? emu.store.findUser(username) : undefined;
  const hasPasskey = user ? emu.store.passkeysOf(user.Username).length > 0 : false;
  if (location.startsWith(c.request.redirectUri) && poolFirstFactors(emu).includes('WEB_AUTHN') && !hasPasskey) {
    return json(ctx, 200, { step: 'passkeyOffer', continueUrl: location } satisfies SignInAnswer);
  }
  return json(ctx, 200, { redirect: location } satisfies SignInAnswer);
}

/** The pending-sign-in id this request set (a Set-Cookie not yet sent back by the browser). */
function pendingIdFrom(ctx: RequestContext): string | undefined {
  const set = ctx.outCookies.filter((c) => c.startsWith(`${PENDING_COOKIE}=`)).pop();
  return set?.slice(PENDING_COOKIE.length + 1).split(';')[0] || undefined;
}

/** Managed Login shows sign-in errors as "Invalid input: <Cognito's message>" (cognito-reference 3.1). */
const managedText = (emu: Emu, message: string) => (emu.ui === 'managed' ? `Invalid input: ${message}` : message);

/** After the password (and a new password, if one was due): MFA if the user has TOTP or SMS MFA, else done. */
async function afterPassword(emu: Emu, ctx: RequestContext, c: Checked, user: UserConfig): Promise<Reply> {
  if (mfaMethodFor(emu, user)) {
    startPending(emu, ctx, c.client, user.Username, 'mfa');
    return redirect(ctx, `/mfa${ctx.search}`);
  }
  endPending(emu, ctx);
  return finishSignIn(emu, ctx, c.request, user.Username, epochSeconds(emu.clock));
}

/** Check a username and password the way Cognito's sign-in does, with lockout and user states. */
async function passwordSignIn(emu: Emu, ctx: RequestContext, c: Checked, username: string, password: string, failPath: string): Promise<Reply> {
  const now = emu.clock.now();
  const asJson = wantsJson(emu, ctx);
  const fail = (error: string) =>
    asJson ? json(ctx, 400, { error: managedText(emu, error), field: 'password' } satisfies SignInAnswer) : back(emu, ctx, failPath, { error: managedText(emu, error) });
  const user = emu.store.findUser(username);
  if (!user) return fail(c.client.PreventUserExistenceErrors === 'LEGACY' ? MESSAGES.noSuchUser : MESSAGES.incorrect);
  const rec = emu.store.failures.get(user.Username) ?? { failures: 0, lockedUntil: 0, lockouts: 0 };
  emu.store.failures.set(user.Username, rec);
  if (rec.lockedUntil > now) return fail(MESSAGES.attemptsExceeded);
  if (!user.Enabled) return fail(MESSAGES.disabled);
  if (user.UserStatus === 'RESET_REQUIRED') {
    if (emu.behaviour.resetRequiredUser === 'error') return fail(MESSAGES.resetRequired);
    endPending(emu, ctx);
    return redirect(ctx, `/confirmforgotPassword${searchWith(ctx, { username: user.Username })}`);
  }
  if (user.Password === undefined || password !== user.Password || !['CONFIRMED', 'UNCONFIRMED', 'FORCE_CHANGE_PASSWORD'].includes(user.UserStatus)) {
    rec.failures += 1;
    const policy = emu.behaviour.lockout;
    if (rec.failures >= policy.maxFailures) {
      rec.lockouts += 1;
      rec.lockedUntil = now + Math.min(policy.maxDurationMs, policy.durationMs * policy.multiplier ** (rec.lockouts - 1));
      return fail(MESSAGES.attemptsExceeded);
    }
    return fail(MESSAGES.incorrect);
  }
  emu.store.failures.delete(user.Username);
  if (user.UserStatus === 'UNCONFIRMED') {
    if (emu.behaviour.unconfirmedUser === 'error') return fail(MESSAGES.notConfirmed);
    endPending(emu, ctx);
    return redirect(ctx, `/confirm${searchWith(ctx, { username: user.Username })}`);
  }
  if (user.UserStatus === 'FORCE_CHANGE_PASSWORD') {
    startPending(emu, ctx, c.client, user.Username, 'new_password');
    return redirect(ctx, `/changePassword${ctx.search}`);
  }
  return afterPassword(emu, ctx, c, user);
}

/** The sign-in page's IdP part: a button per supported IdP, the email box if any has identifiers. */
function federationModel(emu: Emu, ctx: RequestContext, client: ClientConfig) {
  const providers = clientProviders(emu, client);
  if (!providers.length) return {};
  const href = (name: string) => `/oauth2/authorize${searchWith(ctx, { identity_provider: name, idp_identifier: undefined })}`;
  return {
    providers: providers.map((p) => ({ name: p.providerName, href: href(p.providerName) })),
    ...(providers.some((p) => p.idpIdentifiers.length) ? { corporateEmail: emu.behaviour.corporateEmail } : {}),
    cognito: client.supportedIdentityProviders.includes('COGNITO'),
  };
}

// ---------- handlers ----------

/** GET /login: the sign-in form (or the "Sign in as" page with a live session). */
export async function getLogin(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const c = checked(emu, ctx);
  if (isReply(c)) return c;
  const off = unavailable(emu, ctx, c.client);
  if (off) return off;
  const now = emu.clock.now();
  const session = emu.store.validSession(ctx.cookies[SESSION_COOKIE], now);
  if (c.check.prompt.includes('none')) {
    if (!session) return authorizeFailure(ctx, { kind: 'redirect-error', redirectUri: c.request.redirectUri, error: 'login_required', ...(c.request.state !== undefined ? { state: c.request.state } : {}) });
    return finishSignIn(emu, ctx, c.request, session.username, session.authTime);
  }
  const csrf = csrfToken(ctx);
  const flash = takeFlash(ctx, '/login');
  if (session && !c.check.prompt.includes('login')) {
    if (emu.behaviour.loginWithSession === 'redirect') return finishSignIn(emu, ctx, c.request, session.username, session.authTime);
    return html(ctx, 200, await emu.pages.signedInAs({ action: `/login${ctx.search}`, csrf, search: ctx.search, username: session.username }));
  }
  const model = {
    action: `/login${ctx.search}`,
    csrf,
    search: ctx.search,
    client: c.client,
    ...flash,
    ...(c.check.loginHint !== undefined ? { loginHint: c.check.loginHint } : {}),
    ...federationModel(emu, ctx, c.client),
  };
  if (emu.ui === 'managed' && isUsernameFirst(emu.usernameFirst, c.client)) return html(ctx, 200, await emu.pages.usernameStep(model));
  return html(ctx, 200, await emu.pages.login(model));
}

/** POST /login: the password sign-in, the username step of username-first, or "Sign in as". */
export async function postLogin(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const c = checked(emu, ctx);
  if (isReply(c)) return c;
  if (!csrfValid(ctx)) return csrfFailure(emu, ctx);
  const off = unavailable(emu, ctx, c.client);
  if (off) return off;
  if (ctx.form.get('signInAs') === 'true') {
    const session = emu.store.validSession(ctx.cookies[SESSION_COOKIE], emu.clock.now());
    if (session) return finishSignIn(emu, ctx, c.request, session.username, session.authTime);
    return redirect(ctx, `/login${ctx.search}`, emu.behaviour.flashRedirectStatus);
  }
  // The corporate-email box: its domain picks the IdP (idp_identifier), as Cognito's page does.
  const corporateEmail = ctx.form.get('idpIdentifier');
  if (corporateEmail !== null) {
    if (!corporateEmail.trim()) return back(emu, ctx, '/login', { error: FEDERATION_MESSAGES.optionUnavailable });
    return redirect(ctx, `/oauth2/authorize${searchWith(ctx, { identity_provider: undefined, idp_identifier: emailDomain(corporateEmail) })}`);
  }
  if (!c.client.supportedIdentityProviders.includes('COGNITO')) return federationErrorPage(ctx, FEDERATION_MESSAGES.optionUnavailable);
  const username = (ctx.form.get('username') ?? '').trim();
  const password = ctx.form.get('password');
  const asJson = wantsJson(emu, ctx);
  if (asJson && (ctx.form.get('factor') !== null || ctx.form.get('code') !== null)) return firstFactorStep(emu, ctx, c);
  if (emu.ui === 'managed' && isUsernameFirst(emu.usernameFirst, c.client) && password === null) {
    if (!username) return asJson ? json(ctx, 400, { error: 'Missing username.', field: 'username' } satisfies SignInAnswer) : back(emu, ctx, '/login', { error: MESSAGES.incorrect });
    // The next step does not reveal whether the user exists (PreventUserExistenceErrors).
    startPending(emu, ctx, c.client, username, 'password');
    if (asJson) {
      const factors = userFirstFactors(emu, emu.store.findUser(username));
      if (factors.length > 1) return json(ctx, 200, { step: 'factors', factors } satisfies SignInAnswer);
      const p = emu.store.pending.get(pendingIdFrom(ctx) ?? '');
      const answer = p ? await startFactor(emu, p, factors[0] ?? 'PASSWORD') : ({ step: 'password' } as const);
      return json(ctx, 'error' in answer ? 400 : 200, answer);
    }
    const csrf = csrfToken(ctx);
    return html(ctx, 200, await emu.pages.passwordStep({ action: `/verifyPassword${ctx.search}`, csrf, search: ctx.search, username, client: c.client }));
  }
  const reply = await passwordSignIn(emu, ctx, c, username, password ?? '', '/login');
  return asJson ? answerFor(emu, ctx, c, reply, username) : reply;
}

/** Start the first factor the user picked: the password step, the passkey step, or a code sent. */
async function startFactor(emu: Emu, p: PendingAuth, factor: FirstFactor): Promise<SignInAnswer> {
  p.factor = factor;
  delete p.otp;
  if (factor === 'PASSWORD') return { step: 'password' };
  if (factor === 'WEB_AUTHN') return { step: 'passkey' };
  const channel = factor === 'EMAIL_OTP' ? 'email' : 'sms';
  const sent = await sendCode(emu, p, emu.store.findUser(p.username), channel, 'signIn');
  return 'error' in sent ? { error: sent.error } : { step: channel, destination: sent.destination };
}

/** POST /login from the app after the username: `factor` (the choice) or `code` (an email / SMS sign-in code). */
async function firstFactorStep(emu: Emu, ctx: RequestContext, c: Checked): Promise<Reply> {
  const p = pendingFor(emu, ctx, 'password');
  if (!p) return json(ctx, 400, { error: MESSAGES.sessionExpired } satisfies SignInAnswer);
  const user = emu.store.findUser(p.username);
  const factor = ctx.form.get('factor');
  if (factor !== null) {
    const offered = userFirstFactors(emu, user);
    if (!offered.includes(factor as FirstFactor)) return json(ctx, 400, { error: 'This sign-in method is not available for your account.' } satisfies SignInAnswer);
    const answer = await startFactor(emu, p, factor as FirstFactor);
    return json(ctx, 'error' in answer ? 400 : 200, answer);
  }
  if (p.factor !== 'EMAIL_OTP' && p.factor !== 'SMS_OTP') return json(ctx, 400, { error: MESSAGES.sessionExpired } satisfies SignInAnswer);
  const code = (ctx.form.get('code') ?? '').replace(/\s+/g, '');
  const error = checkCode(emu, p, p.username, code);
  if (error) return json(ctx, 400, { error, field: 'code' } satisfies SignInAnswer);
  if (!user) return json(ctx, 400, { error: MESSAGES.invalidMfaCode, field: 'code' } satisfies SignInAnswer);
  if (!user.Enabled) return json(ctx, 400, { error: managedText(emu, MESSAGES.disabled), field: 'code' } satisfies SignInAnswer);
  // A one-time code sign-in is not followed by MFA (UNCERTAIN; Cognito keeps passwordless and MFA apart).
  endPending(emu, ctx);
  const reply = await finishSignIn(emu, ctx, c.request, user.Username, epochSeconds(emu.clock));
  return answerFor(emu, ctx, c, reply, user.Username);
}

/** GET /verifyPassword: the password step of username-first, shown again after a failure. */
export async function getVerifyPassword(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const c = checked(emu, ctx);
  if (isReply(c)) return c;
  const p = pendingFor(emu, ctx, 'password');
  if (!p) return back(emu, ctx, '/login', { error: MESSAGES.sessionExpired });
  const flash = takeFlash(ctx, '/verifyPassword');
  return html(ctx, 200, await emu.pages.passwordStep({ action: `/verifyPassword${ctx.search}`, csrf: csrfToken(ctx), search: ctx.search, username: p.username, client: c.client, ...flash }));
}

/** POST /verifyPassword: the password of username-first. */
export async function postVerifyPassword(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const c = checked(emu, ctx);
  if (isReply(c)) return c;
  if (!csrfValid(ctx)) return csrfFailure(emu, ctx);
  const p = pendingFor(emu, ctx, 'password');
  const asJson = wantsJson(emu, ctx);
  if (!p) return asJson ? json(ctx, 400, { error: MESSAGES.sessionExpired } satisfies SignInAnswer) : back(emu, ctx, '/login', { error: MESSAGES.sessionExpired });
  const reply = await passwordSignIn(emu, ctx, c, p.username, ctx.form.get('password') ?? '', '/verifyPassword');
  return asJson ? answerFor(emu, ctx, c, reply, p.username) : reply;
}

/** GET /mfa: the TOTP code page. */
export async function getMfa(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const c = checked(emu, ctx);
  if (isReply(c)) return c;
  const p = pendingFor(emu, ctx, 'mfa');
  if (!p) return back(emu, ctx, '/login', { error: MESSAGES.sessionExpired });
  const flash = takeFlash(ctx, '/mfa');
  const user = emu.store.findUser(p.username);
  // The page load reaches the MFA step: a code is sent once (a reload after a wrong code keeps it).
  const answer: SignInAnswer = user ? (p.mfaMethod && (p.otp || p.mfaMethod === 'SOFTWARE_TOKEN_MFA' || p.mfaMethod === 'WEB_AUTHN') ? { step: MFA_STEP[p.mfaMethod] } : await mfaAnswer(emu, p, user)) : { step: 'totp' };
  const mfaStep = 'step' in answer ? (answer.step as MfaStep) : 'totp';
  const extra = {
    ...('step' in answer && answer.destination ? { destination: answer.destination } : {}),
    ...(user && mfaStep === 'mfaChoice' ? { mfaChoices: userMfaMethods(emu, user) } : {}),
    ...('error' in answer ? { error: answer.error } : {}),
  };
  return html(ctx, 200, await emu.pages.mfa({ action: `/mfa${ctx.search}`, csrf: csrfToken(ctx), search: ctx.search, client: c.client, mfaStep, ...extra, ...flash }));
}

/** POST /mfa: check the TOTP code, then finish the sign-in. */
export async function postMfa(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const c = checked(emu, ctx);
  if (isReply(c)) return c;
  if (!csrfValid(ctx)) return csrfFailure(emu, ctx);
  const asJson = wantsJson(emu, ctx);
  const fail = (error: string, path: string) => (asJson ? json(ctx, 400, { error, field: 'code' } satisfies SignInAnswer) : back(emu, ctx, path, { error }));
  const p = pendingFor(emu, ctx, 'mfa');
  if (!p) return fail(MESSAGES.sessionExpired, '/login');
  const user = emu.store.findUser(p.username);
  if (!user || !user.Enabled) return fail(MESSAGES.sessionExpired, '/login');
  const methods = userMfaMethods(emu, user);
  // The app's MFA choice: start that method (send its code, or name its step).
  const chosen = ctx.form.get('mfaChoice');
  if (chosen !== null) {
    if (!methods.includes(chosen as MfaMethod)) return fail('This method is not available for your account.', '/mfa');
    const answer = await startMfaMethod(emu, p, user, chosen as MfaMethod);
    return asJson ? json(ctx, 'error' in answer ? 400 : 200, answer) : redirect(ctx, `/mfa${ctx.search}`);
  }
  const code = (ctx.form.get('authentication_code') ?? ctx.form.get('code') ?? '').replace(/\s+/g, '');
  const typed = ctx.form.get('mfaType') as MfaMethod | null;
  const single = mfaMethodFor(emu, user);
  const method: MfaMethod = p.mfaMethod ?? (typed && methods.includes(typed) ? typed : single && single !== 'choice' ? single : 'SOFTWARE_TOKEN_MFA');
  let error: string | undefined;
  if (method === 'EMAIL_OTP' || (method === 'SMS_MFA' && p.otp)) error = checkCode(emu, p, user.Username, code);
  // SMS without a phone number: nothing was sent; the emulator's confirmation code stands for one.
  else if (method === 'SMS_MFA') error = methods.includes('SMS_MFA') && code === emu.behaviour.confirmationCode ? undefined : MESSAGES.invalidMfaCode;
  else if (method === 'SOFTWARE_TOKEN_MFA') error = totpAccepts(emu, user, code) ? undefined : MESSAGES.invalidMfaCode;
  else error = MESSAGES.invalidMfaCode;
  if (error) return fail(error, '/mfa');
  endPending(emu, ctx);
  const reply = await finishSignIn(emu, ctx, c.request, user.Username, epochSeconds(emu.clock));
  return asJson ? answerFor(emu, ctx, c, reply, user.Username) : reply;
}

/** GET /changePassword: new password for a FORCE_CHANGE_PASSWORD user. */
export async function getChangePassword(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const c = checked(emu, ctx);
  if (isReply(c)) return c;
  if (!pendingFor(emu, ctx, 'new_password')) return back(emu, ctx, '/login', { error: MESSAGES.sessionExpired });
  const flash = takeFlash(ctx, '/changePassword');
  return html(ctx, 200, await emu.pages.changePassword({ action: `/changePassword${ctx.search}`, csrf: csrfToken(ctx), search: ctx.search, ...flash }));
}

export async function postChangePassword(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const c = checked(emu, ctx);
  if (isReply(c)) return c;
  if (!csrfValid(ctx)) return csrfFailure(emu, ctx);
  const p = pendingFor(emu, ctx, 'new_password');
  if (!p) return back(emu, ctx, '/login', { error: MESSAGES.sessionExpired });
  const user = emu.store.findUser(p.username);
  if (!user) return back(emu, ctx, '/login', { error: MESSAGES.sessionExpired });
  const pw = ctx.form.get('newPassword') ?? '';
  if (pw !== (ctx.form.get('confirmPassword') ?? '')) return back(emu, ctx, '/changePassword', { error: MESSAGES.passwordsDiffer });
  const policy = passwordPolicyError(pw);
  if (policy) return back(emu, ctx, '/changePassword', { error: policy });
  user.Password = pw;
  user.UserStatus = 'CONFIRMED';
  return afterPassword(emu, ctx, c, user);
}

/** GET /confirm: confirm an UNCONFIRMED account with a code (emulator: the configured code). */
export async function getConfirm(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const c = checked(emu, ctx);
  if (isReply(c)) return c;
  const flash = takeFlash(ctx, '/confirm');
  const username = ctx.query.get('username') ?? '';
  return html(ctx, 200, await emu.pages.confirm({ action: `/confirm${ctx.search}`, csrf: csrfToken(ctx), search: ctx.search, username, ...flash }));
}

export async function postConfirm(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const c = checked(emu, ctx);
  if (isReply(c)) return c;
  if (!csrfValid(ctx)) return csrfFailure(emu, ctx);
  const user = emu.store.findUser(ctx.form.get('username') ?? ctx.query.get('username') ?? '');
  if (!user || (ctx.form.get('confirmation_code') ?? '').trim() !== emu.behaviour.confirmationCode) {
    return back(emu, ctx, '/confirm', { error: MESSAGES.invalidVerificationCode });
  }
  if (user.UserStatus === 'UNCONFIRMED') user.UserStatus = 'CONFIRMED';
  return redirect(ctx, `/login${searchWith(ctx, { username: undefined })}`);
}

/** GET /resendcode: "Send a new code" goes back to the confirm page with a notice. */
export async function getResendCode(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const c = checked(emu, ctx);
  if (isReply(c)) return c;
  setFlash(ctx, '/confirm', { info: 'A new code has been sent.' });
  return redirect(ctx, `/confirm${ctx.search}`);
}

export async function getForgotPassword(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const c = checked(emu, ctx);
  if (isReply(c)) return c;
  const flash = takeFlash(ctx, '/forgotPassword');
  return html(ctx, 200, await emu.pages.forgotPassword({ action: `/forgotPassword${ctx.search}`, csrf: csrfToken(ctx), search: ctx.search, ...flash }));
}

export async function postForgotPassword(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const c = checked(emu, ctx);
  if (isReply(c)) return c;
  if (!csrfValid(ctx)) return csrfFailure(emu, ctx);
  const username = (ctx.form.get('username') ?? '').trim();
  return redirect(ctx, `/confirmforgotPassword${searchWith(ctx, { username })}`);
}

/** GET /confirmforgotPassword: the reset page a RESET_REQUIRED user lands on. */
export async function getConfirmForgotPassword(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const c = checked(emu, ctx);
  if (isReply(c)) return c;
  const flash = takeFlash(ctx, '/confirmforgotPassword');
  const username = ctx.query.get('username') ?? '';
  return html(ctx, 200, await emu.pages.resetPassword({ action: `/confirmforgotPassword${ctx.search}`, csrf: csrfToken(ctx), search: ctx.search, username, ...flash }));
}

export async function postConfirmForgotPassword(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const c = checked(emu, ctx);
  if (isReply(c)) return c;
  if (!csrfValid(ctx)) return csrfFailure(emu, ctx);
  const user = emu.store.findUser(ctx.form.get('username') ?? ctx.query.get('username') ?? '');
  if (!user || (ctx.form.get('code') ?? '').trim() !== emu.behaviour.confirmationCode) {
    return back(emu, ctx, '/confirmforgotPassword', { error: MESSAGES.invalidVerificationCode });
  }
  const pw = ctx.form.get('password') ?? '';
  if (pw !== (ctx.form.get('confirmPassword') ?? pw)) return back(emu, ctx, '/confirmforgotPassword', { error: MESSAGES.passwordsDiffer });
  const policy = passwordPolicyError(pw);
  if (policy) return back(emu, ctx, '/confirmforgotPassword', { error: policy });
  user.Password = pw;
  user.UserStatus = 'CONFIRMED';
  emu.store.failures.delete(user.Username);
  return redirect(ctx, `/login${searchWith(ctx, { username: undefined })}`);
}

export async function getSignup(emu: Emu, ctx: RequestContext): Promise<Reply> {
  const c = checked(emu, ctx);
  if (isReply(c)) return c;
  return html(ctx, 200, await emu.pages.signup({ action: `/signup${ctx.search}`, csrf: csrfToken(ctx), search: ctx.search }));
}

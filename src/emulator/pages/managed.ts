// Managed Login (ManagedLoginVersion 2): pages rendered by the React + Cloudscape app bundled in
// dist/managed-login/ (server render here, hydration in the browser), except "Login pages
// unavailable", which a client without a branding style gets as plain HTML (cognito-reference 3,
// 3.1; docs/hosted-ui-pages.md).
import type { ClientConfig, ResolvedPoolConfig } from '../config.js';
import { managedBundle, type ManagedBundle } from '../managed-login/bundle.js';
import {
  DEFAULT_MANAGED_OPTIONS,
  DEFAULT_TEXTS,
  MODEL_ELEMENT_ID,
  type FirstFactor,
  type ManagedLoginOptions,
  type ManagedModel,
  type ManagedScreen,
  type ManagedTexts,
} from '../managed-login/model.js';
import { document, esc, type FormModel, type PageSet } from './layout.js';

export interface ResolvedManagedOptions {
  hydrationDelayMs: number;
  stepDelayMs: number;
  corporateForm: 'before' | 'after';
  texts: ManagedTexts;
}

export function resolveManagedOptions(o: ManagedLoginOptions = {}): ResolvedManagedOptions {
  return {
    hydrationDelayMs: Math.max(0, o.hydrationDelayMs ?? DEFAULT_MANAGED_OPTIONS.hydrationDelayMs),
    stepDelayMs: Math.max(0, o.stepDelayMs ?? DEFAULT_MANAGED_OPTIONS.stepDelayMs),
    corporateForm: o.corporateForm ?? DEFAULT_MANAGED_OPTIONS.corporateForm,
    texts: { ...DEFAULT_TEXTS, ...o.texts },
  };
}

/** The pool's allowed first factors (`Policies.SignInPolicy.AllowedFirstAuthFactors`, default password only). */
export function firstFactors(pool: ResolvedPoolConfig): FirstFactor[] {
  return pool.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? ['PASSWORD'];
}

/** Choice-based sign-in (username first): the emulator option, or the client's ALLOW_USER_AUTH flow. */
export function isUsernameFirst(forced: boolean, client: ClientConfig | undefined): boolean {
  return forced || !!client?.ExplicitAuthFlows?.includes('ALLOW_USER_AUTH');
}

const TITLES: Record<ManagedScreen, string> = {
  signIn: 'Sign in',
  mfa: 'Sign in',
  changePassword: 'Change Password',
  confirm: 'Confirm your account',
  resetPassword: 'Reset your password',
  forgotPassword: 'Forgot password',
  signup: 'Sign up',
  signedInAs: 'Sign in',
  passkeyAdd: 'Add a passkey',
};

/** Script text that cannot close its <script> element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export function createManagedPages(pool: ResolvedPoolConfig, options: ResolvedManagedOptions, usernameFirstForced: boolean): PageSet {
  const bundle: ManagedBundle = managedBundle();
  const usernameKind: ManagedModel['usernameKind'] = pool.UsernameAttributes?.includes('email') ? 'email' : pool.UsernameAttributes?.includes('phone_number') ? 'phone' : 'username';

  const page = async (screen: ManagedScreen, pageId: string, m: FormModel, extra: Partial<ManagedModel> = {}): Promise<string> => {
    const supported = m.client?.supportedIdentityProviders ?? ['COGNITO'];
    const providers = pool.identityProviders.filter((p) => p.providerName !== 'COGNITO' && supported.includes(p.providerName));
    const model: ManagedModel = {
      screen,
      action: m.action,
      search: m.search,
      csrf: m.csrf,
      ...(m.error ? { error: m.error } : {}),
      ...(m.info ? { info: m.info } : {}),
      usernameKind,
      usernameFirst: isUsernameFirst(usernameFirstForced, m.client),
      firstFactors: firstFactors(pool),
      corporate: providers.some((p) => p.idpIdentifiers.length > 0),
      idps: providers.map((p) => ({ providerName: p.providerName, label: options.texts.idpButton.replace('{provider}', p.providerName) })),
      texts: options.texts,
      hydrationDelayMs: options.hydrationDelayMs,
      stepDelayMs: options.stepDelayMs,
      corporateForm: options.corporateForm,
      ...extra,
    };
    const body = await bundle.render(model);
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(TITLES[screen])}</title>
<link rel="stylesheet" href="${esc(bundle.cssUrl)}">
<style>body{margin:0;background:#f8f8f8}</style>
</head>
<body data-emulator-page="${esc(pageId)}">
<div id="root">${body}</div>
<script id="${MODEL_ELEMENT_ID}" type="application/json">${scriptJson(model)}</script>
<script src="${esc(bundle.scriptUrl)}" defer></script>
</body>
</html>`;
  };

  return {
    login: (m) => page('signIn', 'login', m, m.loginHint ? { username: m.loginHint } : {}),
    usernameStep: (m) => page('signIn', 'login', m, m.loginHint ? { username: m.loginHint } : {}),
    passwordStep: (m) => page('signIn', 'verifyPassword', m, { username: m.username, initialStep: 'password' }),
    mfa: (m) => page('mfa', 'mfa', m, { mfaStep: m.mfaStep ?? 'totp', ...(m.mfaChoices ? { mfaChoices: m.mfaChoices } : {}), ...(m.destination ? { destination: m.destination } : {}) }),
    passkeyAdd: (m) => page('passkeyAdd', 'passkeyAdd', m, { username: m.username, redirectUri: m.redirectUri, passkeysAvailable: m.passkeysAvailable }),
    changePassword: (m) => page('changePassword', 'changePassword', m),
    confirm: (m) => page('confirm', 'confirm', m, { username: m.username }),
    resetPassword: (m) => page('resetPassword', 'confirmforgotPassword', m, { username: m.username }),
    forgotPassword: (m) => page('forgotPassword', 'forgotPassword', m),
    signup: (m) => page('signup', 'signup', m),
    signedInAs: (m) => page('signedInAs', 'signedInAs', m, { username: m.username }),
    // No branding style: no app, no Cloudscape, just the notice (one source measured a 403).
    unavailable: () => document('Login pages unavailable', 'unavailable', '<main>\n<h1>Login pages unavailable</h1>\n<p>Please contact an administrator.</p>\n</main>'),
  };
}

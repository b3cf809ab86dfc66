// Selector profiles: how to find the username, password, next, submit, OTP, error and consent
// elements on a login page. Built-ins: classic and managed; custom ones come as JSON in config.
//
// Selectors are plain CSS (they are evaluated both in the page, to recognise it, and by Playwright,
// to act on it); only visible matches count, because the classic page renders every form twice.
import { z } from 'zod';
import { usageError } from '../errors.js';

export interface SelectorProfile {
  name: string;
  username: string;
  password: string;
  /** "Next" on username-first pages. */
  next?: string;
  submit: string;
  otp?: string;
  error?: string;
  /** A consent/authorize button some IdPs show after sign-in. */
  consent?: string;
  // Upstream IdP pages (federated users), all optional:
  /** Marks a "Pick an account" page (remembered accounts). */
  accountPicker?: string;
  /** The user's tile on that page; `{username}` is replaced by the username (CSS-escaped). */
  accountTile?: string;
  /** "Use another account" on that page. */
  otherAccount?: string;
  /** On an MFA method list, the authenticator-app (TOTP) choice to click. */
  mfaMethod?: string;
  /** The button to click on a "Stay signed in?" page. */
  staySignedIn?: string;
}

/** The optional fields of a profile, in the order they are documented. */
export const OPTIONAL_PROFILE_FIELDS = ['next', 'otp', 'error', 'consent', 'accountPicker', 'accountTile', 'otherAccount', 'mfaMethod', 'staySignedIn'] as const;

/**
 * Cognito's classic Hosted UI (ManagedLoginVersion 1), cognito-reference.md 2.1–2.5. Alternatives
 * are listed because the real page is not ours: ids as shipped, names as community code uses them.
 */
export const CLASSIC_PROFILE: SelectorProfile = Object.freeze({
  name: 'classic',
  username: 'input[name="username"], input#signInFormUsername',
  password: 'input[name="password"][type="password"], input#signInFormPassword',
  submit: 'input[name="signInSubmitButton"], button[name="signInSubmitButton"], input[type="submit"], button[type="submit"]',
  otp: 'input[name="authentication_code"], input#totpCodeInput',
  error: '#loginErrorMessage, .errorMessage-customizable, [role="alert"]',
});

/** Cognito Managed Login (ManagedLoginVersion 2), cognito-reference.md 3: one form, real buttons. */
export const MANAGED_PROFILE: SelectorProfile = Object.freeze({
  name: 'managed',
  // Its markup is mostly UNCERTAIN (reference 3): accept the usual alternatives too.
  username: 'input[name="username"], input[autocomplete="username"], input[type="email"]',
  password: 'input[name="password"], input[autocomplete="current-password"]',
  next: 'button[type="submit"], input[type="submit"], form button:not([type])',
  submit: 'button[type="submit"], input[type="submit"], form button:not([type])',
  otp: 'input[name="authentication_code"], input#totpCodeInput, input[autocomplete="one-time-code"]',
  error: '[role="alert"], #loginErrorMessage, .errorMessage-customizable',
});

const selector = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a CSS selector string') })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(2000, { error: 'is too long for a selector' });

const profileSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  username: selector,
  password: selector,
  next: selector.optional(),
  submit: selector,
  otp: selector.optional(),
  error: selector.optional(),
  consent: selector.optional(),
  accountPicker: selector.optional(),
  accountTile: selector.optional(),
  otherAccount: selector.optional(),
  mfaMethod: selector.optional(),
  staySignedIn: selector.optional(),
});

/** What a custom profile may hold, as the usage hints say it. */
export const PROFILE_FIELDS_HINT = `username, password, submit (required), name, ${OPTIONAL_PROFILE_FIELDS.join(', ')} (optional), each a CSS selector`;

/**
 * Check a custom selector profile (parsed JSON) against the one strict schema: the profile, or
 * every problem with the field it concerns (an unknown field, such as a misspelt `otpp`, is one).
 */
export function checkSelectorProfile(value: unknown): { profile: SelectorProfile; problems?: undefined } | { profile?: undefined; problems: string[] } {
  const parsed = profileSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const field = issue.path.length ? issue.path.map(String).join('.') : '(profile)';
      if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      return `field "${field}" ${issue.message}`;
    });
    return { problems };
  }
  const p = parsed.data;
  const profile: SelectorProfile = { name: p.name ?? 'custom', username: p.username, password: p.password, submit: p.submit };
  for (const k of OPTIONAL_PROFILE_FIELDS) {
    const v = p[k];
    if (v !== undefined) profile[k] = v;
  }
  return { profile };
}

/**
 * Validate a custom selector profile (JSON text or an already parsed object). Any problem is an
 * exit-2 `SELECTOR_PROFILE_INVALID` naming `source` (a file or variable) and every bad field.
 */
export function parseSelectorProfile(json: unknown, source: string): SelectorProfile {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (cause) {
      throw usageError('SELECTOR_PROFILE_INVALID', `The selector profile in ${source} is not valid JSON.`, {
        hint: 'Give an object such as {"username":"input[name=login]","password":"input[name=password]","submit":"button[type=submit]"}.',
        cause,
      });
    }
  }
  const checked = checkSelectorProfile(value);
  if (checked.problems) {
    throw usageError('SELECTOR_PROFILE_INVALID', `The selector profile in ${source} is invalid: ${checked.problems.join('; ')}.`, {
      hint: `Fields: ${PROFILE_FIELDS_HINT}.`,
      details: { source },
    });
  }
  return checked.profile;
}

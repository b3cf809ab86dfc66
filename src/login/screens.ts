// Finding what to act on by what a person sees, on screens whose markup is not known in advance
// (Managed Login's MFA, factor and passkey screens, cognito-reference 3.1): the one-time-code field
// by its label, autocomplete, inputmode or shape; the option to pick on a choice screen by its text.
// The chosen element is marked with an attribute so the ordinary fill/click actions can target it.
//
// The in-page functions are sent as source text: they must stay self-contained.
import type { Page } from 'playwright-core';
import { FILLED_ATTR } from './interactive.js';
import { evaluateInPage, type PageHelpers } from './page-helpers.js';

/**
 * Runs in the page. Marks the visible field a person would type a one-time code into: by
 * autocomplete="one-time-code", a label/name/placeholder about a code, numeric input mode or a
 * 6-8 character limit; or the only visible text field. Returns whether one was found.
 */
export function markCodeField(arg: { attr: string; tag: string }, h: PageHelpers): boolean {
  const { isVisible } = h;
  const inputs = Array.from(document.querySelectorAll('input')).filter(
    (i) => isVisible(i) && !i.disabled && !i.readOnly && ['text', 'tel', 'number', ''].includes((i.getAttribute('type') || '').toLowerCase()),
  );
  const labelOf = (i: HTMLInputElement): string => {
    const parts = [i.getAttribute('aria-label') || '', i.placeholder || '', i.name || '', i.id || ''];
    for (const l of Array.from(i.labels || [])) parts.push(l.innerText || '');
    for (const id of (i.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean)) parts.push(document.getElementById(id)?.innerText || '');
    return parts.join(' ');
  };
  const score = (i: HTMLInputElement): number => {
    let s = 0;
    if ((i.getAttribute('autocomplete') || '').includes('one-time-code')) s += 4;
    if (/code|one-time|otp|totp|mfa|authenticat|verification|token/i.test(labelOf(i))) s += 3;
    if ((i.getAttribute('inputmode') || '') === 'numeric') s += 2;
    const max = i.maxLength;
    if (max >= 6 && max <= 8) s += 1;
    if (/user|email|phone|name/i.test(labelOf(i)) && s < 3) s -= 3;
    return s;
  };
  let best: HTMLInputElement | undefined;
  let bestScore = 0;
  for (const i of inputs) {
    const s = score(i);
    if (s > bestScore) (best = i), (bestScore = s);
  }
  if (!best && inputs.length === 1) best = inputs[0];
  document.querySelectorAll(`[${arg.attr}="${arg.tag}"]`).forEach((el) => el.removeAttribute(arg.attr));
  if (!best) return false;
  best.setAttribute(arg.attr, arg.tag);
  return true;
}

/**
 * Runs in the page. Marks the innermost visible option whose text matches `pattern` (a button,
 * link, radio, tile or label), and says whether it is a selection (radio-like) that still needs a
 * submit. Returns undefined when none matches.
 */
export function markChoice(arg: { attr: string; tag: string; pattern: string; flags: string }, h: PageHelpers): { radioLike: boolean } | undefined {
  const re = new RegExp(arg.pattern, arg.flags);
  const { isVisible, textOf: text } = h;
  const options = Array.from(document.querySelectorAll('button, a[href], [role="button"], [role="radio"], [role="tab"], label')).filter(
    (el) => isVisible(el) && re.test(text(el)),
  );
  // Styled radios (Cloudscape tiles) hide the native input: match it by what labels it, click the label.
  for (const radio of Array.from(document.querySelectorAll('input[type="radio"]')) as HTMLInputElement[]) {
    const labels = [...Array.from(radio.labels || []), ...(radio.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean).map((id) => document.getElementById(id))];
    const label = labels.find((l): l is HTMLElement => !!l && isVisible(l) && re.test(text(l)));
    if (label) options.push(label);
    else if (isVisible(radio) && re.test(radio.getAttribute('aria-label') || '')) options.push(radio);
  }
  // The innermost match: a label inside a tile, not the tile's whole container.
  const el = options.find((o) => !options.some((other) => other !== o && o.contains(other)));
  document.querySelectorAll(`[${arg.attr}="${arg.tag}"]`).forEach((x) => x.removeAttribute(arg.attr));
  if (!el) return undefined;
  el.setAttribute(arg.attr, arg.tag);
  const radioLike =
    el.getAttribute('role') === 'radio' || el.tagName === 'LABEL' || (el as HTMLInputElement).type === 'radio' || !!el.querySelector('input[type="radio"]') || !!el.closest('[role="radiogroup"]');
  return { radioLike };
}

/** The marker selector for a tag. */
export const marked = (tag: string) => `[${FILLED_ATTR}="${tag}"]`;

export async function findCodeField(page: Page): Promise<string | undefined> {
  return (await evaluateInPage(page, markCodeField, { attr: FILLED_ATTR, tag: 'otp' })) ? marked('otp') : undefined;
}

export async function findChoice(page: Page, pattern: RegExp, tag: string): Promise<{ selector: string; radioLike: boolean } | undefined> {
  const found = await evaluateInPage(page, markChoice, { attr: FILLED_ATTR, tag, pattern: pattern.source, flags: pattern.flags });
  return found ? { selector: marked(tag), radioLike: found.radioLike } : undefined;
}

/** What the driver picks on each choice screen (cognito-reference 3.1's recommendation). */
export const CHOICES = {
  password: /^(sign in with |use )?(your |a )?password$/i,
  authenticator: /authenticator|totp|software token/i,
  declinePasskey: /^(not now|skip( for now)?|no,? thanks|maybe later|remind me later|later|cancel|continue without( a)? passkey|do(n't| not) add( a)? passkey|skip passkey( setup)?)$/i,
} as const;

// Form actions for the login driver: type into a field and click a button with one in-page lookup
// and CDP input events (Input.insertText, mouse events), instead of Playwright's locator actions.
//
// Why: a locator action loads Playwright's injected script (~180 KB) into a second JavaScript world
// of every page and runs its actionability checks over several frames; measured on 2 cores, that
// was ~200 ms of CPU per sign-in, the largest cost after opening the page. The page state was just
// recognised (its fields are visible), so one lookup is enough. When the direct path cannot act
// (the element went away, is disabled, read-only or covered), the locator action takes over with
// its auto-waiting: slower, never less robust.
import type { Page } from 'playwright-core';
import { FILLED_ATTR } from './interactive.js';
import { evaluateInPage, type PageHelpers } from './page-helpers.js';

/** Which path performed an action: the direct one, or Playwright's locator fallback. */
export type ActionPath = 'direct' | 'locator';

/** Marker property on `window`: how many direct lookups found nothing actionable (lets tests order events). */
export const MISSES_PROP = '__cognitoNewmanDirectMisses';

interface TargetQuery {
  /** CSS selector of the element to act on. */
  selector: string;
  /** Prefer a match inside the form of the first visible match of this selector (the field just filled). */
  near: string | null;
  /** `focus`: focus and select an editable field. `point`: the viewport point to click. */
  mode: 'focus' | 'point';
  missesProp: string;
  /**
   * Prefer the personal sign-in form when several forms match: the one with a password field or a
   * username field, never one that reads as enterprise sign-in ("Corporate email" and the like),
   * whatever the DOM order (Managed Login may show both, cognito-reference 3.1).
   */
  personal?: boolean;
  /** Mark the chosen element with FILLED_ATTR=tag, so it can be checked before submitting. */
  tag?: string;
  attr?: string;
}

/** Options of fillField and clickButton. */
export interface TargetOptions {
  personal?: boolean;
  /** fillField: the name the field is marked with (see interactive.ts). */
  tag?: string;
}

/**
 * Runs in the page (sent as source: self-contained). Finds the first visible, enabled match and
 * prepares it: `focus` focuses and selects the field's text (so typing replaces it) and returns
 * true; `point` scrolls it into view and returns its centre if a click there reaches it. Returns
 * false when nothing is actionable.
 */
export function prepareTarget(q: TargetQuery, h: PageHelpers): boolean | { x: number; y: number } {
  const { visibleIn } = h;
  const miss = (): false => {
    const w = window as unknown as Record<string, number>;
    w[q.missesProp] = (w[q.missesProp] ?? 0) + 1;
    return false;
  };
  // Enterprise sign-in forms read like this to a person; a personal form has a password or username field.
  const corporate = /corporate|enterprise|\bwork\b|company|organi[sz]ation|business|single sign-on|\bSSO\b|federat/i;
  const formScore = (el: Element): number => {
    const form = el.closest('form');
    if (!form) return 0;
    let s = 0;
    if (visibleIn(form, 'input[type="password"]').length) s += 4;
    if (visibleIn(form, 'input[name="username"], input[autocomplete="username"]').length) s += 2;
    if (corporate.test((form as HTMLElement).innerText || '')) s -= 3;
    return s;
  };
  const ranked = (list: Element[]): Element[] => {
    if (!q.personal || new Set(list.map((e) => e.closest('form'))).size < 2) return list;
    return list.map((e, i) => ({ e, i, s: formScore(e) })).sort((a, b) => b.s - a.s || a.i - b.i).map((x) => x.e);
  };
  let candidates: Element[] = [];
  if (q.near) {
    const form = ranked(visibleIn(document, q.near))[0]?.closest('form');
    if (form) candidates = visibleIn(form, q.selector);
  }
  if (candidates.length === 0) candidates = ranked(visibleIn(document, q.selector));
  const el = candidates[0] as (HTMLElement & { disabled?: boolean; readOnly?: boolean; select?: () => void; value?: string }) | undefined;
  if (el && q.tag && q.attr) {
    document.querySelectorAll(`[${q.attr}="${q.tag}"]`).forEach((other) => other !== el && other.removeAttribute(q.attr as string));
    el.setAttribute(q.attr, q.tag);
  }
  if (!el || el.disabled || el.closest('fieldset[disabled]')) return miss();

  if (q.mode === 'focus') {
    const editable = el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? !el.readOnly : el.isContentEditable;
    if (!editable) return miss();
    el.focus();
    if (document.activeElement !== el) return miss();
    if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
      if (el.value) {
        // Typing must replace what is there; some input types cannot report a selection.
        try {
          el.select();
          if (el.selectionStart !== 0 || el.selectionEnd !== el.value.length) return miss();
        } catch {
          return miss();
        }
      }
    } else {
      const range = document.createRange();
      range.selectNodeContents(el);
      const sel = window.getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
    }
    return true;
  }

  let rect = el.getBoundingClientRect();
  const inView = rect.top >= 0 && rect.left >= 0 && rect.bottom <= window.innerHeight && rect.right <= window.innerWidth;
  if (!inView) {
    el.scrollIntoView({ block: 'center', inline: 'center' });
    rect = el.getBoundingClientRect();
  }
  const x = rect.left + rect.width / 2;
  const y = rect.top + rect.height / 2;
  // Something on top (a cookie banner, an overlay) would take the click: let the locator wait.
  const hit = document.elementFromPoint(x, y);
  if (!hit || (hit !== el && !el.contains(hit))) return miss();
  return { x, y };
}

/** Type `value` into the first visible match of `selector`, replacing its content. */
export async function fillField(page: Page, selector: string, value: string, timeoutMs: number, o: TargetOptions = {}): Promise<ActionPath> {
  const query: TargetQuery = { selector, near: null, mode: 'focus', missesProp: MISSES_PROP, ...(o.personal ? { personal: true } : {}), ...(o.tag ? { tag: o.tag, attr: FILLED_ATTR } : {}) };
  const ready = await evaluateInPage(page, prepareTarget, query);
  if (ready === true) {
    await page.keyboard.insertText(value);
    return 'direct';
  }
  // The element the lookup chose (marked) when there is one: the fallback must not pick another form's field.
  const marked = o.tag ? page.locator(`[${FILLED_ATTR}="${o.tag}"]`) : undefined;
  const target = marked && (await marked.count()) > 0 ? marked.first() : page.locator(selector).filter({ visible: true }).first();
  await target.fill(value, { timeout: timeoutMs });
  return 'locator';
}

/**
 * Click the first visible match of `selector`, preferring one inside the form of `near` (the
 * classic page has other forms).
 */
export async function clickButton(page: Page, selector: string, near: string | null, timeoutMs: number, o: TargetOptions = {}): Promise<ActionPath> {
  const point = await evaluateInPage(page, prepareTarget, { selector, near, mode: 'point', missesProp: MISSES_PROP, ...(o.personal ? { personal: true } : {}) } satisfies TargetQuery);
  if (point && typeof point === 'object') {
    await page.mouse.click(point.x, point.y);
    return 'direct';
  }
  if (near) {
    const inForm = page.locator(near).filter({ visible: true }).first().locator('xpath=ancestor::form[1]').locator(selector).filter({ visible: true }).first();
    if ((await inForm.count()) > 0) {
      await inForm.click({ timeout: timeoutMs });
      return 'locator';
    }
  }
  await page.locator(selector).filter({ visible: true }).first().click({ timeout: timeoutMs });
  return 'locator';
}

/** The page's visible text (for the "Sign in as" check), without Playwright's injected script. */
export async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => (document.body ? document.body.innerText : ''));
}

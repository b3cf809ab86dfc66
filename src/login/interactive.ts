// Typing safely into pages that hydrate (Managed Login is server-rendered React, cognito-reference
// 3.1): wait until the page is interactive before typing, and check before each submit that every
// field still holds what was typed. Both look at what any React page shows a script (React's own
// properties on DOM nodes, the DOM settling), never at ids or texts of one page.
//
// The in-page functions are sent as source text: they must stay self-contained.
import type { Page } from 'playwright-core';
import { evaluateInPage, type PageHelpers } from './page-helpers.js';

/** Marker attribute the driver puts on the fields it fills, so it can check them before submitting. */
export const FILLED_ATTR = 'data-cognito-newman-filled';

export interface InteractiveOptions {
  /** Longest wait for a server-rendered page with scripts to hydrate (then the checks below still guard). */
  hydrationMs: number;
  /** Quiet period: no DOM change for this long means no re-render is pending. */
  quietMs: number;
  /** Longest wait for the quiet period (a page that animates forever is not waited out). */
  settleMs: number;
}

export const DEFAULT_INTERACTIVE: InteractiveOptions = { hydrationMs: 10_000, quietMs: 120, settleMs: 1_500 };

export interface InteractiveResult {
  /** React was found on the page's fields (hydrated). */
  react: boolean;
  /** The wait gave up on hydration (scripts present, no React seen within hydrationMs). */
  gaveUp: boolean;
  waitedMs: number;
}

/**
 * Runs in the page. Resolves once (1) the document has loaded, (2) the visible form fields are
 * owned by React, when the page has external scripts that may still hydrate it (given up after
 * `hydrationMs`), and (3) the DOM stayed unchanged for `quietMs` (bounded by `settleMs`), so a
 * re-render that follows hydration has happened before anything is typed.
 */
export function interactiveWait(o: InteractiveOptions, h: PageHelpers): Promise<InteractiveResult> {
  const started = performance.now();
  const { isVisible } = h;
  const owned = (el: Element) => Object.keys(el).some((k) => k.startsWith('__reactProps$') || k.startsWith('__reactFiber$'));
  const fields = () =>
    Array.from(document.querySelectorAll('input:not([type="hidden"]), button, textarea, select')).filter(isVisible);
  const hydrated = () => {
    const f = fields();
    return f.length > 0 && f.some(owned);
  };
  const mayHydrate = () => document.querySelector('script[src]') !== null;
  return new Promise((resolve) => {
    let gaveUp = false;
    const settle = () => {
      const settleStart = performance.now();
      let last = performance.now();
      const obs = new MutationObserver(() => {
        last = performance.now();
      });
      obs.observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
      const check = () => {
        const now = performance.now();
        if (now - last >= o.quietMs || now - settleStart >= o.settleMs) {
          obs.disconnect();
          resolve({ react: fields().some(owned), gaveUp, waitedMs: Math.round(now - started) });
        } else setTimeout(check, Math.min(50, o.quietMs));
      };
      setTimeout(check, Math.min(50, o.quietMs));
    };
    const waitHydration = () => {
      if (document.readyState !== 'complete') return void setTimeout(waitHydration, 20);
      if (hydrated() || !mayHydrate()) return settle();
      if (performance.now() - started >= o.hydrationMs) {
        gaveUp = true;
        return settle();
      }
      setTimeout(waitHydration, 20);
    };
    waitHydration();
  });
}

/** Wait until the page is interactive (bounded by `timeoutMs`); a navigation mid-wait just ends it. */
export async function waitInteractive(page: Page, timeoutMs: number, o: InteractiveOptions = DEFAULT_INTERACTIVE): Promise<InteractiveResult | undefined> {
  const bounded = { ...o, hydrationMs: Math.max(0, Math.min(o.hydrationMs, timeoutMs - o.settleMs)) };
  try {
    return await evaluateInPage(page, interactiveWait, bounded);
  } catch (err) {
    if (err instanceof Error && /Execution context was destroyed|navigation/i.test(err.message)) return undefined;
    throw err;
  }
}

/**
 * Runs in the page. For each marked field, whether it still holds the value typed into it: the DOM
 * value, and for a React-controlled input also React's value (text typed before hydration shows in
 * the DOM while React's state is empty). A field that is gone or replaced counts as lost. Returns
 * only the names of lost fields, never a value.
 */
export function lostFields(arg: { attr: string; expected: Record<string, string> }): string[] {
  const lost: string[] = [];
  for (const name of Object.keys(arg.expected)) {
    const want = arg.expected[name] as string;
    const el = document.querySelector(`[${arg.attr}="${name}"]`) as HTMLInputElement | null;
    if (!el || !el.isConnected || el.value !== want) {
      lost.push(name);
      continue;
    }
    const propsKey = Object.keys(el).find((k) => k.startsWith('__reactProps$'));
    const props = propsKey ? (el as unknown as Record<string, { value?: unknown } | undefined>)[propsKey] : undefined;
    if (props && typeof props.value === 'string' && props.value !== want) lost.push(name);
  }
  return lost;
}

/** The names of filled fields that no longer hold what was typed (values stay in the page). */
export async function checkFilled(page: Page, expected: Record<string, string>): Promise<string[]> {
  return page.evaluate(lostFields, { attr: FILLED_ATTR, expected });
}

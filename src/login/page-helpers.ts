// The helpers every function the driver runs inside the page shares (what a person sees: is it
// visible, what does it read), written once. In-page functions travel to the browser as source text
// and cannot import, so each takes the helpers as its last parameter and is sent with
// `inPageSource`/`evaluateInPage`, which put this module's source next to it.
import type { Page } from 'playwright-core';

export interface PageHelpers {
  /** Visible as Playwright means it (a non-empty box, not visibility:hidden), and not hidden by CSS such as content-visibility. */
  isVisible(el: Element): boolean;
  /** Visible matches of `selector` under `root`; none when the selector does not parse. */
  visibleIn(root: ParentNode, selector: string): Element[];
  /** The text a person reads in `el`, white space folded. */
  textOf(el: Element | null | undefined): string;
}

/** Runs in the page (sent as source: self-contained). */
export function pageHelpers(): PageHelpers {
  const isVisible = (el: Element): boolean => {
    const rect = el.getBoundingClientRect();
    if (rect.width <= 0 || rect.height <= 0) return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.visibility === 'collapse') return false;
    const check = (el as Element & { checkVisibility?: (o: object) => boolean }).checkVisibility;
    return typeof check !== 'function' || check.call(el, { checkVisibilityCSS: true });
  };
  return {
    isVisible,
    visibleIn: (root, selector) => {
      try {
        return Array.from(root.querySelectorAll(selector)).filter(isVisible);
      } catch {
        return [];
      }
    },
    textOf: (el) => (el ? ((el as HTMLElement).innerText || el.textContent || '').replace(/\s+/g, ' ').trim() : ''),
  };
}

/** The helpers as a JavaScript expression. */
export const PAGE_HELPERS_SOURCE = `(${pageHelpers.toString()})()`;

/** A function that runs in the page: self-contained but for the helpers it is handed. */
export type InPageFunction<A, R> = (arg: A, h: PageHelpers) => R;

/** JavaScript source of `fn(arg, helpers)`; `arg` must be JSON. */
export function inPageSource<A, R>(fn: InPageFunction<A, R>, arg: A): string {
  return `(${fn.toString()})(${JSON.stringify(arg)}, ${PAGE_HELPERS_SOURCE})`;
}

/** Run `fn(arg, helpers)` in the page and return its (awaited, serialisable) result. */
export async function evaluateInPage<A, R>(page: Page, fn: InPageFunction<A, R>, arg: A): Promise<Awaited<R>> {
  return (await page.evaluate(inPageSource(fn, arg))) as Awaited<R>;
}

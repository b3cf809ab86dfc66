// Failure diagnostics for a sign-in that ended on a page we could not handle: a screenshot with the
// secret fields cleared and masked, the page's visible text and its URL without query values.
// Never a trace, never the HTML, never a value we typed; every text passes through redact().
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REDACTED, redact } from '../log.js';

/** Fields whose values must not appear in a screenshot, whatever profile is in use. */
export const SECRET_FIELD_SELECTORS: readonly string[] = [
  'input[type="password"]',
  'input[name="password"]',
  'input[name="authentication_code"]',
  'input#totpCodeInput',
  'input[autocomplete="one-time-code"]',
  'input[autocomplete="current-password"]',
  'input[autocomplete="new-password"]',
  'input[name="newPassword"]',
  'input[name="confirmPassword"]',
];

/** Bound on each page operation while writing diagnostics. */
const STEP_MS = 5_000;
/**
 * The most a failed sign-in may take beyond its timeout to look at the page and write diagnostics
 * (README, "Timeouts"): a stuck page gets what could be had in this time, never more.
 */
export const DIAGNOSTICS_GRACE_MS = 5_000;

export interface DiagnosticsInput {
  page: Page | undefined;
  artifactsDir: string;
  /** The configured user name (`default`, `admin`, ...): names the folder. */
  userName: string;
  /** The error code that led here, written into the summary. */
  reason: string;
  /** Extra selectors to clear and mask (the selector profile's password and OTP fields). */
  secretSelectors?: readonly string[];
  /**
   * Values typed into this page (the password, TOTP codes): scrubbed from the page's text and
   * inputs before the screenshot, in case the page shows them back. Only values the page was
   * given already, so the scrub tells the page nothing new.
   */
  typedSecrets?: readonly string[];
  now?: Date;
  /** Epoch ms by which everything that touches the page must be done. Default: now + DIAGNOSTICS_GRACE_MS. */
  deadline?: number;
  /** The page already failed to answer (a script keeps it busy): take no screenshot or text, which would only wait. */
  pageUnresponsive?: boolean;
}

export interface DiagnosticsResult {
  /** The folder, when anything could be written. */
  dir: string | undefined;
  files: string[];
  /** Why writing failed, if it did (never thrown: diagnostics must not hide the real error). */
  problem: string | undefined;
}

/** The URL with every query and fragment value replaced (codes, states and tokens live there). */
export function maskUrl(url: string): string {
  const maskParams = (part: string) =>
    part
      .split('&')
      .map((kv) => {
        if (!kv) return kv;
        const i = kv.indexOf('=');
        return i < 0 ? kv : `${kv.slice(0, i)}=…`;
      })
      .join('&');
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt < 0 ? url : url.slice(0, hashAt);
  const fragment = hashAt < 0 ? undefined : url.slice(hashAt + 1);
  const qAt = beforeHash.indexOf('?');
  const base = qAt < 0 ? beforeHash : beforeHash.slice(0, qAt);
  const query = qAt < 0 ? undefined : beforeHash.slice(qAt + 1);
  let out = base;
  if (query !== undefined) out += `?${maskParams(query)}`;
  if (fragment !== undefined) out += `#${maskParams(fragment)}`;
  return redact(out);
}

/** Resolve with `fallback` if `work` takes longer than `ms` (a stuck page must not stall error reporting). */
export async function bounded<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  work.catch(() => undefined);
  try {
    return await Promise.race([work, new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/**
 * Cancel a navigation that is still waiting for its response: while one is pending, Playwright
 * holds page.evaluate and screenshots until it commits, which may be never (a hung IdP).
 */
export async function stopLoading(page: Page, withinMs = 2_000): Promise<void> {
  await bounded(
    (async () => {
      const session = await page.context().newCDPSession(page);
      try {
        await session.send('Page.stopLoading');
      } finally {
        await session.detach().catch(() => undefined);
      }
    })().catch(() => undefined),
    withinMs,
    undefined,
  );
}

/** A folder name safe on every file system: `<user>-<UTC timestamp>`. */
export function diagnosticsFolderName(userName: string, now: Date = new Date()): string {
  const user = userName.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 64) || 'user';
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return `${user}-${stamp}`;
}

/**
 * Write `page.png`, `page-text.txt`, `page-url.txt` and `summary.txt` into
 * `<artifactsDir>/<user>-<timestamp>/`. Best effort: each part that fails is skipped and reported.
 */
export async function writeDiagnostics(input: DiagnosticsInput): Promise<DiagnosticsResult> {
  const dir = join(input.artifactsDir, diagnosticsFolderName(input.userName, input.now));
  const files: string[] = [];
  const problems: string[] = [];
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    return { dir: undefined, files, problem: `could not create ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  const write = async (name: string, data: string | Buffer) => {
    try {
      await writeFile(join(dir, name), data);
      files.push(join(dir, name));
    } catch (err) {
      problems.push(`${name}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  };

  const page = input.page && !input.page.isClosed() ? input.page : undefined;
  const selectors = [...SECRET_FIELD_SELECTORS, ...(input.secretSelectors ?? [])];
  // One budget for every page operation: a busy page (a script that never ends) makes each of
  // them wait its whole bound, and five bounds in a row were 20 s past the login timeout.
  const deadline = input.deadline ?? Date.now() + DIAGNOSTICS_GRACE_MS;
  const within = (ms: number) => Math.max(0, Math.min(ms, deadline - Date.now()));
  let url = '';
  if (page && input.pageUnresponsive) {
    url = page.url();
    problems.push('the page did not respond (a script keeps it busy): no screenshot or visible text');
    await write('page-url.txt', `${maskUrl(url)}\n`);
  } else if (page) {
    await stopLoading(page, within(2_000));
    url = page.url();
    // Clear first: a value that is gone cannot leak through a mask that misses a field. Then take
    // typed secrets out of the text the page shows (a page may echo what it was sent).
    const typed = (input.typedSecrets ?? []).filter((v) => typeof v === 'string' && v.length >= 4);
    const cleared = page
      .evaluate(
        ({ sels, typed, marker }) => {
          for (const sel of sels) {
            let found: Element[] = [];
            try {
              found = Array.from(document.querySelectorAll(sel));
            } catch {
              continue;
            }
            for (const el of found) if (el instanceof HTMLInputElement) el.value = '';
          }
          if (!typed.length || !document.body) return true;
          const scrub = (text: string) => typed.reduce((t, v) => t.split(v).join(marker), text);
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            if (n.nodeValue && typed.some((v) => n!.nodeValue!.includes(v))) n.nodeValue = scrub(n.nodeValue);
          }
          for (const el of Array.from(document.querySelectorAll('input, textarea'))) {
            const f = el as HTMLInputElement;
            if (typed.some((v) => f.value.includes(v))) f.value = '';
          }
          // Anything still showing a typed value (CSS content, attributes rendered by script) stops the screenshot.
          if (typed.some((v) => document.body.innerText.includes(v))) return false;
          for (const el of Array.from(document.body.querySelectorAll('*')).slice(0, 5000)) {
            for (const pseudo of ['::before', '::after']) {
              const content = getComputedStyle(el, pseudo).content;
              if (content && content !== 'none' && typed.some((v) => content.includes(v))) return false;
            }
          }
          return true;
        },
        { sels: selectors, typed, marker: REDACTED },
      )
      .catch((err: unknown) => {
        problems.push(`clearing fields: ${String(err).split('\n')[0]}`);
        return false;
      });
    if (!(await bounded(cleared, within(STEP_MS), false))) {
      // Never screenshot a page whose secrets could not be cleared.
      problems.push('secrets could not be cleared from the page; no screenshot');
    } else if (within(STEP_MS) < 250) {
      problems.push('screenshot: no time left within the diagnostics grace');
    } else {
      try {
        const png = await page.screenshot({
          mask: selectors.map((s) => page.locator(s)),
          animations: 'disabled',
          caret: 'hide',
          timeout: within(STEP_MS),
        });
        await write('page.png', png);
      } catch (err) {
        problems.push(`screenshot: ${String(err).split('\n')[0]}`);
      }
    }
    const text = await bounded(
      page.evaluate(() => (document.body ? document.body.innerText : '')).catch((err: unknown) => {
        problems.push(`visible text: ${String(err).split('\n')[0]}`);
        return undefined;
      }),
      within(STEP_MS),
      undefined,
    );
    if (text !== undefined) await write('page-text.txt', redact(text));
    else if (!problems.some((p) => p.startsWith('visible text'))) problems.push('visible text: timed out');
    await write('page-url.txt', `${maskUrl(url)}\n`);
  } else {
    problems.push('no open page to capture');
  }
  await write(
    'summary.txt',
    redact(`reason: ${input.reason}\nuser: ${input.userName}\nurl: ${url ? maskUrl(url) : '(none)'}\ntime: ${(input.now ?? new Date()).toISOString()}\n`),
  );
  return { dir, files, problem: problems.length ? redact(problems.join('; ')) : undefined };
}

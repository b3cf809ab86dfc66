// What a resolved browser is, and its one-line description, without loading playwright-core: doctor's
// checks and other light modules import this; src/login/browser.ts does the finding and launching.

/** Which Chromium build runs: the old-headless shell (light) or a full browser in new-headless mode. */
export type BrowserKind = 'headless-shell' | 'full';

export interface ResolvedBrowser {
  /** What to pass to Playwright; undefined means "Playwright's own headless shell" (it finds it itself). */
  executablePath: string | undefined;
  /** The binary that will run, for doctor and --debug (also when Playwright finds it itself). */
  path: string;
  source: 'env' | 'playwright' | 'system';
  kind: BrowserKind;
}

/** A binary named like a headless shell is one (for COGNITO_NEWMAN_BROWSER, whose kind we cannot ask). */
export const kindOf = (path: string): BrowserKind => (/headless[-_]shell(\.exe)?$/i.test(path) ? 'headless-shell' : 'full');

/** One line for doctor and --debug: which binary, which kind, found how. */
export function describeBrowser(b: ResolvedBrowser): string {
  const kind = b.kind === 'headless-shell' ? 'headless shell' : 'full Chromium';
  const source = b.source === 'env' ? 'COGNITO_NEWMAN_BROWSER' : b.source === 'playwright' ? "Playwright's build" : 'system browser';
  return `${b.path} (${kind}, ${source})`;
}

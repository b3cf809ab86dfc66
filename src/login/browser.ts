// The one place that finds and launches Chromium, lightest first: COGNITO_NEWMAN_BROWSER, then
// Playwright's headless shell, then a system headless shell, then a full Chromium/Chrome, else exit 5.
// Why a headless shell first: the "old headless" shell costs ~160 ms of browser CPU per sign-in where
// a full Chromium in new-headless mode costs ~600 ms (every new BrowserContext opens a real window).
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { chromium } from './playwright.js';
import { localFailure } from '../errors.js';
import type { Logger } from '../log.js';
import { describeBrowser, kindOf, type ResolvedBrowser } from './browser-info.js';

export { describeBrowser, kindOf, type BrowserKind, type ResolvedBrowser } from './browser-info.js';

/** Where to look; tests pass their own (fake executables in a temp dir), production uses the defaults. */
export interface BrowserCandidates {
  /** Playwright's downloads for this playwright-core version, whether installed or not. */
  playwright: { headlessShell?: string | undefined; chromium?: string | undefined };
  /** System headless shells, in order of preference. */
  headlessShells: readonly string[];
  /** System full Chromium/Chrome builds, in order of preference. */
  fullBrowsers: readonly string[];
}

export interface ResolveOptions {
  /** false skips every headless shell (it cannot show a window); default true, as launchBrowser does. */
  headless?: boolean;
  /** Replaces the default candidate lists, wholly or per field. */
  candidates?: Partial<BrowserCandidates>;
}

// The real binary of Debian's `chromium-headless-shell` package comes first: /usr/bin's entry is a
// `sh -e` wrapper that does not exec, so it leaves a shell process between Playwright and Chromium.
const SYSTEM_HEADLESS_SHELLS = ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium-headless-shell'];
// Names a headless shell goes by on PATH: Debian's package, and Chrome for Testing's
// `chrome-headless-shell` (its zip, or @puppeteer/browsers, linked into a PATH directory).
const HEADLESS_SHELL_NAMES = ['chromium-headless-shell', 'chrome-headless-shell'];

const SYSTEM_FULL_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

const isExecutable = (p: string | undefined): p is string => {
  if (!p) return false;
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

interface PlaywrightRegistry {
  findExecutable(name: string): { executablePath(): string | undefined } | undefined;
}

/**
 * Where Playwright keeps its builds. `chromium.launch({ headless: true })` without executablePath runs
 * the registry's `chromium-headless-shell` executable (`<browsers>/chromium_headless_shell-<rev>/
 * chrome-headless-shell-linux64/chrome-headless-shell`), while the public `chromium.executablePath()`
 * returns the FULL Chromium (`<browsers>/chromium-<rev>/chrome-linux64/chrome`): checking only the
 * latter would say "installed" for a launch that then fails. No public API names the shell's path
 * (checked in playwright-core 1.65.2's types and docs; microsoft/playwright#39327 asks for one), so it
 * comes from the registry inside `lib/coreBundle`, a subpath playwright-core's exports map lists but
 * does not type or document (already loaded by the import above, so free). If a future version moves
 * it, we simply see no shell and pass the full Chromium explicitly.
 */
function playwrightBuilds(): BrowserCandidates['playwright'] {
  let chromiumPath: string | undefined;
  try {
    chromiumPath = chromium.executablePath() || undefined;
  } catch {
    chromiumPath = undefined;
  }
  let headlessShell: string | undefined;
  try {
    const bundle = createRequire(import.meta.url)('playwright-core/lib/coreBundle') as { registry?: { registry?: PlaywrightRegistry } };
    headlessShell = bundle.registry?.registry?.findExecutable('chromium-headless-shell')?.executablePath() || undefined;
  } catch {
    headlessShell = undefined;
  }
  return { headlessShell, chromium: chromiumPath };
}

function pathShells(env: NodeJS.ProcessEnv): string[] {
  // Absolute entries only: a relative one would make the answer depend on the current directory.
  const dirs = (env.PATH ?? '').split(delimiter).filter((d) => d && isAbsolute(d));
  return dirs.flatMap((d) => HEADLESS_SHELL_NAMES.map((n) => join(d, n)));
}

/** The production candidate lists (Playwright's registry, known system paths, PATH). */
export function defaultCandidates(env: NodeJS.ProcessEnv = process.env): BrowserCandidates {
  return {
    playwright: playwrightBuilds(),
    headlessShells: [...new Set([...SYSTEM_HEADLESS_SHELLS, ...pathShells(env)])],
    fullBrowsers: SYSTEM_FULL_BROWSERS,
  };
}

/** Pick the browser binary; throws exit-5 `BROWSER_NOT_FOUND` with install advice. */
export function resolveBrowser(env: NodeJS.ProcessEnv = process.env, options: ResolveOptions = {}): ResolvedBrowser {
  const fromEnv = env.COGNITO_NEWMAN_BROWSER;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return { executablePath: fromEnv, path: fromEnv, source: 'env', kind: kindOf(fromEnv) };
    throw localFailure('BROWSER_NOT_FOUND', `COGNITO_NEWMAN_BROWSER points at ${fromEnv}, which is not an executable file.`, {
      hint: 'Fix the path or unset the variable to use the browser cognito-newman finds by itself.',
    });
  }
  const headless = options.headless ?? true;
  // Defaults are computed only for the fields a caller did not replace (tests replace them all).
  const given = options.candidates ?? {};
  const needDefaults = !given.playwright || !given.headlessShells || !given.fullBrowsers;
  const defaults = needDefaults ? defaultCandidates(env) : undefined;
  const c: BrowserCandidates = {
    playwright: given.playwright ?? defaults?.playwright ?? {},
    headlessShells: given.headlessShells ?? defaults?.headlessShells ?? [],
    fullBrowsers: given.fullBrowsers ?? defaults?.fullBrowsers ?? [],
  };

  if (headless) {
    // Playwright's own shell: executablePath stays undefined, so Playwright launches exactly the file checked here.
    const own = c.playwright.headlessShell;
    if (isExecutable(own)) return { executablePath: undefined, path: own, source: 'playwright', kind: 'headless-shell' };
    const shell = c.headlessShells.find(isExecutable);
    if (shell) return { executablePath: shell, path: shell, source: 'system', kind: 'headless-shell' };
  }
  // Only full builds are left. Playwright's full Chromium (a shell-less `playwright install --no-shell`)
  // comes after a system headless shell above because that shell is ~3x lighter per sign-in; its path
  // is passed explicitly, since a headless launch without one would look for the missing shell.
  const ownFull = c.playwright.chromium;
  if (isExecutable(ownFull)) return { executablePath: ownFull, path: ownFull, source: 'playwright', kind: 'full' };
  const full = c.fullBrowsers.find(isExecutable);
  if (full) return { executablePath: full, path: full, source: 'system', kind: 'full' };
  throw localFailure('BROWSER_NOT_FOUND', 'No Chromium or Chrome was found, and the Hosted UI sign-in needs one.', {
    hint:
      'Run `npx cognito-newman install-browser` (it adds Chromium\'s headless shell), ' +
      'or install it with `sudo apt-get install chromium-headless-shell` on Debian/Ubuntu, ' +
      'or `npx playwright install chromium` (downloads Playwright\'s headless shell), ' +
      'or set COGNITO_NEWMAN_BROWSER to the path of a Chrome/Chromium binary.',
  });
}

export interface LaunchOptions {
  /** Hosts that must never be contacted (callback hosts): resolved to nothing by Chromium itself. */
  blockedHosts?: readonly string[];
  /** Default true. false (a visible window) skips the headless shells, which cannot show one. */
  headless?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Says at debug level which browser runs (--debug). */
  logger?: Pick<Logger, 'debug'>;
}

/** Flags that keep Chromium quiet on a closed network (DESIGN.md, verified on these machines). */
export function chromiumArgs(blockedHosts: readonly string[] = []): string[] {
  const args = [
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
    '--disable-dev-shm-usage',
  ];
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');
  const hosts = [...new Set(blockedHosts.filter(Boolean))];
  // Belt and braces for the CDP interception: even a missed redirect cannot reach the callback host.
  if (hosts.length) args.push(`--host-resolver-rules=${hosts.map((h) => `MAP ${h} ~NOTFOUND`).join(', ')}`);
  return args;
}

/** Launch one headless browser for the run; exit 5 if it cannot start. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  const headless = options.headless ?? true;
  const resolved = resolveBrowser(options.env, { headless });
  options.logger?.debug(`browser: ${describeBrowser(resolved)}`);
  try {
    return await chromium.launch({
      headless,
      ...(resolved.executablePath ? { executablePath: resolved.executablePath } : {}),
      args: chromiumArgs(options.blockedHosts),
      timeout: 30_000,
      // Signals are ours (src/interrupt.ts): one line, the browser closed, exit 130/143, not a failed sign-in.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (cause) {
    throw localFailure('BROWSER_LAUNCH_FAILED', `Chromium (${describeBrowser(resolved)}) did not start.`, {
      hint: 'Check that it runs on this machine (missing libraries?); run with --debug for the browser output.',
      cause,
    });
  }
}

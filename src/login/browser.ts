// The one place that finds and launches Chromium: Playwright's own build when installed, else a
// system Chromium/Chrome (COGNITO_NEWMAN_BROWSER overrides), else exit 5 saying how to get one.
import { existsSync, accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { localFailure } from '../errors.js';

export interface ResolvedBrowser {
  /** Undefined means "Playwright's own Chromium" (Playwright finds it itself). */
  executablePath: string | undefined;
  source: 'env' | 'playwright' | 'system';
}

const SYSTEM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

const isExecutable = (p: string): boolean => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Pick the browser binary; throws exit-5 `BROWSER_NOT_FOUND` with install advice. */
export function resolveBrowser(env: NodeJS.ProcessEnv = process.env): ResolvedBrowser {
  const fromEnv = env.COGNITO_NEWMAN_BROWSER;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return { executablePath: fromEnv, source: 'env' };
    throw localFailure('BROWSER_NOT_FOUND', `COGNITO_NEWMAN_BROWSER points at ${fromEnv}, which is not an executable file.`, {
      hint: 'Fix the path or unset the variable to use the browser cognito-newman finds by itself.',
    });
  }
  let own: string | undefined;
  try {
    own = chromium.executablePath();
  } catch {
    own = undefined;
  }
  if (own && existsSync(own)) return { executablePath: undefined, source: 'playwright' };
  const system = SYSTEM_CANDIDATES.find(isExecutable);
  if (system) return { executablePath: system, source: 'system' };
  throw localFailure('BROWSER_NOT_FOUND', 'No Chromium or Chrome was found, and the Hosted UI sign-in needs one.', {
    hint:
      'Install one with `npx playwright install chromium` (or `sudo apt-get install chromium` on Debian/Ubuntu), ' +
      'or set COGNITO_NEWMAN_BROWSER to the path of a Chrome/Chromium binary.',
  });
}

export interface LaunchOptions {
  /** Hosts that must never be contacted (callback hosts): resolved to nothing by Chromium itself. */
  blockedHosts?: readonly string[];
  headless?: boolean;
  env?: NodeJS.ProcessEnv;
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
  const resolved = resolveBrowser(options.env);
  try {
    return await chromium.launch({
      headless: options.headless ?? true,
      ...(resolved.executablePath ? { executablePath: resolved.executablePath } : {}),
      args: chromiumArgs(options.blockedHosts),
      timeout: 30_000,
    });
  } catch (cause) {
    throw localFailure('BROWSER_LAUNCH_FAILED', `Chromium (${resolved.executablePath ?? "Playwright's build"}) did not start.`, {
      hint: 'Check that it runs on this machine (missing libraries?); run with --debug for the browser output.',
      cause,
    });
  }
}

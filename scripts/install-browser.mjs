#!/usr/bin/env node
// Postinstall: make sure a Chromium that Playwright can drive exists after `npm ci`.
// Order: a browser that is already usable -> Playwright's own download -> (root on Debian/Ubuntu)
// Debian's `chromium` package. Prints what it did; never fails the install (the CLI reports a
// missing browser later with exit 5). Skip with COGNITO_NEWMAN_SKIP_BROWSER_INSTALL=1.
// Plain JS on purpose: it runs before `prepare` builds dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const log = (msg) => process.stderr.write(`[cognito-newman] ${msg}\n`);
const SYSTEM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
];

if (process.env.COGNITO_NEWMAN_SKIP_BROWSER_INSTALL === '1') {
  log('browser set-up skipped (COGNITO_NEWMAN_SKIP_BROWSER_INSTALL=1).');
  process.exit(0);
}

function playwrightChromium() {
  try {
    const require = createRequire(import.meta.url);
    const { chromium } = require('playwright-core');
    const p = chromium.executablePath();
    return p && existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

function systemChromium() {
  const fromEnv = process.env.COGNITO_NEWMAN_BROWSER;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return SYSTEM_CANDIDATES.find((p) => existsSync(p));
}

function found() {
  return playwrightChromium() ?? systemChromium();
}

const already = found();
if (already) {
  log(`browser found: ${already}`);
  process.exit(0);
}

// 1. Playwright's own Chromium. Bounded: on a closed network it fails fast, but never hang npm ci.
log("no browser found; trying Playwright's download (playwright-core install chromium)...");
const pw = spawnSync(process.execPath, [resolvePlaywrightCli(), 'install', 'chromium'], {
  stdio: ['ignore', 'ignore', 'pipe'],
  timeout: 180_000,
  encoding: 'utf8',
});
if (pw.status === 0 && playwrightChromium()) {
  log(`installed Playwright's Chromium: ${playwrightChromium()}`);
  process.exit(0);
}
log("Playwright's download did not succeed (no access to its CDN?).");

// 2. Debian/Ubuntu package, only when we are root and apt exists: never sudo behind a user's back.
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const isDebian = existsSync('/etc/debian_version') || /ID(_LIKE)?=.*(debian|ubuntu)/.test(safeRead('/etc/os-release'));
if (isRoot && isDebian && existsSync('/usr/bin/apt-get')) {
  log("installing Debian's chromium package (apt-get install -y chromium)...");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const upd = spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', timeout: 300_000, env });
  const inst = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'ignore', timeout: 600_000, env });
  if (upd.status === 0 && inst.status === 0 && systemChromium()) {
    log(`installed system Chromium: ${systemChromium()}`);
    process.exit(0);
  }
  log('apt-get could not install chromium.');
}

log(
  'no browser is installed. cognito-newman needs Chromium to sign in through the Hosted UI. ' +
    'Install one with `npx playwright install chromium`, or `sudo apt-get install chromium` on Debian/Ubuntu, ' +
    'or point COGNITO_NEWMAN_BROWSER at a Chrome/Chromium binary.',
);
process.exit(0);

function resolvePlaywrightCli() {
  // cli.js is not in playwright-core's "exports", so locate it beside its package.json.
  const require = createRequire(import.meta.url);
  return require.resolve('playwright-core/package.json').replace(/package\.json$/, 'cli.js');
}

function safeRead(p) {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

#!/usr/bin/env node
// Postinstall: leave the lightest Chromium that Playwright can drive on the machine after `npm ci`.
// A headless shell (Playwright's or the system's) is the goal: ~160 ms of browser CPU per sign-in
// against ~600 ms for a full Chromium in new-headless mode. Order: one already usable -> Playwright's
// download of its shell -> (root on Debian/Ubuntu) apt-get `chromium-headless-shell`, else `chromium`.
// Prints one or two lines; never fails the install (the CLI reports a missing browser later with
// exit 5). Skip with COGNITO_NEWMAN_SKIP_BROWSER_INSTALL=1. As a postinstall it acts only in a
// checkout of this repository: installed as a dependency (any path through node_modules/) it does
// nothing, so a consumer's `npm install` never downloads a browser or runs apt-get behind their back.
// The same script is `cognito-newman install-browser` (argument --explicit): the set-up that does not
// depend on npm running install scripts (npm 11 asks before it runs a dependency's). Explicit, it
// ignores the skip variable and exits 5 when no browser is usable at the end.
// Plain JS on purpose: it runs before `prepare` builds dist/, so the candidate lists below repeat
// src/login/browser.ts (keep them in step).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, isAbsolute, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const log = (msg) => process.stderr.write(`[cognito-newman] ${msg}\n`);
const require = createRequire(import.meta.url);

// Debian's real binary first: /usr/bin/chromium-headless-shell is a wrapper shell script.
const SYSTEM_HEADLESS_SHELLS = ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium-headless-shell'];
const HEADLESS_SHELL_NAMES = ['chromium-headless-shell', 'chrome-headless-shell'];
const SYSTEM_FULL_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
];
const SHELL_ADVICE = '`sudo apt-get install chromium-headless-shell` (Debian/Ubuntu) or `npx playwright install chromium`';

const explicit = process.argv.includes('--explicit');
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!explicit && packageDir.split(sep).includes('node_modules')) process.exit(0);
if (!explicit && process.env.COGNITO_NEWMAN_SKIP_BROWSER_INSTALL === '1') {
  log('browser set-up skipped (COGNITO_NEWMAN_SKIP_BROWSER_INSTALL=1).');
  process.exit(0);
}

const fromEnv = process.env.COGNITO_NEWMAN_BROWSER;
if (fromEnv && isExecutable(fromEnv)) {
  log(`browser: ${fromEnv} (COGNITO_NEWMAN_BROWSER); nothing to install.`);
  process.exit(0);
}

const already = headlessShell();
if (already) {
  log(`browser: ${already} (Chromium headless shell); nothing to install.`);
  process.exit(0);
}

// No shell yet: try to add one, even when a full Chromium is present (it works, but slower).
const fullBefore = fullBrowser();
log(`no Chromium headless shell found${fullBefore ? ` (only the full ${fullBefore})` : ''}; installing one...`);
const tried = [];

// 1. Playwright's own headless shell (`--only-shell`: the full Chromium beside it would never be
//    used headless). Bounded: on a closed network it fails fast, but it must never hang npm ci.
const pw = spawnSync(process.execPath, [playwrightCli(), 'install', '--only-shell', 'chromium'], {
  stdio: ['ignore', 'ignore', 'pipe'],
  timeout: 180_000,
  encoding: 'utf8',
});
if (pw.status === 0 && headlessShell()) done(`installed Playwright's headless shell: ${headlessShell()}`);
tried.push("Playwright's download failed (no access to its CDN?)");

// 2. The distribution's package, only when we are root and apt exists: never sudo behind a user's back.
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const isDebian = existsSync('/etc/debian_version') || /ID(_LIKE)?=.*(debian|ubuntu)/.test(safeRead('/etc/os-release'));
if (isRoot && isDebian && existsSync('/usr/bin/apt-get')) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args, timeout) => spawnSync('apt-get', args, { stdio: 'ignore', timeout, env }).status === 0;
  // An update that fails for one unreachable repository can still leave the package installable,
  // so its status is not checked: the binary on disk afterwards is the verdict.
  apt(['update', '-qq'], 300_000);
  apt(['install', '-y', '-qq', 'chromium-headless-shell'], 600_000);
  if (headlessShell()) done(`installed Debian's chromium-headless-shell: ${headlessShell()}`);
  // Only where the shell's package does not exist (older releases, Ubuntu): a full Chromium beats none.
  if (!fullBrowser()) {
    apt(['install', '-y', '-qq', 'chromium'], 600_000);
    if (fullBrowser()) done(`installed the full chromium package: ${fullBrowser()} (no chromium-headless-shell package); sign-ins will be slower than with a headless shell.`);
    tried.push('apt-get could install neither chromium-headless-shell nor chromium');
  } else {
    tried.push('apt-get could not install chromium-headless-shell');
  }
} else {
  tried.push('apt-get not tried (needs root on Debian/Ubuntu)');
}

const full = fullBrowser();
if (full) {
  done(`keeping the full Chromium ${full}: ${tried.join('; ')}. Sign-ins will use ~3x more browser CPU; add the headless shell with ${SHELL_ADVICE}.`);
}
done(
  `no browser is installed: ${tried.join('; ')}. cognito-newman needs Chromium to sign in through the Hosted UI: ` +
    `install its headless shell with ${SHELL_ADVICE}, or point COGNITO_NEWMAN_BROWSER at a Chrome/Chromium binary.`,
  explicit ? 5 : 0,
);

function done(msg, code = 0) {
  log(msg);
  process.exit(code);
}

function isExecutable(p) {
  if (!p) return false;
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Playwright's headless shell, the executable `chromium.launch({ headless: true })` runs. The public
 * `chromium.executablePath()` names the FULL Chromium instead and no public API names the shell
 * (microsoft/playwright#39327), so its path comes from the registry inside `lib/coreBundle`, an
 * untyped, undocumented subpath of playwright-core's exports map (as src/login/browser.ts does).
 */
function playwrightHeadlessShell() {
  try {
    const p = require('playwright-core/lib/coreBundle').registry?.registry?.findExecutable('chromium-headless-shell')?.executablePath();
    return isExecutable(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

function playwrightChromium() {
  try {
    const p = require('playwright-core').chromium.executablePath();
    return isExecutable(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

function headlessShell() {
  const onPath = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((d) => d && isAbsolute(d))
    .flatMap((d) => HEADLESS_SHELL_NAMES.map((n) => join(d, n)));
  return playwrightHeadlessShell() ?? [...SYSTEM_HEADLESS_SHELLS, ...onPath].find(isExecutable);
}

function fullBrowser() {
  return playwrightChromium() ?? SYSTEM_FULL_BROWSERS.find(isExecutable);
}

function playwrightCli() {
  // cli.js is not in playwright-core's "exports", so locate it beside its package.json.
  return require.resolve('playwright-core/package.json').replace(/package\.json$/, 'cli.js');
}

function safeRead(p) {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

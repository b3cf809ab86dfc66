// resolveBrowser's order with fake executables (mode 0755 files in a temp dir), never the machine's
// real browsers: COGNITO_NEWMAN_BROWSER, Playwright's headless shell, a system headless shell,
// Playwright's full Chromium, a system full browser, else BROWSER_NOT_FOUND (exit 5). Plus doctor's
// verdict on each kind.
import { test, expect } from '@playwright/test';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { defaultCandidates, resolveBrowser, type BrowserCandidates } from '../../src/login/browser.js';
import { CnError, ExitCode } from '../../src/errors.js';
import { checkBrowser } from '../../src/doctor/checks.js';
import { formatResult } from '../../src/doctor/report.js';

let dir: string;
test.beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cn-browser-'));
});
test.afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A file that passes the X_OK check, at `name` inside the temp dir. */
async function fakeExe(name: string, mode = 0o755): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, '#!/bin/sh\nexit 0\n');
  await chmod(p, mode);
  return p;
}
/** Where nothing exists: a candidate that must be skipped. */
const missing = (name: string) => join(dir, 'missing', name);

/** Every list replaced, so the machine's own browsers never leak into a verdict. */
function only(c: Partial<BrowserCandidates>): { candidates: BrowserCandidates } {
  return { candidates: { playwright: {}, headlessShells: [], fullBrowsers: [], ...c } };
}

const NO_ENV: NodeJS.ProcessEnv = {};

test('a system headless shell wins over a system full Chromium listed with it', async () => {
  const full = await fakeExe('chromium');
  const shell = await fakeExe('chromium-headless-shell');
  const r = resolveBrowser(NO_ENV, only({ headlessShells: [shell], fullBrowsers: [full] }));
  expect(r).toEqual({ executablePath: shell, path: shell, source: 'system', kind: 'headless-shell' });
});

test("Playwright's headless shell wins over a system one, and Playwright launches it itself", async () => {
  const own = await fakeExe('chrome-headless-shell');
  const ownFull = await fakeExe('chrome');
  const shell = await fakeExe('chromium-headless-shell');
  const r = resolveBrowser(NO_ENV, only({ playwright: { headlessShell: own, chromium: ownFull }, headlessShells: [shell] }));
  expect(r).toEqual({ executablePath: undefined, path: own, source: 'playwright', kind: 'headless-shell' });
});

test("Playwright's full Chromium without its shell: a system headless shell is lighter and wins", async () => {
  const ownFull = await fakeExe('chrome');
  const shell = await fakeExe('chromium-headless-shell');
  const r = resolveBrowser(NO_ENV, only({ playwright: { headlessShell: missing('chrome-headless-shell'), chromium: ownFull }, headlessShells: [shell] }));
  expect(r).toMatchObject({ executablePath: shell, source: 'system', kind: 'headless-shell' });
});

test("Playwright's full Chromium alone is passed explicitly (a bare headless launch would look for the missing shell)", async () => {
  const ownFull = await fakeExe('chrome');
  const sysFull = await fakeExe('chromium');
  const r = resolveBrowser(NO_ENV, only({ playwright: { headlessShell: missing('chrome-headless-shell'), chromium: ownFull }, fullBrowsers: [sysFull] }));
  expect(r).toEqual({ executablePath: ownFull, path: ownFull, source: 'playwright', kind: 'full' });
});

test('candidates are taken in order and a file without the execute bit is skipped', async () => {
  const notExec = await fakeExe('first-headless-shell', 0o644);
  const second = await fakeExe('second-headless-shell');
  const third = await fakeExe('third-headless-shell');
  const r = resolveBrowser(NO_ENV, only({ headlessShells: [missing('a-headless-shell'), notExec, second, third] }));
  expect(r.executablePath).toBe(second);
});

test('only a full Chromium: it is used, as kind "full"', async () => {
  const full = await fakeExe('chromium');
  const r = resolveBrowser(NO_ENV, only({ headlessShells: [missing('chromium-headless-shell')], fullBrowsers: [missing('chrome'), full] }));
  expect(r).toEqual({ executablePath: full, path: full, source: 'system', kind: 'full' });
});

test('headless: false skips every headless shell, Playwright\'s and the system\'s', async () => {
  const own = await fakeExe('chrome-headless-shell');
  const shell = await fakeExe('chromium-headless-shell');
  const full = await fakeExe('chromium');
  const r = resolveBrowser(NO_ENV, { headless: false, ...only({ playwright: { headlessShell: own }, headlessShells: [shell], fullBrowsers: [full] }) });
  expect(r).toMatchObject({ executablePath: full, kind: 'full' });
});

test('COGNITO_NEWMAN_BROWSER wins over every candidate, and its kind follows its name', async () => {
  const own = await fakeExe('chrome-headless-shell');
  const shell = await fakeExe('chromium-headless-shell');
  const chosen = await fakeExe('my-chrome');
  const all = only({ playwright: { headlessShell: own }, headlessShells: [shell] });
  expect(resolveBrowser({ COGNITO_NEWMAN_BROWSER: chosen }, all)).toEqual({ executablePath: chosen, path: chosen, source: 'env', kind: 'full' });
  expect(resolveBrowser({ COGNITO_NEWMAN_BROWSER: shell }, only({}))).toMatchObject({ executablePath: shell, source: 'env', kind: 'headless-shell' });
});

test('COGNITO_NEWMAN_BROWSER that is not executable: exit 5, even when other browsers exist', async () => {
  const shell = await fakeExe('chromium-headless-shell');
  const err = (() => {
    try {
      resolveBrowser({ COGNITO_NEWMAN_BROWSER: missing('chrome') }, only({ headlessShells: [shell] }));
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  expect(err).toBeInstanceOf(CnError);
  expect(err).toMatchObject({ code: 'BROWSER_NOT_FOUND', exitCode: ExitCode.LocalEnvironment });
  expect((err as CnError).message).toContain('COGNITO_NEWMAN_BROWSER');
});

test('nothing found: BROWSER_NOT_FOUND, exit 5, and the hint names both ways to get a headless shell', () => {
  let err: unknown;
  try {
    resolveBrowser(NO_ENV, only({ playwright: { headlessShell: missing('s'), chromium: missing('c') }, headlessShells: [missing('h')], fullBrowsers: [missing('f')] }));
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(CnError);
  const e = err as CnError;
  expect(e).toMatchObject({ code: 'BROWSER_NOT_FOUND', exitCode: ExitCode.LocalEnvironment });
  expect(e.hint).toContain('apt-get install chromium-headless-shell');
  expect(e.hint).toContain('npx playwright install chromium');
  // The way that needs no install script and no root (issue 14): our own command, named first.
  expect(e.hint).toMatch(/^Run `npx cognito-newman install-browser`/);
});

test("the default list: Debian's real binary first, its wrapper next, then headless shells on PATH (absolute entries only)", () => {
  const shells = defaultCandidates({ PATH: ['relative/bin', dir].join(delimiter) }).headlessShells;
  expect(shells.slice(0, 2)).toEqual(['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium-headless-shell']);
  expect(shells).toContain(join(dir, 'chromium-headless-shell'));
  expect(shells).toContain(join(dir, 'chrome-headless-shell'));
  expect(shells.some((p) => p.startsWith('relative'))).toBe(false);
});

test.describe('doctor', () => {
  test('no browser at all: ✗ exit 5 whose fix names `npx cognito-newman install-browser`', () => {
    const r = checkBrowser(() => resolveBrowser(NO_ENV, only({ playwright: {}, headlessShells: [missing('h')], fullBrowsers: [missing('f')] })));
    expect(r).toMatchObject({ status: 'fail', exitCode: ExitCode.LocalEnvironment });
    expect(formatResult(r).join('\n')).toContain('fix: Run `npx cognito-newman install-browser`');
  });

  test('a headless shell passes with its path and kind, no warning', async () => {
    const shell = await fakeExe('chromium-headless-shell');
    const r = checkBrowser(() => resolveBrowser(NO_ENV, only({ headlessShells: [shell] })));
    expect(r).toMatchObject({ status: 'pass', detail: `${shell} (headless shell, system browser)` });
    expect(r.warning).toBeUndefined();
    expect(formatResult(r)).toEqual([`✓ browser found: ${shell} (headless shell, system browser)`]);
  });

  test('only a full Chromium passes (exit code untouched) with a warning and the install fix', async () => {
    const full = await fakeExe('chromium');
    const r = checkBrowser(() => resolveBrowser(NO_ENV, only({ fullBrowsers: [full] })));
    expect(r.status).toBe('pass');
    expect(r.exitCode).toBeUndefined();
    const lines = formatResult(r);
    expect(lines[0]).toBe(`✓ browser found: ${full} (full Chromium, system browser)`);
    expect(lines[1]).toMatch(/^ {4}warning: only a full Chromium was found/);
    expect(lines[2]).toContain('fix: Install the headless shell: `npx cognito-newman install-browser`, or `sudo apt-get install chromium-headless-shell`');
    expect(lines[2]).toContain('npx playwright install chromium');
  });
});

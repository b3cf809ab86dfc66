// End-to-end: page recognition in real Chromium on hand-written pages shaped like real ones, where
// the emulator is not the point: only visible elements count, empty error slots are not errors,
// and a page that is still rendering is waited for, not misread.
import { test, expect } from './_login-fixtures.js';
import { currentPageState, POLLS_PROP, probesFor, waitForPageState } from '../../src/login/pages.js';
import { profileFor } from '../../src/login/driver.js';

const probes = probesFor(profileFor({ loginUi: 'auto' }), true);
const BOOTSTRAP = `<style>.visible-xs,.visible-sm,.visible-md,.visible-lg{display:none!important}
@media (max-width:991px){.visible-xs,.visible-sm{display:block!important}}
@media (min-width:992px){.visible-md,.visible-lg{display:block!important}}</style>`;
const copy = (cls: string, error: string) => `<div class="modal-content ${cls}">
  ${error ? `<p id="loginErrorMessage" class="errorMessage-customizable">${error}</p>` : '<p id="loginErrorMessage" class="errorMessage-customizable"></p>'}
  <form name="cognitoSignInForm" class="cognito-asf" method="post" action="/login">
  <input id="signInFormUsername" name="username" type="text"><input id="signInFormPassword" name="password" type="password">
  <input name="signInSubmitButton" type="Submit" value="Sign in"></form></div>`;

test('only the visible copy counts: an error in the hidden copy is no error, and the viewport picks the copy', async ({ loginBrowser }) => {
  const page = await loginBrowser.newPage({ viewport: { width: 1280, height: 720 } });
  try {
    await page.setContent(`${BOOTSTRAP}${copy('visible-xs visible-sm', 'Mobile only error')}${copy('visible-md visible-lg', '')}`);
    expect(await currentPageState(page, probes, 'auto')).toMatchObject({ kind: 'login', variant: 'classic', errorText: undefined });
    await page.setViewportSize({ width: 600, height: 800 });
    expect(await currentPageState(page, probes, 'auto')).toMatchObject({ kind: 'login', errorText: 'Mobile only error' });
  } finally {
    await page.close();
  }
});

test('a page rendered late by script is waited for, then recognised', async ({ loginBrowser }) => {
  const page = await loginBrowser.newPage();
  try {
    // Like an SPA: an empty shell first, the form when "data" arrives (a click stands in for it).
    await page.setContent(`<div id="app">Loading…</div><script>
      document.addEventListener('click', () => { document.getElementById('app').innerHTML =
        '<form><input name="username"><input name="password" type="password"><button type="submit">Sign in</button></form>'; });</script>`);
    const pending = waitForPageState(page, { probes, mode: 'auto', after: undefined, step: 1, unknownGraceMs: 60_000, timeoutMs: 10_000 });
    expect(await currentPageState(page, probes, 'auto')).toMatchObject({ kind: 'unknown' });
    await page.mouse.click(5, 5);
    expect(await pending).toMatchObject({ kind: 'login', variant: 'managed' });
  } finally {
    await page.close();
  }
});

test('the wait does not return the page it already acted on until something changes', async ({ loginBrowser }) => {
  const page = await loginBrowser.newPage();
  try {
    await page.setContent(`<form><input name="username"><button type="submit" onclick="event.preventDefault()">Next</button></form>
      <div id="err"></div><script>document.addEventListener('keydown', () => {
        document.getElementById('err').outerHTML = '<div role="alert">Incorrect username or password.</div>'; });</script>`);
    const first = await waitForPageState(page, { probes, mode: 'auto', after: undefined, step: 1, unknownGraceMs: 1_000, timeoutMs: 5_000 });
    expect(first.kind).toBe('username');
    const second = waitForPageState(page, { probes, mode: 'auto', after: { step: 1, kind: 'username' }, step: 2, unknownGraceMs: 1_000, timeoutMs: 5_000 });
    let pressed = false;
    let returnedEarly = false;
    void second.then(() => (returnedEarly = !pressed));
    // Same document, same page, no error: let the wait look at the page a few times, it must not return.
    const polls = (await page.evaluate((p) => (window as unknown as Record<string, number>)[p] ?? 0, POLLS_PROP)) as number;
    await page.waitForFunction(([p, n]) => ((window as unknown as Record<string, number>)[p as string] ?? 0) >= (n as number), [POLLS_PROP, polls + 3] as const, { timeout: 5_000 });
    expect(returnedEarly).toBe(false);
    pressed = true;
    await page.keyboard.press('a');
    expect(await second).toMatchObject({ kind: 'username', errorText: 'Incorrect username or password.' });
  } finally {
    await page.close();
  }
});

test('the wait follows the page into a new document: a navigation mid-wait is not an error', async ({ loginBrowser }) => {
  const page = await loginBrowser.newPage();
  try {
    await page.setContent('<p>Redirecting…</p>');
    const pending = waitForPageState(page, { probes, mode: 'auto', after: undefined, step: 1, unknownGraceMs: 60_000, timeoutMs: 10_000 });
    // Let the wait look at the first document before it is replaced.
    await page.waitForFunction((p) => ((window as unknown as Record<string, number>)[p] ?? 0) >= 2, POLLS_PROP, { timeout: 5_000 });
    await page.goto(`data:text/html,${encodeURIComponent('<form><input name="username"><input name="password" type="password"><button type="submit">Sign in</button></form>')}`);
    expect(await pending).toMatchObject({ kind: 'login' });
  } finally {
    await page.close();
  }
});

test('a page that never becomes recognisable ends the wait with a TimeoutError within its bound', async ({ loginBrowser }) => {
  const page = await loginBrowser.newPage();
  try {
    await page.setContent('<p>Nothing to sign in to</p>');
    const started = Date.now();
    const err = await waitForPageState(page, { probes, mode: 'auto', after: undefined, step: 1, unknownGraceMs: 60_000, timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('TimeoutError');
    // Bounded: the wait gave up on its own (generous margin for a loaded machine; the point is "not hanging").
    expect(Date.now() - started).toBeLessThan(5_000);
  } finally {
    await page.close();
  }
});

test('a page whose DOM builtins throw fails the wait at once with that error, not with a timeout', async ({ loginBrowser }) => {
  const page = await loginBrowser.newPage();
  try {
    await page.setContent(`<p>page</p><script>Object.defineProperty(HTMLElement.prototype, 'innerText', { get() { throw new Error('broken by the page'); } });</script>`);
    const err = await waitForPageState(page, { probes, mode: 'auto', after: undefined, step: 1, unknownGraceMs: 60_000, timeoutMs: 30_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).not.toBe('TimeoutError');
    expect((err as Error).message).toContain('broken by the page');
  } finally {
    await page.close();
  }
});

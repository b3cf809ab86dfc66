// End-to-end: the driver's direct form actions in real Chromium. They type and click through one
// in-page lookup when the element is actionable, and hand over to Playwright's waiting locators
// when it is not (hidden, covered): the result is the same either way, only the path differs.
import { test, expect } from './_login-fixtures.js';
import { clickButton, fillField, MISSES_PROP } from '../../src/login/actions.js';

/** Resolves once the direct path has missed `n` times in this page (so the test acts after the miss). */
const missed = (page: import('playwright-core').Page, n: number) =>
  page.waitForFunction(([p, k]) => ((window as unknown as Record<string, number>)[p as string] ?? 0) >= (k as number), [MISSES_PROP, n] as const, { timeout: 5_000 });

test('typing replaces what a visible field holds, through the direct path', async ({ loginBrowser }) => {
  const page = await loginBrowser.newPage();
  try {
    await page.setContent(`<input name="hidden-copy" style="display:none"><input name="username" value="someone-else">`);
    expect(await fillField(page, 'input[name="username"]', 'admin', 5_000)).toBe('direct');
    expect(await page.inputValue('input[name="username"]')).toBe('admin');
  } finally {
    await page.close();
  }
});

test('the visible copy of a duplicated form is the one typed into (classic Hosted UI)', async ({ loginBrowser }) => {
  const page = await loginBrowser.newPage();
  try {
    await page.setContent(`<div style="display:none"><input name="username" id="a"></div><div><input name="username" id="b"></div>`);
    expect(await fillField(page, 'input[name="username"]', 'admin', 5_000)).toBe('direct');
    expect(await page.inputValue('#a')).toBe('');
    expect(await page.inputValue('#b')).toBe('admin');
  } finally {
    await page.close();
  }
});

test('a field that is not visible yet is filled by the waiting locator once it shows', async ({ loginBrowser }) => {
  const page = await loginBrowser.newPage();
  try {
    await page.setContent(`<input name="username" id="u" style="display:none">`);
    const filling = fillField(page, 'input[name="username"]', 'admin', 5_000);
    await missed(page, 1);
    await page.evaluate(() => ((document.getElementById('u') as HTMLElement).style.display = 'inline-block'));
    expect(await filling).toBe('locator');
    expect(await page.inputValue('#u')).toBe('admin');
  } finally {
    await page.close();
  }
});

test('a read-only field is not typed into directly', async ({ loginBrowser }) => {
  const page = await loginBrowser.newPage();
  try {
    await page.setContent(`<input name="username" id="u" value="shown" readonly>`);
    const filling = fillField(page, 'input[name="username"]', 'admin', 5_000);
    await missed(page, 1);
    await page.evaluate(() => (document.getElementById('u') as HTMLInputElement).removeAttribute('readonly'));
    expect(await filling).toBe('locator');
    expect(await page.inputValue('#u')).toBe('admin');
  } finally {
    await page.close();
  }
});

test("the submit button of the field's own form is clicked, not another form's", async ({ loginBrowser }) => {
  const page = await loginBrowser.newPage();
  try {
    await page.setContent(`<script>window.clicked = [];</script>
      <form onsubmit="event.preventDefault()"><input name="other"><button type="submit" onclick="clicked.push('first')">Go</button></form>
      <form onsubmit="event.preventDefault()"><input name="password" type="password"><button type="submit" onclick="clicked.push('second')">Sign in</button></form>`);
    expect(await clickButton(page, 'button[type="submit"]', 'input[name="password"]', 5_000)).toBe('direct');
    expect(await page.evaluate(() => (window as unknown as { clicked: string[] }).clicked)).toEqual(['second']);
  } finally {
    await page.close();
  }
});

test('a button below the fold is scrolled to and clicked with a real (trusted) click', async ({ loginBrowser }) => {
  const page = await loginBrowser.newPage({ viewport: { width: 800, height: 600 } });
  try {
    await page.setContent(`<div style="height:3000px"></div><button id="b" onclick="window.trusted = event.isTrusted">Sign in</button>`);
    expect(await clickButton(page, '#b', null, 5_000)).toBe('direct');
    expect(await page.evaluate(() => (window as unknown as { trusted?: boolean }).trusted)).toBe(true);
  } finally {
    await page.close();
  }
});

test('a covered button is not clicked through the overlay: the waiting locator clicks it once uncovered', async ({ loginBrowser }) => {
  const page = await loginBrowser.newPage();
  try {
    await page.setContent(`<button id="b" onclick="window.hits = (window.hits || 0) + 1">Sign in</button>
      <div id="overlay" onclick="window.overlayHits = 1" style="position:fixed;inset:0;background:rgba(0,0,0,.3)"></div>`);
    const clicking = clickButton(page, '#b', null, 5_000);
    await missed(page, 1);
    await page.evaluate(() => document.getElementById('overlay')?.remove());
    expect(await clicking).toBe('locator');
    const w = await page.evaluate(() => ({ hits: (window as unknown as { hits?: number }).hits, overlayHits: (window as unknown as { overlayHits?: number }).overlayHits }));
    expect(w).toEqual({ hits: 1, overlayHits: undefined });
  } finally {
    await page.close();
  }
});

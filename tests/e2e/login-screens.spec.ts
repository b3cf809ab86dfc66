// Real Chromium on hand-written pages whose markup is not the emulator's: the driver finds what to
// act on by what a person sees (the code field by its label or shape, a choice by its text, the
// personal form whatever the DOM order), and reads errors without a known selector.
import { test, expect } from './_login-fixtures.js';
import { currentPageState, errorMeaning, probesFor } from '../../src/login/pages.js';
import { profileFor } from '../../src/login/driver.js';
import { fillField } from '../../src/login/actions.js';
import { FILLED_ATTR } from '../../src/login/interactive.js';
import { CHOICES, findChoice, findCodeField } from '../../src/login/screens.js';

const probes = probesFor(profileFor({ loginUi: 'auto' }), true);

test('the code field is found by its label alone, among other fields; the page is a TOTP step', async ({ loginBrowser }) => {
  const page = await loginBrowser.newPage();
  try {
    await page.setContent(`<h1>Two-step verification</h1><form>
      <label for="d">Device name</label><input id="d" type="text">
      <label for="c">Enter your one-time code</label><input id="c" type="text">
      <label><input type="checkbox"> Remember this device</label>
      <input type="hidden" name="csrf" value="x"><button type="submit">Verify</button></form>`);
    expect((await currentPageState(page, probes, 'auto'))?.kind).toBe('totp');
    const selector = await findCodeField(page);
    expect(selector).toBe(`[${FILLED_ATTR}="otp"]`);
    expect(await page.locator(selector!).getAttribute('id')).toBe('c');
  } finally {
    await page.close();
  }
});

test('the only visible field, numeric and six long, is a code step even with wording the driver never saw', async ({ loginBrowser }) => {
  const page = await loginBrowser.newPage();
  try {
    await page.setContent(`<h1>Prove it</h1><form><label for="x">Digits</label><input id="x" inputmode="numeric" maxlength="6"><button type="submit">Go</button></form>`);
    expect((await currentPageState(page, probes, 'auto'))?.kind).toBe('totp');
    expect(await page.locator((await findCodeField(page))!).getAttribute('id')).toBe('x');
  } finally {
    await page.close();
  }
});

test('choice screens are told apart by their options, and the option is picked by its text', async ({ loginBrowser }) => {
  const page = await loginBrowser.newPage();
  try {
    await page.setContent(`<h2>Sign-in options</h2><div role="radiogroup">
      <label><input type="radio" name="f" value="p"> Use your password</label>
      <label><input type="radio" name="f" value="k"> Use a security key</label></div><button type="submit">Next</button>`);
    expect((await currentPageState(page, probes, 'auto'))?.kind).toBe('factor-choice');
    expect(await findChoice(page, CHOICES.password, 'choice')).toMatchObject({ radioLike: true });
    expect(await page.locator(`[${FILLED_ATTR}="choice"]`).innerText()).toContain('Use your password');

    await page.setContent(`<h2>Where should we send your code?</h2><button>Text message (SMS)</button><button>Authenticator application</button>`);
    expect((await currentPageState(page, probes, 'auto'))?.kind).toBe('mfa-choice');

    await page.setContent(`<h2>Go passwordless</h2><p>Create a passkey for this device.</p><button>Create passkey</button><a href="#">Maybe later</a>`);
    expect((await currentPageState(page, probes, 'auto'))?.kind).toBe('passkey-offer');
    expect(await findChoice(page, CHOICES.declinePasskey, 'choice')).toMatchObject({ radioLike: false });
    expect(await page.locator(`[${FILLED_ATTR}="choice"]`).innerText()).toBe('Maybe later');
  } finally {
    await page.close();
  }
});

test('the username goes into the personal form even when an enterprise form comes first with the same field type', async ({ loginBrowser }) => {
  const page = await loginBrowser.newPage();
  try {
    await page.setContent(`<form id="sso"><h3>Company sign-in</h3><label for="w">Email</label><input id="w" type="email"><button type="submit">Continue</button></form>
      <form id="me"><label for="u">Email</label><input id="u" type="email" name="username"><button type="submit">Next</button></form>`);
    await fillField(page, probes.usernameEditable!, 'someone@example.com', 5_000, { personal: true, tag: 'username' });
    expect(await page.locator('#u').inputValue()).toBe('someone@example.com');
    expect(await page.locator('#w').inputValue()).toBe('');
  } finally {
    await page.close();
  }
});

test('errors without a known selector: an invalid field\'s description, or a line shaped like Cognito\'s', async ({ loginBrowser }) => {
  const page = await loginBrowser.newPage();
  try {
    await page.setContent(`<form><label for="p">Password</label><input id="p" name="password" type="password" aria-invalid="true" aria-describedby="p-err">
      <div id="p-err"><span>Your password is not right.</span></div><button type="submit">Sign in</button></form>`);
    expect(await currentPageState(page, probes, 'auto')).toMatchObject({ errorText: 'Your password is not right.' });
    await page.setContent(`<form><input name="username"><input name="password" type="password"><div class="x">Invalid input: Incorrect username or password.</div><button type="submit">Sign in</button></form>`);
    expect(await currentPageState(page, probes, 'auto')).toMatchObject({ kind: 'login', errorText: 'Invalid input: Incorrect username or password.' });
  } finally {
    await page.close();
  }
  expect(errorMeaning('Missing password.', false)).toBe('missing-value');
  expect(errorMeaning('Missing email address.', false)).toBe('missing-value');
  expect(errorMeaning('Invalid input: Incorrect username or password.', false)).toBe('rejected');
  expect(errorMeaning('Invalid input: Password attempts exceeded', false)).toBe('locked-out');
});

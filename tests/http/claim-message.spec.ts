// The claim message reads as a sentence (issue 11): an ID token that has already expired when the
// code is exchanged used to say `exp: expected unexpected JWT "exp" ... claim value`. The emulator
// issues it (its clock two hours behind), the real token client rejects it.
import { test, expect } from '../fixtures/emulator.js';
import { loadConfig } from '../../src/config/load.js';
import { createLoginAttempt, validateCallback } from '../../src/oauth/authorize.js';
import { exchangeCode } from '../../src/oauth/token-client.js';
import { signIn } from '../fixtures/emulator-http.js';
import { CnError } from '../../src/errors.js';

test('an already expired ID token: "has already expired (ID token, exp: expected a time after ..., got ...)"', async ({ emulator }) => {
  const config = await loadConfig({ envFile: false, env: { COGNITO_DOMAIN: emulator.baseUrl, COGNITO_CLIENT_ID: 'demo-public-client', TEST_USER_USERNAME: 'admin', TEST_USER_PASSWORD: 'x-x-x-x' } });
  const attempt = createLoginAttempt(config.idp);
  emulator.clock.advance(-2 * 3600_000);
  const { location } = await signIn(emulator.baseUrl, 'admin', 'Admin-Passw0rd!', new URL(attempt.url).search.slice(1));
  const callback = validateCallback(location, attempt);
  if (callback.kind !== 'code') throw new Error('expected a code');
  const err = await exchangeCode(config.idp, callback, attempt).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(CnError);
  const e = err as CnError;
  expect(e.code).toBe('TOKEN_INVALID');
  expect(e.message).toMatch(/^The ID token from the token endpoint has already expired\. \(ID token, exp: expected a time after \d{4}-\d\d-\d\dT[\d:.]+Z, got \d{4}-/);
  expect(e.message).not.toContain('expected unexpected');
});

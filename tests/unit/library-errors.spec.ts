// The library's error boundary (src/library.ts): what a caller of getTokens/runCollection catches
// is a CnError with the CLI's code, exit code and hint, and no registered secret anywhere in it.
import { test, expect } from '@playwright/test';
import { inspect } from 'node:util';
import { CnError, ExitCode, loginRejected } from '../../src/errors.js';
import { clearSecrets, registerSecret, REDACTED } from '../../src/log.js';
import { asLibraryCall, toLibraryError } from '../../src/library.js';

const SECRET = 'Sup3r-Secret-Passw0rd-991';
test.beforeEach(() => registerSecret(SECRET));
test.afterEach(() => clearSecrets());

const everything = (e: CnError) => `${e.message} ${e.hint} ${JSON.stringify(e.details)} ${e.stack} ${inspect(e, { depth: 5 })}`;

test('a CnError keeps its code, exit code and hint; a secret in message, hint, details or cause is masked', async () => {
  const inner = new Error(`upstream said: password=${SECRET}`);
  const err = loginRejected('LOGIN_REJECTED', `Cognito refused ${SECRET}.`, { hint: `Check ${SECRET}.`, details: { sent: SECRET, status: 400 }, cause: inner });
  const out = await asLibraryCall(() => Promise.reject(err)).catch((e: unknown) => e as CnError);
  expect(out).toBeInstanceOf(CnError);
  expect(out).toMatchObject({ code: 'LOGIN_REJECTED', exitCode: ExitCode.LoginRejected, message: `Cognito refused ${REDACTED}.`, hint: `Check ${REDACTED}.` });
  expect(out.details).toEqual({ sent: REDACTED, status: 400 });
  expect(String(out.cause)).toContain(`password=${REDACTED}`);
  expect(everything(out)).not.toContain(SECRET);
});

test('any other error becomes UNEXPECTED with exit code 4, masked', () => {
  const out = toLibraryError(new TypeError(`cannot read ${SECRET}`));
  expect(out).toMatchObject({ code: 'UNEXPECTED', exitCode: ExitCode.IdpFailure });
  expect(out.hint).toContain('bug');
  expect(everything(out)).not.toContain(SECRET);
});

test('a result passes through untouched', async () => {
  expect(await asLibraryCall(async () => 42)).toBe(42);
});

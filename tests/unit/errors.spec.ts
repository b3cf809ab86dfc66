// Unit tests of error presentation and secret redaction.
import { test, expect } from '@playwright/test';
import { CnError, ExitCode, formatError } from '../../src/errors.js';
import { registerSecret, redact, clearSecrets, REDACTED } from '../../src/log.js';

test('formatError gives one paragraph with code, message and hint, no stack', () => {
  const e = new CnError('LOGIN_REJECTED', ExitCode.LoginRejected, 'Cognito refused the sign-in.', { hint: 'Check the password.' });
  const out = formatError(e);
  expect(out).toBe('error [LOGIN_REJECTED]: Cognito refused the sign-in. Check the password.');
  expect(out).not.toContain('\n');
});

test('formatError shows the stack only with debug', () => {
  const e = new CnError('X', ExitCode.Usage, 'Bad.', { cause: new Error('inner') });
  expect(formatError(e, true)).toContain('cause: Error: inner');
  expect(formatError(new Error('boom'))).not.toContain('at ');
});

test('redact hides registered secrets, also URL-encoded', () => {
  clearSecrets();
  registerSecret('p@ss word+1');
  const text = 'pw=p@ss word+1 enc=' + encodeURIComponent('p@ss word+1');
  expect(redact(text)).toBe(`pw=${REDACTED} enc=${REDACTED}`);
  clearSecrets();
});

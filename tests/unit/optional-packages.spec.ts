// The runner's door to its optional packages (src/optional-packages.ts): the emulator's own errors
// read as the CLI's, and only the optional package itself being absent becomes the exit-5 advice.
// (The real absent-package path runs in tests/package/package.spec.ts, where none is installed.)
import { test, expect } from '@playwright/test';
import { CnError, ExitCode, formatError } from '../../src/errors.js';
import { fromEmulatorError, isInstalled, loadOptionalPackage } from '../../src/optional-packages.js';
import { localFailure, usageError } from '../../packages/emulator/errors.js';
import { parsePoolConfig } from '../../packages/emulator/src/index.js';

test("an emulator configuration error becomes a CnError with the emulator's code, exit code and hint", () => {
  let thrown: unknown;
  try {
    parsePoolConfig({ UserPoolId: 'not a pool id' }, 'config');
  } catch (err) {
    thrown = err;
  }
  const e = fromEmulatorError(thrown);
  expect(e).toBeInstanceOf(CnError);
  expect(e).toMatchObject({ exitCode: ExitCode.Usage, code: (thrown as { code: string }).code });
  expect(formatError(e)).toMatch(/^error \[EMULATOR_[A-Z_]+\]: /);
});

test('a local-environment error of the emulator keeps exit 5 and its hint', () => {
  const e = fromEmulatorError(localFailure('MANAGED_LOGIN_NOT_BUILT', 'not built.', { hint: 'Run npm run build.' })) as CnError;
  expect(e).toMatchObject({ code: 'MANAGED_LOGIN_NOT_BUILT', exitCode: ExitCode.LocalEnvironment, hint: 'Run npm run build.' });
  expect(fromEmulatorError(usageError('X', 'y.'))).toMatchObject({ exitCode: ExitCode.Usage });
});

test('any other error passes through unchanged', () => {
  const plain = new Error('boom');
  const ours = new CnError('C', ExitCode.IdpFailure, 'm');
  expect(fromEmulatorError(plain)).toBe(plain);
  expect(fromEmulatorError(ours)).toBe(ours);
});

test("a missing dependency that is not the optional package itself is not reported as that package's absence", async () => {
  const missing = 'cognito-newman-emulator-no-such-package';
  const err = await loadOptionalPackage('cognito-newman-emulator', () => import(missing)).catch((e: unknown) => e);
  expect(err).not.toBeInstanceOf(CnError);
  expect((err as { code?: string }).code).toBe('ERR_MODULE_NOT_FOUND');
});

test('installed packages are found from the runner (in this repository every optional package is)', () => {
  for (const p of ['cognito-newman-emulator', '@aws-sdk/client-secrets-manager', 'newman-reporter-htmlextra'] as const) expect(isInstalled(p), p).toBe(true);
});

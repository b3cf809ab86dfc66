// The runner's one door to cognito-newman-emulator, an optional peer: `emulator` and `demo` load it
// on demand, so installing cognito-newman to run collections brings none of the emulator's weight
// (oidc-provider, the SAML libraries, the Managed Login bundles). Missing, it is an exit-5 paragraph
// naming the one command that adds it; its errors become ours here, so they read like every command's.
import { CnError, isCnError, localFailure } from './errors.js';

/** The package name, as a user installs it. */
export const EMULATOR_PACKAGE = 'cognito-newman-emulator';

/** `load` is a literal `import('cognito-newman-emulator…')`, so the caller keeps its types. */
export async function loadEmulatorPackage<T>(load: () => Promise<T>, command: string): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (!isPackageMissing(err)) throw err;
    throw localFailure('EMULATOR_NOT_INSTALLED', `\`cognito-newman ${command}\` needs the Cognito emulator, which lives in its own package, ${EMULATOR_PACKAGE}, and that package is not installed.`, {
      hint: `Add it beside cognito-newman with \`npm i -D ${EMULATOR_PACKAGE}\` (same version as cognito-newman), then run the command again. Running collections against a real user pool needs only cognito-newman.`,
      cause: err,
    });
  }
}

/** Node's answer when the package itself (not one of its own dependencies) cannot be found. */
function isPackageMissing(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e?.code === 'ERR_MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`'${EMULATOR_PACKAGE}'`);
}

/**
 * The emulator package's EmulatorError (code, exit code 2 or 5, hint) as our CnError. Recognised by
 * shape, not class: the runner never loads the emulator package just to ask.
 */
export function fromEmulatorError(err: unknown): unknown {
  if (isCnError(err) || !(err instanceof Error) || err.name !== 'EmulatorError') return err;
  const e = err as Error & { code?: unknown; exitCode?: unknown; hint?: unknown; details?: unknown };
  if (typeof e.code !== 'string' || (e.exitCode !== 2 && e.exitCode !== 5)) return err;
  return new CnError(e.code, e.exitCode, e.message, {
    ...(typeof e.hint === 'string' ? { hint: e.hint } : {}),
    ...(e.details && typeof e.details === 'object' ? { details: e.details as Record<string, string | number | boolean | undefined> } : {}),
    ...(e.cause !== undefined ? { cause: e.cause } : {}),
  });
}

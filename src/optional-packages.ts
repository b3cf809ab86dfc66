// The packages cognito-newman uses only for one feature, optional peers loaded on demand: installing
// cognito-newman to run collections brings none of their weight (the emulator's oidc-provider, SAML
// libraries and Managed Login bundles; the AWS SDK; htmlextra's template engine and moment). A
// feature whose package is missing fails with one exit-5 paragraph naming the command that adds it.
import { createRequire } from 'node:module';
import { CnError, isCnError, localFailure } from './errors.js';

/** Package -> what needs it, for the message. */
export const OPTIONAL_PACKAGES = {
  'cognito-newman-emulator': 'the Cognito emulator (`cognito-newman emulator` and `cognito-newman demo`)',
  '@aws-sdk/client-secrets-manager': 'reading test users and settings from AWS Secrets Manager (*_SECRET_ID)',
  'newman-reporter-htmlextra': 'the htmlextra reporter (`-r htmlextra`; the built-in `html` report needs nothing)',
  '@aws-sdk/client-s3': 'reading one-time codes from S3 (a code source `s3://...`, as SES receiving stores mail)',
  imapflow: 'reading one-time codes from a mailbox over IMAP (a code source `imap://` or `imaps://`)',
} as const;
export type OptionalPackage = keyof typeof OPTIONAL_PACKAGES;

/** What to run: `npm i -D <name>`. */
export const installAdvice = (name: OptionalPackage) => `npm i -D ${name}`;

/** The exit-5 error for a feature whose package is not installed. */
export function missingPackage(name: OptionalPackage, cause?: unknown): CnError {
  return localFailure('PACKAGE_NOT_INSTALLED', `${capitalise(OPTIONAL_PACKAGES[name])} needs the package ${name}, which is not installed.`, {
    hint: `Add it beside cognito-newman with \`${installAdvice(name)}\` and run again; running collections needs only cognito-newman.`,
    details: { package: name },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** `load` is a literal `import('…')`, so the caller keeps its types; a missing `name` becomes missingPackage. */
export async function loadOptionalPackage<T>(name: OptionalPackage, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (isPackageMissing(err, name)) throw missingPackage(name, err);
    throw err;
  }
}

/** Whether `name` resolves from here (for packages another library loads by name, as Newman loads reporters). */
export function isInstalled(name: OptionalPackage): boolean {
  try {
    createRequire(import.meta.url).resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/** Node's answer when the package itself (not one of its own dependencies) cannot be found. */
function isPackageMissing(err: unknown, name: string): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e?.code === 'ERR_MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`'${name}'`);
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

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

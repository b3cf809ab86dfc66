// The one error type of cognito-newman: a stable string code, the exit code of the contract, and
// a hint that tells the user what to do. Third-party errors become these at module edges.

/** Exit codes of the product contract (DESIGN.md, "Exit codes"). */
export const ExitCode = {
  Ok: 0,
  AssertionsFailed: 1,
  Usage: 2,
  LoginRejected: 3,
  IdpFailure: 4,
  LocalEnvironment: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface CnErrorOptions {
  /** What to do about it: one or two sentences of advice. */
  hint?: string;
  /** Protocol fields (`error`, `error_description`, `status`) or expected/actual values. Never secrets. */
  details?: Record<string, string | number | boolean | undefined>;
  /** The underlying error, shown only with --debug. */
  cause?: unknown;
}

/**
 * An error the CLI knows how to present. `message` says what failed and the likely cause; `hint`
 * says what to do. Neither may contain a secret: callers pass values through `redact` if unsure.
 */
export class CnError extends Error {
  override readonly name = 'CnError';
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  readonly details: Record<string, string | number | boolean | undefined>;

  constructor(code: string, exitCode: ExitCode, message: string, options: CnErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }
}

export const isCnError = (e: unknown): e is CnError => e instanceof CnError;

/** Shorthands so call sites read as the contract does. */
export const usageError = (code: string, message: string, options?: CnErrorOptions) =>
  new CnError(code, ExitCode.Usage, message, options);
export const loginRejected = (code: string, message: string, options?: CnErrorOptions) =>
  new CnError(code, ExitCode.LoginRejected, message, options);
export const idpFailure = (code: string, message: string, options?: CnErrorOptions) =>
  new CnError(code, ExitCode.IdpFailure, message, options);
export const localFailure = (code: string, message: string, options?: CnErrorOptions) =>
  new CnError(code, ExitCode.LocalEnvironment, message, options);

/** One short paragraph: what failed and why, then what to do. Stack only when debugging. */
export function formatError(err: unknown, debug = false): string {
  if (isCnError(err)) {
    let text = `error [${err.code}]: ${err.message}`;
    if (err.hint) text += ` ${err.hint}`;
    if (debug) {
      const d = Object.entries(err.details).filter(([, v]) => v !== undefined);
      if (d.length) text += `\n  details: ${d.map(([k, v]) => `${k}=${String(v)}`).join(', ')}`;
      if (err.cause) text += `\n  cause: ${describeCause(err.cause)}`;
      if (err.stack) text += `\n${err.stack}`;
    }
    return text;
  }
  const msg = err instanceof Error ? err.message : String(err);
  let text = `error [UNEXPECTED]: ${msg}. This is a bug in cognito-newman; run again with --debug and report it.`;
  if (debug && err instanceof Error && err.stack) text += `\n${err.stack}`;
  return text;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return `${cause.name}${typeof code === 'string' ? ` (${code})` : ''}: ${cause.message}`;
  }
  return String(cause);
}

// The emulator's one error type: a stable string code, the exit code of cognito-newman's contract
// (2 usage or configuration, 5 local environment) and a hint saying what to do. The emulator package
// depends on nothing of the runner: the `cognito-newman` CLI turns these into its own CnError at the
// edge (src/emulator-package.ts there), so `emulator` and `demo` fail exactly like every command.

/** The exit codes the emulator can cause (cognito-newman's contract: 2 usage, 5 local environment). */
export type EmulatorExitCode = 2 | 5;

export interface EmulatorErrorOptions {
  /** What to do about it: one or two sentences of advice. */
  hint?: string;
  /** Expected/actual values. Never secrets. */
  details?: Record<string, string | number | boolean | undefined>;
  /** The underlying error, shown only with --debug. */
  cause?: unknown;
}

/** A configuration or local-environment problem of the emulator: `message` says what failed and why, `hint` what to do. */
export class EmulatorError extends Error {
  override readonly name = 'EmulatorError';
  readonly code: string;
  readonly exitCode: EmulatorExitCode;
  readonly hint: string | undefined;
  readonly details: Record<string, string | number | boolean | undefined>;

  constructor(code: string, exitCode: EmulatorExitCode, message: string, options: EmulatorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }
}

export const isEmulatorError = (e: unknown): e is EmulatorError => e instanceof EmulatorError;

/** Shorthands so call sites read as the contract does. */
export const usageError = (code: string, message: string, options?: EmulatorErrorOptions) => new EmulatorError(code, 2, message, options);
export const localFailure = (code: string, message: string, options?: EmulatorErrorOptions) => new EmulatorError(code, 5, message, options);

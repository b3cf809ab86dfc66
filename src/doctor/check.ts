// The shape of one doctor check's outcome and the three ways to make one. Every check is a small
// function returning a CheckResult; presentation (symbols, fix lines, the tally) lives in report.ts.
import type { ExitCode } from '../errors.js';

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  /** What the check verifies, as the line names it ("domain answers"). */
  name: string;
  /** True only for a passed check; a skipped check is neither passed nor failed. */
  ok: boolean;
  status: CheckStatus;
  /** What was found (for a skip: why it did not run). Never a secret. */
  detail: string;
  /** Each problem on its own ✗ line under the check (the configuration's list of problems). */
  problems?: string[];
  /** What to do about a failure, or about a passed check's warning. */
  fix?: string;
  /** A passed check that works but could be better (a slow browser): shown under the ✓, never fails the run. */
  warning?: string;
  /** The contract's exit code for this failure's class (DESIGN.md "Exit codes"). */
  exitCode?: ExitCode;
}

export const pass = (name: string, detail: string): CheckResult => ({ name, ok: true, status: 'pass', detail });

export const fail = (
  name: string,
  detail: string,
  fix: string,
  exitCode: ExitCode,
  problems?: string[],
): CheckResult => ({ name, ok: false, status: 'fail', detail, fix, exitCode, ...(problems?.length ? { problems } : {}) });

/** A pass that still deserves attention: printed with its fix, counted as passed, exit code untouched. */
export const passWithWarning = (name: string, detail: string, warning: string, fix: string): CheckResult => ({
  ...pass(name, detail),
  warning,
  fix,
});

export const skip = (name: string, reason: string): CheckResult => ({ name, ok: false, status: 'skip', detail: reason });

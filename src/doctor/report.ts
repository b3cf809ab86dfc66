// How doctor results look on stdout: a ✓/✗/- line per check, each problem of a check on its own ✗
// line, a "fix:" line under every ✗ (and under a ✓ that carries a warning), and the tally. Every
// line passes through `redact`, so a secret that reached a message (it should not) is still never shown.
import { ExitCode } from '../errors.js';
import { redact } from '../log.js';
import type { CheckResult } from './check.js';

const SYMBOL = { pass: '✓', fail: '✗', skip: '-' } as const;

/** The lines of one result, without trailing newlines. */
export function formatResult(r: CheckResult): string[] {
  const lines = [`${SYMBOL[r.status]} ${r.name}${r.status === 'skip' ? ': skipped, ' : ': '}${r.detail}`];
  for (const p of r.problems ?? []) lines.push(`    ${SYMBOL.fail} ${p}`);
  if (r.status === 'pass' && r.warning) lines.push(`    warning: ${r.warning}`);
  if ((r.status === 'fail' || r.warning) && r.fix) lines.push(`    fix: ${r.fix}`);
  return lines.map(redact);
}

export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

export function tally(results: readonly CheckResult[]): Tally {
  return {
    passed: results.filter((r) => r.status === 'pass').length,
    failed: results.filter((r) => r.status === 'fail').length,
    skipped: results.filter((r) => r.status === 'skip').length,
  };
}

/** The final line: `N checks passed, M failed` and, when any, `, K skipped`. */
export function formatSummary(t: Tally): string {
  return `${t.passed} check${t.passed === 1 ? '' : 's'} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ''}`;
}

/**
 * 0 when nothing failed (skips do not fail: a check that cannot apply, such as JWKS without a pool
 * id, says so and moves on); otherwise the contract's code of the FIRST failure in check order,
 * since the earliest failure is usually the cause of the later ones: 2 configuration, 3 login
 * rejected, 4 identity provider or network, 5 local environment. A plain 1 would be wrong here:
 * the contract reserves 1 for failed collection assertions, and scripts branch on these codes.
 */
export function exitCodeFor(results: readonly CheckResult[]): number {
  const first = results.find((r) => r.status === 'fail');
  return first ? (first.exitCode ?? ExitCode.IdpFailure) : ExitCode.Ok;
}

// The run summary: numbers from Newman's summary, the users whose tokens went in, and its three
// presentations (stderr text, GitHub job-summary Markdown, GitHub error annotations).
import type { NewmanRunSummary } from 'newman';
import type { Redactor } from './redaction.js';
import { errorAnnotation, mdCell } from './github.js';
import { userLabel } from '../secrets/env.js';

export type { RunFailure, UserReport, RunSummary } from './summary-types.js';
import type { RunFailure, RunSummary, UserReport } from './summary-types.js';

const num = (v: number | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

interface FailureLike {
  error?: { name?: string; test?: string; message?: string };
  source?: { name?: string };
  cursor?: { iteration?: number };
}

/** Failures as the report shows them, messages redacted. */
export function failuresOf(summary: NewmanRunSummary, redactor: Redactor): RunFailure[] {
  return (summary.run.failures as unknown as FailureLike[]).map((f) => {
    const name = f.error?.name ?? 'Error';
    const kind = name === 'AssertionError' ? 'assertion' : 'error';
    return {
      kind,
      item: redactor.text(f.source?.name ?? ''),
      test: redactor.text(kind === 'assertion' ? (f.error?.test ?? '') : name),
      message: redactor.text(f.error?.message ?? ''),
      iteration: num(f.cursor?.iteration) + 1,
    };
  });
}

export interface SummaryInput {
  newman: NewmanRunSummary;
  redactor: Redactor;
  users: UserReport[];
  authBlocks: RunSummary['authBlocks'];
  reports: string[];
  runError?: unknown;
}

export function buildSummary(input: SummaryInput): RunSummary {
  const { newman: s, redactor } = input;
  const stats = s.run.stats;
  const timings = s.run.timings;
  const failures = failuresOf(s, redactor);
  const runError = input.runError ?? (s as { run: { error?: unknown } }).run.error;
  const out: RunSummary = {
    collection: redactor.text(String((s.collection as unknown as { name?: string })?.name ?? '')),
    passed: failures.length === 0 && !runError,
    iterations: num(stats.iterations.total),
    requests: { total: num(stats.requests.total), failed: num(stats.requests.failed) },
    assertions: { total: num(stats.assertions.total), failed: num(stats.assertions.failed) },
    failures,
    durationMs: Math.max(0, num(timings.completed) - num(timings.started)),
    users: input.users,
    authBlocks: input.authBlocks,
    reports: input.reports,
  };
  if (runError) out.error = redactor.text(runError instanceof Error ? runError.message : String(runError));
  return out;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function expiry(iso: string, now: number): string {
  const left = Date.parse(iso) - now;
  if (!Number.isFinite(left)) return 'unknown expiry';
  if (left <= 0) return `expired at ${iso}`;
  return `expires ${iso} (in ${Math.max(1, Math.round(left / 60_000))} min)`;
}

/** The stderr summary, one fact per line. */
export function formatSummary(s: RunSummary, now: number = Date.now()): string[] {
  const lines = [
    `cognito-newman: "${s.collection}" ${s.passed ? 'passed' : 'FAILED'} in ${formatDuration(s.durationMs)}`,
    `  requests:   ${s.requests.total} (${s.requests.failed} failed)`,
    `  assertions: ${s.assertions.total} (${s.assertions.failed} failed)`,
    `  failures:   ${s.failures.length}`,
  ];
  if (s.iterations > 1) lines.push(`  iterations: ${s.iterations}`);
  for (const u of s.users) lines.push(`  ${userLabel(u)}: ${u.variables.join(', ') || 'no variables'}; access token ${expiry(u.accessTokenExpiresAt, now)}`);
  if (s.users.length === 0) lines.push('  users: none (no tokens injected)');
  if (s.authBlocks.count > 0) {
    lines.push(`  auth blocks: ${s.authBlocks.count} OAuth 2.0 block(s) given the ${s.authBlocks.token} token of user ${s.authBlocks.user ?? '?'}`);
  }
  if (s.reports.length > 0) lines.push(`  reports: ${s.reports.join(', ')}`);
  if (s.error) lines.push(`  run error: ${s.error}`);
  s.failures.forEach((f, i) => {
    lines.push(`  ${i + 1}. ${f.item} > ${f.test}${s.iterations > 1 ? ` (iteration ${f.iteration})` : ''}: ${f.message}`);
  });
  return lines;
}

/** Markdown for $GITHUB_STEP_SUMMARY. */
export function markdownSummary(s: RunSummary, now: number = Date.now()): string {
  const out = [
    `### ${s.passed ? '✅' : '❌'} cognito-newman: ${mdCell(s.collection)} ${s.passed ? 'passed' : 'failed'}`,
    '',
    '| | total | failed |',
    '|---|---:|---:|',
    `| requests | ${s.requests.total} | ${s.requests.failed} |`,
    `| assertions | ${s.assertions.total} | ${s.assertions.failed} |`,
    '',
    `Duration: ${formatDuration(s.durationMs)}${s.iterations > 1 ? `, ${s.iterations} iterations` : ''}`,
    '',
  ];
  if (s.users.length > 0) {
    out.push('| user | variables | access token |', '|---|---|---|');
    for (const u of s.users) out.push(`| ${mdCell(userLabel(u).replace(/^user /, ''))} | ${mdCell(u.variables.map((v) => `\`${v}\``).join(', '))} | ${mdCell(expiry(u.accessTokenExpiresAt, now))} |`);
    out.push('');
  }
  if (s.authBlocks.count > 0) out.push(`OAuth 2.0 auth blocks: ${s.authBlocks.count}, given the ${s.authBlocks.token} token of \`${mdCell(s.authBlocks.user ?? '?')}\`.`, '');
  if (s.error) out.push(`Run error: ${mdCell(s.error)}`, '');
  if (s.failures.length > 0) {
    out.push('| # | request | test | message |', '|---:|---|---|---|');
    s.failures.forEach((f, i) => out.push(`| ${i + 1} | ${mdCell(f.item)} | ${mdCell(f.test)} | ${mdCell(f.message)} |`));
    out.push('');
  }
  return out.join('\n') + '\n';
}

/** One `::error` annotation per failure (already redacted). */
export function failureAnnotations(s: RunSummary): string {
  return s.failures.map((f) => errorAnnotation(`${f.item}: ${f.test}`, f.message || f.test)).join('');
}

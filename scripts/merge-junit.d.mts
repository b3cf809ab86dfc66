// Types for scripts/merge-junit.mjs (plain JS so CI can run it without npm ci), for the tests.

export class JunitError extends Error {}

export interface JunitTestcase {
  name: string;
  classname: string;
  status: 'passed' | 'failed' | 'error' | 'skipped';
  message: string;
}

export interface JunitSuite {
  name: string;
  /** The suite's exact source text, from `<testsuite` to its end tag. */
  raw: string;
  testcases: JunitTestcase[];
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: number;
}

export interface JunitReport {
  source: string;
  name: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: number;
  suites: JunitSuite[];
}

export interface MergedJunit {
  xml: string;
  name: string;
  totals: { tests: number; failures: number; errors: number; skipped: number; time: number; suites: number; testcases: number };
}

export function parseJunit(xml: string, source?: string): JunitReport;
export function mergeJunit(reports: JunitReport[], options?: { name?: string }): MergedJunit;
export function summaryMarkdown(reports: JunitReport[], merged: MergedJunit): string;
export function main(
  argv: string[],
  io?: { out: { write(s: string): unknown }; err: { write(s: string): unknown } },
): number;

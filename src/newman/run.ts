// One Newman run in-process: tokens in as in-memory envVar values and auth-block tokens, every
// output (reports, exports, console) redacted, a summary on stderr, GitHub Actions extras.
import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import newman from 'newman';
import type { NewmanRunOptions, NewmanRunSummary } from 'newman';
import type { EventEmitter } from 'node:events';
import { localFailure, usageError } from '../errors.js';
import { registeredMaskCommands, registerSecret, type Logger } from '../log.js';
import { findOAuth2Blocks, injectTokenIntoAuthBlocks, type CollectionJson } from './auth-block.js';
import { addMaskCommands } from '../mask.js';
import { loadCollection } from './load.js';
import { readRunScopes, registerScopeSecrets, type RunScopes } from './environment.js';
import type { NewmanRunPlan, ReporterOptions } from './options.js';
import { createRedactor, interceptStream, type Redactor } from './redaction.js';
import { createLiveRedactor, followLiveTokens, type LiveTokenFollower } from './live-tokens.js';
import type { LiveTokens } from '../tokens/refresher.js';
import { buildSummary, failureAnnotations, formatSummary, markdownSummary, type RunSummary, type UserReport } from './summary.js';
import { primaryUser, tokenVariables, userTokenVariables, type UserTokens, type VariableNames } from './variables.js';
import { attachHtmlReport, HTML_REPORTER, type SignInView } from './html-report.js';
import { matchTableColours } from './plain-output.js';

export type { RunSummary } from './summary.js';

export interface RunInput {
  /** Path or http(s) URL of a collection file, or the collection JSON itself. */
  collection: string | object;
  plan: NewmanRunPlan;
  users: UserTokens[];
  /** Which token goes into OAuth 2.0 auth blocks: `access`, or `id` for API Gateway's Cognito authorizer. */
  authBlockToken: 'access' | 'id';
  /** Where reports go unless a `--reporter-<name>-export` says otherwise. */
  reportsDir: string;
  logger: Logger;
  /** GitHub Actions extras (masks, annotations, job summary); default from GITHUB_ACTIONS=true. */
  githubActions?: boolean;
  /** Job summary file; default $GITHUB_STEP_SUMMARY. */
  stepSummaryPath?: string;
  /** Names of the token variables (default accessToken, idToken, ...). */
  variableNames?: Partial<VariableNames>;
  /** Where Newman's console output ends up after redaction (default the process's own streams). */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Tokens refreshed while Newman runs (long runs): later requests, variables and auth blocks get the new values. */
  liveTokens?: LiveTokens;
  /** How each user got tokens, for the `html` report's sign-in summary. */
  signIns?: SignInView[];
  /** The plan's -e/-g files already read (the run command's preflight); read here when absent. */
  scopes?: RunScopes;
}

export interface RunResult {
  exitCode: 0 | 1;
  summary: RunSummary;
}

/** Report file names under reportsDir for the reporters that write files. */
export const DEFAULT_REPORT_FILES: Readonly<Record<string, string>> = {
  junit: 'junit.xml',
  json: 'newman-report.json',
  htmlextra: 'report.html',
  html: 'report.html',
};

/** Headers htmlextra leaves out of its report whatever the user asks (its own skipHeaders option). */
const HTMLEXTRA_SKIP_HEADERS = ['Authorization', 'Proxy-Authorization'];

function listOption(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  return [];
}

/** Per-reporter options with our default export paths and htmlextra's header filter added. */
export function reporterOptionsFor(plan: NewmanRunPlan, reportsDir: string): ReporterOptions {
  const out: ReporterOptions = {};
  for (const name of plan.reporters) {
    const opts = { ...(plan.reporter[name] ?? {}) };
    const file = DEFAULT_REPORT_FILES[name];
    // Our html report takes report.html; htmlextra beside it moves aside.
    const own = name === 'htmlextra' && plan.reporters.includes(HTML_REPORTER) ? 'report-htmlextra.html' : file;
    if (own && typeof opts.export !== 'string') opts.export = join(reportsDir, own);
    if (name === 'htmlextra') {
      opts.skipHeaders = [...new Set([...HTMLEXTRA_SKIP_HEADERS, ...listOption(opts.skipHeaders)])];
    }
    out[name] = opts;
  }
  return out;
}

/** Every path a run may write: reporter exports and the --export-* files. */
export function exportTargets(plan: NewmanRunPlan, reporter: ReporterOptions): string[] {
  const paths = Object.values(reporter)
    .map((o) => o.export)
    .filter((p): p is string => typeof p === 'string');
  for (const p of [plan.exportEnvironment, plan.exportGlobals, plan.exportCollection, plan.exportCookieJar]) if (p) paths.push(p);
  return [...new Set(paths)];
}

/** What newman and the reporters write; anything else in an export directory is not ours to touch. */
const REPORT_FILE = /\.(json|xml|html?|txt)$/i;

/**
 * Rewrite every report file written during the run under the export targets through the redactor
 * (a directory target gets newman's timestamped file inside it). The export queue is already
 * redacted; this catches anything that reached the disk another way. Returns the files found.
 */
async function scrubWrittenFiles(targets: string[], since: number, redactor: Redactor): Promise<string[]> {
  const candidates: string[] = [];
  for (const target of targets) {
    const info = await stat(target).catch(() => undefined);
    if (info?.isFile()) candidates.push(target);
    else if (info?.isDirectory()) {
      for (const entry of await readdir(target, { withFileTypes: true })) if (entry.isFile() && REPORT_FILE.test(entry.name)) candidates.push(join(target, entry.name));
    }
  }
  const files: string[] = [];
  for (const file of candidates) {
    const info = await stat(file).catch(() => undefined);
    // Written by this run (a second of slack for coarse file-system clocks), and text.
    if (!info || info.mtimeMs < since - 1000) continue;
    const text = await readFile(file, 'utf8');
    if (text.includes('\0')) continue;
    files.push(file);
    const clean = redactor.content(text) as string;
    if (clean !== text) await writeFile(file, clean);
  }
  return files;
}

interface ExportItem {
  content?: unknown;
}
type NewmanEmitter = EventEmitter & { exports?: ExportItem[] };

/** Redact every item of newman's export queue, now and as reporters push more (beforeDone, done). */
function guardExports(emitter: NewmanEmitter, redactor: Redactor): void {
  const queue = emitter.exports;
  if (!Array.isArray(queue) || (queue as { redacted?: boolean }).redacted) return;
  for (const item of queue) if (item) item.content = redactor.content(item.content);
  const push = queue.push.bind(queue);
  queue.push = (...items: ExportItem[]) => push(...items.map((i) => (i ? { ...i, content: redactor.content(i.content) } : i)));
  (queue as { redacted?: boolean }).redacted = true;
}

const RUN_EVENTS = [
  'start', 'beforeIteration', 'beforeItem', 'beforePrerequest', 'prerequest', 'beforeRequest', 'request', 'beforeTest', 'test',
  'item', 'iteration', 'beforeScript', 'script', 'assertion', 'console', 'exception', 'beforeDone', 'done',
];

function scrubError(e: unknown, redactor: Redactor): void {
  if (!e || typeof e !== 'object') return;
  const o = e as Record<string, unknown>;
  for (const k of ['message', 'stack', 'test']) {
    if (typeof o[k] === 'string') {
      try {
        o[k] = redactor.text(o[k] as string);
      } catch {
        // A read-only property: leave it; the outputs are redacted anyway.
      }
    }
  }
}

/**
 * Listeners that run before every reporter's (prepended) and redact what the event carries
 * about failures and console output. Reporters then never see a secret, even where the cli
 * reporter wraps a long line and no later filter could recognise the pieces. Request and
 * response objects are left alone: test scripts still read them.
 */
function sanitizeEvents(emitter: NewmanEmitter, redactor: Redactor): void {
  for (const event of RUN_EVENTS) {
    emitter.prependListener(event, (err: unknown, o: Record<string, unknown> | undefined) => {
      scrubError(err, redactor);
      if (!o) return;
      if (event === 'assertion' || event === 'exception') scrubError(o.error, redactor);
      if (event === 'console' && Array.isArray(o.messages)) {
        const messages = o.messages as unknown[];
        for (let i = 0; i < messages.length; i++) messages[i] = redactor.value(messages[i]);
      }
      if (event === 'start' || event === 'beforeDone') guardExports(emitter, redactor);
    });
  }
}

function tokenValues(users: readonly UserTokens[]): string[] {
  return users.flatMap((u) => [u.tokens.accessToken, u.tokens.idToken, u.tokens.refreshToken]).filter((t): t is string => typeof t === 'string' && t !== '');
}

function userReports(users: readonly UserTokens[], names?: Partial<VariableNames>): UserReport[] {
  return users.map((u) => ({
    name: u.name,
    ...(u.username ? { username: u.username } : {}),
    variables: userTokenVariables(u, users, names).map((v) => v.key),
    accessTokenExpiresAt: Number.isFinite(u.tokens.accessTokenExpiresAt) ? new Date(u.tokens.accessTokenExpiresAt).toISOString() : 'unknown',
  }));
}

/** The sign-in rows of the html report, each with the variables its tokens went into. */
function withVariables(signIns: SignInView[] | undefined, reports: UserReport[]): SignInView[] {
  return (signIns ?? []).map((s) => ({ ...s, variables: reports.find((r) => r.name === s.name)?.variables ?? [] }));
}

function newmanError(err: unknown): Error {
  const e = err as { message?: string; help?: string };
  const text = `${e.message ?? String(err)}${e.help ? ` (${e.help})` : ''}`;
  if (/error (writing|creating path)/.test(e.help ?? '') || /EACCES|EROFS|ENOSPC|EPERM/.test(text)) {
    return localFailure('REPORT_WRITE_FAILED', `Newman could not write a report or export: ${text}.`, { hint: 'Check that the reports directory and export paths are writable.', cause: err });
  }
  return usageError('NEWMAN_INPUT', `Newman could not start the run: ${text}.`, { hint: 'Check the environment, globals and iteration-data files (-e, -g, -d).', cause: err });
}

function runNewman(options: NewmanRunOptions, redactor: Redactor, follower?: LiveTokenFollower, attach?: (emitter: NewmanEmitter) => void): Promise<{ err: unknown; summary: NewmanRunSummary | undefined }> {
  return new Promise((resolve) => {
    const emitter = newman.run(options, (err, summary) => resolve({ err, summary })) as NewmanEmitter;
    sanitizeEvents(emitter, redactor);
    follower?.attach(emitter);
    attach?.(emitter);
  });
}

/**
 * Run `input.collection` with Newman in this process (newman.run), tokens handed over only in
 * memory: the contract's variables through `envVar`, and the primary user's access (or ID) token
 * in every OAuth 2.0 auth block. Exit code 1 when an assertion or request failed (0 with
 * --suppress-exit-code); Newman's own start-up errors become CnErrors.
 */
export async function runCollection(input: RunInput): Promise<RunResult> {
  const { plan, users, logger } = input;
  const started = Date.now();
  const stdoutSink = input.stdout;
  const writeStdout = (s: string) => (stdoutSink ? stdoutSink.write(s) : process.stdout.write(s));
  const github = input.githubActions ?? process.env.GITHUB_ACTIONS === 'true';
  const stepSummaryPath = input.stepSummaryPath ?? process.env.GITHUB_STEP_SUMMARY;

  // Everything secret is known before the first byte is written, so the masks can come first:
  // the tokens, and the environment's and globals' values marked secret (2.1 JSON or v12 YAML).
  const scopes = input.scopes ?? (await readRunScopes(plan));
  registerScopeSecrets(scopes);
  const tokens = tokenValues(users);
  for (const t of tokens) registerSecret(t);
  registerSecret(plan.sslClientPassphrase);
  const live = input.liveTokens ? createLiveRedactor(tokens) : undefined;
  const redactor = live ?? createRedactor(tokens);
  if (github) writeStdout(registeredMaskCommands());

  let collection: CollectionJson = await loadCollection(input.collection);
  const blocks = findOAuth2Blocks(collection).length;
  const primary = primaryUser(users);
  if (blocks > 0 && primary) {
    const token = input.authBlockToken === 'id' ? primary.tokens.idToken : primary.tokens.accessToken;
    if (!token) {
      throw usageError('ID_TOKEN_MISSING', `The ID token was asked for the collection's OAuth 2.0 blocks, but user ${primary.name} has none.`, {
        hint: 'Request the openid scope (COGNITO_SCOPES), or put the access token in the blocks (--auth-token access).',
      });
    }
    collection = injectTokenIntoAuthBlocks(collection, token);
  } else if (blocks > 0) {
    logger.warn(`The collection has ${blocks} OAuth 2.0 auth block(s) but no user tokens were given; requests will go without a token.`);
  }

  // The user's own --env-var comes last so it wins: an explicit value is a deliberate override.
  const tokenVars = tokenVariables(users, input.variableNames);
  const envVar = [...tokenVars, ...plan.envVar];
  for (const v of plan.envVar) if (tokenVars.some((t) => t.key === v.key)) logger.debug(`--env-var ${v.key} replaces the token variable of the same name.`);

  const reporter = reporterOptionsFor(plan, input.reportsDir);
  const { envVar: _planEnvVar, reporter: _planReporter, reporters, ...newmanFlags } = plan;
  const options = {
    ...newmanFlags,
    collection: collection as NewmanRunOptions['collection'],
    // Objects, not paths: newman reads JSON only, and a v12 YAML file is read by environment.ts.
    ...(scopes.environment ? { environment: scopes.environment.scope } : {}),
    ...(scopes.globals ? { globals: scopes.globals.scope } : {}),
    envVar,
    // `html` is ours (html-report.ts), attached to the run below rather than loaded by newman.
    reporters: reporters.filter((r) => r !== HTML_REPORTER),
    reporter,
  } as NewmanRunOptions;

  logger.debug(`newman run: reporters ${reporters.join(', ')}; ${envVar.length} variables in memory; ${blocks} OAuth 2.0 block(s)`);
  // Masks for tokens refreshed mid-run must bypass the redaction of stdout, so bind the write before it is intercepted.
  const rawStdout = stdoutSink ? (t: string) => void stdoutSink.write(t) : process.stdout.write.bind(process.stdout);
  const follower =
    input.liveTokens && live
      ? followLiveTokens({
          live: input.liveTokens,
          users,
          ...(input.variableNames ? { variableNames: input.variableNames } : {}),
          redactor: live,
          logger,
          ...(github ? { onNewSecrets: (v: string[]) => void rawStdout(addMaskCommands(v)) } : {}),
        })
      : undefined;
  matchTableColours(plan.color, stdoutSink ? { isTTY: false } : process.stdout);
  const restoreOut = interceptStream(process.stdout, redactor, stdoutSink ? (s) => void stdoutSink.write(s) : undefined);
  const restoreErr = interceptStream(process.stderr, redactor, input.stderr ? (s) => void input.stderr!.write(s) : undefined);
  let outcome: { err: unknown; summary: NewmanRunSummary | undefined };
  try {
    const html = reporters.includes(HTML_REPORTER) ? reporter[HTML_REPORTER] : undefined;
    outcome = await runNewman(options, redactor, follower, html ? (e) => attachHtmlReport(e, html, redactor, withVariables(input.signIns, userReports(users, input.variableNames))) : undefined);
  } finally {
    follower?.dispose();
    restoreOut();
    restoreErr();
  }
  const reports = await scrubWrittenFiles(exportTargets(plan, reporter), started, redactor);
  // newman's whole-run --timeout ends the run with "callback timed out" and the summary so far: a failed run (exit 1), not bad input.
  const runTimedOut = outcome.summary !== undefined && outcome.err instanceof Error && /callback timed out/i.test(outcome.err.message);
  if ((outcome.err && !runTimedOut) || !outcome.summary) throw newmanError(outcome.err ?? new Error('newman gave no summary'));

  const summary = buildSummary({
    newman: outcome.summary,
    redactor,
    // After a long run the summary shows the newest tokens' expiry, not the first ones'.
    users: userReports(input.liveTokens ? users.map((u) => ({ ...u, tokens: input.liveTokens?.current(u.name) ?? u.tokens })) : users, input.variableNames),
    authBlocks: { count: primary ? blocks : 0, ...(primary ? { user: primary.name } : {}), token: input.authBlockToken },
    reports,
    ...(runTimedOut ? { runError: `the whole-run --timeout of ${plan.timeout ?? '?'} ms ended the run before every request had run` } : {}),
  });
  for (const line of formatSummary(summary)) logger.info(line);

  if (github) {
    const annotations = failureAnnotations(summary);
    if (annotations) writeStdout(annotations);
    if (stepSummaryPath) {
      await appendFile(stepSummaryPath, redactor.text(markdownSummary(summary))).catch((e: unknown) =>
        logger.warn(`Could not append the run summary to GITHUB_STEP_SUMMARY (${(e as { code?: string }).code ?? 'error'}).`),
      );
    }
  }
  return { exitCode: summary.passed || plan.suppressExitCode ? 0 : 1, summary };
}

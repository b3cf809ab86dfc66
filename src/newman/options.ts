// The `newman run` flags, so `cognito-newman run` is a drop-in: same names, same semantics as
// newman 6 (bin/newman.js), parsed by commander and turned into one plain plan for newman.run.
import type { Command } from 'commander';
import { usageError } from '../errors.js';

export interface KeyValue {
  key: string;
  value: string;
}

/** One `--reporter-<rest>` argument as typed: `rest` without the prefix, value `true` for a bare flag. */
export interface ReporterArg {
  rest: string;
  value: string | true;
}

export type ColorMode = 'on' | 'off' | 'auto';
export type BailModifier = 'folder' | 'failure';

/** What commander hands the action for the newman flags (`cmd.opts()`); every field as newman names it. */
export interface ParsedNewmanArgs {
  environment?: string;
  globals?: string;
  folder?: string[];
  envVar?: KeyValue[];
  globalVar?: KeyValue[];
  /** `true` when -r was given without a list (newman then runs no reporter; we keep `cli`). */
  reporters?: string[] | true;
  reporterArgs?: ReporterArg[];
  iterationCount?: number;
  iterationData?: string;
  bail?: true | BailModifier[];
  timeout?: number;
  timeoutRequest?: number;
  timeoutScript?: number;
  delayRequest?: number;
  insecure?: boolean;
  exportEnvironment?: string;
  exportGlobals?: string;
  exportCollection?: string;
  color?: ColorMode;
  verbose?: boolean;
  silent?: boolean;
  disableUnicode?: boolean;
  suppressExitCode?: boolean;
  ignoreRedirects?: boolean;
  workingDir?: string;
  insecureFileRead?: boolean;
  sslClientCert?: string;
  sslClientKey?: string;
  sslClientPassphrase?: string;
  sslClientCertList?: string;
  sslExtraCaCerts?: string;
  cookieJar?: string;
  exportCookieJar?: string;
}

/** Reporter options as newman wants them: `{ junit: { export: 'x.xml' }, cli: { noSummary: true } }`. */
export type ReporterOptions = Record<string, Record<string, string | boolean | string[]>>;

/**
 * Everything newman.run needs except the collection, the token variables and our export defaults
 * (run.ts adds those). Field names are newman.run's own, so the plan spreads straight into it.
 */
export interface NewmanRunPlan {
  environment?: string;
  globals?: string;
  folder?: string[];
  /** The user's --env-var values, in order. Token variables are added at run time, in memory. */
  envVar: KeyValue[];
  globalVar: KeyValue[];
  reporters: string[];
  reporter: ReporterOptions;
  iterationCount?: number;
  iterationData?: string;
  bail?: true | BailModifier[];
  timeout?: number;
  timeoutRequest?: number;
  timeoutScript?: number;
  delayRequest?: number;
  insecure: boolean;
  ignoreRedirects: boolean;
  exportEnvironment?: string;
  exportGlobals?: string;
  exportCollection?: string;
  color: ColorMode;
  verbose: boolean;
  silent: boolean;
  disableUnicode: boolean;
  suppressExitCode: boolean;
  workingDir?: string;
  insecureFileRead: boolean;
  sslClientCert?: string;
  sslClientKey?: string;
  sslClientPassphrase?: string;
  sslClientCertList?: string;
  sslExtraCaCerts?: string;
  cookieJar?: string;
  exportCookieJar?: string;
}

/**
 * Reporters whose every output goes through newman's export queue or stdout, which run.ts redacts.
 * A third-party reporter may write files on its own, so redaction could not be promised for it.
 */
export const SUPPORTED_REPORTERS = ['cli', 'junit', 'json', 'html', 'htmlextra', 'progress', 'emojitrain'] as const;

const REPORTER_PREFIX = '--reporter-';
const BAIL_MODIFIERS: readonly BailModifier[] = ['folder', 'failure'];

// --- argument parsers: a bad value is a usage error (exit 2), never commander's exit 1 ------------

function nonNegativeInteger(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
      throw usageError('OPTION_INVALID', `${flag} needs a whole number of milliseconds, got "${value}".`, { hint: `For example ${flag} 5000.` });
    }
    return n;
  };
}

function positiveInteger(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0) {
      throw usageError('OPTION_INVALID', `${flag} needs a positive whole number, got "${value}".`, { hint: `For example ${flag} 3.` });
    }
    return n;
  };
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** newman's memoizeKeyVal: split at the first `=` so values may contain `=`. */
function collectKeyValue(flag: string) {
  return (value: string, previous: KeyValue[] | undefined): KeyValue[] => {
    const eq = value.indexOf('=');
    if (eq <= 0) {
      throw usageError('OPTION_INVALID', `${flag} needs key=value, got "${value}".`, { hint: `For example ${flag} baseUrl=http://127.0.0.1:3000.` });
    }
    return [...(previous ?? []), { key: value.slice(0, eq), value: value.slice(eq + 1) }];
  };
}

function csvList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function reporterList(value: string): string[] {
  const names = csvList(value);
  if (names.length === 0) {
    throw usageError('OPTION_INVALID', '-r/--reporters needs a comma-separated list of reporters.', { hint: `Choose from ${SUPPORTED_REPORTERS.join(', ')}.` });
  }
  for (const name of names) {
    if (!(SUPPORTED_REPORTERS as readonly string[]).includes(name)) {
      const guess = suggestFlag(name, [...SUPPORTED_REPORTERS]);
      throw usageError('REPORTER_UNSUPPORTED', `Reporter "${name}" is not supported${guess ? ` (did you mean "${guess}"?)` : ''}.`, {
        hint: `Choose from ${SUPPORTED_REPORTERS.join(', ')}; these are the reporters whose output cognito-newman can redact.`,
      });
    }
  }
  return [...new Set(names)];
}

function bailModifiers(value: string): true | BailModifier[] {
  const mods = csvList(value);
  if (mods.length === 0) return true;
  for (const m of mods) {
    if (!(BAIL_MODIFIERS as readonly string[]).includes(m)) {
      throw usageError('OPTION_INVALID', `--bail takes the modifiers folder and failure, got "${m}".`, { hint: 'Use --bail, --bail failure or --bail folder,failure.' });
    }
  }
  return mods as BailModifier[];
}

function colorMode(value: string): ColorMode {
  if (value !== 'on' && value !== 'off' && value !== 'auto') {
    throw usageError('OPTION_INVALID', `--color takes on, off or auto, got "${value}".`, { hint: 'For example --color off.' });
  }
  return value;
}

// --- the --reporter-* arguments --------------------------------------------------------------

/**
 * Take every `--reporter-<rest>[=value]` (and its value) out of `args`, as newman's
 * parseNestedOptions does: the next argument is the value unless it starts with `-`. Stops at `--`.
 */
export function extractReporterArgs(args: readonly string[]): { rest: string[]; reporterArgs: ReporterArg[] } {
  const rest: string[] = [];
  const reporterArgs: ReporterArg[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    if (!arg.startsWith(REPORTER_PREFIX) || arg.length === REPORTER_PREFIX.length) {
      rest.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq !== -1) {
      reporterArgs.push({ rest: arg.slice(REPORTER_PREFIX.length, eq), value: arg.slice(eq + 1) });
      continue;
    }
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith('-')) {
      reporterArgs.push({ rest: arg.slice(REPORTER_PREFIX.length), value: next });
      i++;
    } else {
      reporterArgs.push({ rest: arg.slice(REPORTER_PREFIX.length), value: true });
    }
  }
  return { rest, reporterArgs };
}

/** lodash's camelCase for flag words: `skip-headers` -> skipHeaders, `skipHeaders` stays. */
export function camelCase(text: string): string {
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[-_\s]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
  return words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('');
}

/**
 * newman's nesting rule: `--reporter-<name>-<opt>` belongs to reporter <name> when it is selected,
 * anything else is a generic option that newman applies to every reporter (and lets win).
 */
export function nestReporterOptions(reporterArgs: readonly ReporterArg[], reporters: readonly string[]): ReporterOptions {
  const generic: Record<string, string | boolean | string[]> = {};
  const out: ReporterOptions = {};
  for (const name of reporters) out[name] = {};
  for (const { rest, value } of reporterArgs) {
    const name = rest.split('-', 1)[0]!;
    const target = reporters.includes(name) && rest.length > name.length + 1 ? out[name]! : undefined;
    if (target) target[camelCase(rest.slice(name.length + 1))] = value;
    else generic[camelCase(rest)] = value;
  }
  for (const name of reporters) Object.assign(out[name]!, generic);
  return out;
}

// --- did you mean ------------------------------------------------------------------------------

/** Levenshtein distance, two rows. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The known flag closest to `unknown` by Levenshtein distance, or undefined when nothing is close
 * (more than a third of the longer name differs). `--x=1` is compared as `--x`.
 */
export function suggestFlag(unknown: string, known: string[]): string | undefined {
  const typed = unknown.split('=', 1)[0]!;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = levenshtein(typed, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(typed.length, best.length) / 3));
  return bestDistance <= limit ? best : undefined;
}

// --- commander wiring ---------------------------------------------------------------------------

const HELP_FLAGS = ['-h', '--help'];

/**
 * Add newman 6's `run` flags to `cmd` (names, short forms and semantics as in newman's
 * bin/newman.js). `--reporter-<name>-<option>` arguments are taken out before commander parses and
 * stored as the `reporterArgs` option value; any other unknown flag is a usage error (exit 2) that
 * names the closest known flag.
 */
export function addNewmanOptions(cmd: Command): Command {
  cmd
    .option('-e, --environment <path>', 'a URL or path to a Postman environment')
    .option('-g, --globals <path>', 'a URL or path to a file of Postman globals')
    .option('--folder <name>', 'run only this folder (repeatable)', collect)
    .option('--env-var <key=value>', 'environment variable, key=value (repeatable)', collectKeyValue('--env-var'))
    .option('--global-var <key=value>', 'global variable, key=value (repeatable)', collectKeyValue('--global-var'))
    .option('-r, --reporters [reporters]', `comma-separated reporters (${SUPPORTED_REPORTERS.join(', ')})`, reporterList)
    .option('-n, --iteration-count <n>', 'number of iterations', positiveInteger('--iteration-count'))
    .option('-d, --iteration-data <path>', 'data file for iterations (JSON or CSV)')
    .option('--bail [modifiers]', 'stop the run on the first error; modifiers: folder, failure', bailModifiers)
    .option('--timeout <ms>', 'timeout for the whole run', nonNegativeInteger('--timeout'))
    .option('--timeout-request <ms>', 'timeout for each request', nonNegativeInteger('--timeout-request'))
    .option('--timeout-script <ms>', 'timeout for each script', nonNegativeInteger('--timeout-script'))
    .option('--delay-request <ms>', 'delay between requests', nonNegativeInteger('--delay-request'))
    .option('-k, --insecure', 'disable TLS certificate validation')
    .option('--export-environment <path>', 'write the final environment (redacted) to a file')
    .option('--export-globals <path>', 'write the final globals (redacted) to a file')
    .option('--export-collection <path>', 'write the executed collection (redacted) to a file')
    .option('--color <value>', 'coloured output: on, off or auto', colorMode)
    .option('--verbose', 'show each request and response in detail')
    .option('--silent', 'no output from newman or progress on stderr')
    .option('--disable-unicode', 'plain-text symbols instead of Unicode')
    .option('-x, --suppress-exit-code', 'exit 0 even when assertions fail')
    .option('--ignore-redirects', 'do not follow 3xx responses')
    .option('--working-dir <path>', 'directory for files the collection reads')
    .option('--no-insecure-file-read', 'refuse to read files outside the working directory')
    .option('--ssl-client-cert-list <path>', 'client certificates configuration (JSON)')
    .option('--ssl-client-cert <path>', 'client certificate (PEM)')
    .option('--ssl-client-key <path>', 'client certificate private key')
    .option('--ssl-client-passphrase <passphrase>', 'client certificate passphrase')
    .option('--ssl-extra-ca-certs <path>', 'additional trusted CA certificates (PEM)')
    .option('--cookie-jar <path>', 'cookie jar to start with (tough-cookie JSON)')
    .option('--export-cookie-jar <path>', 'write the cookie jar to a file after the run');
  cmd.addHelpText('after', '\nReporter options: --reporter-<name>-<option> [value], e.g. --reporter-junit-export reports/junit.xml');

  const original = cmd.parseOptions.bind(cmd);
  cmd.parseOptions = (args: string[]) => {
    const { rest, reporterArgs } = extractReporterArgs(args);
    const result = original(rest);
    cmd.setOptionValueWithSource('reporterArgs', reporterArgs, 'cli');
    const first = result.unknown[0];
    if (first !== undefined && first.length > 1 && first.startsWith('-') && !HELP_FLAGS.includes(first)) {
      const known = [...HELP_FLAGS, ...cmd.options.flatMap((o) => [o.long, o.short]).filter((f): f is string => !!f)];
      const guess = suggestFlag(first, known);
      throw usageError('UNKNOWN_OPTION', `Unknown option ${first.split('=', 1)[0]}${guess ? ` (did you mean ${guess}?)` : ''}.`, {
        hint: 'Run `cognito-newman run --help` for the options; newman run flags work the same way.',
      });
    }
    return result;
  };
  return cmd;
}

/**
 * The parsed flags as one newman.run plan: defaults as newman 6 has them (reporter `cli`, color
 * `auto`, insecure file reads allowed), reporter options nested per reporter. Pure.
 */
export function toNewmanRunOptions(parsed: ParsedNewmanArgs): NewmanRunPlan {
  const reporters = Array.isArray(parsed.reporters) && parsed.reporters.length > 0 ? [...parsed.reporters] : ['cli'];
  const plan: NewmanRunPlan = {
    envVar: [...(parsed.envVar ?? [])],
    globalVar: [...(parsed.globalVar ?? [])],
    reporters,
    reporter: nestReporterOptions(parsed.reporterArgs ?? [], reporters),
    insecure: !!parsed.insecure,
    ignoreRedirects: !!parsed.ignoreRedirects,
    color: parsed.color ?? 'auto',
    verbose: !!parsed.verbose,
    silent: !!parsed.silent,
    disableUnicode: !!parsed.disableUnicode,
    suppressExitCode: !!parsed.suppressExitCode,
    insecureFileRead: parsed.insecureFileRead !== false,
  };
  const copy = [
    'environment',
    'globals',
    'iterationCount',
    'iterationData',
    'timeout',
    'timeoutRequest',
    'timeoutScript',
    'delayRequest',
    'exportEnvironment',
    'exportGlobals',
    'exportCollection',
    'workingDir',
    'sslClientCert',
    'sslClientKey',
    'sslClientPassphrase',
    'sslClientCertList',
    'sslExtraCaCerts',
    'cookieJar',
    'exportCookieJar',
  ] as const;
  for (const key of copy) {
    const v = parsed[key];
    if (v !== undefined) (plan as unknown as Record<string, unknown>)[key] = v;
  }
  if (parsed.folder && parsed.folder.length > 0) plan.folder = [...parsed.folder];
  if (parsed.bail !== undefined) plan.bail = parsed.bail === true ? true : [...parsed.bail];
  return plan;
}

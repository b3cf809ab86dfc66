// The `newman run` flags, so `cognito-newman run` is a drop-in: same names, same semantics as
// newman 6 (bin/newman.js), parsed by commander and turned into one plain plan for newman.run.
import type { Command } from 'commander';
import { closestMatch } from 'leven';
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

/** Reporter options as newman wants them: `{ junit: { export: 'x.xml' }, cli: { noSummary: true } }`. */
export type ReporterOptions = Record<string, Record<string, string | boolean | string[]>>;

/**
 * Reporters whose every output goes through newman's export queue or stdout, which run.ts redacts.
 * A third-party reporter may write files on its own, so redaction could not be promised for it.
 */
export const SUPPORTED_REPORTERS = ['cli', 'junit', 'json', 'html', 'htmlextra', 'progress', 'emojitrain'] as const;

const REPORTER_PREFIX = '--reporter-';
const BAIL_MODIFIERS: readonly BailModifier[] = ['folder', 'failure'];

/** How many edits still make a typo rather than another word: a third of it, at least one. */
export function nearEnough(typed: string): number {
  return Math.max(1, Math.floor(typed.length / 3));
}

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
      const guess = closestMatch(name, SUPPORTED_REPORTERS, { maxDistance: nearEnough(name) });
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

// --- the one table of newman's flags --------------------------------------------------------

type PlanRole = 'copy' | 'default' | 'own';
/** One `newman run` flag: commander's flags and help, how its value is parsed, what the plan does with it. */
interface FlagSpec<T, P extends PlanRole = PlanRole> {
  flags: string;
  description: string;
  parse?: (value: string, previous: T | undefined) => T;
  /** `copy`: into the plan when given; `default`: into the plan, `fallback` when not given; `own`: toNewmanRunOptions handles it. */
  plan: P;
  fallback?: T;
  /** Carries the value type into ParsedNewmanArgs; never set. */
  readonly _value?: T;
}

const text = (flags: string, description: string): FlagSpec<string, 'copy'> => ({ flags, description, plan: 'copy' });
const parsedBy = <T>(flags: string, description: string, parse: (value: string, previous: T | undefined) => T): FlagSpec<T, 'copy'> => ({ flags, description, parse, plan: 'copy' });
const onOff = (flags: string, description: string, fallback = false): FlagSpec<boolean, 'default'> => ({ flags, description, plan: 'default', fallback });
const own = <T>(spec: Omit<FlagSpec<T>, 'plan'>): FlagSpec<T, 'own'> => ({ ...spec, plan: 'own' });

/**
 * newman 6's `run` flags (names, short forms and semantics as in newman's bin/newman.js), keyed by
 * the name commander and newman.run both give the value. Types, commander wiring and the plan all
 * come from this one table.
 */
export const NEWMAN_FLAGS = {
  environment: text('-e, --environment <path>', 'a URL or path to a Postman environment'),
  globals: text('-g, --globals <path>', 'a URL or path to a file of Postman globals'),
  folder: own<string[]>({ flags: '--folder <name>', description: 'run only this folder (repeatable)', parse: collect }),
  envVar: own<KeyValue[]>({ flags: '--env-var <key=value>', description: 'environment variable, key=value (repeatable)', parse: collectKeyValue('--env-var') }),
  globalVar: own<KeyValue[]>({ flags: '--global-var <key=value>', description: 'global variable, key=value (repeatable)', parse: collectKeyValue('--global-var') }),
  /** `true` when -r was given without a list (newman then runs no reporter; we keep `cli`). */
  reporters: own<string[] | true>({ flags: '-r, --reporters [reporters]', description: `comma-separated reporters (${SUPPORTED_REPORTERS.join(', ')})`, parse: reporterList }),
  iterationCount: parsedBy('-n, --iteration-count <n>', 'number of iterations', positiveInteger('--iteration-count')),
  iterationData: text('-d, --iteration-data <path>', 'data file for iterations (JSON or CSV)'),
  bail: own<true | BailModifier[]>({ flags: '--bail [modifiers]', description: 'stop the run on the first error; modifiers: folder, failure', parse: bailModifiers }),
  timeout: parsedBy('--timeout <ms>', 'timeout for the whole run', nonNegativeInteger('--timeout')),
  timeoutRequest: parsedBy('--timeout-request <ms>', 'timeout for each request', nonNegativeInteger('--timeout-request')),
  timeoutScript: parsedBy('--timeout-script <ms>', 'timeout for each script', nonNegativeInteger('--timeout-script')),
  delayRequest: parsedBy('--delay-request <ms>', 'delay between requests', nonNegativeInteger('--delay-request')),
  insecure: onOff('-k, --insecure', 'disable TLS certificate validation'),
  exportEnvironment: text('--export-environment <path>', 'write the final environment (redacted) to a file'),
  exportGlobals: text('--export-globals <path>', 'write the final globals (redacted) to a file'),
  exportCollection: text('--export-collection <path>', 'write the executed collection (redacted) to a file'),
  color: { flags: '--color <value>', description: 'coloured output: on, off or auto', parse: colorMode, plan: 'default', fallback: 'auto' } as FlagSpec<ColorMode, 'default'>,
  verbose: onOff('--verbose', 'show each request and response in detail'),
  silent: onOff('--silent', 'no output from newman or progress on stderr'),
  disableUnicode: onOff('--disable-unicode', 'plain-text symbols instead of Unicode'),
  suppressExitCode: onOff('-x, --suppress-exit-code', 'exit 0 even when assertions fail'),
  ignoreRedirects: onOff('--ignore-redirects', 'do not follow 3xx responses'),
  workingDir: text('--working-dir <path>', 'directory for files the collection reads'),
  // newman's default: files outside the working directory may be read.
  insecureFileRead: onOff('--no-insecure-file-read', 'refuse to read files outside the working directory', true),
  sslClientCertList: text('--ssl-client-cert-list <path>', 'client certificates configuration (JSON)'),
  sslClientCert: text('--ssl-client-cert <path>', 'client certificate (PEM)'),
  sslClientKey: text('--ssl-client-key <path>', 'client certificate private key'),
  sslClientPassphrase: text('--ssl-client-passphrase <passphrase>', 'client certificate passphrase'),
  sslExtraCaCerts: text('--ssl-extra-ca-certs <path>', 'additional trusted CA certificates (PEM)'),
  cookieJar: text('--cookie-jar <path>', 'cookie jar to start with (tough-cookie JSON)'),
  exportCookieJar: text('--export-cookie-jar <path>', 'write the cookie jar to a file after the run'),
} as const;

type Flags = typeof NEWMAN_FLAGS;
type ValueOf<S> = S extends FlagSpec<infer T, PlanRole> ? T : never;
type KeysWhere<P extends PlanRole> = { [K in keyof Flags]: Flags[K]['plan'] extends P ? K : never }[keyof Flags];

/** What commander hands the action for the newman flags (`cmd.opts()`); every field as newman names it. */
export type ParsedNewmanArgs = { [K in keyof Flags]?: ValueOf<Flags[K]> } & { reporterArgs?: ReporterArg[] };

/**
 * Everything newman.run needs except the collection, the token variables and our export defaults
 * (run.ts adds those). Field names are newman.run's own, so the plan spreads straight into it.
 */
export type NewmanRunPlan = { [K in KeysWhere<'copy'>]?: ValueOf<Flags[K]> } & { [K in KeysWhere<'default'>]: ValueOf<Flags[K]> } & {
  folder?: string[];
  /** The user's --env-var values, in order. Token variables are added at run time, in memory. */
  envVar: KeyValue[];
  globalVar: KeyValue[];
  reporters: string[];
  reporter: ReporterOptions;
  bail?: true | BailModifier[];
};

// --- commander wiring ---------------------------------------------------------------------------

/**
 * Add newman 6's `run` flags to `cmd`. `--reporter-<name>-<option>` arguments are taken out before
 * commander parses and stored as the `reporterArgs` option value; any other unknown flag is left to
 * commander, whose error names the closest known flag (showSuggestionAfterError) and which the CLI
 * turns into a usage error (exit 2).
 */
export function addNewmanOptions(cmd: Command): Command {
  for (const [key, spec] of Object.entries(NEWMAN_FLAGS) as [string, FlagSpec<unknown>][]) {
    const option = cmd.createOption(spec.flags, spec.description);
    // The table's key is the name the value travels under; a flag renamed without its key would vanish.
    if (option.attributeName() !== key) throw new Error(`NEWMAN_FLAGS.${key}: commander names ${spec.flags} "${option.attributeName()}"`);
    if (spec.parse) option.argParser(spec.parse);
    cmd.addOption(option);
  }
  cmd.addHelpText('after', '\nReporter options: --reporter-<name>-<option> [value], e.g. --reporter-junit-export reports/junit.xml');

  const original = cmd.parseOptions.bind(cmd);
  cmd.parseOptions = (args: string[]) => {
    const { rest, reporterArgs } = extractReporterArgs(args);
    // Commander suggests a flag only for the bare name: an unknown `--enviroment=e.json` is handed
    // over as `--enviroment` so the error still says "did you mean --environment?".
    const end = rest.indexOf('--');
    const named = rest.map((arg, i) => {
      const eq = arg.indexOf('=');
      if ((end !== -1 && i > end) || !arg.startsWith('--') || eq === -1) return arg;
      return cmd.options.some((o) => o.long === arg.slice(0, eq)) ? arg : arg.slice(0, eq);
    });
    const result = original(named);
    cmd.setOptionValueWithSource('reporterArgs', reporterArgs, 'cli');
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
  const plan: Record<string, unknown> = {
    envVar: [...(parsed.envVar ?? [])],
    globalVar: [...(parsed.globalVar ?? [])],
    reporters,
    reporter: nestReporterOptions(parsed.reporterArgs ?? [], reporters),
  };
  for (const [key, spec] of Object.entries(NEWMAN_FLAGS) as [keyof Flags, FlagSpec<unknown>][]) {
    const v = parsed[key];
    if (spec.plan === 'copy' && v !== undefined) plan[key] = v;
    else if (spec.plan === 'default') plan[key] = v ?? spec.fallback;
  }
  if (parsed.folder && parsed.folder.length > 0) plan.folder = [...parsed.folder];
  if (parsed.bail !== undefined) plan.bail = parsed.bail === true ? true : [...parsed.bail];
  return plan as NewmanRunPlan;
}
